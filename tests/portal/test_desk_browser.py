"""Done-when of the portal part, in a real browser: a legal normative decision published from the outgoing desk
(the desk's own buttons), the seat's portal built and served, then found in headless Chromium by searching
without tone marks, its page showing the number with the year, the signature verdict and the JSON-LD.

Screenshots go to ``out/screenshots/`` (``cong-07-…``, ``cong-08-…``) for people to look at.
"""

from __future__ import annotations

import json

import pytest

from tests.portal.test_browser import CHROMIUM, FLAGS, SHOTS

from tests.lab.test_widgets import _click  # the desks' button helper

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]




@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium to run the browser test")
    from simulator.lab import SEAT_PASSPHRASE, Session
    from simulator.lab.widgets import SigningDesk
    from simulator.portal import PortalServer

    session = Session.open(tmp_path_factory.mktemp("desk-portal") / "seat", unit="Xã Hải Châu",
                           trainee_id="hv-trinh-duyet", arrivals=2)
    desk = SigningDesk(session)
    desk.kind.value = "quyet_dinh_qppl"
    _click(desk, "Soạn văn bản mới")
    desk.passphrase.value = SEAT_PASSPHRASE
    _click(desk, "Ký số (lãnh đạo)")
    _click(desk, "Cấp số và đóng dấu (văn thư)")
    _click(desk, "Đăng cổng thông tin")
    assert desk.last_call == 'session.publish("001")', desk.last_message
    _click(desk, "Dựng cổng thông tin")
    assert desk.last_call == "session.build_portal()" and "1 trang văn bản" in desk.last_message, desk.last_message
    server = PortalServer(session.portal_folder / "site", 0).start()
    yield server.url, session.outgoing("001").document
    server.stop()


def test_a_decision_published_from_the_desk_is_found_without_tone_marks(served):
    from playwright.sync_api import sync_playwright

    from simulator.text import fold

    url, doc = served
    assert doc.number_code == "01/2026/QĐ-UBND"
    words = fold(" ".join(doc.subject.split()[2:6]))  # "Ban hành Quy định về quản lý..." -> "quy dinh ve quan"
    assert words != " ".join(doc.subject.split()[2:6]).lower()  # the query really lacks the tone marks
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(url)
        rows = page.locator("#danh-sach tbody tr")
        page.get_by_text("Tìm thấy 1 văn bản.").wait_for(timeout=20_000)
        page.fill("#tim", "khong co van ban nay")  # nothing matches: the list empties first
        page.get_by_text("Không tìm thấy văn bản nào phù hợp.").wait_for(timeout=20_000)
        page.fill("#tim", words)
        rows.filter(has_text=doc.number_code).first.wait_for(timeout=20_000)
        page.get_by_text("Tìm thấy 1 văn bản.").wait_for(timeout=20_000)
        assert doc.issuer_name in rows.first.inner_text()
        page.screenshot(path=str(SHOTS / "cong-07-quyet-dinh-cua-xa-tim-khong-dau.png"), full_page=True)

        page.fill("#tim", "01/2026/qd-ubnd")  # the number, typed without đ
        page.get_by_text("Tìm thấy 1 văn bản.").wait_for(timeout=20_000)
        rows.first.get_by_role("link").click()
        page.get_by_role("heading", name=f"Quyết định số {doc.number_code}").wait_for(timeout=20_000)
        assert "Hợp lệ" in page.inner_text("#ket-qua-kiem-tra")
        text = page.inner_text("body")
        assert doc.signer.full_name in text and doc.issuer_name in text
        ld = json.loads(page.locator("script[type='application/ld+json']").text_content())
        assert ld["@type"] == "Legislation" and ld["legislationIdentifier"] == doc.number_code
        assert ld["legislationPassedBy"]["identifier"] == doc.issuer_code
        page.screenshot(path=str(SHOTS / "cong-08-quyet-dinh-cua-xa.png"), full_page=True)
        browser.close()

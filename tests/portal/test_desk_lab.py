"""Done-when, as a clerk does it: in JupyterLab (started as `make lab` starts it, headless Chromium), the signing
desk drafts a legal normative decision, the leader signs, the clerk numbers and seals it, presses "Đăng cổng
thông tin" and "Dựng cổng thông tin"; the portal built from the seat is served and the decision is found there by
a search without tone marks. Screenshots: ``out/screenshots/cong-desk/`` (the desk after each step, the portal).
"""

from __future__ import annotations

import json

import pytest

from tests.browser.lab import CHROMIUM, FLAGS, SHOTS, TOKEN, need_chromium, run_all, running_lab

OUT = SHOTS / "cong-desk"
NAME = "dang-cong.ipynb"
LONG = 120_000
SEAT = "cong-xa-hai-chau"

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _notebook(path) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    cells = [new_code_cell(
        "from simulator.lab import SEAT_PASSPHRASE, Session, work_folder\n"
        "from simulator.lab.widgets import SigningDesk\n"
        f"session = Session.open(work_folder({SEAT!r}), unit='Xã Hải Châu', trainee_id='hv-ban-cong', arrivals=2)\n"
        "display(SigningDesk(session))")]
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}}), path)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    need_chromium()
    root = tmp_path_factory.mktemp("lab-cong")
    _notebook(root / NAME)
    with running_lab(root, root / "work", root.parent / "lab-cong.log") as base:
        yield base, root / "work" / SEAT


def test_publish_from_the_desk_in_jupyterlab_then_find_it_on_the_portal(lab):
    from playwright.sync_api import sync_playwright

    from simulator.lab import SEAT_PASSPHRASE
    from simulator.portal import PortalServer
    from tests.browser.test_lesson03 import Desk

    base, seat = lab
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        run_all(page, f"{base}/lab/tree/{NAME}?token={TOKEN}")
        page.get_by_role("button", name="Đăng cổng thông tin").wait_for(timeout=LONG)
        desk = Desk(page, "Ký số và phát hành")
        assert "II.5: 0/0" in desk.text()

        desk.root.locator("select").nth(1).select_option(label="Quyết định quy phạm pháp luật")
        assert desk.click("Soạn văn bản mới").startswith("Đã soạn dự thảo Quyết định")
        refused = desk.click("Đăng cổng thông tin")  # not signed nor sealed: refused, one red line
        assert "chưa được cấp số" in refused and not desk.status_ok()
        desk.root.screenshot(path=str(OUT / "01-tu-choi-chua-dong-dau.png"))
        desk.root.locator("input[type='password']").fill(SEAT_PASSPHRASE)
        assert desk.click("Ký số (lãnh đạo)").startswith("Lãnh đạo đã ký số")
        assert "01/2026/QĐ-UBND" in desk.click("Cấp số và đóng dấu (văn thư)")
        published = desk.click("Đăng cổng thông tin")
        assert published.startswith("Đã đăng Quyết định 01/2026/QĐ-UBND") and desk.status_ok(), published
        desk.wait_text(r"II\.5: 1/1")
        desk.root.screenshot(path=str(OUT / "02-da-dang-cong.png"))
        built = desk.click("Dựng cổng thông tin")
        assert built.startswith("Đã dựng cổng: 1 trang văn bản"), built
        desk.root.screenshot(path=str(OUT / "03-da-dung-cong.png"))
        journal = [json.loads(line)["action"] for line in (seat / "journal.jsonl").read_text().splitlines()]
        assert journal[-4:] == ["sign", "issue", "seal", "publish"]

        server = PortalServer(seat / "cong-thong-tin" / "site", 0).start()
        try:
            portal = browser.new_page(viewport={"width": 1300, "height": 800})
            portal.goto(server.url)
            rows = portal.locator("#danh-sach tbody tr")
            portal.get_by_text("Tìm thấy 1 văn bản.").wait_for(timeout=20_000)
            portal.fill("#tim", "khong co van ban nay")  # the list empties first: what follows is the search's
            portal.get_by_text("Không tìm thấy văn bản nào phù hợp.").wait_for(timeout=20_000)
            portal.fill("#tim", "ban hanh quy dinh")  # "Ban hành Quy định …", typed without tone marks
            rows.filter(has_text="01/2026/QĐ-UBND").first.wait_for(timeout=20_000)
            portal.wait_for_function("location.search.includes('q=ban+hanh+quy+dinh')", timeout=20_000)
            assert rows.count() == 1
            portal.screenshot(path=str(OUT / "04-cong-tim-khong-dau.png"), full_page=True)
        finally:
            server.stop()
        browser.close()

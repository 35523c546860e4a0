"""The portal in a real browser: the list, the filters, a search without tone marks, a document page, the download.

Headless Chromium from Debian through Playwright (the project's browser driver, as tests/browser uses it);
without Chromium the test skips with the reason. Screenshots go to ``out/screenshots/`` for people to
look at.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "out" / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def site(published):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing in CI: .ci/run must install it")
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium to run the browser test")
    from simulator.portal import PortalServer

    server = PortalServer(published / "site", 0).start()
    yield server.url
    server.stop()


def test_list_filter_search_page_download(site, material, tmp_path):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1300, "height": 900}, accept_downloads=True)
        page.goto(site)
        rows = page.locator("#danh-sach tbody tr")
        page.get_by_text("Tìm thấy 3 văn bản.").wait_for(timeout=20_000)
        assert rows.count() == 3
        page.screenshot(path=str(SHOTS / "cong-01-danh-sach.png"), full_page=True)

        page.select_option("#loai", "chi_thi")  # filter: type
        page.get_by_text("Tìm thấy 1 văn bản.").wait_for(timeout=20_000)
        assert "03/CT-UBND" in rows.first.inner_text()
        page.select_option("#loai", "")
        page.select_option("#hieu-luc", "het")  # filter: not in force
        # the count line already read 1 for the type filter: wait for the repealed document's own row
        rows.filter(has_text="Hết hiệu lực toàn bộ").first.wait_for(timeout=20_000)
        page.get_by_text("Tìm thấy 1 văn bản.").wait_for(timeout=20_000)
        assert rows.count() == 1 and "Hết hiệu lực toàn bộ" in rows.first.inner_text()
        page.select_option("#hieu-luc", "")

        page.fill("#tim", "boi thuong thu hoi dat")  # no tone marks, no đ
        # the count line already reads "1" from the filter before: wait for the search's own row
        rows.filter(has_text="05/QĐ-UBND").first.wait_for(timeout=20_000)
        page.get_by_text("Tìm thấy 1 văn bản.").wait_for(timeout=20_000)
        assert "05/QĐ-UBND" in rows.first.inner_text() and rows.count() == 1
        assert "q=boi+thuong" in page.url  # the search is in the address, so it can be shared
        page.screenshot(path=str(SHOTS / "cong-02-tim-khong-dau.png"), full_page=True)

        rows.first.get_by_role("link").click()
        page.get_by_role("heading", name="Quyết định số 05/QĐ-UBND").wait_for(timeout=20_000)
        assert "Kết quả kiểm tra chữ ký số khi đăng: Hợp lệ" in page.inner_text("#ket-qua-kiem-tra")
        ld = json.loads(page.locator("script[type='application/ld+json']").text_content())
        assert ld["@type"] == "Legislation" and ld["legislationIdentifier"] == "05/QĐ-UBND"
        page.screenshot(path=str(SHOTS / "cong-03-van-ban.png"), full_page=True)

        with page.expect_download() as waiting:
            page.click("#tai-van-ban")
        download = waiting.value
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        text = page.inner_text("body")
        browser.close()
    assert download.suggested_filename == "05-QĐ-UBND.pdf"
    assert target.read_bytes() == material.decision.pdf.read_bytes()
    for english in ("Search", "Download", "Signed", "Type"):
        assert english not in text


def test_static_files_search_without_a_server(site, published):
    """Opened from the files (no server), the list searches its own index (du-lieu/chi-muc.js)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto((published / "site" / "index.html").as_uri())
        page.fill("#tim", "SOT XUAT HUYET")
        page.get_by_text("Tìm thấy 1 văn bản.").wait_for(timeout=20_000)
        first = page.locator("#danh-sach tbody tr").first.inner_text()
        page.fill("#tim", "rung")  # a word's start: "trung" and "chung" do not match
        page.get_by_text("Không tìm thấy văn bản nào phù hợp.").wait_for(timeout=20_000)
        page.fill("#tim", "qd-ubnd")
        page.get_by_text("Tìm thấy 1 văn bản.").wait_for(timeout=20_000)
        browser.close()
    assert "03/CT-UBND" in first

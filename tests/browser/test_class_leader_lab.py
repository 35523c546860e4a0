"""A district's clerk and its leader, two trainees of a class, in a real JupyterLab (headless Chromium).

The clerk's notebook shows the class seat's desks with a draft on the signing desk; the clerk clicks
"Trình ký". The leader's notebook shows "Bàn lãnh đạo": the leader moves to the end of the session, clicks
"Nhận văn bản trình", reads the draft and clicks "Ký số". The clerk moves on, takes the signed draft back
("Nhận văn bản mới"), then "Cấp số và đóng dấu (văn thư)" and "Phát hành". Screenshots go to
``out/screenshots/class-leader/``.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from tests.browser.lab import CHROMIUM, FLAGS, TOKEN, need_chromium, run_all, running_lab
from tests.browser.test_lesson03 import Desk

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "out" / "screenshots" / "class-leader"
SUBJECT = "V/v báo cáo tiến độ gửi nhận văn bản điện tử"
PASSPHRASE = "tap-huan-2026"
ENGLISH = ("Sign digitally", "Hand over", "Receive documents", "leader's desk", "Nothing is waiting", "Handed over")

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _notebook(path: Path, code: str) -> None:
    import nbformat

    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell(code)]
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(book, path)


@pytest.fixture(scope="module")
def lab_class(tmp_path_factory):
    need_chromium()
    from tests.classroom.conftest import DISTRICT, START, free_port

    from simulator.seat.classroom import ClassRoom, class_server

    folder = tmp_path_factory.mktemp("class-in-lab")
    room = ClassRoom.open(folder, unit=DISTRICT, start=START, scenario="plan-2020", port=free_port())
    district, commune = room.units[0], room.units[1]
    clerk = room.seat("vt-huyen", district)
    leader = room.seat("ld-huyen", district, role="leader")
    room.seat("vt-xa", commune)
    server = class_server(folder)
    threading.Thread(target=server.serve_forever, daemon=True, name="class-axis").start()
    root = tmp_path_factory.mktemp("lab-class")
    _notebook(root / "van-thu.ipynb",
              "from simulator.lab import Session\nfrom simulator.lab.widgets import class_desks\n"
              f"ban = Session.open('van-thu', classroom={json.dumps(clerk, ensure_ascii=False)})\n"
              f"if not ban.outbox:\n    ban.draft([{commune!r}], {SUBJECT!r}, 'Đề nghị Ủy ban nhân dân xã báo cáo.')\n"
              "display(*class_desks(ban))\n")
    _notebook(root / "lanh-dao.ipynb",
              "from simulator.lab import Session\nfrom simulator.lab.widgets import class_desks\n"
              f"ban = Session.open('lanh-dao', classroom={json.dumps(leader, ensure_ascii=False)})\n"
              "display(*class_desks(ban))\n")
    with running_lab(root, root / "work", root.parent / "lab-class.log") as base:
        yield base
    server.shutdown()
    server.server_close()


def _open(browser, base: str, name: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1700})
    run_all(page, f"{base}/lab/tree/{name}?reset&token={TOKEN}")
    return page


def _shot(page, name: str) -> None:
    """The page once every desk on it shows the same world time (they redraw together after a click)."""
    page.wait_for_function(
        """() => { const clocks = [...document.querySelectorAll('b')].map(b => b.innerText)
                     .filter(t => t.startsWith('Giờ trong phòng thực hành'));
                   return clocks.length >= 2 && clocks.every(t => t === clocks[0]); }""", timeout=60_000)
    page.screenshot(path=str(OUT / name), full_page=name.startswith("04"))


def test_the_clerk_hands_the_draft_over_and_the_leader_signs_it_in_the_lab(lab_class):
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        clerk = leader = None
        try:
            clerk = _open(browser, lab_class, "van-thu.ipynb")
            signing, inbox = Desk(clerk, "Ký số và phát hành"), Desk(clerk, "Văn bản đến")
            signing.root.get_by_role("button", name="Trình ký", exact=True).wait_for(timeout=120_000)
            said = signing.click("Trình ký")
            assert signing.status_ok() and said.startswith("Đã trình lãnh đạo ký (số trình 001)"), said
            _shot(clerk, "01-van-thu-trinh-ky.png")

            leader = _open(browser, lab_class, "lanh-dao.ipynb")
            desk = Desk(leader, "Bàn lãnh đạo")
            desk.root.get_by_role("button", name="Nhận văn bản trình", exact=True).wait_for(timeout=120_000)
            said = ""
            for _ in range(4):   # the leader's clock reaches the moment the clerk handed it over
                said = desk.click("Nhận văn bản trình")
                if said.startswith("Có 1") or "đang chờ" in said:
                    break
                desk.click("Đến hết buổi")
            text = desk.wait_text(SUBJECT)
            assert "Trình ký" in text and SUBJECT in text, text
            desk.root.locator("img").first.wait_for(timeout=60_000)   # the draft's first page, to read
            _shot(leader, "02-lanh-dao-nhan-van-ban-trinh.png")
            desk.root.locator("input[type=password]").fill(PASSPHRASE)
            said = desk.click("Ký số")
            assert desk.status_ok() and said.startswith("Đã ký"), said
            _shot(leader, "03-lanh-dao-da-ky.png")
            leader_text = desk.text()

            for _ in range(4):   # the clerk's clock reaches the leader's signing; the signed draft comes back
                inbox.click("Đến hết buổi")
                inbox.click("Nhận văn bản mới")
                if "Đã ký" in signing.text() or "đã ký" in signing.text():
                    break
            signing.root.locator("input[type=password]").fill(PASSPHRASE)
            said = signing.click("Cấp số và đóng dấu (văn thư)")
            assert signing.status_ok(), said
            said = signing.click("Phát hành")
            assert signing.status_ok(), said
            _shot(clerk, "04-van-thu-phat-hanh.png")
            clerk_text = signing.text()
        except Exception:
            for page, name in ((clerk, "van-thu"), (leader, "lanh-dao")):
                if page is not None:
                    page.screenshot(path=str(OUT / f"failed-{name}.png"), full_page=True)
            raise
        finally:
            browser.close()
    for text in (leader_text, clerk_text):
        assert not [word for word in ENGLISH if word in text], text
    assert all((OUT / name).stat().st_size > 10_000 for name in
               ("01-van-thu-trinh-ky.png", "02-lanh-dao-nhan-van-ban-trinh.png", "03-lanh-dao-da-ky.png",
                "04-van-thu-phat-hanh.png"))

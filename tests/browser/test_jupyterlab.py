"""End to end: JupyterLab in Vietnamese, a notebook run in headless Chromium, a desk clicked.

Needs Debian's Chromium (``.ci/run`` installs it). Elsewhere the test skips
with the reason. Screenshots go to ``out/screenshots/`` for people to look at.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

from tests.browser.lab import CHROMIUM, FLAGS, SHOTS, TOKEN, need_chromium, run_all, running_lab  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _desk_notebook(path: Path) -> None:
    cells = [
        nbformat.v4.new_markdown_cell("# Bàn làm việc văn thư\nNhận, kiểm tra và vào sổ văn bản đến."),
        nbformat.v4.new_code_cell(
            "from simulator.lab import Session, work_folder\n"
            "from simulator.lab.widgets import InboxDesk\n"
            "session = Session.open(work_folder('trinh-duyet'), unit='Xã Hải Châu', trainee_id='hv-trinh-duyet', "
            "arrivals=2, trap_share=0.0)"),
        nbformat.v4.new_code_cell("desk = InboxDesk(session)\ndesk"),
    ]
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}), path)


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    need_chromium()
    root = tmp_path_factory.mktemp("lab")
    _desk_notebook(root / "ban-van-thu.ipynb")
    with running_lab(root, root / "work", root.parent / "lab.log") as base:
        yield base


def test_notebook_runs_and_desk_answers_a_click(jupyterlab):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        # the interface is in Vietnamese (language pack selected by our settings override): run_all finds "Tệp"
        run_all(page, f"{jupyterlab}/lab/tree/ban-van-thu.ipynb?token={TOKEN}")
        button = page.get_by_role("button", name="Nhận văn bản mới")
        try:
            button.wait_for(timeout=90_000)
        except Exception:
            page.screenshot(path=str(SHOTS / "failed.png"), full_page=True)
            raise
        page.screenshot(path=str(SHOTS / "01-ban-van-thu.png"))
        button.click()  # 07:30: nothing has come yet, and the clock does not jump by itself
        page.get_by_text("Chưa có văn bản mới đến lúc Thứ Hai, 02/03/2026").wait_for(timeout=90_000)
        page.get_by_role("button", name="Đến hết buổi").click()  # stops when a document reaches the desk
        button.click()
        page.get_by_text(re.compile(r"Có \d+ văn bản mới đến")).wait_for(timeout=90_000)
        page.screenshot(path=str(SHOTS / "02-da-nhan.png"), full_page=True)
        page.get_by_role("button", name="Kiểm tra chữ ký").click()
        page.get_by_text("Văn bản hợp lệ").first.wait_for(timeout=60_000)
        page.screenshot(path=str(SHOTS / "03-kiem-tra-chu-ky.png"), full_page=True)
        desk_text = page.locator(".jp-OutputArea-output").last.inner_text()
        browser.close()
    assert (SHOTS / "03-kiem-tra-chu-ky.png").stat().st_size > 10_000
    assert "Press" not in desk_text and "Clock" not in desk_text  # the desk speaks Vietnamese


def test_interface_language_override_is_installed():
    from simulator.lab.setup_jupyter import OVERRIDES, install

    target = install(sys.prefix)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["@jupyterlab/translation-extension:plugin"]["locale"] == "vi_VN"
    assert data == {**data, **OVERRIDES}

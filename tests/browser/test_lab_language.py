"""A trainee's JupyterLab, looked at in headless Chromium: Vietnamese wherever they look, no instructor tools.

Starts the Lab as ``make lab`` does (the settings of ``simulator.lab.setup_jupyter``
installed, ``JUPYTER_CONFIG_PATH`` on the trainee configuration), opens every
top-level menu and its submenus, the cell context menu, the cell toolbar, the
status bar and the restart-kernel dialog, and fails on any English label of
:data:`ENGLISH`; fails if nbgrader's instructor tools show; opens nbgrader's
Assignment List and fails if it reports an error, or if the server log has one.
Screenshots go to ``out/screenshots/lab-vi-*.png`` for people to look at.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

from tests.browser.lab import CHROMIUM, FLAGS, SHOTS, TOKEN, need_chromium, running_lab

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# English a trainee must not meet (whole words, case-sensitive). Names (JupyterLab,
# Python, Markdown, notebook) and programming languages in the syntax menu are not here.
ENGLISH = (
    "Run", "Kernel", "Restart", "Modified", "Click to add a cell.", "Validate", "Create Assignment",
    "Formgrader", "Course List", "and Run All Cells", "Cell", "Cells", "Clear", "Idle", "Busy", "Command",
    "Select", "Move", "Insert", "Delete", "Copy", "Paste", "Cut", "Undo", "Redo", "Save", "Open", "Close",
    "Show", "Interrupt", "Shut Down", "Cancel", "Workspace", "Console", "Merge", "Split", "Render", "Collapse",
    "Expand", "Change", "Reset", "Name", "Spaces", "File", "New", "Other", "Text", "About", "Help", "Settings", "and", "the", "of", "this",
)
INSTRUCTOR_COMMANDS = ("nbgrader:open-formgrader", "nbgrader:open-formgrader-local", "nbgrader:open-course-list",
                       "nbgrader:open-create-assignment")
EXCHANGE_ERRORS = ("exchange directory does not exist", "Unwritable directory", "No nbgrader_config.py")


def english_in(text: str) -> list[str]:
    return [word for word in ENGLISH if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]


def _notebook(path: Path) -> None:
    cells = [nbformat.v4.new_markdown_cell("# Bài tập\nVào sổ văn bản đến."),
             nbformat.v4.new_code_cell("so_van_ban = 1\nso_van_ban")]
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}), path)


@pytest.fixture(scope="module")
def trainee_lab(tmp_path_factory):
    need_chromium()
    root = tmp_path_factory.mktemp("lab-hoc-vien")
    _notebook(root / "bai-tap.ipynb")
    log, work = root.parent / "lab-hoc-vien.log", root.parent / "work"
    with running_lab(root, work, log, trainee=True) as base:
        yield base, log, work


def _labels(page, selector: str) -> list[str]:
    return [text.strip() for text in page.locator(selector).all_inner_texts() if text.strip()]


def _menu_labels(page) -> list[str]:
    return _labels(page, ".lm-Menu .lm-Menu-itemLabel")


def _walk_menus(page, seen: dict[str, list[str]]) -> None:
    bar = page.locator("#jp-menu-panel .lm-MenuBar-item")
    for index in range(bar.count()):
        title = bar.nth(index).inner_text().strip()
        bar.nth(index).click()
        page.locator(".lm-Menu").first.wait_for()
        found = _menu_labels(page)
        submenus = page.locator(".lm-Menu").first.locator(".lm-Menu-item[data-type='submenu']")
        for sub in range(submenus.count()):
            submenus.nth(sub).hover()
            page.wait_for_function("document.querySelectorAll('.lm-Menu').length > 1")
            found += _menu_labels(page)
            page.screenshot(path=str(SHOTS / f"lab-vi-menu-{index}-{sub}.png"))
            nested = page.locator(".lm-Menu").nth(1).locator(".lm-Menu-item[data-type='submenu']")
            for deeper in range(nested.count()):
                nested.nth(deeper).hover()
                page.wait_for_function("document.querySelectorAll('.lm-Menu').length > 2")
                found += _menu_labels(page)
                submenus.nth(sub).hover()
        page.screenshot(path=str(SHOTS / f"lab-vi-menu-{index}.png"))
        seen[f"menu {title}"] = found + [title]
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")


def _open_menu_with(page, command: str):
    """Open the top-level menu that holds ``command`` (found by command, not by its title's language)."""
    bar = page.locator("#jp-menu-panel .lm-MenuBar-item")
    for index in range(bar.count()):
        bar.nth(index).click()
        item = page.locator(f".lm-Menu li[data-command='{command}']:visible")
        if item.count():
            return item.first
        page.keyboard.press("Escape")
    pytest.fail(f"no menu holds {command}")


def test_trainee_sees_the_lab_in_vietnamese_without_instructor_tools(trainee_lab):
    from playwright.sync_api import sync_playwright

    base, log, work = trainee_lab
    SHOTS.mkdir(parents=True, exist_ok=True)
    seen: dict[str, list[str]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{base}/lab/tree/bai-tap.ipynb?token={TOKEN}")
        page.get_by_text("Tệp", exact=True).first.wait_for(timeout=60_000)
        page.locator(".jp-Notebook").wait_for(timeout=60_000)
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=60_000)
        page.locator(".jp-Notebook .jp-Cell").last.click()
        page.screenshot(path=str(SHOTS / "lab-vi-notebook.png"))
        # code and outputs in one monospace font that has every Vietnamese letter, and that font is there
        code_font = page.evaluate("() => getComputedStyle(document.querySelector('.jp-Notebook .jp-CodeCell'))"
                                  ".getPropertyValue('--jp-code-font-family')")
        has_font = page.evaluate("() => document.fonts.check(\"16px 'Noto Sans Mono'\", 'ử')")

        _walk_menus(page, seen)

        page.locator(".jp-Notebook .jp-Cell").last.click(button="right")
        page.locator(".lm-Menu").first.wait_for()
        seen["cell context menu"] = _menu_labels(page)
        page.screenshot(path=str(SHOTS / "lab-vi-context-menu.png"))
        page.keyboard.press("Escape")

        page.locator(".jp-Notebook .jp-Cell").last.click()
        page.locator(".jp-cell-toolbar").first.wait_for()
        titles = ".jp-cell-toolbar [title], .jp-NotebookPanel-toolbar [title], #jp-main-statusbar [title]"
        seen["toolbar and status bar tooltips"] = [element.get_attribute("title") or ""
                                                   for element in page.locator(titles).all()]
        seen["status bar"] = _labels(page, "#jp-main-statusbar")
        seen["notebook footer"] = _labels(page, ".jp-Notebook-footer")
        seen["file browser"] = _labels(page, ".jp-DirListing-header")

        _open_menu_with(page, "launcher:create").click()
        page.locator(".jp-Launcher").last.wait_for()
        seen["launcher"] = _labels(page, ".jp-Launcher")
        page.screenshot(path=str(SHOTS / "lab-vi-launcher.png"))
        page.get_by_role("tab", name=re.compile("bai-tap")).click()

        _open_menu_with(page, "kernelmenu:restart").click()
        dialog = page.locator(".jp-Dialog-content")
        dialog.wait_for()
        seen["restart dialog"] = [dialog.inner_text()]
        page.screenshot(path=str(SHOTS / "lab-vi-restart-dialog.png"))
        page.locator(".jp-Dialog-button.jp-mod-reject").click()

        assignment_list = _open_menu_with(page, "nbgrader:open-assignment-list")
        page.screenshot(path=str(SHOTS / "lab-vi-nbgrader-menu.png"))
        instructor = [command for command in INSTRUCTOR_COMMANDS
                      if page.locator(f"li[data-command='{command}']:visible").count()]
        panels = page.locator(".nbgrader-CreateAssignmentWidget, #nbgrader-formgrader, #nbgrader-course-list, "
                              "[data-command='nbgrader:validate'], .jp-Toolbar-item:has-text('Validate')").count()
        with page.expect_response(lambda response: "/courses" in response.url) as listed:
            assignment_list.click()
        answer = listed.value.json()
        panel = page.locator("#nbgrader-assignment-list")
        panel.wait_for()
        page.wait_for_timeout(1_000)  # let the panel draw the answer before the screenshot
        page.screenshot(path=str(SHOTS / "lab-vi-assignment-list.png"))
        panel_text = panel.inner_text()
        seen["assignment list"] = [panel_text]
        browser.close()

    assert code_font.strip().startswith("'Noto Sans Mono'") and has_font, code_font
    english = {where: sorted({label for label in labels if english_in(label)}) for where, labels in seen.items()}
    english = {where: labels for where, labels in english.items() if labels}
    assert not english, "English left in the trainee's Lab: " + json.dumps(english, ensure_ascii=False)
    assert not instructor and not panels, f"nbgrader's instructor tools are visible: {instructor}, {panels} panels"
    assert answer["success"] is True and answer["value"] == [], answer  # no course handed out yet, no error
    assert not any(error.lower() in panel_text.lower() for error in EXCHANGE_ERRORS), panel_text
    assert (work / "nbgrader" / "exchange" / "can-bo-xa" / "outbound").is_dir()
    server_log = log.read_text(errors="replace")
    assert not [error for error in EXCHANGE_ERRORS if error.lower() in server_log.lower()], server_log[-3000:]
    assert "[E " not in server_log, server_log[-3000:]


def test_the_assignment_list_words_are_rewritten_once():
    from simulator.lab.nbgrader_words import english_left, localise, not_found

    assert not_found(sys.prefix) == []   # each phrase is in the installed extension (this nbgrader's words)
    localise(sys.prefix)
    assert english_left(sys.prefix) == []
    assert localise(sys.prefix) == []   # a second run changes nothing


def test_english_words_are_caught():
    assert set(english_in("Khởi động lại kernel and Run All Cells…")) == {"Run", "and Run All Cells", "Cells", "and"}
    assert english_in("Khởi động lại bộ chạy mã và chạy tất cả các ô…") == []
    assert english_in("Chế độ: Command") == ["Command"]


def test_translations_fill_the_pack_and_name_real_messages():
    """Installed twice (harmless), the pack answers with ours in the browser's JSON and the server's .mo;
    every message we translate is one the Lab (or an extension in the environment) asks for."""
    import gettext

    from simulator.lab.setup_jupyter import TRANSLATIONS, install, install_translations, language_pack_messages, overrides

    install(sys.prefix)
    install_translations()
    folder = language_pack_messages()
    assert folder is not None, "jupyterlab-language-pack-vi-VN is not installed"
    browser = json.loads((folder / "jupyterlab.json").read_text(encoding="utf-8"))
    assert browser["Run All Cells"] == ["Chạy tất cả các ô"]
    assert browser["Copy Cell"] == ["Sao chép ô", "Sao chép ô"]  # plural: two forms, or the browser ignores it
    server = gettext.translation("jupyterlab", localedir=str(folder.parents[1]), languages=["vi_VN"])
    assert server.pgettext("menu", "Kernel") == "Bộ chạy mã"
    assert server.gettext("Restart Kernel…") == "Khởi động lại bộ chạy mã…"
    assert server.pgettext("menu", "Edit") == "Chỉnh sửa"  # the pack's own translations stay

    share = Path(sys.prefix) / "share" / "jupyter"
    sources = "".join(path.read_text(encoding="utf-8", errors="replace")
                      for pattern in ("lab/static/*.js", "lab/schemas/**/*.json", "labextensions/**/*.js")
                      for path in share.glob(pattern))
    for domain in (path.stem for path in TRANSLATIONS.glob("*.json")):
        unknown = [key for key in overrides(domain)
                   if not any(json.dumps(key.rpartition("\u0004")[2], ensure_ascii=ascii) in sources
                              for ascii in (False, True))]
        assert not unknown, f"{domain}: not a message of this JupyterLab: {unknown}"

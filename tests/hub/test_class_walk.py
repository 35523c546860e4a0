"""The class on the hub, as a new instructor tries it (issue 15's "done when"): the hub serves the class's axis
(a hub service running ``vbdt class serve`` as the grader account) and hands each trainee their seat; three
trainees log in from a real browser, open the class assignment and work at its desks by clicking: the district's
clerk drafts to the two commune seats, signs, seals and dispatches; one commune clerk takes the document,
verifies, registers, submits and assigns it; the other only takes and verifies it (stuck); the district takes the
statuses back. The instructor's live view (``vbdt class status``) shows who did what and who is stuck, and
autograding gives the grades that match. Screenshots: ``out/screenshots/class-walk/``."""

from __future__ import annotations

import json

import pytest

from simulator.lab import SEAT_PASSPHRASE as PASSPHRASE
from tests.browser.lab import CHROMIUM, FLAGS, need_chromium, run_all

from .conftest import CLASS_ASSIGNMENT, SHOTS
from .hub import COURSE, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("hub")]
NOTEBOOK = f"{COURSE}/{CLASS_ASSIGNMENT}/{CLASS_ASSIGNMENT}.ipynb"
WALK = SHOTS / "class-walk"
HANDLER_FIELD = "Người xử lý"


def _fetch(world, trainee) -> None:
    answer = world.hub.server(trainee, world.tokens[trainee.name], "POST", "/assignments/fetch",
                              json={"course_id": COURSE, "assignment_id": CLASS_ASSIGNMENT})
    assert answer.status_code == 200 and answer.json().get("success") is not False, answer.text


def _log_in_and_open(browser, world, trainee):
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, locale="vi-VN")
    page = context.new_page()
    browser_login(page, world.hub.url, trainee)
    page.wait_for_url(f"**/user/{trainee.name}/lab**", timeout=180_000)
    run_all(page, f"{world.hub.url}/user/{trainee.name}/lab/tree/{NOTEBOOK}")
    page.get_by_role("button", name="Nhận văn bản của lớp").first.wait_for(timeout=300_000)   # the desks are up
    return context, page


def _click(page, name: str, *, wait: str | None = None, timeout: float = 120_000) -> None:
    """Click a desk's button; ``wait``: a text the status line shows once the call is done."""
    page.get_by_role("button", name=name, exact=True).first.click()
    if wait:
        page.get_by_text(wait).first.wait_for(timeout=timeout)


def _shot(page, name: str) -> None:
    WALK.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(WALK / f"{name}.png"), full_page=True)


def _passphrase(page, value: str) -> None:
    page.locator("input[type=password]").first.fill(value)


def _take_class_document(page, rounds: int = 6) -> None:
    """Take the district's document at the incoming desk: the commune's clock must first reach the moment it was
    sent (the desk's "until the end of the session" moves it on)."""
    for _ in range(rounds):
        _click(page, "Nhận văn bản mới")
        try:
            page.locator("option", has_text="L001").first.wait_for(state="attached", timeout=20_000)
            return
        except Exception:
            _click(page, "Đến hết buổi")
    raise AssertionError("the district's document did not reach the commune")


def _inbox_select_class_item(page) -> None:
    select = page.locator("select", has=page.locator("option", has_text="L001")).first
    label = select.locator("option", has_text="L001").first.inner_text()
    select.select_option(label=label)


def test_a_class_on_the_hub_from_three_browsers(hub_world):
    need_chromium()
    from playwright.sync_api import sync_playwright

    world = hub_world
    district, commune, quiet = world.trainees
    world.as_grader("nbgrader", "release_assignment", CLASS_ASSIGNMENT)
    for trainee in world.trainees:
        _fetch(world, trainee)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pages = {}
        try:
            for trainee in world.trainees:
                pages[trainee.name] = _log_in_and_open(browser, world, trainee)[1]
                _shot(pages[trainee.name], f"01-{trainee.name}-desks")
            # the district's clerk: draft to the two commune seats, sign, number and seal, dispatch
            page = pages[district.name]
            recipients = page.locator("select[multiple]").first
            labels = [o.inner_text().replace("\xa0", " ") for o in recipients.locator("option").all()]
            held = [n for n, label in enumerate(labels) if "do học viên giữ" in label]   # the classmates' seats
            assert len(held) == 2, labels
            recipients.select_option(index=held)
            page.get_by_placeholder("V/v").first.fill("V/v báo cáo kết quả tiếp nhận văn bản điện tử")
            page.locator("textarea").first.fill("Đề nghị Ủy ban nhân dân các xã báo cáo kết quả tiếp nhận, xử lý "
                                                "văn bản điện tử trong tháng.")
            _click(page, "Soạn văn bản gửi đơn vị", wait="Đã soạn dự thảo gửi 2 đơn vị")
            _passphrase(page, PASSPHRASE)
            _click(page, "Ký số (lãnh đạo)", wait="Lãnh đạo đã ký số")
            _click(page, "Cấp số và đóng dấu (văn thư)", wait="theo sổ văn bản đi")
            _click(page, "Phát hành", wait="Đã phát hành văn bản")
            _shot(page, f"02-{district.name}-dispatched")

            # the commune clerks take it; one handles it all, the other only verifies it
            for trainee in (commune, quiet):
                page = pages[trainee.name]
                _take_class_document(page)
                _inbox_select_class_item(page)
                _click(page, "Kiểm tra chữ ký", wait="mọi chữ ký số còn nguyên vẹn")
                if trainee is commune:
                    _click(page, "Vào sổ", wait="Đã vào sổ với số đến")
                    _click(page, "Trình lãnh đạo", wait="Đã trình lãnh đạo")
                    page.get_by_placeholder(HANDLER_FIELD).first.fill("Nguyễn Văn Bình")
                    _click(page, "Phân công", wait="Đã phân công cho")
                _shot(page, f"03-{trainee.name}-handled")

            # the district takes the statuses back
            page = pages[district.name]
            _click(page, "Sang ngày làm việc tiếp theo", wait="Thứ Ba, 04/03/2025")   # past the communes' clocks
            _click(page, "Nhận văn bản của lớp", wait="các trạng thái đã báo lại có trong bảng")   # the panel's line
            _shot(page, f"04-{district.name}-statuses")
            panel = page.locator("body").inner_text()
        except Exception:
            for name, page in pages.items():
                _shot(page, f"failed-{name}")
            raise
        finally:
            browser.close()
    assert "05 đã phân công, đang xử lý" in panel and "01 đã đến" in panel, panel[-3000:]

    # the instructor's live view: from the class's axis (the grader's account keeps the class)
    status = json.loads(world.as_grader("vbdt", "class", "status", str(world.class_folder), "--json").stdout)
    (WALK / "class-status.json").write_text(json.dumps(status, ensure_ascii=False, indent=2), encoding="utf-8")
    rows = {r["trainee"]: r for r in status}
    assert len(rows[district.name]["sent"]) == 1, rows
    assert not rows[commune.name]["stuck"], rows
    assert rows[quiet.name]["stuck"], rows                          # took it, never registered it
    text = world.as_grader("vbdt", "class", "status", str(world.class_folder)).stdout
    (WALK / "class-status.txt").write_text(text, encoding="utf-8")
    assert quiet.name in text

    # submit, collect, autograde: the grades match what each did
    for trainee in world.trainees:
        answer = world.hub.server(trainee, world.tokens[trainee.name], "POST", "/assignments/submit",
                                  json={"course_id": COURSE, "assignment_id": CLASS_ASSIGNMENT})
        assert answer.status_code == 200, answer.text
    world.as_grader("nbgrader", "collect", CLASS_ASSIGNMENT)
    graded = world.as_grader("vbdt", "course", "autograde", COURSE, CLASS_ASSIGNMENT, "--root",
                             str(world.grader.home), "--json", "-j", "2", check=False)
    results = {r["trainee"]: r for r in json.loads(graded.stdout)}
    (WALK / "autograde.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    assert {n: r["score"] for n, r in results.items()} == {district.name: 4, commune.name: 4, quiet.name: 2}, \
        (results, graded.stderr[-2000:])

    # the instructor's desk, in the browser: the course's grader service (it keeps the class), after collection
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 1500, "height": 1000}, locale="vi-VN")
        page = context.new_page()
        try:
            browser_login(page, world.hub.url, world.instructor)
            page.wait_for_url("**/hub/**", timeout=120_000)
            run_all(page, f"{world.hub.url}/services/{COURSE}/lab/tree/bang-giang-vien.ipynb")
            page.get_by_text("học viên không thao tác từ").first.wait_for(timeout=180_000)   # the desk's line
            _shot(page, "05-instructor-progress")
            page.get_by_role("tab", name="Lớp học trực tuyến").first.click()
            page.locator("td", has_text="chưa vào sổ").first.wait_for(timeout=60_000)   # the live table
            _shot(page, "06-instructor-live-class")
            desk = page.locator("body").inner_text()
        except Exception:
            _shot(page, "failed-instructor")
            raise
        finally:
            browser.close()
    assert quiet.name in desk and commune.name in desk and district.name in desk, desk[-3000:]

    # the hub restarts (an upgrade, a reboot): the class's axis comes back with it as the hub's service, the
    # trainees' servers start again with their seats, and a trainee's desk reopens where it was
    world.hub.stop()
    world.hub.start()
    world.hub.spawn(world.trainees, world.tokens)
    after = world.hub.run_in_kernel(commune, world.tokens[commune.name], NOTEBOOK, (
        "from simulator.lab import Session, class_ticket\n"
        "ban = Session.open('lam-viec', classroom=class_ticket('lam-viec'))\n"
        "ban.receive()\n"
        "print('CLASS', ban.class_problem, ban.item('L001').status)\n"))
    assert "CLASS None assigned" in after, after

"""Three trainees log into the hub from a real browser (headless Chromium) and see their Lab, in Vietnamese,
with the course's assignment in nbgrader's Assignment List. Screenshots: ``out/screenshots/hub-<trainee>.png``."""

from __future__ import annotations


import pytest

from tests.browser.lab import CHROMIUM, FLAGS, need_chromium

from .conftest import ASSIGNMENT, SHOTS
from .hub import COURSE


pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("hub")]


def _feedback_page(world, trainee) -> str | None:
    token, folder = world.tokens[trainee.name], f"{COURSE}/{ASSIGNMENT}/feedback"
    listing = world.hub.server(trainee, token, "GET", f"/api/contents/{folder}")
    if listing.status_code != 200:
        return None
    for stamp in listing.json()["content"]:
        for page in world.hub.server(trainee, token, "GET", f"/api/contents/{stamp['path']}").json()["content"]:
            if page["name"].endswith(".html"):
                return page["path"]
    return None


def test_three_trainees_log_in_and_see_their_assignment_list(hub_world):
    need_chromium()
    from playwright.sync_api import sync_playwright

    world = hub_world
    world.release()
    SHOTS.mkdir(parents=True, exist_ok=True)
    seen = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for trainee in world.trainees:
            context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="vi-VN")
            page = context.new_page()
            shot = SHOTS / f"hub-{trainee.name}.png"
            try:
                page.goto(f"{world.hub.url}/hub/login", timeout=60_000)
                page.screenshot(path=str(SHOTS / "hub-login.png"))
                login_page = page.locator("body").inner_text()
                page.fill("#username_input", trainee.name)
                page.fill("#password_input", trainee.password)
                page.click("#login_submit")
                page.wait_for_url(f"**/user/{trainee.name}/lab**", timeout=180_000)
                # a fresh workspace: another test may have left this trainee's file browser in a sub-folder
                page.goto(f"{world.hub.url}/user/{trainee.name}/lab?reset", timeout=60_000)
                page.get_by_text("Tệp", exact=True).first.wait_for(timeout=120_000)   # Lab, in Vietnamese
                page.get_by_text("Nbgrader", exact=True).first.click()
                page.get_by_text("Danh sách bài tập", exact=True).first.click()   # nbgrader's Assignment List
                panel = page.locator("#nbgrader-assignment-list")
                panel.get_by_text(ASSIGNMENT).first.wait_for(timeout=120_000)
                fetch = panel.get_by_role("button", name="Nhận bài")
                if fetch.count():   # not fetched yet (the exchange test fetches through the API): fetch it here
                    fetch.first.click()
                panel.get_by_role("button", name="Nộp bài").first.wait_for(timeout=120_000)   # downloaded
                page.locator(".jp-DirListing-item", has_text=COURSE).first.wait_for(timeout=60_000)
                page.screenshot(path=str(shot))
                instructor_tools = page.locator(".lm-TabBar-tab", has_text="Create Assignment").count()
                assert not instructor_tools, "nbgrader's instructor tools are visible to a trainee"
                seen[trainee.name] = (page.url, panel.inner_text())
                feedback = _feedback_page(world, trainee)
                if feedback:   # graded in this session (the exchange test): the trainee reads their feedback
                    page.goto(f"{world.hub.url}/user/{trainee.name}/files/{feedback}", timeout=60_000)
                    page.get_by_text(ASSIGNMENT).first.wait_for(timeout=60_000)
                    page.screenshot(path=str(SHOTS / f"hub-{trainee.name}-feedback.png"), full_page=True)
                    text = page.locator("body").inner_text()
                    assert f"Học viên: {trainee.name}" in text      # their own world's page
                    assert "right shape" not in text and "not right" not in text, text   # the checks speak Vietnamese
                page.goto(f"{world.hub.url}/hub/home", timeout=60_000)   # the hub's own page names the account
                page.get_by_text(trainee.name).first.wait_for(timeout=60_000)
                page.screenshot(path=str(SHOTS / f"hub-{trainee.name}-home.png"))
                seen[trainee.name] += (page.locator("body").inner_text(),)
            except Exception:
                page.screenshot(path=str(SHOTS / f"hub-{trainee.name}-failed.png"), full_page=True)
                raise
            finally:
                context.close()
        browser.close()
    assert set(seen) == {t.name for t in world.trainees}
    assert "Đăng nhập" in login_page and "Mật khẩu" in login_page and "Sign in" not in login_page, login_page
    for name, (url, text, home) in seen.items():
        assert f"/user/{name}/lab" in url          # each trainee in their own server
        assert COURSE in text and ASSIGNMENT in text, text
        assert "Chưa nhận bài nào" not in text and "assignments" not in text, text   # fetched, and in Vietnamese
        assert name in home
        assert (SHOTS / f"hub-{name}.png").stat().st_size > 10_000

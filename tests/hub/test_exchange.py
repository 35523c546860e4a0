"""nbgrader's exchange end to end on a real JupyterHub: release, fetch, desk work, submit, collect, autograde,
feedback that only its owner fetches. Trainees act through their own servers (the hub's proxy, their tokens);
the grader types nbgrader's and vbdt's commands in its own account."""

from __future__ import annotations

import json
import pprint
from concurrent.futures import ThreadPoolExecutor

import pytest

from .conftest import ASSIGNMENT
from .hub import COURSE, INSTRUCTOR

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hub")]
NOTEBOOK = f"{COURSE}/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"   # in the trainee's home (the exchange names the course)
FEEDBACK = f"{COURSE}/{ASSIGNMENT}/feedback"


def _cell(notebook: dict, grade_id: str) -> dict:
    return next(c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def _assignments(world, trainee) -> list[dict]:
    answer = world.hub.server(trainee, world.tokens[trainee.name], "GET", "/assignments",
                              params={"course_id": COURSE})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["success"], body
    return [a for a in body["value"] if a["assignment_id"] == ASSIGNMENT]


def _action(world, trainee, action: str) -> None:
    answer = world.hub.server(trainee, world.tokens[trainee.name], "POST", f"/assignments/{action}",
                              json={"course_id": COURSE, "assignment_id": ASSIGNMENT})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert not (isinstance(body, dict) and body.get("success") is False), body


def _desk_work(world, trainee) -> dict:
    """What the trainee does in Lab: run the notebook's first cell, take document 000 in at the desk, read it."""
    token = world.tokens[trainee.name]
    notebook = world.hub.server(trainee, token, "GET", f"/api/contents/{NOTEBOOK}").json()["content"]
    code = "".join(_cell(notebook, "mo-ban")["source"]) + (
        "\nimport json\nfrom simulator.grading.practice import anatomy_answers\n"
        "print('ANSWERS=' + json.dumps(anatomy_answers(ban), ensure_ascii=False))\n")
    out = world.hub.run_in_kernel(trainee, token, NOTEBOOK, code)
    assert f"Học viên: {trainee.name}" in out, out          # the world is the login's own (JUPYTERHUB_USER)
    return json.loads(out.split("ANSWERS=", 1)[1].splitlines()[0])


def _write_answers(world, trainee, answers: dict) -> None:
    """The trainee types the answers into the answer cell and saves (the contents API, as Lab saves)."""
    token = world.tokens[trainee.name]
    model = world.hub.server(trainee, token, "GET", f"/api/contents/{NOTEBOOK}").json()
    cell = _cell(model["content"], "tra-loi")
    cell["source"] = "tra_loi = " + pprint.pformat(answers, sort_dicts=False)
    saved = world.hub.server(trainee, token, "PUT", f"/api/contents/{NOTEBOOK}",
                             json={"type": "notebook", "format": "json", "content": model["content"]})
    assert saved.status_code == 200, saved.text


def _own_feedback(world, trainee) -> str:
    token = world.tokens[trainee.name]
    folders = world.hub.server(trainee, token, "GET", f"/api/contents/{FEEDBACK}").json()["content"]
    pages = [f for folder in folders
             for f in world.hub.server(trainee, token, "GET", f"/api/contents/{folder['path']}").json()["content"]
             if f["name"].endswith(".html")]
    assert len(pages) == 1, pages
    return world.hub.server(trainee, token, "GET", f"/api/contents/{pages[0]['path']}",
                            params={"type": "file", "format": "text"}).json()["content"]


def test_release_fetch_submit_collect_autograde_feedback_through_the_hub(hub_world):
    world = hub_world
    good, careless, idle = world.trainees

    # PAM checks real passwords: a wrong one does not log in
    assert world.hub.login(good, "not-the-password").login_status != 302
    # the hub's roles: the instructor opens the course's formgrader (run by the grader account), a trainee cannot
    formgrader = f"/services/{COURSE}/formgrader/api/assignments"
    answer = world.hub.api(world.tokens[INSTRUCTOR], "GET", formgrader)
    assert answer.status_code == 200 and ASSIGNMENT in answer.text, (answer.status_code, answer.text[:500])
    assert world.hub.api(world.tokens[good.name], "GET", formgrader, allow_redirects=False).status_code == 403

    # release (grader) -> each trainee sees it in their list, fetches it into their home
    world.release()
    for trainee in world.trainees:
        # whatever ran before (the login test fetches in the browser): the trainee starts without it
        world.as_user(trainee, "rm", "-rf", str(trainee.home / COURSE / ASSIGNMENT))
        assert [a["status"] for a in _assignments(world, trainee)] == ["released"]
        _action(world, trainee, "fetch")
        assert "fetched" in [a["status"] for a in _assignments(world, trainee)]
        assert (trainee.home / NOTEBOOK).is_file()
        assert (trainee.home / NOTEBOOK).stat().st_uid == __import__("pwd").getpwnam(trainee.name).pw_uid

    # work: one trainee reads the document right, one copies the signer and the date wrong, one does nothing
    with ThreadPoolExecutor(2) as pool:   # two trainees at their desks at the same time
        answers, sloppy = pool.map(lambda trainee: _desk_work(world, trainee), (good, careless))
    _write_answers(world, good, answers)
    _write_answers(world, careless, {**sloppy, "nguoi_ky": "Nguyễn Văn Sai", "ngay_ban_hanh": "01/01/2020"})
    for trainee in world.trainees:
        _action(world, trainee, "submit")
        assert "submitted" in [a["status"] for a in _assignments(world, trainee)]

    # another trainee cannot look into the exchange's submissions
    inbound = world.exchange / COURSE / "inbound"
    peek = world.as_user(idle, "python", "-c", f"import os; print(os.listdir({str(inbound)!r}))", check=False)
    assert peek.returncode != 0 and "PermissionError" in peek.stderr

    # collect and autograde (the grader's own account; vbdt names each trainee's world)
    world.as_grader("nbgrader", "collect", ASSIGNMENT)
    assert sorted(p.name for p in (world.course / "submitted").iterdir()) == sorted(t.name for t in world.trainees)
    graded = world.as_grader("vbdt", "course", "autograde", COURSE, ASSIGNMENT, "--root", str(world.grader.home),
                             "--json", "-j", "2", check=False)
    results = {r["trainee"]: r for r in json.loads(graded.stdout)}
    assert set(results) == {t.name for t in world.trainees}, graded.stderr[-2000:]
    assert all(r["ok"] and r["max_score"] == 5 for r in results.values()), [r["error"] for r in results.values()]
    assert results[good.name]["score"] == 5, results
    assert 0 < results[careless.name]["score"] < 5, results
    assert results[idle.name]["score"] == 0, results

    # feedback: released by the grader, each trainee fetches their own page and nobody else's
    world.as_grader("nbgrader", "release_feedback", ASSIGNMENT)
    pages = {}
    for trainee in world.trainees:
        _action(world, trainee, "fetch_feedback")
        pages[trainee.name] = _own_feedback(world, trainee)
    for trainee in world.trainees:
        graders_copy = world.course / "feedback" / trainee.name / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert pages[trainee.name] == graders_copy.read_text(encoding="utf-8")
        assert [n for n, page in pages.items() if page == pages[trainee.name]] == [trainee.name]
    from simulator.grading.feedback import has_hidden

    assert not any(has_hidden(page) for page in pages.values())
    feedback_store = world.exchange / COURSE / "feedback"
    peek = world.as_user(idle, "python", "-c", f"import os; print(os.listdir({str(feedback_store)!r}))", check=False)
    assert peek.returncode != 0 and "PermissionError" in peek.stderr     # the store cannot be listed
    theirs = good.home / FEEDBACK
    peek = world.as_user(idle, "python", "-c", f"import os; print(os.listdir({str(theirs)!r}))", check=False)
    assert peek.returncode != 0 and "PermissionError" in peek.stderr     # nor another trainee's home

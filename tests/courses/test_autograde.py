"""The full autograde matrix through nbgrader's API for one assignment per audience with a
notebook to run (can-bo-xa/03-van-ban-den, quan-tri/02-ma-dinh-danh); planners' checks are
called directly (their runs are the slow part). Other assignments: see test_notebooks.py
(validate/release) and test_grading.py (direct calls)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import nbformat
import pytest

from .helpers import AlwaysEqual, copy_course, edit_journal
from simulator.grading import grade_incoming


def _submit(root: Path, assignment: str, trainee: str, work: Path | None = None, edit=None) -> Path:
    target = root / "submitted" / trainee / assignment
    shutil.copytree(root / "release" / assignment, target)
    if work is not None:
        shutil.copytree(work, target / "lam-viec")
    if edit:
        path = target / f"{assignment}.ipynb"
        nb = nbformat.read(path, 4)
        edit(nb)
        nbformat.write(nb, path)
    (target / "timestamp.txt").write_text("2026-03-09 10:00:00.000000 UTC")
    return target


def _cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _rewrite_test(grade_id, points):
    def edit(nb):
        _cell(nb, grade_id).source = f"{float(points)}"
    return edit


def _delete_test(grade_id):
    def edit(nb):
        nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != grade_id]
    return edit


def test_clerk_matrix(tmp_path, seats, ids):
    """can-bo-xa/03: full marks, partial marks, zero for cheats; per-trainee feedback; the CSV export."""
    from simulator.grading.instructor import autograde, build, export

    root = copy_course(tmp_path, "can-bo-xa")
    assignment = "03-van-ban-den"
    build(root, [assignment])
    _submit(root, assignment, ids["good"], seats["good"])
    _submit(root, assignment, ids["mistakes"], seats["mistakes"])
    _submit(root, assignment, "hv-chep-bai", seats["good"])                       # copied someone's folder
    _submit(root, assignment, ids["cheat"], seats["fresh"], _rewrite_test("kiem-tra-van-ban-den", 6))
    _submit(root, assignment, "hv-xoa-o", None, _delete_test("kiem-tra-van-ban-den"))
    results = {g.trainee: g for g in autograde(root, assignment, workers=2, progress=False)}

    good = results[ids["good"]]
    assert good.ok and good.score == good.max_score == 6, good
    expected = grade_incoming(seats["mistakes"], ids["mistakes"])
    partial = results[ids["mistakes"]]
    assert 0 < partial.score < 6
    assert partial.score == pytest.approx(round(6 * expected.fraction - 0.005, 2), abs=0.011)
    assert results["hv-chep-bai"].score == 0
    assert results[ids["cheat"]].score == 0          # the rewritten test cell was put back by nbgrader
    assert results["hv-xoa-o"].score == 0

    # feedback: one folder per trainee, no hidden tests, the reasons shown
    for trainee in (ids["good"], ids["mistakes"]):
        pages = list((root / "feedback" / trainee / assignment).glob("*.html"))
        assert pages and "HIDDEN TESTS" not in pages[0].read_text(encoding="utf-8")
    mistakes = (root / "feedback" / ids["mistakes"] / assignment / f"{assignment}.html").read_text(encoding="utf-8")
    assert "muộn" in mistakes                          # the trainee learns what to fix

    rows = list(csv.DictReader(export(root, tmp_path / "diem.csv").open(encoding="utf-8")))
    by_trainee = {r["trainee"]: float(r["score"]) for r in rows if r["assignment"] == assignment}
    assert by_trainee[ids["good"]] == 6.0 and by_trainee["hv-chep-bai"] == 0.0
    assert by_trainee[ids["mistakes"]] == pytest.approx(partial.score)

    # the same trainee edits the journal by hand to hide the late registration, and is graded again
    target = root / "submitted" / ids["mistakes"] / assignment / "lam-viec"
    shutil.rmtree(target)
    shutil.copytree(seats["mistakes"], target)
    edit_journal(target)
    [again] = autograde(root, assignment, workers=1, progress=False, trainees=[ids["mistakes"]])
    assert again.score == 0


def test_admin_code_answers_matrix(tmp_path, ids, db, monkeypatch):
    """quan-tri/02, with the gradebook in SQLite (the course folder) and in PostgreSQL (VBDT_GRADEBOOK_URL)."""
    from simulator.grading.instructor import autograde, build, export

    if db.postgresql:
        monkeypatch.setenv("VBDT_GRADEBOOK_URL", db("gradebook"))
    root = copy_course(tmp_path, "quan-tri")
    assignment = "02-ma-dinh-danh"
    build(root, [assignment])
    source = nbformat.read(root / "source" / assignment / f"{assignment}.ipynb", 4)
    solution = _cell(source, "tra-loi").source

    def solve(nb):
        _cell(nb, "tra-loi").source = solution

    def always_equal(nb):
        _cell(nb, "tra-loi").source = (
            "class X:\n    def __eq__(self, other):\n        return True\n    __hash__ = object.__hash__\n"
            "tra_loi = {'ma_tinh': X(), 'ma_don_vi': X(), 'ma_sai': X()}")

    _submit(root, assignment, ids["good"], None, solve)
    _submit(root, assignment, ids["cheat"], None, always_equal)
    _submit(root, assignment, "hv-sua-o", None, _rewrite_test("kiem-tra-ma", 5))
    results = {g.trainee: g for g in autograde(root, assignment, workers=2, progress=False)}
    assert results[ids["good"]].score == 5
    assert results[ids["cheat"]].score == 0
    assert results["hv-sua-o"].score == 0
    rows = list(csv.DictReader(export(root, tmp_path / "diem.csv").open(encoding="utf-8")))
    assert {r["trainee"]: float(r["score"]) for r in rows if r["assignment"] == assignment} == {
        ids["good"]: 5.0, ids["cheat"]: 0.0, "hv-sua-o": 0.0}
    assert (root / "gradebook.db").exists() is not db.postgresql   # the gradebook is where the URL says


def test_planner_answers(ids):
    from simulator.flows import Scenario, run_one
    from simulator.flows.indicators import target_for
    from simulator.grading import grade_scenario
    from simulator.grading.tasks import scenario_task, scenarios_dir

    task = scenario_task(ids["good"])
    kpis = run_one(Scenario.load(scenarios_dir() / "plan-2020.yaml"), task["seed"], 0, days=task["ngay"])["kpis"]
    right = {"II.1": kpis["II.1"], "chi_phi": kpis["total_cost_vnd"],
             "dat_II1": bool(kpis["II.1"] >= target_for("II.1", 2020)[0])}
    assert grade_scenario(ids["good"], right).passed
    other = grade_scenario(ids["mistakes"], right)          # someone else's numbers
    assert other.points < other.max_points
    assert grade_scenario(ids["good"], {k: AlwaysEqual() for k in right}).points == 0
    assert grade_scenario(ids["good"], {**right, "dat_II1": 1}).points == 4   # 1 is not True

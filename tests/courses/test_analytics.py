"""Instructor analytics: the figures equal what three scripted trainees did (good, mistakes, idle)."""

from __future__ import annotations

import csv
import os
import shutil
import time

import pytest

from simulator.cli.main import main
from simulator.grading.analytics import KINDS, analyse_class
from simulator.seat import Journal

from .helpers import BAD, _plan

HOUR = 3600


@pytest.fixture(scope="module")
def klass(seats, ids, tmp_path_factory):
    """A class folder with the three seats; the idle one's last journal line an hour old (machine time)."""
    root = tmp_path_factory.mktemp("class")
    for role in ("good", "mistakes", "fresh"):
        shutil.copytree(seats[role], root / role)
    old = time.time() - HOUR
    os.utime(root / "fresh" / "journal.jsonl", (old, old))
    return root


@pytest.fixture(scope="module")
def report(klass):
    return analyse_class(klass, idle_after=30)


def _by(report, ids):
    return {role: next(t for t in report.trainees if t.trainee == ids[role])
            for role in ("good", "mistakes")} | {"fresh": next(t for t in report.trainees if t.trainee == ids["cheat"])}


def test_mistakes_by_kind_are_what_the_trainee_did(report, ids, klass):
    t = _by(report, ids)
    forged = sum(a.trap in BAD for a in _plan(ids["mistakes"]))
    assert forged > 0
    assert dict(t["mistakes"].mistakes) == {"late_registration": 1, "forged_accepted": forged,
                                            "wrong_retention": 1, "seal_before_signature": 1}
    assert not t["good"].mistakes and not t["fresh"].mistakes
    # the journal lines named are the overriding registrations and the record with the wrong retention
    entries = {e["seq"]: e for e in Journal(klass / "mistakes" / "journal.jsonl").entries()}
    assert all(entries[n]["action"] == "register" and entries[n]["data"]["override"]
               for n in t["mistakes"].lines["forged_accepted"])
    assert entries[t["mistakes"].lines["wrong_retention"][0]]["data"]["retention"] == "ke_hoach_bao_cao_nam"
    assert entries[t["mistakes"].lines["late_registration"][0]]["data"]["on_time"] is False


def test_progress_last_action_and_time(report, ids, klass):
    t = _by(report, ids)
    good_plan = _plan(ids["good"])
    assert t["good"].done == t["good"].expected >= len(good_plan)
    assert t["mistakes"].done == t["mistakes"].expected
    assert (t["fresh"].done, t["fresh"].last_action, t["fresh"].world_minutes) == (0, "open", 0)
    last = list(Journal(klass / "good" / "journal.jsonl").entries())[-1]
    assert (t["good"].last_action, t["good"].last_at) == (last["action"], last["at"])
    assert t["mistakes"].last_action == "archive"
    assert t["good"].world_minutes > 0
    assert (t["fresh"].level, t["good"].unit_name) == ("Xã", "Ủy ban nhân dân xã Hải Châu")


def test_idle_is_who_has_not_written_for_a_while(report, ids):
    assert [t.trainee for t in report.idle] == [ids["cheat"]]
    assert 59 <= _by(report, ids)["fresh"].quiet_minutes


def test_trained_by_unit_and_level(report):
    assert report.trained() == [{"level": "Xã", "unit_code": report.trainees[0].unit_code,
                                 "unit": "Ủy ban nhân dân xã Hải Châu", "enrolled": 3, "completed": 2}]


def test_a_hand_edited_journal_is_shown(klass, tmp_path, ids):
    from .helpers import edit_journal

    shutil.copytree(klass / "good", tmp_path / "good")
    edit_journal(tmp_path / "good")
    (edited,) = analyse_class(tmp_path).trainees
    assert edited.mistakes["journal_broken"] >= 1


def test_report_command_writes_html_and_csv(klass, tmp_path, ids, capsys):
    out = tmp_path / "bao-cao"
    assert main(["course", "report", str(klass), "--out", str(out), "--idle-minutes", "30"]) == 0
    assert "1 học viên không thao tác" in capsys.readouterr().out
    rows = list(csv.DictReader((out / "hoc-vien.csv").open(encoding="utf-8")))
    assert list(rows[0])[:8] == ["trainee", "unit_code", "unit", "level", "role", "done", "expected", "progress"]
    assert set(KINDS) <= set(rows[0])
    sai = next(r for r in rows if r["trainee"] == ids["mistakes"])
    assert (sai["late_registration"], sai["wrong_retention"], sai["refused_recall"]) == ("1", "1", "0")
    kinds = {(r["trainee"], r["kind"]) for r in csv.DictReader((out / "loi.csv").open(encoding="utf-8"))}
    assert kinds == {(ids["mistakes"], k) for k in ("late_registration", "forged_accepted", "wrong_retention",
                                                    "seal_before_signature")}
    page = (out / "report.html").read_text(encoding="utf-8")
    assert '<table id="heatmap">' in page and "Đóng dấu trước khi ký" in page and "Vào sổ trễ hạn" in page
    assert 'data-count="1" style="background: #f0' in page   # a coloured cell where a mistake was made
    assert '<table id="idle">' in page and ids["cheat"] in page.split('<table id="idle">')[1]


def test_no_seat_is_one_line_exit_2(tmp_path, capsys):
    assert main(["course", "report", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "seat.json" in err
    assert not (tmp_path / "bao-cao").exists()


def test_scores_by_the_graders_when_no_gradebook(klass, ids, tmp_path):
    for role in ("good", "mistakes"):
        shutil.copytree(klass / role, tmp_path / role)
    scores = {t.trainee: t.scores for t in analyse_class(tmp_path, grade=True).trainees}
    good, bad = scores[ids["good"]]["incoming"], scores[ids["mistakes"]]["incoming"]
    assert good[0] == good[1] > bad[0] and good[2] == "grader"


def test_instructor_desk_shows_the_same_tables(klass, ids):
    from simulator.lab.widgets.instructor import InstructorDesk

    desk = InstructorDesk(klass, idle_minutes=30)
    assert ids["mistakes"] in desk.tabs.children[0].value
    assert '<table id="heatmap">' in desk.tabs.children[1].value
    assert ids["cheat"] in desk.tabs.children[2].value and ids["good"] not in desk.tabs.children[2].value
    assert "3 học viên, 1 học viên" in desk.last_message


def test_scores_from_the_gradebook_when_the_course_is_named(klass, ids, tmp_path, capsys):
    import warnings

    from nbgrader.api import Gradebook

    from .helpers import copy_course

    root = copy_course(tmp_path, "can-bo-xa")
    with warnings.catch_warnings(), Gradebook(f"sqlite:///{root}/gradebook.db") as gb:
        warnings.simplefilter("ignore")
        gb.add_assignment("03-van-ban-den")
        gb.add_notebook("03-van-ban-den", "03-van-ban-den")
        gb.add_grade_cell("cham", "03-van-ban-den", "03-van-ban-den", max_score=10, cell_type="code")
        gb.add_student(ids["good"])
        gb.add_submission("03-van-ban-den", ids["good"])
        gb.find_grade("cham", "03-van-ban-den", "03-van-ban-den", ids["good"]).auto_score = 7.5
        gb.db.commit()
    out = tmp_path / "bao-cao"
    assert main(["course", "report", str(klass), "--course", str(root), "--out", str(out)]) == 0
    capsys.readouterr()
    rows = {r["trainee"]: r for r in csv.DictReader((out / "hoc-vien.csv").open(encoding="utf-8"))}
    assert (rows[ids["good"]]["score:03-van-ban-den"], rows[ids["good"]]["max:03-van-ban-den"]) == ("7.5", "10.0")
    assert rows[ids["mistakes"]]["score:03-van-ban-den"] == ""     # not in the gradebook: no score made up
    assert "7.5 / 10.0" in (out / "report.html").read_text(encoding="utf-8")

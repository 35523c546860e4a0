"""simulator.grading called directly on the work folders: full marks, partial marks, zero for cheats."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from .helpers import AlwaysEqual, edit_journal
from simulator.grading import (
    grade_anatomy, grade_identifiers, grade_incoming, grade_outgoing, grade_records, grade_verification,
)
from simulator.grading.practice import anatomy_answers
from simulator.grading.tasks import identifier_task, lesson_day


def test_good_trainee_gets_full_marks(seats, ids):
    folder = seats["good"]
    for check in (grade_incoming, grade_outgoing, grade_records):
        result = check(folder, ids["good"])
        assert result.passed, result.explain()
    session = seats["good_session"]
    invalid = [i.item_id for i in session.inbox.values() if i.trap in ("tampered", "revoked", "expired")]
    assert invalid, "the good trainee's world must hold a forged document"
    assert grade_verification(folder, ids["good"], invalid).passed
    assert grade_anatomy(folder, ids["good"], anatomy_answers(session)).passed


def test_corrected_copies_of_returned_documents_are_graded(seats, ids):
    """Each returned forged document comes back corrected (same DocumentId); the grader knows those copies."""
    session = seats["good_session"]
    corrections = [a for a in session.arrivals if a.corrects is not None]
    assert corrections, "the good trainee returned a forged document: its sender re-sends it"
    for copy in corrections:
        assert session.inbox[f"{copy.index:03d}"].number is not None   # the good clerk registered it
    result = grade_incoming(seats["good"], ids["good"])
    assert result.passed, result.explain()
    assert result.max_points == len(session.arrivals) + 1


def test_a_corrected_copy_left_unregistered_loses_its_point(ids, tmp_path):
    from simulator.grading import practice

    from .helpers import open_desk

    folder = tmp_path / "seat"
    session = open_desk(folder, ids["good"])
    for batch in practice.arrivals(session):
        for item in batch:
            if item.arrival.corrects is None:   # the corrected copies arrive and are left on the desk
                practice.handle_item(session, item)
    missed = [f"{a.index:03d}" for a in session.arrivals if a.corrects is not None]
    assert missed and all(item in session.inbox for item in missed)
    result = grade_incoming(folder, ids["good"])
    assert result.max_points == len(session.arrivals) + 1, result.explain()
    assert result.points == pytest.approx(result.max_points - len(missed)), result.explain()
    assert all(any(item in m for m in result.messages) for item in missed)


def test_mistakes_get_the_intended_partial_marks(seats, ids):
    folder, who = seats["mistakes"], ids["mistakes"]
    incoming = grade_incoming(folder, who)
    assert 0 < incoming.points < incoming.max_points
    text = incoming.explain()
    assert "muộn" in text or "late" in text           # registered after the next working day
    assert "vào sổ" in text or "registered" in text   # a forged document accepted
    # late = half a point; the accepted forgery = its whole point
    forged = sum(1 for a in seats["mistakes_session"].arrivals if a.trap in ("tampered", "revoked", "expired"))
    assert incoming.points == pytest.approx(incoming.max_points - 0.5 - forged)

    outgoing = grade_outgoing(folder, who)
    # only the draft counts: a seal with no leader's signature under it does not verify, and nothing was dispatched
    assert outgoing.points == pytest.approx(1) and outgoing.max_points == 6
    assert any("lãnh đạo" in m or "leader" in m for m in outgoing.messages)

    records = grade_records(folder, who)
    assert records.points == pytest.approx(records.max_points - 2)   # only the retention is wrong
    assert any("10/2022/TT-BNV" in m for m in records.messages)


def test_journal_edited_by_hand_gets_zero(seats, ids, tmp_path):
    copy = tmp_path / "edited"
    shutil.copytree(seats["good"], copy)
    edit_journal(copy)
    result = grade_incoming(copy, ids["good"])
    assert result.points == 0
    assert "nhật ký" in result.explain().lower() or "journal" in result.explain().lower()
    with pytest.raises(AssertionError):
        result.award(6)


def test_copied_work_folder_gets_zero(seats, ids, tmp_path):
    copy = tmp_path / "copied"
    shutil.copytree(seats["good"], copy)
    for check in (grade_incoming, grade_outgoing, grade_records):
        assert check(copy, ids["cheat"]).points == 0
    # rewriting seat.json to the cheat's id does not help: the documents are not from the cheat's world
    import json

    from simulator.seat import seed_for

    seat = json.loads((copy / "seat.json").read_text(encoding="utf-8"))
    seat.update(trainee=ids["cheat"], seed=seed_for(ids["cheat"]))
    (copy / "seat.json").write_text(json.dumps(seat), encoding="utf-8")
    assert grade_incoming(copy, ids["cheat"]).points == 0


def test_always_equal_answers_get_nothing(seats, ids):
    cheat = {k: AlwaysEqual() for k in ("so_ky_hieu", "loai_van_ban", "co_quan_ban_hanh", "ngay_ban_hanh",
                                        "nguoi_ky")}
    assert grade_anatomy(seats["good"], ids["good"], cheat).points == 0
    verification = grade_verification(seats["good"], ids["good"], AlwaysEqual())
    assert verification.points == verification.max_points - 2      # the answer part gets nothing
    assert grade_identifiers(ids["good"], {"ma_tinh": AlwaysEqual(), "ma_don_vi": AlwaysEqual(),
                                           "ma_sai": AlwaysEqual()}).points == 0
    assert grade_identifiers(ids["good"], AlwaysEqual()).points == 0


def test_identifier_answers_differ_between_trainees_and_are_checked_per_trainee(ids):
    from simulator.errors import UserError
    from simulator.province import load_province
    from simulator.province.codes import validate

    # the lesson's Nghệ An is the one of the trainee's world: 2 levels from 1/7/2025 (DOMAIN.md §1)
    province = load_province("Nghệ An", on=lesson_day())
    assert lesson_day() >= date(2025, 7, 1) and province.structure == 2025 and not province.districts
    for who in (ids["good"], ids["mistakes"]):
        unit = province.find(identifier_task(who)["don_vi"])
        assert unit.kind.value == "commune_committee" and unit.parent == province.committee.code

    def answers(who):
        task = identifier_task(who)
        wrong = []
        for code in task["ma_can_kiem_tra"]:
            try:
                validate(code)
            except UserError:
                wrong.append(code)
        return {"ma_tinh": province.committee.code, "ma_don_vi": province.find(task["don_vi"]).code,
                "ma_sai": wrong}

    mine, theirs = answers(ids["good"]), answers(ids["mistakes"])
    assert mine != theirs
    assert grade_identifiers(ids["good"], mine).passed
    other = grade_identifiers(ids["good"], theirs)
    assert 0 < other.points < other.max_points


def test_unworked_desk_gets_zero_with_a_message(seats, ids):
    result = grade_incoming(seats["fresh"], ids["cheat"])
    assert result.points == 0 and result.messages

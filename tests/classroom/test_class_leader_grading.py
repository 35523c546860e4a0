"""Assignment 08 with leader seats (``grade_class_exchange``): a leader graded on what the class's hand-off store
holds (signed, assigned, on time), a clerk whose leader signs and assigns graded on the hand-offs taken, and the
instructor's ``vbdt class status`` naming the leaders and what waits for them.

The class: the district's clerk and leader, commune A's clerk and leader (both act), commune B's clerk and a
leader who does nothing."""

from __future__ import annotations

import json
import shutil

import pytest

from simulator.grading import grade_class_exchange
from simulator.lab import SEAT_PASSPHRASE, Session

from .conftest import served_class


def _until(session, done, tries: int = 8):
    """Get new documents (a leader: what was handed over) until ``done()``; the clock goes on between tries."""
    for _ in range(tries):
        session.receive()
        if done():
            return True
        session.wait_until_end_of_session()
    return done()


def _handed(leader, kind: str):
    for _ in range(8):
        waiting = [h for h in leader.handoffs() if h.kind == kind]
        if waiting:
            return waiting[0]
        leader.wait_until_end_of_session()
    raise AssertionError(f"nothing handed to sign/assign ({kind})")


def _signed_by_leader(clerk, leader, recipients, subject):
    """The clerk drafts and hands the draft over, the leader signs, the clerk takes it, seals and dispatches."""
    out = clerk.draft(recipients, subject, "Đề nghị các đơn vị thực hiện.")
    clerk.submit_for_signature(out.item_id)
    leader.sign_handoff(_handed(leader, "sign").id)
    assert _until(clerk, lambda: out.status == "signed")
    clerk.seal(out.item_id, SEAT_PASSPHRASE)
    clerk.dispatch(out.item_id)
    return out


def _received_and_assigned(clerk, leader, doc_id):
    """The clerk takes ``doc_id``, verifies, registers and submits it; the leader (if any) assigns it."""
    item = None
    for _ in range(8):
        clerk.receive()
        item = next((i for i in clerk.inbox.values() if i.document.document_id == doc_id), None)
        if item is not None:
            break
        clerk.wait_until_end_of_session()
    assert item is not None
    clerk.verify(item.item_id)
    clerk.register(item.item_id)
    clerk.submit(item.item_id)
    if leader is not None:
        leader.assign_handoff(_handed(leader, "assign").id, "Phòng Nội vụ", days=3, directions="Xử lý đúng hạn.")
        assert _until(clerk, lambda: item.status == "assigned")
    return item


@pytest.fixture(scope="module")
def agency(tmp_path_factory):
    """The class served, six seats opened; the whole cycle done but commune B's leader does nothing.

    Returns (room, tickets, seats, base, waiting_status): ``waiting_status`` is ``vbdt class status`` taken while
    the district's leader had the district's draft waiting to be signed."""
    from simulator.cli.classroom import progress_lines
    from simulator.seat.class_progress import class_progress

    room, tickets, served = served_class(tmp_path_factory, "class-leaders", {
        "district": ("vt-huyen", 0, "clerk"), "district_leader": ("ld-huyen", 0, "leader"),
        "a": ("vt-xa-a", 1, "clerk"), "a_leader": ("ld-xa-a", 1, "leader"),
        "b": ("vt-xa-b", 2, "clerk"), "b_leader": ("ld-xa-b", 2, "leader")})
    folder, district, a, b = room.folder, room.units[0], room.units[1], room.units[2]
    base = tmp_path_factory.mktemp("leader-seats")
    seats = {k: Session.open(base / k, classroom=t) for k, t in tickets.items()}
    try:
        s = seats
        # the district writes to both communes: its leader signs
        out = s["district"].draft([a, b], "V/v báo cáo tiến độ văn bản điện tử", "Đề nghị các xã báo cáo.")
        s["district"].submit_for_signature(out.item_id)
        waiting_status = progress_lines(class_progress(folder))
        s["district_leader"].sign_handoff(_handed(s["district_leader"], "sign").id)
        assert _until(s["district"], lambda: out.status == "signed")
        s["district"].seal(out.item_id, SEAT_PASSPHRASE)
        s["district"].dispatch(out.item_id)
        doc_id = out.document.document_id
        # commune A: its leader assigns the district's document, then signs A's answer to the district
        _received_and_assigned(s["a"], s["a_leader"], doc_id)
        answer = _signed_by_leader(s["a"], s["a_leader"], [district], "V/v báo cáo kết quả xử lý văn bản điện tử")
        # commune B: registers and submits; its leader does nothing
        _received_and_assigned(s["b"], None, doc_id)
        # the district: its leader assigns A's answer; the clerk takes every status back
        _received_and_assigned(s["district"], s["district_leader"], answer.document.document_id)
        assert _until(s["district"], lambda: {(st.org, st.code) for st in s["district"].class_statuses
                                               if st.document_id == doc_id} >= {(a, "03"), (b, "03"), (a, "05")})
        yield room, tickets, seats, base, waiting_status
    finally:
        served.stop()


def _grade(base, tickets, key):
    return grade_class_exchange(base / key, tickets[key]["trainee"])


def test_a_leader_who_signed_and_assigned_on_time_gets_4(agency):
    room, tickets, seats, base, _status = agency
    for key in ("district_leader", "a_leader"):
        result = _grade(base, tickets, key)
        assert (result.points, result.max_points) == (4, 4), (key, result.explain())


def test_a_leader_who_did_nothing_gets_0(agency):
    room, tickets, seats, base, _status = agency
    result = _grade(base, tickets, "b_leader")
    assert (result.points, result.max_points) == (0, 4), result.explain()
    assert "Xử lý văn bản văn thư trình (“Nhận văn bản trình”)" in result.explain(), result.explain()   # what to do


def test_the_clerks_with_a_leader_get_their_points_through_the_hand_offs(agency):
    room, tickets, seats, base, _status = agency
    district = _grade(base, tickets, "district")
    assert (district.points, district.max_points) == (4, 4), district.explain()
    a = _grade(base, tickets, "a")
    assert (a.points, a.max_points) == (4, 4), a.explain()
    b = _grade(base, tickets, "b")   # submitted and handed over; its leader never assigned it: the leader's 0
    assert (b.points, b.max_points) == (4, 4), b.explain()


def test_a_leaders_journal_in_another_folder_gets_0(agency, tmp_path):
    room, tickets, seats, base, _status = agency
    assert _grade(base, tickets, "district_leader").points == 4   # in its own folder, by its own trainee
    copy = tmp_path / "copy"
    shutil.copytree(base / "district_leader", copy)
    assert grade_class_exchange(copy, tickets["b_leader"]["trainee"]).points == 0   # handed in by another leader
    # the district leader's journal put into commune B's leader's folder: the store holds none of its hand-offs
    # for commune B
    moved = tmp_path / "moved"
    shutil.copytree(base / "b_leader", moved)
    shutil.copy(base / "district_leader" / "journal.jsonl", moved / "journal.jsonl")
    result = grade_class_exchange(moved, tickets["b_leader"]["trainee"])
    assert result.points == 0, result.explain()


def test_class_status_names_the_leaders_and_what_waits(agency, capsys):
    from simulator.cli.main import main

    room, tickets, seats, base, waiting_status = agency
    district = room.units[0]
    text = "\n".join(waiting_status)
    leader_line = next(line for line in waiting_status if line.startswith("ld-huyen"))
    assert "lãnh đạo" in leader_line and "chờ 1" in leader_line, text
    assert "đang chờ lãnh đạo ký" in text and "V/v báo cáo tiến độ văn bản điện tử" in text, text
    clerk_line = next(line for line in waiting_status if line.startswith("vt-huyen"))
    assert "đang trình lãnh đạo 1" in clerk_line, text

    assert main(["class", "status", str(room.folder)]) == 0
    now = capsys.readouterr().out
    lines = now.splitlines()
    b_leader = next(line for line in lines if line.startswith("ld-xa-b"))
    assert "lãnh đạo" in b_leader and "chờ 1" in b_leader, now
    assert "đang chờ lãnh đạo phân công" in now, now
    d_leader = next(line for line in lines if line.startswith("ld-huyen"))
    assert "đã ký 1" in d_leader and "đã phân công 1" in d_leader and "chờ 0" in d_leader, now
    assert main(["class", "status", str(room.folder), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    leaders = {r["trainee"]: r for r in rows if r["role"] == "leader"}
    assert set(leaders) == {"ld-huyen", "ld-xa-a", "ld-xa-b"}
    assert leaders["ld-xa-b"]["unit"] == room.units[2] and len(leaders["ld-xa-b"]["waiting"]) == 1
    assert leaders["ld-xa-b"]["waiting_since"]
    assert {r["unit"] for r in rows if r["role"] == "leader"} <= set(room.units) and district in room.units
    assert rows[[r["trainee"] for r in rows].index("vt-xa-b")]["role"] == "clerk"


def test_the_instructors_desk_lists_the_leaders(agency):
    from simulator.lab.widgets.instructor import leaders_table
    from simulator.seat.class_progress import class_progress

    room, tickets, seats, base, _status = agency
    html = leaders_table(class_progress(room.folder))
    assert "Lãnh đạo" in html and "Chờ từ" in html and "Được trình" in html
    assert all(name in html for name in ("ld-huyen", "ld-xa-a", "ld-xa-b")) and "vt-huyen" not in html

"""The instructor's live view of a class (issue 15): ``class_progress`` reads the class's axis database
(read-only) and says, per seat, what it sent, what it was sent, where it is stuck and what it did last;
``vbdt class status`` prints it (text and --json). Three scripted seats: the district dispatches one document
to two communes; commune a registers and assigns it, commune b only takes it (b is stuck); then commune a
sends the district a document the district has not taken (the district is stuck on it). The figures then are
kept; afterwards the district recalls its document: commune b agrees (15) and is stuck no more, commune a takes
the request and does not answer it (stuck on the recall)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from simulator.calendar import VN_TZ
from simulator.cli.main import main
from simulator.lab import SEAT_PASSPHRASE, Session
from simulator.seat.class_progress import SeatProgress, class_progress
from simulator.seat.classroom import ClassRoom
from tests.classroom.conftest import DISTRICT, START, class_items, until_class_item


@pytest.fixture(scope="module")
def progress_played(classroom, tmp_path_factory):
    room, tickets, _served = classroom
    base = tmp_path_factory.mktemp("progress")
    seats = {k: Session.open(base / k, classroom=tickets[k]) for k in tickets}
    district, a, b = seats["district"], seats["a"], seats["b"]
    out = district.draft([a.seat.code, b.seat.code], "V/v rà soát thủ tục hành chính",
                         "Đề nghị Ủy ban nhân dân các xã rà soát thủ tục hành chính.")
    district.sign(out.item_id, SEAT_PASSPHRASE)
    district.seal(out.item_id, SEAT_PASSPHRASE)
    district.dispatch(out.item_id)
    district.next_working_day()
    [item] = until_class_item(a)
    a.verify(item.item_id)
    a.register(item.item_id)
    a.submit(item.item_id)
    a.assign(item.item_id, "Nguyễn Văn Bình")
    until_class_item(b)  # taken (01), never registered
    taken_at = _journaled(b, "class_receive")
    district.receive()
    answer = a.draft([district.seat.code], "V/v báo cáo kết quả rà soát", "Ủy ban nhân dân xã báo cáo kết quả.")
    a.sign(answer.item_id, SEAT_PASSPHRASE)
    a.seal(answer.item_id, SEAT_PASSPHRASE)
    a.dispatch(answer.item_id)  # the district has not taken it: stuck on it
    before = class_progress(room.folder)
    district.recall(out.item_id, "Văn bản gửi nhầm nội dung, đề nghị thu hồi")
    for commune in (a, b):
        _until_two(commune)
    [request] = [i for i in class_items(b) if i.is_recall]
    b.answer_recall(request.item_id, agree=True)  # a takes the request and leaves it unanswered
    return {"seats": seats, "doc_id": out.document.document_id, "answer": answer.document.document_id,
            "a_last": _journaled(a, "dispatch"), "b_last": taken_at, "before": before,
            "a_took_recall": _journaled(a, "class_receive"), "b_answered": _journaled(b, "recall")}


def _until_two(session, tries: int = 6) -> None:
    """Get new documents until the seat holds two class items (the document and its recall request)."""
    for _ in range(tries):
        session.receive()
        if len(class_items(session)) == 2:
            return
        session.wait_until_end_of_session()
    assert len(class_items(session)) == 2


def _journaled(session, action: str) -> str:
    """When the seat's journal says it did ``action`` last (world time)."""
    return [e["at"] for e in session.journal.entries() if e["action"] == action][-1]


def _moment(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(VN_TZ).replace(tzinfo=None)


def test_progress_equals_what_the_seats_did(progress_played, classroom):
    room, tickets, _served = classroom
    rows = progress_played["before"]  # before the recall
    assert all(type(r) is SeatProgress for r in rows)
    by_trainee = {r.trainee: r for r in rows}
    assert sorted(by_trainee) == sorted(t["trainee"] for t in tickets.values())
    doc_id = progress_played["doc_id"]
    district, a, b = (by_trainee[tickets[k]["trainee"]] for k in ("district", "a", "b"))
    assert rows[0] is district and district.unit == room.unit and district.unit_name.endswith("huyện Nghi Lộc")
    answer = progress_played["answer"]
    assert district.sent == (doc_id,) and district.delivered == (answer,)
    assert district.not_taken == (answer,) and district.not_registered == () and district.stuck == (answer,)
    assert district.statuses == {} and district.last_action == "read_statuses"
    assert a.sent == (answer,) and a.delivered == (doc_id,) and a.stuck == ()
    assert a.statuses == {"01": 1, "03": 1, "04": 1, "05": 1} and a.last_action == "sent"
    assert b.delivered == (doc_id,) and b.not_taken == () and b.not_registered == (doc_id,)
    assert b.stuck == (doc_id,) and b.statuses == {"01": 1} and b.last_action == "status:01"
    assert _moment(a.last_at) == _moment(progress_played["a_last"])
    assert _moment(b.last_at) == _moment(progress_played["b_last"])
    assert {r.role for r in rows} == {"clerk"}


def test_a_recall_agreed_is_owed_nothing_and_a_request_is_listed_as_such(progress_played, classroom):
    room, tickets, _served = classroom
    by_trainee = {r.trainee: r for r in class_progress(room.folder)}
    district, a, b = (by_trainee[tickets[k]["trainee"]] for k in ("district", "a", "b"))
    doc_id, answer = progress_played["doc_id"], progress_played["answer"]
    assert b.recalls == (doc_id,) and b.recall_unanswered == ()
    assert b.not_registered == () and b.stuck == ()  # taken, never registered, but withdrawn: 15
    assert b.statuses == {"01": 1, "15": 1} and b.last_action == "status:15"
    assert b.delivered == (doc_id,)  # the request is not a second document
    assert a.recalls == (doc_id,) and a.recall_unanswered == (doc_id,) and a.stuck == (doc_id,)
    assert a.last_action == "fetched_recall" and a.statuses == {"01": 1, "03": 1, "04": 1, "05": 1}
    assert district.recalls == () and district.stuck == (answer,) and district.last_action == "recall"
    assert _moment(b.last_at) == _moment(progress_played["b_answered"])
    assert _moment(a.last_at) == _moment(progress_played["a_took_recall"])
    from simulator.lab.widgets.classroom import progress_table

    shown = progress_table(list(by_trainee.values()))
    row_a = next(r for r in shown.split("<tr>") if tickets["a"]["trainee"] in r)
    row_b = next(r for r in shown.split("<tr>") if tickets["b"]["trainee"] in r)
    assert "chưa trả lời đề nghị thu hồi" in row_a and "nhận đề nghị thu hồi" in row_a
    assert "1 + 1 đề nghị thu hồi" in row_a and "1 + 1 đề nghị thu hồi" in row_b
    assert "chưa vào sổ" not in row_b and "báo trạng thái 15 đồng ý thu hồi" in row_b


def test_the_cli_prints_the_same(progress_played, classroom, capsys):
    from simulator.cli.classroom import progress_lines

    room, tickets, _served = classroom
    assert main(["class", "status", str(room.folder), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == [json.loads(json.dumps(r.as_dict(), ensure_ascii=False)) for r in class_progress(room.folder)]
    b = next(r for r in data if r["trainee"] == tickets["b"]["trainee"])
    assert b["stuck"] == [] and b["statuses"] == {"01": 1, "15": 1} and b["recalls"] == [progress_played["doc_id"]]
    assert main(["class", "status", str(room.folder)]) == 0
    assert capsys.readouterr().out.splitlines() == progress_lines(class_progress(room.folder))
    lines = progress_lines(progress_played["before"])  # the lines as they read before the recall
    text = "\n".join(lines)
    b_line = next(line for line in lines if line.startswith(tickets["b"]["trainee"]))
    assert "đã nhận 1, đang vướng 1" in b_line and "01×1" in b_line
    assert "chưa vào sổ (chưa báo 03)" in text
    assert "/UBND-VP" in lines[lines.index(b_line) + 1]  # the document b is stuck on, by its number
    a_line = next(line for line in lines if line.startswith(tickets["a"]["trainee"]))
    assert "đã gửi 1, đã nhận 1, đang vướng 0" in a_line and "01×1, 03×1, 04×1, 05×1" in a_line
    assert "(gửi văn bản)" in a_line
    district_line = next(line for line in lines if line.startswith(tickets["district"]["trainee"]))
    assert "đang vướng 1" in district_line
    assert "chưa nhận (chưa báo 01)" in lines[lines.index(district_line) + 1]


def test_a_class_never_served_has_exchanged_nothing(tmp_path):
    room = ClassRoom.open(tmp_path / "lop", unit=DISTRICT, start=START, scenario="plan-2020", port=8799)
    room.seat("hv-01", room.units[1])
    [row] = class_progress(room.folder)
    assert (row.trainee, row.sent, row.delivered, row.stuck, row.statuses, row.last_at) == (
        "hv-01", (), (), (), {}, None)


def test_bad_folder_one_line_exit_2(tmp_path, capsys):
    assert main(["class", "status", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "vbdt class open" in err
    (tmp_path / "file").write_text("x")
    assert main(["class", "status", str(tmp_path / "file")]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "class.json").write_text("{not json")
    assert main(["class", "status", str(tmp_path / "broken")]) == 2


def test_the_cli_names_a_recall_left_unanswered(progress_played, classroom):
    """Commune a left the recall request unanswered: its text lines say so under its row."""
    from simulator.cli.classroom import progress_lines

    room, tickets, _served = classroom
    lines = progress_lines(class_progress(room.folder))
    a_line = next(line for line in lines if line.startswith(tickets["a"]["trainee"]))
    below = lines[lines.index(a_line) + 1:]
    below = below[:next((n for n, line in enumerate(below) if not line.startswith("    ")), len(below))]
    assert any("chưa trả lời đề nghị thu hồi" in line for line in below), lines

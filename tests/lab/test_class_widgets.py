"""The class at the desks (issue 15): the district clerk drafts to units on the SigningDesk, signs, seals and
dispatches it with the desk's buttons; it reaches the commune seats (their ClassPanel's "get the class's
documents"); the district's panel lists it with the statuses that came back; the instructor's desk shows the
live class. A class of three seats served on 127.0.0.1 (tests/classroom/conftest.py)."""

from __future__ import annotations

import pytest

from simulator.lab import SEAT_PASSPHRASE, Session
from simulator.lab.widgets import ClassPanel, InboxDesk, SigningDesk
from simulator.lab.widgets.instructor import InstructorDesk
from tests.classroom.conftest import classroom, until_class_item  # noqa: F401 (the class fixture)
from tests.lab.test_widgets import _click

SUBJECT = "V/v báo cáo công tác chuyển đổi số quý I"


@pytest.fixture(scope="module")
def desks(classroom, tmp_path_factory):  # noqa: F811
    """The exchange played with the desks' buttons (once per module: every test reads what it left)."""
    room, tickets, _served = classroom
    base = tmp_path_factory.mktemp("class-desks")
    seats = {k: Session.open(base / k, classroom=tickets[k]) for k in tickets}
    district, a, b = seats["district"], seats["a"], seats["b"]
    desk, panels = SigningDesk(district), {k: ClassPanel(s) for k, s in seats.items()}
    seen = {"options": dict((code, label) for label, code in desk.recipients.options), "before": len(district.journal)}
    desk.recipients.value = (a.seat.code,)
    _click(desk, "Soạn văn bản gửi đơn vị")  # no subject: the API's one red line
    seen.update(red=desk.status.value, after_red=len(district.journal))
    desk.recipients.value = (a.seat.code, b.seat.code, room.units[3])
    desk.subject.value = SUBJECT
    desk.text.value = "Đề nghị Ủy ban nhân dân các xã báo cáo kết quả chuyển đổi số quý I năm 2025."
    _click(desk, "Soạn văn bản gửi đơn vị")
    out = district.outbox[desk.outgoing.value]
    seen.update(drafted=out.status, draft_call=desk.last_call)
    desk.passphrase.value = SEAT_PASSPHRASE
    _click(desk, "Ký số (lãnh đạo)")
    _click(desk, "Cấp số và đóng dấu (văn thư)")
    _click(desk, "Phát hành")
    district.next_working_day()
    inbox_a = InboxDesk(a)  # next to the panel in the trainee's notebook
    [item] = until_class_item(a, lambda: _click(panels["a"], "Nhận văn bản của lớp"))
    seen["a_call"] = panels["a"].last_call
    seen["a_inbox"] = [value for _label, value in inbox_a.items.options]  # taken on the panel, listed here
    seen["a_clocks"] = (inbox_a.clock.value, panels["a"].clock.value)
    a.verify(item.item_id)  # on the incoming desk: the panel is not told until it is refreshed
    a.register(item.item_id)
    a.submit(item.item_id)
    a.assign(item.item_id, "Nguyễn Văn Bình")
    seen["a_before_refresh"] = panels["a"].received.value
    _click(panels["a"], "Làm mới")
    until_class_item(b, lambda: _click(panels["b"], "Nhận văn bản của lớp"))  # b only takes it
    _click(panels["district"], "Nhận văn bản của lớp")
    return {"base": base, "seats": seats, "signing": desk, "panels": panels, "out": out, "seen": seen}


def test_draft_to_units_reaches_the_communes_and_statuses_come_back(desks, classroom):  # noqa: F811
    room, _tickets, _served = classroom
    seats, seen, out, panels = desks["seats"], desks["seen"], desks["out"], desks["panels"]
    district, a, b = seats["district"], seats["a"], seats["b"]
    options = seen["options"]
    assert district.seat.code not in options and set(options) == set(room.units[1:])  # the class's other units
    assert "do học viên giữ" in options[a.seat.code] and "do học viên giữ" not in options[room.units[3]]
    assert seen["after_red"] == seen["before"] and "#b71c1c" in seen["red"] and "trích yếu" in seen["red"]
    assert seen["drafted"] == "drafted" and out.document.subject == SUBJECT
    assert [r.code for r in out.document.recipients] == [a.seat.code, b.seat.code, room.units[3]]
    assert seen["draft_call"].startswith(f"session.draft(['{a.seat.code}', '{b.seat.code}'")
    assert out.status == "dispatched"
    actions = [e["action"] for e in district.journal.entries()]
    drafted = actions.index("draft")
    assert actions[drafted:drafted + 6] == ["draft", "sign", "issue", "seal", "dispatch", "class_sent"]
    doc_id = out.document.document_id
    for commune in (a, b):
        assert [i.document.document_id for i in commune.inbox.values() if i.item_id.startswith("L")] == [doc_id]
    assert seen["a_call"] == "session.receive()"
    assert "L001" in seen["a_inbox"] and seen["a_clocks"][0] == seen["a_clocks"][1]  # the desks agree
    got = {(s.org, s.code) for s in district.class_statuses if s.document_id == doc_id}
    assert got == {(a.seat.code, c) for c in ("01", "03", "04", "05")} | {(b.seat.code, "01")}
    sent = panels["district"].sent.value
    assert out.document.number_code in sent and SUBJECT in sent
    rows = [r for r in sent.split("<tr>") if out.document.number_code in r]
    assert len(rows) == 2  # one row per recipient a trainee holds (the third answers in the district's world)
    row_a = next(r for r in rows if a.seat.name in r)
    row_b = next(r for r in rows if b.seat.name in r)
    assert "05 đã phân công, đang xử lý" in row_a and "01 đã đến" in row_b
    assert "/2025 " in row_a  # world time, dd/mm/yyyy
    for key in ("a", "b"):
        received = panels[key].received.value
        assert "L001" in received and SUBJECT in received and district.seat.name in received
    assert "Mới đến" in seen["a_before_refresh"]  # as the panel saw it: registered on another desk since
    assert "Đã giao xử lý" in panels["a"].received.value and "Mới đến" not in panels["a"].received.value


def test_the_panel_shows_the_seats_and_the_server(desks, classroom):  # noqa: F811
    room, tickets, served = classroom
    panel, seats = desks["panels"]["a"], desks["seats"]
    panel.refresh()
    table = panel.seats.value
    assert table.count("<tr>") == 1 + 3  # the header and the three seats trainees hold
    mine = next(r for r in table.split("<tr>") if seats["a"].seat.code in r)
    assert "anh/chị" in mine and "văn thư" in mine
    assert "anh/chị" not in next(r for r in table.split("<tr>") if seats["b"].seat.code in r)
    assert "kết nối được" in panel.server.value and "#1b5e20" in panel.server.value
    assert "Giờ trong phòng thực hành" in panel.clock.value
    served.stop()
    try:
        panel.refresh()
        assert "không trả lời" in panel.server.value and "#b71c1c" in panel.server.value
        _click(panel, "Nhận văn bản của lớp")
        assert "#b71c1c" in panel.status.value and seats["a"].class_problem
    finally:
        served.start()
    panel.refresh()
    assert "kết nối được" in panel.server.value


def test_the_instructor_sees_where_each_seat_is_stuck(desks, classroom):  # noqa: F811
    room, tickets, _served = classroom
    desk = InstructorDesk(desks["base"], class_world=room.folder)
    assert desk.tabs.get_title(4) == "Lớp học trực tuyến"
    live = desk.tabs.children[4].value
    row_b = next(r for r in live.split("<tr>") if tickets["b"]["trainee"] in r)
    row_a = next(r for r in live.split("<tr>") if tickets["a"]["trainee"] in r)
    assert "chưa vào sổ (chưa báo 03)" in row_b and "chưa vào sổ" not in row_a
    assert "05 đã phân công, đang xử lý ×1" in row_a and "báo trạng thái 05" in row_a
    assert "class_progress(" in desk.last_call


def test_a_seat_alone(tmp_path):
    session = Session.open(tmp_path / "s", unit="Xã Hải Châu", trainee_id="hv-alone", arrivals=2)
    panel = ClassPanel(session)
    [line] = panel.body.children
    assert "không thuộc lớp học nào" in line.value
    desk = SigningDesk(session)
    codes = [code for _label, code in desk.recipients.options]
    assert codes[0] == session.seat.parent and session.seat.code not in codes
    assert set(codes[1:]) <= {u.code for u in session.province.children(session.seat.parent)}

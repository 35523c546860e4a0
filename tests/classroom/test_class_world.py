"""Three scripted trainees in one class world (issue 15, part 2): the district clerk dispatches a document
to two commune clerks through the class's axis server, both receive and handle it, their statuses come back
to the district's trace; each is graded on their own work; acting in another's seat is refused; the class
survives a restart of the server and of each trainee's kernel."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime

import pytest

from simulator.errors import UserError
from simulator.grading.seat import NotTheirWork, class_exchange, open_seat
from simulator.lab import Session
from simulator.routing import edxml
from simulator.routing.client import AxisClient

from .conftest import dispatch_to, open_seats

REPORTED = ["01", "03", "04", "05"]


def _handle(session: Session, item) -> None:
    report = session.verify(item.item_id)
    assert report.indication == "TOTAL_PASSED", report.indication  # the class's PKI: every seat trusts every other
    session.register(item.item_id)
    session.submit(item.item_id)
    session.assign(item.item_id, "Nguyễn Văn Bình")


def _class_items(session: Session) -> list:
    return [i for i in session.inbox.values() if i.item_id.startswith("L")]


@pytest.fixture(scope="module")
def played(classroom, tmp_path_factory):
    """The three trainees play the exchange; returns their folders and what happened."""
    room, tickets, served = classroom
    folders, seats = open_seats(tickets, tmp_path_factory.mktemp("trainees"))
    district, a, b = seats["district"], seats["a"], seats["b"]
    assert a.receive() == [] or not _class_items(a)  # nothing from the district yet
    nobody = room.units[3]  # a commune nobody holds: the world's automated desk answers for it
    out = dispatch_to(district, [a.seat.code, b.seat.code, nobody], "V/v báo cáo kết quả cải cách hành chính quý I",
                      "Đề nghị Ủy ban nhân dân các xã báo cáo kết quả cải cách hành chính quý I năm 2025.")
    doc_id = out.document.document_id
    # the district's clock runs ahead to the next day before the communes act: the world's automated desks
    # would have answered by then for units nobody holds, never for the communes trainees hold
    district.next_working_day()
    district.receive()
    for commune in (a, b):
        for _ in range(6):  # the commune's clock reaches the moment the district sent it
            if _class_items(commune):
                break
            commune.receive()
            if not _class_items(commune):
                commune.wait_until_end_of_session()
        [item] = _class_items(commune)
        assert item.document.document_id == doc_id
        _handle(commune, item)
    district.receive()  # the communes' steps, all in the district's past
    return {"folders": folders, "tickets": tickets, "doc_id": doc_id, "seats": seats, "out": out.item_id,
            "nobody": nobody}


def test_dispatch_reaches_both_communes_and_statuses_come_back(played, classroom):
    room, _tickets, _served = classroom
    district, a, b = (played["seats"][k] for k in ("district", "a", "b"))
    doc_id = played["doc_id"]
    for commune in (a, b):
        [item] = _class_items(commune)
        assert item.status == "assigned" and item.number == 1
        assert item.document.issuer_code == district.seat.code
        # the envelope came through the class's server: the very bytes the district sent
        assert edxml.parse(item.envelope.read_bytes()).document_id == doc_id
    got = {(s.org, s.code) for s in district.class_statuses if s.document_id == doc_id}
    assert got == {(c.seat.code, code) for c in (a, b) for code in REPORTED}
    merged = district.axis.traces(doc_id)  # the world's and the class's, in time order (each on its own clock)
    times = [datetime.fromisoformat(t.at) for t in merged]
    assert times == sorted(times) and (merged[0].org_id, merged[0].code) == (district.seat.code, "")
    trace = [(t.org_id, t.code) for t in merged]
    for commune in (a, b):
        assert [code for org, code in trace if org == commune.seat.code and code in REPORTED] == REPORTED
    # the world's automated desk answered for the commune nobody holds, never for those trainees hold
    local = [(t.org_id, t.code) for t in district.axis.local.traces(doc_id)]
    assert (played["nobody"], "01") in local and (played["nobody"], "03") in local
    assert not [org for org, _code in local if org in (a.seat.code, b.seat.code)]
    assert (played["nobody"], "03") in trace
    # and every seat runs the same world: the same seed and start
    assert {s.config.seed for s in (district, a, b)} == {room.seed}
    assert len({s.leader_name for s in (district, a, b)}) == 3  # each unit its own leader


def test_each_trainee_graded_on_their_own_work(played, classroom):
    room, tickets, _served = classroom
    folders, doc_id = played["folders"], played["doc_id"]
    district = open_seat(folders["district"], "gv-huyen", need_arrivals=False)
    work = class_exchange(district)
    assert work["received"] == {}
    assert work["sent"] == {doc_id: {tickets[k]["unit"]: REPORTED for k in ("a", "b")}}
    for key, trainee in (("a", "hv-xa-a"), ("b", "hv-xa-b")):
        view = open_seat(folders[key], trainee, need_arrivals=False)
        assert class_exchange(view) == {"sent": {}, "recalls": {}, "received": {"L001": {
            "document_id": doc_id, "sender": tickets["district"]["unit"], "status": "assigned"}}}
    with pytest.raises(NotTheirWork):  # someone else's folder
        open_seat(folders["a"], "hv-xa-b", need_arrivals=False)


def test_a_forged_class_document_is_not_graded(played, tmp_path):
    """A journal line naming a document the class's axis never delivered to this seat gets no points."""
    import shutil

    from simulator.seat import Journal

    copy = tmp_path / "b"
    shutil.copytree(played["folders"]["b"], copy)
    journal = Journal(copy / "journal.jsonl")
    journal.append("class_receive", {"item": "L002", "document_id": "000.00.56.H41,2025/03/03,99/UBND-VP",
                                     "sender": "000.00.56.H41", "arrived": "2025-03-03T09:00:00+07:00",
                                     "sha256": "0" * 64}, actor="clerk", at="2025-03-03T17:00:00+07:00")
    with pytest.raises(NotTheirWork):
        class_exchange(open_seat(copy, "hv-xa-b", need_arrivals=False))


def _status(url: str, path: str, token: str | None, body: dict | None = None) -> tuple[int, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url + path, data=data, headers=headers, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read()).get("error", "")


def test_a_trainee_cannot_act_in_another_seat(played, classroom):
    room, tickets, _served = classroom
    url, a, b, district = room.url, tickets["a"], tickets["b"], tickets["district"]
    doc_id = played["doc_id"]
    as_a = AxisClient(url, token=a["token"])
    with pytest.raises(UserError, match="không thể thao tác thay"):  # one Vietnamese line
        as_a.pending(b["unit"])
    with pytest.raises(UserError):
        as_a.confirm(doc_id, b["unit"], "03")
    with pytest.raises(UserError):
        as_a.get(doc_id, b["unit"])
    # a document with the district's From, sent with a commune's token
    sent = (played["folders"]["district"] / "outbox" / played["out"] / "envelope.xml").read_bytes()
    with pytest.raises(UserError):
        as_a.send(sent)
    code, message = _status(url, f"/pending?org={b['unit']}", a["token"])
    assert code == 403 and "\n" not in message and b["unit"] in message
    assert _status(url, f"/pending?org={b['unit']}", None)[0] == 401
    assert _status(url, f"/pending?org={b['unit']}", "not-a-token")[0] == 401
    assert _status(url, "/outage", a["token"], {"down": True})[0] == 403  # operating the axis: the instructor's
    assert _status(url, f"/pending?org={a['unit']}", a["token"])[0] == 200  # their own seat: fine
    assert _status(url, f"/pending?org={b['unit']}", room.instructor_token)[0] == 200


def test_the_class_survives_restarts(played, classroom):
    room, tickets, served = classroom
    before = {k: s.summary() for k, s in played["seats"].items()}
    statuses = list(played["seats"]["district"].class_statuses)
    served.stop()
    # the kernels restart while the server is down: the journal holds what came from the class's axis
    again = {k: Session.open(played["folders"][k]) for k in played["folders"]}
    assert {k: s.summary() for k, s in again.items()} == before
    assert again["district"].class_statuses == statuses
    new = again["a"].receive()  # the server is down: the world's desk goes on, the class waits
    assert not [i for i in new if i.item_id.startswith("L")]
    assert again["a"].class_problem
    served.start()  # the server again, on its database
    as_district = AxisClient(room.url, token=tickets["district"]["token"])
    codes = [(t.org_id, t.code) for t in as_district.traces(played["doc_id"])]
    assert (tickets["a"]["unit"], "05") in codes and (tickets["b"]["unit"], "05") in codes
    reopened = Session.open(played["folders"]["a"], classroom=tickets["a"])
    new = reopened.receive()
    assert not [i for i in new if i.item_id.startswith("L")] and not reopened.class_problem
    assert [i.item_id for i in _class_items(reopened)] == ["L001"]

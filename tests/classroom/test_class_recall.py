"""A recall between held seats (issue 15): the district clerk recalls a document it sent to two commune clerks
trainees hold and to a commune nobody holds; one clerk agrees (15), the other refuses (16), the world's automated
desk answers for the third; the district's trace (in time order) and journal show the three; a kernel restart
replays to the same state; the grader reports it; a commune cannot recall what it did not send."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from simulator.errors import UserError
from simulator.grading.seat import class_exchange, open_seat
from simulator.lab import Session
from simulator.seat import Journal

from .conftest import dispatch_to, open_seats

REASON = "Văn bản gửi nhầm nội dung, đề nghị thu hồi"


def _class_items(session: Session) -> list:
    return [i for i in session.inbox.values() if i.item_id.startswith("L")]


def _until(session: Session, done, tries: int = 8) -> None:
    """Receive, moving the seat's clock on a session at a time, until ``done()`` (each seat's own clock)."""
    for _ in range(tries):
        session.receive()
        if done():
            return
        session.wait_until_end_of_session()
    session.receive()
    assert done()


def _journal(session: Session, action: str) -> list[dict]:
    return [e["data"] for e in Journal(session.folder / "journal.jsonl").entries() if e["action"] == action]


@pytest.fixture(scope="module")
def recalled(classroom, tmp_path_factory):
    room, tickets, _served = classroom
    folders, seats = open_seats(tickets, tmp_path_factory.mktemp("recall"))
    district, a, b = seats["district"], seats["a"], seats["b"]
    nobody = room.units[3]
    out = dispatch_to(district, [a.seat.code, b.seat.code, nobody], "V/v tổng hợp số liệu cán bộ, công chức",
                      "Đề nghị Ủy ban nhân dân các xã gửi số liệu cán bộ, công chức trước ngày 10/3/2025.")
    doc_id = out.document.document_id
    for commune in (a, b):  # both register the document before the recall comes
        _until(commune, lambda c=commune: _class_items(c))
        [item] = _class_items(commune)
        commune.verify(item.item_id)
        commune.register(item.item_id)
    district.wait_until_end_of_session()
    district.receive()
    sent_before = len(district.axis.traces(doc_id))
    result = district.recall(out.item_id, REASON)
    for commune in (a, b):
        _until(commune, lambda c=commune: len(_class_items(c)) == 2)
    a.answer_recall("L002", agree=True)
    b.answer_recall("L002", agree=False, reason="Văn bản đã được triển khai tại xã")
    answered = {a.seat.code: "15", b.seat.code: "16", nobody: "15"}
    _until(district, lambda: {(s.org, s.code) for s in district.class_statuses} >= {(a.seat.code, "15"),
                                                                                   (b.seat.code, "16")}
           and district.outgoing(out.item_id).recall.answered)
    return {"folders": folders, "seats": seats, "out": out.item_id, "doc_id": doc_id, "nobody": nobody,
            "result": result, "answered": answered, "sent_before": sent_before}


def test_the_recall_reaches_every_recipient_and_the_three_answers_come_back(recalled):
    district, a, b = (recalled["seats"][k] for k in ("district", "a", "b"))
    doc_id, nobody = recalled["doc_id"], recalled["nobody"]
    assert set(recalled["result"].accepted) == {a.seat.code, b.seat.code, nobody}
    for commune in (a, b):  # the request is an inbox item of its own, under the same DocumentId
        request = commune.item("L002")
        assert request.is_recall and request.document.document_id == doc_id
        assert request.status == "recall_answered"
    assert a.item("L001").status == "recalled"      # agreed: the document is withdrawn
    assert b.item("L001").status == "registered"    # refused: it stays
    trace = [(t.org_id, t.code) for t in district.axis.traces(doc_id)]
    assert (district.seat.code, "13") in trace
    for org, code in recalled["answered"].items():
        assert (org, code) in trace
    # the district's journal: the recall, the class's two answers, the world's answer for the commune nobody holds
    [sent] = _journal(district, "recall_sent")
    assert sent["document_id"] == doc_id and sent["reason"] == REASON
    statuses = {(s["org"], s["code"]) for line in _journal(district, "class_status") for s in line["statuses"]}
    assert {(a.seat.code, "15"), (b.seat.code, "16")} <= statuses
    [world] = _journal(district, "recall_answers")
    assert [(x["org"], x["code"]) for x in world["answers"]] == [(nobody, "15")]
    # the outgoing register's notes (ghi chú) keep the recall
    [entry] = [e for e in district.registers.outgoing() if e.document_id == doc_id]
    assert REASON in entry.notes


def test_the_merged_trace_is_in_time_order(recalled):
    district, doc_id = recalled["seats"]["district"], recalled["doc_id"]
    trace = district.axis.traces(doc_id)
    times = [datetime.fromisoformat(t.at) for t in trace]
    assert times == sorted(times)
    assert (trace[0].org_id, trace[0].code) == (district.seat.code, "")  # nothing dated before the sending
    recall_at = next(t for t, row in zip(times, trace) if row.code == "13")
    for org, code in recalled["answered"].items():
        rows = [(row.code, t) for t, row in zip(times, trace) if row.org_id == org]
        codes = [c for c, _t in rows]
        assert codes.index("01") < codes.index("03")
        assert dict(rows)[code] >= recall_at
        # an automated desk that agreed reports nothing more on the withdrawn document
        assert codes[-1] == code or org != recalled["nobody"]


def test_a_commune_cannot_recall_what_it_did_not_send(recalled):
    a, doc_id = recalled["seats"]["a"], recalled["doc_id"]
    before = len(list(Journal(a.folder / "journal.jsonl").entries()))
    trace = len(recalled["seats"]["district"].axis.traces(doc_id))
    for target in ("L001", "001"):  # the district's document in its inbox; an outgoing number it never used
        with pytest.raises(UserError) as refused:
            a.recall(target, "Thu hồi hộ huyện")
        assert "\n" not in str(refused.value) and target in str(refused.value)
    assert len(list(Journal(a.folder / "journal.jsonl").entries())) == before
    assert len(recalled["seats"]["district"].axis.traces(doc_id)) == trace
    district = recalled["seats"]["district"]
    with pytest.raises(UserError):  # and the district cannot recall it twice
        district.recall(recalled["out"], REASON)


def test_a_kernel_restart_replays_to_the_same_state(recalled):
    before = {k: s.summary() for k, s in recalled["seats"].items()}
    for key, seat in recalled["seats"].items():
        again = Session.open(recalled["folders"][key])
        assert again.summary() == before[key]
        assert {i: item.status for i, item in again.inbox.items()} == {i: item.status for i, item in seat.inbox.items()}
        assert again.class_statuses == seat.class_statuses
    district = Session.open(recalled["folders"]["district"])
    recall = district.outgoing(recalled["out"]).recall
    assert recall is not None and recall.answered and recall.reason == REASON
    assert recall.recipients == (recalled["nobody"],)  # the world answers only for the commune nobody holds


def test_the_grader_reports_the_recall_and_its_answers(recalled, classroom):
    _room, tickets, _served = classroom
    folders, doc_id = recalled["folders"], recalled["doc_id"]
    district = class_exchange(open_seat(folders["district"], "gv-huyen", need_arrivals=False))
    assert district["recalls"] == {doc_id: {"reason": REASON, "answers": recalled["answered"]}}
    assert district["sent"][doc_id][tickets["a"]["unit"]][-1] == "15"
    assert district["sent"][doc_id][tickets["b"]["unit"]][-1] == "16"
    for key, trainee, status in (("a", "hv-xa-a", "recalled"), ("b", "hv-xa-b", "registered")):
        work = class_exchange(open_seat(folders[key], trainee, need_arrivals=False))
        assert work["received"]["L001"]["status"] == status
        assert work["received"]["L002"] == {"document_id": doc_id, "sender": tickets["district"]["unit"],
                                            "status": "recall_answered", "recall": True}
        assert work["recalls"] == {}



def test_a_seat_alone_recalls_through_its_world(tmp_path):
    """The same recall without a class: every recipient is an automated desk of the seat's world, which agrees
    (15) and reports nothing more on the withdrawn document."""
    seat = Session.open(tmp_path / "alone", trainee_id="hv-mot-minh")
    units = [u.code for u in seat.province.units if u.code != seat.seat.code][:2]
    out = dispatch_to(seat, units, "V/v thử thu hồi văn bản", "Nội dung gửi nhầm.")
    seat.wait_until_end_of_session()
    seat.receive()
    with pytest.raises(UserError):
        seat.recall(out.item_id, "   ")  # a reason is needed
    seat.recall(out.item_id, REASON)
    _until(seat, lambda: seat.outgoing(out.item_id).recall.answered)
    for _ in range(3):  # past the days the world's desks would have reported 05 and 06 on
        seat.next_working_day()
        seat.receive()
    assert seat.clock.date() >= out.dispatched_at.date() + timedelta(days=3)
    trace = seat.axis.traces(out.document.document_id)
    for unit in units:
        codes = [t.code for t in trace if t.org_id == unit]
        assert codes[-1] == "15" and "05" not in codes  # withdrawn before its handling was reported
    again = Session.open(tmp_path / "alone")
    assert again.outgoing(out.item_id).recall == seat.outgoing(out.item_id).recall
    assert again.summary() == seat.summary()

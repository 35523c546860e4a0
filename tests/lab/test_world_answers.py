"""The world answers the seat (issue 12 item 3): corrected copies, the leader's reminders and the late list,
the recipients' status returns on the seat's clock, and the same state again after re-opening the folder."""

from __future__ import annotations

from datetime import datetime

import pytest

from simulator.calendar import VN_TZ, iso_vn
from simulator.lab import SEAT_PASSPHRASE, Session
from simulator.lab.answers import ACK_AFTER
from simulator.flows.traps import CORRECTED as CORRECTED_TRAPS
from simulator.routing.envelope import StatusCode

TRAINEE = "hv-answers-00"  # four documents from the world: 000, 001 and 004 sound, 002 signed with a revoked
# certificate (003 is its corrected copy, numbered when it was returned)
# (tests.seat_preview.find_trainee("hv-answers", ...) finds it; the fixture checks it still holds)
LEFT_ASIDE = "000"


def _handle(session: Session, item) -> None:
    if item.item_id == LEFT_ASIDE:
        return  # the trainee puts this one aside
    report = session.verify(item.item_id)
    if report.indication != "TOTAL_PASSED" or not report.decree30.ok:
        session.refuse(item.item_id, "Chữ ký số không hợp lệ")
        return
    session.register(item.item_id)
    session.submit(item.item_id)


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    folder = tmp_path_factory.mktemp("answers") / "seat"
    session = Session.open(folder, unit="Xã Hải Châu", trainee_id=TRAINEE, arrivals=4, trap_share=0.5)
    while len(session.inbox) < 4:
        batch = session.receive()
        for item in batch:
            _handle(session, item)
        if not batch:
            session.wait_until_end_of_session()
    forged = [a for a in session.arrivals if a.trap in CORRECTED_TRAPS]
    assert forged and session.arrivals[0].trap is None, [a.trap for a in session.arrivals]
    seen = {}
    answered = next(i for i in session.inbox.values() if i.number is not None)
    out = session.reply(answered.item_id)
    session.sign(out.item_id, SEAT_PASSPHRASE)
    session.seal(out.item_id, SEAT_PASSPHRASE)
    session.dispatch(out.item_id)
    seen["dispatched"] = {(t.org_id, t.code) for t in session.axis.traces(out.document.document_id)}
    seen["dispatch_clock"] = session.clock
    session.wait_until_end_of_session()
    seen["after_wait"] = session.axis.traces(out.document.document_id)
    seen["forged"] = forged[0]
    # the next working morning the corrected copy comes; the trainee checks and registers it
    seen["refused_at"] = session.clock
    session.next_working_day()
    batch = []
    while not batch:
        batch = [i for i in session.receive() if i.arrival.corrects == forged[0].index]
        if not batch:
            session.wait_until_end_of_session()
    corrected = seen["corrected"] = batch[0]
    seen["report"] = session.verify(corrected.item_id)
    seen["entry"] = session.register(corrected.item_id)
    seen["register_line"] = list(session.journal.entries())[-1]
    # the day after, the document left aside is past its deadline (the end of the next working day)
    session.next_working_day()
    session.wait_until_end_of_session()
    session.receive()
    return folder, session, out, seen


def test_statuses_come_back_only_when_the_clock_reaches_them(played):
    _folder, session, out, seen = played
    recipient = out.document.recipients[0].code
    answer_at = session.calendar.add_working_minutes(out.dispatched_at, ACK_AFTER)
    assert seen["dispatch_clock"] < answer_at
    assert (recipient, StatusCode.ARRIVED) not in seen["dispatched"]
    assert (recipient, StatusCode.ACCEPTED) not in seen["dispatched"]
    assert session.clock >= answer_at
    codes = {(t.org_id, t.code): t for t in seen["after_wait"]}
    for code in (StatusCode.ARRIVED, StatusCode.ACCEPTED):
        trace = codes[(recipient, code)]
        assert datetime.fromisoformat(trace.at) == answer_at.replace(tzinfo=VN_TZ)


def test_a_returned_forged_document_comes_back_corrected(played):
    _folder, session, _out, seen = played
    original = session.inbox[f"{seen['forged'].index:03d}"]
    assert original.status == "refused"
    answers = [a for a in session.arrivals if a.corrects is not None]
    assert [(a.corrects, a.insists) for a in answers] == [(seen["forged"].index, False)]  # the world re-sends it
    corrected = seen["corrected"]
    assert corrected.arrival.arrived.date() > original.arrival.arrived.date()
    assert corrected.document.document_id == original.document.document_id  # same number and code
    assert (corrected.document.subject, corrected.document.body) == (original.document.subject,
                                                                    original.document.body)  # the same text
    report = seen["report"]
    assert report.indication == "TOTAL_PASSED" and report.decree30.ok
    assert seen["entry"].arrival_number and corrected.registered_at <= corrected.due
    assert seen["register_line"]["data"]["on_time"] is True
    notes = [n for n in session.notices if n.kind == "corrected"]
    assert [n.item_id for n in notes] == [corrected.item_id] and original.item_id in notes[0].text
    # the axis took it as the replacement of the refused one (QCVN 102 BusinessDocType 3)
    assert any(t.org_id == original.arrival.sender_code and t.code == ""
               for t in session.axis.traces(original.document.document_id)[1:])


def test_a_document_left_aside_brings_the_leaders_reminder_and_is_late(played):
    _folder, session, _out, _seen = played
    item = session.inbox[LEFT_ASIDE]
    assert item.number is None and item.due < session.clock
    reminders = [n for n in session.notices if n.kind == "reminder"]
    assert [n.item_id for n in reminders] == [LEFT_ASIDE]
    assert session.leader_name in reminders[0].text and item.document.number_code in reminders[0].text
    lines = [e for e in session.journal.entries() if e["action"] == "reminder"]
    assert [e["data"]["item"] for e in lines] == [LEFT_ASIDE] and lines[0]["data"]["due"] == iso_vn(item.due)
    late = {d.item_id: d for d in session.late()}
    assert LEFT_ASIDE in late and not late[LEFT_ASIDE].registered and late[LEFT_ASIDE].late_minutes > 0
    assert all(d.item_id == LEFT_ASIDE for d in late.values())  # the rest were on time
    session.receive()
    assert len([n for n in session.notices if n.kind == "reminder"]) == 1  # once per document


def _state(session: Session):
    return (session.summary(), session.clock, session.notices, session.arrivals, session.late(),
            {i.item_id: (i.status, i.verdict, i.number, i.registered_at, i.due, i.document) for i in
             session.inbox.values()},
            {o.item_id: (o.status, o.dispatched_at, o.refused, o.document) for o in session.outbox.values()})


def test_reopening_replays_to_the_same_state(played):
    folder, session, _out, _seen = played
    again = Session.open(folder, trainee_id=TRAINEE)
    assert _state(again) == _state(session)


def test_the_desk_shows_the_notices_and_the_late_list(played):
    from simulator.lab.widgets.clerk import InboxDesk

    _folder, session, _out, seen = played
    desk = InboxDesk(session)
    shown = desk.notices.value
    assert session.leader_name in shown and LEFT_ASIDE in shown
    assert seen["corrected"].item_id in shown
    labels = dict((v, k) for k, v in desk.items.options)
    assert "BẢN ĐÃ SỬA" in labels[seen["corrected"].item_id] or "CORRECTED" in labels[seen["corrected"].item_id]


def test_the_recipient_reports_each_step_until_done(played, tmp_path):
    import shutil

    from simulator.routing.envelope import StatusCode

    folder, _session, out, _seen = played
    shutil.copytree(folder, tmp_path / "copy")
    session = Session.open(tmp_path / "copy", trainee_id=TRAINEE)
    doc_id = out.document.document_id
    recipient = out.document.recipients[0].code
    expected = session._status_times(out.dispatched_at, recipient)
    for _ in range(4):
        session.next_working_day()
    session.receive()
    traces = [t for t in session.axis.traces(doc_id) if t.org_id == recipient and t.code]
    codes = [t.code for t in traces]
    assert codes == [StatusCode.ARRIVED, StatusCode.ACCEPTED, StatusCode.WAITING_ASSIGNMENT,
                     StatusCode.IN_HANDLING, StatusCode.DONE]
    times = [datetime.fromisoformat(t.at).replace(tzinfo=None) for t in traces]
    assert times == [moment for _code, moment in expected] and times == sorted(times)
    assert times[-1] <= session.clock and times[3].date() > times[0].date()  # handled days later, not at once
    again = Session.open(tmp_path / "copy")
    again.receive()
    assert [t.code for t in again.axis.traces(doc_id) if t.org_id == recipient and t.code] == codes  # once each


def test_a_dispatched_reply_names_the_document_it_answers(played):
    from simulator.routing import edxml

    _folder, session, out, _seen = played
    envelope = edxml.parse((out.folder / "envelope.xml").read_bytes())
    answered = session.inbox[out.reply_to].document
    assert [r.document_id for r in envelope.response_for] == [answered.document_id]
    assert envelope.steering_type != 2   # a commune's reply directs nobody

"""The seat inside the running world: documents come at the world's pace, the trainee's decisions go back
into it, the senders answer a return, and the grader replays the same world from the journal."""

from __future__ import annotations

import math

import pytest

from simulator.flows.records import V_RETURNED
from simulator.flows.traps import TRAPS
from simulator.lab import Session


@pytest.fixture(scope="module")
def decided(tmp_path_factory):
    """Three sound documents: the first registered, the second returned, the third left aside."""
    folder = tmp_path_factory.mktemp("seat-world") / "seat"
    session = Session.open(folder, trainee_id="hv-world", arrivals=3, trap_share=0.0)
    seen = {"batches": []}
    while session.waiting_for_more and len(session.inbox) < 3:
        batch = session.receive()
        if batch:
            seen["batches"].append((session.clock, [i.item_id for i in batch]))
        else:
            session.wait_until_end_of_session()
    session.verify("000")
    session.register("000")
    session.verify("001")
    session.refuse("001", "Không đúng thẩm quyền")   # a sound document, returned by mistake
    session.next_working_day()
    session.wait_until_end_of_session()
    seen["answer"] = session.receive()
    session.next_working_day()   # the day after: the document left aside is past its deadline
    session.wait_until_end_of_session()
    session.receive()
    return folder, session, seen


def test_documents_come_over_the_working_day_not_all_at_once(decided):
    _folder, session, seen = decided
    times = [session.inbox[i].arrival.arrived for i in ("000", "001", "002")]
    assert times == sorted(times) and times[0] < times[-1]
    assert len(seen["batches"]) >= 2, "the inbox filled over time, batch by batch"
    assert all(clock >= session.inbox[ids[-1]].arrival.arrived for clock, ids in seen["batches"])


def test_the_trainees_decisions_reach_the_world(decided):
    _folder, session, _seen = decided
    world, cal = session.world.world, session.calendar
    dl = world.deliveries
    registered, returned, aside = (session.world.delivery_of[i] for i in (0, 1, 2))
    assert dl.registered[registered] == pytest.approx(cal.to_minutes(session.inbox["000"].registered_at))
    assert dl.state[returned] == V_RETURNED and math.isnan(dl.registered[returned])
    assert math.isnan(dl.registered[aside])   # nobody registered it for the trainee
    figures = session.world.unit_figures()
    assert figures["late_unregistered"] >= 1 and figures["registered_on_time"] < 1.0  # the unit's indicator shows it


def test_a_sound_document_returned_comes_back_with_the_sender_insisting(decided):
    _folder, session, seen = decided
    answers = [i for i in seen["answer"] if i.arrival.corrects == 1]
    assert len(answers) == 1
    again = answers[0]
    assert again.arrival.insists and again.trap is None
    assert again.document.document_id == session.inbox["001"].document.document_id
    assert again.arrival.arrived.date() > session.inbox["001"].arrival.arrived.date()
    assert any(n.kind == "insisted" and n.item_id == again.item_id for n in session.notices)
    assert session.verify(again.item_id).passed


def test_the_grader_replays_the_same_world_from_the_journal(decided):
    from simulator.grading.seat import open_seat

    folder, session, _seen = decided
    view = open_seat(folder, "hv-world", need_arrivals=False)
    assert view.arrivals == session.arrivals
    assert Session.open(folder).world.unit_figures() == session.world.unit_figures()


def test_the_world_chooses_the_traps_from_one_vocabulary(tmp_path):
    session = Session.open(tmp_path / "s", trainee_id="hv-traps", arrivals=12, trap_share=0.9)
    session.world.advance(session.clock.replace(day=session.clock.day + 2))
    traps = {a.trap for a in session.arrivals} - {None}
    assert traps and traps <= set(TRAPS)
    recalls = [a for a in session.arrivals if a.trap == "recall"]
    assert all(session.arrivals[a.recalls].trap is None and a.recalls < a.index for a in recalls)


def test_the_sender_hears_of_each_step_at_its_time(decided):
    """QCVN 102 status returns from the seat: 01 on receipt, 02 returned, 03 registered."""
    _folder, session, _seen = decided
    me = session.seat.code

    def reported(item_id):
        doc_id = session.inbox[item_id].document.document_id
        return [(t.code, t.at) for t in session.axis.traces(doc_id) if t.org_id == me and t.code]

    registered, returned, aside = (session.inbox[i] for i in ("000", "001", "002"))
    assert [c for c, _ in reported("000")] == ["01", "03"]
    assert reported("000")[1][1] == registered.flow.history[-1].at.isoformat()
    assert [c for c, _ in reported("001")][:2] == ["01", "02"]
    assert [c for c, _ in reported("002")] == ["01"]  # received, nothing more yet


def test_the_identifier_registry_starts_on_the_worlds_first_day(decided):
    from simulator.calendar import iso_vn

    _folder, session, _seen = decided
    seeded = [e for e in session.axis.directory.audit() if e.action == "seed"]
    assert seeded and seeded[0].at == iso_vn(session.config.start_time)   # not the machine's today


def test_a_seat_opens_in_a_pki_handed_out_with_the_assignment(tmp_path):
    """The instructor creates (and pins) the seat's PKI at hand-out; the desk signs with it, never a new one."""
    from datetime import timedelta

    from simulator.calendar import VN_TZ
    from simulator.seat import DEFAULT_START
    from simulator.signing import TrainingPKI

    start = DEFAULT_START.replace(tzinfo=VN_TZ)
    handed = TrainingPKI.create(tmp_path / "seat" / "pki", valid_from=start - timedelta(days=365),
                                valid_to=start + timedelta(days=730))
    session = Session.open(tmp_path / "seat", trainee_id="hv-handed", arrivals=1)
    assert session.pki.root.dump() == handed.root.dump()   # the handed-out root, not a new one
    kinds = {i.kind.value for i in session.pki.list() if i.unit_code == session.seat.code}
    assert kinds == {"person", "seal"}

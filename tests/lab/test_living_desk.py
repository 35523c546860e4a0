"""The seat in the world's time: one deadline rule, a clock only the trainee moves, one workflow."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from simulator.calendar import default_calendar
from simulator.errors import UserError
from simulator.lab import Session
from simulator.seat import Arrival, registration_due


def test_world_desk_workflow_and_grader_agree_on_500_deadlines():
    from simulator.grading.seat import SeatView
    from simulator.routing import IncomingFlow

    cal = default_calendar()
    rng = random.Random(20260302)
    start = datetime(2026, 1, 1)
    arrivals = []
    for index in range(500):
        moment = start + timedelta(seconds=rng.randrange(0, 730 * 86400))
        arrivals.append(Arrival(index, rng.randrange(2**31), "000.00.00.H41", "cong_van", moment, None,
                                urgent=rng.random() < 0.3))
    assert sum(a.urgent for a in arrivals) > 100
    grader = SeatView(None, "", None, None, None, arrivals, [], cal)
    for arrival in arrivals:
        priority = 1 if arrival.urgent else 0
        world = cal.to_datetime(cal.due(cal.to_minutes(arrival.arrived), priority=priority))  # flows/seat.py
        desk = registration_due(arrival, cal)
        flow = IncomingFlow(arrival.arrived, priority=priority).deadline.replace(tzinfo=None)
        assert abs((world - desk).total_seconds()) < 1e-3, arrival
        assert desk == grader.due(arrival.index) == flow, arrival
        if arrival.urgent:
            assert cal.working_minutes_between(arrival.arrived, desk) == pytest.approx(60)


def test_the_worlds_seat_tasks_carry_the_same_deadline():
    from simulator.flows import Scenario, World
    from simulator.flows.scenario import scenario_path
    from simulator.province import Role, load_province

    cal = default_calendar()
    province = load_province("Nghệ An", on="2026-03-02")
    seat = province.find("Xã Hải Châu")
    scenario = Scenario.load(scenario_path("reform-2025")).override({"period.start": "2026-03-02", "period.days": 60})
    world = World(scenario, 7, seat=(seat.code, Role.CLERK))
    seen = urgent = 0
    while seen < 40:
        task = world.next_task()
        if task is None:
            break
        if task.stage == "register":
            arrival = Arrival(0, 0, task.issuer_code or "", task.doc_type, task.arrived, None, urgent=task.urgent)
            assert abs((task.due - registration_due(arrival, cal)).total_seconds()) < 1, task
            seen += 1
            urgent += task.urgent
        world.decide(task, task.default_action)
    assert seen >= 10


@pytest.fixture(scope="module")
def fresh_seat(tmp_path_factory):
    folder = tmp_path_factory.mktemp("living") / "seat"
    return folder, Session.open(folder, trainee_id="hv-living", arrivals=3, trap_share=0.0)


def test_receiving_never_moves_the_clock_and_waiting_stops_at_an_arrival(fresh_seat):
    folder, session = fresh_seat
    start = session.clock
    assert session.receive() == [] and session.clock == start  # nothing has arrived yet: the clock stays
    assert not session.arrivals  # the world has not run past the seat's clock
    clock = session.wait_until_end_of_session()
    end_of_morning = start.replace(hour=11, minute=30)
    first = session.arrivals[0].arrived if session.arrivals else None  # the world ran on to its first document
    assert first is None or first > start, "the first document reaches the desk after the seat opens"
    assert clock == (first if first is not None and first < end_of_morning else end_of_morning)
    while not session.inbox:
        session.receive() or session.wait_until_end_of_session()
    assert all(i.arrival.arrived <= session.clock for i in session.inbox.values())
    again = Session.open(folder)
    assert again.clock == session.clock and again.summary() == session.summary()


def test_next_working_day_opens_the_office(fresh_seat):
    _folder, session = fresh_seat
    before = session.clock
    clock = session.next_working_day()
    assert clock.date() > before.date() and (clock.hour, clock.minute) == (7, 0)
    assert default_calendar().is_working_day(clock.date())
    assert session.journal.entries().__next__()["action"] == "open"
    assert list(session.journal.entries())[-1]["action"] == "wait"


def test_registering_unchecked_needs_the_override_and_the_journal_keeps_it(fresh_seat, lang_en):
    folder, session = fresh_seat
    session.receive_all()
    item = next(i for i in session.inbox.values() if i.status == "arrived")
    lines = len(session.journal)
    with pytest.raises(UserError, match="not been checked"):
        session.register(item.item_id)
    assert len(session.journal) == lines and item.number is None and not session.registers.incoming()
    session.register(item.item_id, override=True)
    last = list(session.journal.entries())[-1]
    assert last["action"] == "register" and last["data"]["override"] is True
    assert item.status == "registered" and item.flow.overridden
    assert Session.open(folder).item(item.item_id).flow.overridden


def test_a_failed_check_is_not_registered_without_the_override(tmp_path, lang_en):
    session = Session.open(tmp_path / "s", trainee_id="hv-failed", arrivals=2, trap_share=0.0)
    session.receive_all()
    item = next(iter(session.inbox.values()))
    item.pdf.write_bytes(item.pdf.read_bytes().replace(b"CreationDate", b"CreationDatX", 1))  # forged here
    assert not session.verify(item.item_id).passed
    assert item.status == "failed"
    with pytest.raises(UserError, match="failed the signature check"):
        session.register(item.item_id)
    assert not session.registers.incoming()


def test_a_good_clerk_at_normal_pace_meets_every_deadline(played_seat):
    _folder, session = played_seat
    registered = [i for i in session.inbox.values() if i.number is not None]
    assert registered
    for item in registered:
        assert item.registered_at <= item.due, (item.item_id, item.registered_at, item.due)
        assert not item.flow.overridden
    waits = [e for e in session.journal.entries() if e["action"] == "wait"]
    assert waits, "the clerk moved time on explicitly"


def test_the_grader_gives_no_credit_for_an_override_and_names_the_journal_line(tmp_path, lang_en):
    from simulator.grading.clerk import grade_incoming

    from tests.lab.conftest import handle_well

    session = Session.open(tmp_path / "s", trainee_id="hv-override", arrivals=4, trap_share=0.3)
    forced_line = None
    while session.waiting_for_more:  # every document of the exercise
        batch = session.receive()
        for item in batch:
            if item.item_id == "000":  # never checked: registered on the trainee's say-so
                session.register("000", override=True)
                forced_line = list(session.journal.entries())[-1]["seq"]
                session.submit("000")
            else:
                handle_well(session, item)
        if not batch:
            session.wait_until_end_of_session()
    result = grade_incoming(session.folder, "hv-override")
    assert result.points < result.max_points
    assert any("000" in m and f"line {forced_line}" in m for m in result.messages), result.messages

"""The seat: a scripted controller takes the commune clerk's desk."""

import pytest

from simulator.errors import UserError
from simulator.flows import Decision, SeatTask, World
from simulator.flows.traps import TRAPS
from simulator.province import Role
from tests.flows.conftest import small


def _commune(world):
    return next(u.code for u in world.units if u.kind.value == "commune_committee")


def test_scripted_clerk_registers_returns_and_dispatches():
    sc = small(days=10)
    probe = World(sc, 4)
    code = _commune(probe)
    world = World(sc, 4, seat=(code, Role.CLERK))
    seen, returned, last_time = [], [], None
    while (task := world.next_task()) is not None:
        assert isinstance(task, SeatTask)
        assert task.unit_code == code and task.role == Role.CLERK.value
        assert task.stage in ("register", "dispatch")
        assert world.next_task() is task          # the same task until decided
        if last_time is not None:
            assert world.now >= last_time
        last_time = world.now
        if task.stage == "register":
            assert task.due is not None and task.due > task.arrived and task.channel
            if len(seen) % 5 == 0:
                world.decide(task, Decision("refuse", minutes=3))
                returned.append(task.delivery)
                seen.append(task)
                continue
        world.decide(task, Decision(task.default_action, minutes=6))
        seen.append(task)
    assert len(seen) > 10 and returned
    assert {t.stage for t in seen} == {"register", "dispatch"}
    for v in returned:
        assert world.deliveries.state[v] == 2  # V_RETURNED
    census = world.census()
    assert census["returned"] == len(returned)
    assert census["deliveries"] == len(world.deliveries)
    # The clerk's own time was spent on the seat's tasks.
    i = world.index[code]
    assert world.staff_minutes()[i][0] == pytest.approx(3 * len(returned) + 6 * (len(seen) - len(returned)))


def test_seat_decision_is_checked():
    sc = small(days=5)
    code = _commune(World(sc, 1))
    world = World(sc, 1, seat=(code, Role.CLERK))
    task = world.next_task()
    assert task is not None
    with pytest.raises(UserError):
        world.decide(task, Decision("sign"))
    with pytest.raises(UserError):
        world.decide(task, Decision(task.default_action, minutes=-1))
    world.decide(task, task.default_action)
    with pytest.raises(UserError):
        world.decide(task, task.default_action)   # already decided


def test_leader_seat_assigns_or_files_and_the_world_follows():
    sc = small(days=8)
    code = _commune(World(sc, 2))
    world = World(sc, 2, seat=(code, Role.LEADER))
    decisions = {"assign": 0, "file": 0, "sign": 0}
    while (task := world.next_task()) is not None:
        if task.stage == "assign":
            action = "assign" if task.document % 2 else "file"
        else:
            action = task.default_action
        decisions[action] = decisions.get(action, 0) + 1
        world.decide(task, Decision(action))
    assert decisions["assign"] and decisions["file"] and decisions["sign"]
    assert world.census()["deliveries"] == len(world.deliveries)


def test_no_seat_for_a_unit_outside_the_world():
    sc = small(days=3)
    with pytest.raises(UserError):
        World(sc, 1, seat=("000.00.44.H41", Role.CLERK))   # Kỳ Sơn is not simulated here


def test_the_seat_sees_which_arrivals_are_defective():
    # every unit connected: the commune's mail comes electronically, where traps can be
    sc = small(days=8, **{"volumes.defect_share": 0.3, "adoption.document_system": 1.0, "adoption.connected": 1.0})
    code = _commune(World(sc, 3))
    world = World(sc, 3, seat=(code, Role.CLERK))
    defects = set()
    while (task := world.next_task()) is not None:
        if task.defect:
            assert task.stage == "register" and task.channel != "post"
            defects.add(task.defect)
            world.decide(task, "refuse")
        else:
            world.decide(task, task.default_action)
    assert defects and defects <= set(TRAPS)   # the one trap vocabulary, owned by the world


def test_the_worlds_actions_are_the_workflows_steps():
    """One vocabulary: what a seat (or an automated desk) does at each stage is a step of the one Decree-30
    workflow; only handing in a draft comes before a document's workflow begins."""
    from simulator.flows.seat import STAGE_ACTIONS
    from simulator.routing.workflow import IncomingFlow, OutgoingFlow

    steps = set(IncomingFlow.STEPS) | set(OutgoingFlow.STEPS)
    for stage, actions in STAGE_ACTIONS.items():
        outside = set(actions) - steps
        assert outside <= ({"submit"} if stage == "draft" else set()), (stage, outside)

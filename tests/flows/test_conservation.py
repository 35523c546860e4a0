"""Nothing lost: every document and delivery is in exactly one place, outages on."""

from heapq import heapify

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.flows import World
from simulator.flows.world import ConservationError
from tests.flows.conftest import small


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1),
       days=st.integers(3, 15),
       network=st.floats(0.0, 20.0),
       axis=st.floats(0.0, 10.0),
       hours=st.floats(0.5, 30.0),
       electronic=st.floats(0.0, 1.0),
       secret=st.floats(0.0, 0.3),
       cut=st.floats(0.1, 1.0))
def test_every_document_ends_in_exactly_one_state(seed, days, network, axis, hours, electronic, secret, cut):
    sc = small(days=days, **{
        "outages.unit_network_per_week": network, "outages.axis_per_week": axis,
        "outages.unit_network_hours": hours, "outages.axis_hours": hours,
        "adoption.interagency.electronic": electronic, "adoption.interagency.electronic_with_paper": 0.0,
        "volumes.secret_share": secret,
    })
    world = World(sc, seed)
    world.run(until=days * cut)          # stop mid-way: much is still queued or travelling
    census = world.census()              # walks queues, events and final states; raises on loss
    live = sum(v for k, v in census.items() if k.startswith(("queued:", "in_service:", "waiting", "in_transit")))
    finished = census.get("filed", 0) + census.get("returned", 0) + census.get("delivered_out", 0)
    assert live + finished == census["deliveries"] == len(world.deliveries)
    in_pipeline = sum(v for k, v in census.items() if k.startswith("document_"))
    assert in_pipeline + census["documents_dispatched"] == census["documents"] == len(world.docs)
    world.run()
    assert world.census()["deliveries"] == len(world.deliveries)


def test_census_detects_a_lost_delivery():
    world = World(small(days=5), 1)
    world.run(until=2.5)
    # Drop one queued or travelling item behind the world's back: the census must notice.
    for pools in world.pools:
        for pool in pools or ():
            if pool.heap:
                pool.heap.pop()
                break
        else:
            continue
        break
    else:
        queue = world.engine._queue   # a call in the engine's queue: (time, priority, id, function, value)
        queue.remove(next(entry for entry in queue if len(entry) == 5 and hasattr(entry[4], "stage")))
        heapify(queue)
    try:
        world.census()
    except ConservationError as exc:
        assert "lost" in str(exc)
    else:
        raise AssertionError("the census did not notice a missing item")


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2 ** 31), choices=st.lists(st.booleans(), min_size=1, max_size=40),
       role=st.sampled_from(["van_thu", "lanh_dao", "chuyen_vien"]), network=st.floats(0.0, 20.0))
def test_a_seat_with_any_decisions_loses_nothing(seed, choices, role, network):
    from simulator.flows import Decision
    from simulator.province import Role

    sc = small(days=6, **{"outages.unit_network_per_week": network, "outages.axis_per_week": network / 2})
    probe = World(sc, seed)
    code = next(u.code for u in probe.units if u.kind.value == "commune_committee")
    world = World(sc, seed, seat=(code, Role(role)))
    n = 0
    while (task := world.next_task()) is not None:
        # Alternate between the default and the other action the stage allows, as the script says.
        pick = choices[n % len(choices)]
        action = task.actions[-1] if pick and len(task.actions) > 1 else task.actions[0]
        world.decide(task, Decision(action, minutes=1 + n % 7))
        n += 1
        if n % 10 == 0:
            census = world.census()
            assert census["deliveries"] == len(world.deliveries)
    census = world.census()
    assert census["documents"] == len(world.docs) and census["deliveries"] == len(world.deliveries)


def test_census_detects_an_item_counted_twice():
    world = World(small(days=5), 1)
    world.run(until=2.5)
    # A task in service also put back in its pool's queue: the census must refuse to count it twice.
    task = next(value for value, cbs in world.engine.scheduled() if cbs and getattr(value, "pool", None))
    task.pool.heap.append((task.prio, -1, task))
    try:
        world.census()
    except ConservationError as exc:
        assert "twice" in str(exc)
    else:
        raise AssertionError("the census counted one task in two places")

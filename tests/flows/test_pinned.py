"""The world's numbers for a fixed scenario and seed, pinned: a faster engine or hot path must not change them.

The figures were taken from the world as it was before the engine's calls became plain queue entries
(commit 01e123d). A change of the model that is meant to change results updates them, saying so.
"""

import hashlib
import math

from simulator.flows import Decision, World
from simulator.province import Role
from tests.flows.conftest import small


def _fingerprint(world: World) -> tuple:
    """Events scheduled, documents, deliveries, a digest of every integer column of both tables, and the sums
    of the delivery times (rounded: the digest leaves out floating-point columns)."""
    digest = hashlib.sha256()
    for table in (world.docs, world.deliveries):
        for name, column in sorted(vars(table).items()):
            if getattr(column, "typecode", "B") != "d":
                digest.update(name.encode())
                digest.update(bytes(column))
    dl = world.deliveries
    return (world.events_processed, len(world.docs), len(dl), digest.hexdigest()[:16],
            round(sum(t for t in dl.handled if not math.isnan(t)), 3), round(sum(dl.arrived), 3))


def test_a_run_gives_the_pinned_numbers():
    world = World(small(days=20), 11)
    world.run()
    assert _fingerprint(world) == (8807, 1465, 1754, "28c116a59608b540", 3557685658.484, 3872903843.156)


def test_a_seat_run_with_stops_gives_the_pinned_numbers():
    # The seat stops the run at each task (a call that ends the run): the events that follow keep their ids.
    sc = small(days=6, **{"outages.unit_network_per_week": 5.0, "outages.axis_per_week": 2.0})
    code = next(u.code for u in World(sc, 3).units if u.kind.value == "commune_committee")
    world = World(sc, 3, seat=(code, Role("van_thu")))
    n = 0
    while (task := world.next_task()) is not None:
        world.decide(task, Decision(task.actions[-1] if n % 3 == 0 else task.actions[0], minutes=1 + n % 5))
        n += 1
    assert n == 24
    assert _fingerprint(world) == (2835, 505, 540, "af8bd6d96b320d0f", 936149003.066, 1186697162.618)
    assert world.census()["filed"] == 348

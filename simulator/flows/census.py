"""Conservation: where every document and delivery of a world is, found by walking it.

Live work is found in the pools' queues, at the seat, and in the scheduled
events (in service, waiting to be handled, in transit); finished work in
its final state. Anything lost or counted twice raises
:class:`ConservationError` (ARCHITECTURE.md: nothing lost).
"""

from __future__ import annotations

from simulator.flows import records as R
from simulator.flows.staff import Task


class ConservationError(Exception):
    """A document or delivery of the world is lost or in two places at once (a bug in the model)."""


def census(world) -> dict[str, int]:
    """Counts by place: ``documents``, ``document_<where>:<stage>``, ``documents_dispatched``,
    ``deliveries``, ``queued:<stage>``, ``in_service:<stage>``, ``waiting:handle``, ``at_seat:<stage>``,
    ``in_transit``, and the final states (``filed``, ``returned``, ``delivered_out``)."""
    live_docs: dict[int, str] = {}
    live_deliveries: dict[int, str] = {}

    def note(item: Task, where: str) -> None:
        target = live_docs if item.stage < R.REGISTER else live_deliveries
        if item.stage == R.TRANSIT:
            target = live_deliveries
        key = "in_transit" if item.stage == R.TRANSIT else f"{where}:{R.STAGE_KEYS[item.stage]}"
        if item.ref in target:
            raise ConservationError(f"item {item.ref} counted twice ({target[item.ref]}, {key})")
        target[item.ref] = key

    for item in world.staff_pools.waiting():
        note(item, "queued")
    seat = world.seat
    if seat is not None:
        for _, _, item in seat.queue:
            note(item, "at_seat")
        for item in seat.in_hand.values():
            note(item, "at_seat")
    desks = world.desks
    for value, callbacks in world.engine.scheduled():
        if isinstance(value, Task) and callbacks:
            note(value, "waiting" if desks.is_waiting(callbacks) else "in_service")
    counts: dict[str, int] = {}
    d, dl = world.docs, world.deliveries
    dispatched = 0
    for doc in range(len(d)):
        if d.state[doc] == R.D_DISPATCHED:
            if doc in live_docs:
                raise ConservationError(f"document {doc} dispatched and still in the pipeline")
            dispatched += 1
        elif doc not in live_docs:
            raise ConservationError(f"document {doc} lost before dispatch")
    if len(live_docs) + dispatched != len(d):
        raise ConservationError(f"{len(live_docs)} documents in pipelines and {dispatched} dispatched "
                                f"make {len(live_docs) + dispatched}, not {len(d)}")
    counts["documents"] = len(d)
    counts["documents_dispatched"] = dispatched
    for key in live_docs.values():
        counts["document_" + key] = counts.get("document_" + key, 0) + 1
    now = world.clock
    for v in range(len(dl)):
        state = dl.state[v]
        if state == R.V_LIVE:
            if v not in live_deliveries:
                raise ConservationError(f"delivery {v} lost")
        else:
            if v in live_deliveries:
                raise ConservationError(f"delivery {v} finished and still live")
            key = R.DELIVERY_STATE_KEYS[state]
            if state == R.V_DELIVERED_OUT and dl.arrived[v] > now:
                key = "in_transit"   # to a sink, still on its way
            counts[key] = counts.get(key, 0) + 1
    for key in live_deliveries.values():
        counts[key] = counts.get(key, 0) + 1
    counts["deliveries"] = len(dl)
    return counts

"""Staff pools and working time: who does a task, and when it is finished.

A staff pool (the clerks, leaders or specialists of one unit) is a heap of
waiting tasks plus a count of free people; starting a task schedules one
plain callback (:meth:`Engine.call_at`) that finishes it and pulls the next
task. One event per task, no process switches, no ``PriorityResource``
(PITFALLS.md).

Working hours are calendar arithmetic: a task of ``m`` working minutes
started at ``t`` ends where the calendar's working index reaches
``working_index(t) + m``; nights, weekends and holidays cost no events.
The office window the clock is in is remembered, so that a task that ends
inside it needs no calendar arithmetic at all.
"""

from __future__ import annotations

from heapq import heappop, heappush

from simulator.flows import records as R
from simulator.flows.streams import K_SERVICE, MASK, OFFSET


class Task:
    """A task in the hot path: one document in its sender's pipeline (``stage`` < REGISTER,
    ``ref`` a document), or one delivery (``ref`` a delivery; TRANSIT while it travels)."""

    __slots__ = ("stage", "ref", "unit", "prio", "base", "pool", "since", "key")

    def __init__(self, stage, ref, unit, prio, base, key):
        self.stage = stage
        self.ref = ref
        self.unit = unit
        self.prio = prio      # 0 urgent, 1 normal
        self.base = base      # mean working minutes of the stage
        self.pool = None
        self.since = 0.0      # when it reached the seat
        self.key = key        # random-number key


class Pool:
    """The people of one role at one unit; ``seat``: handed to an outside controller."""

    __slots__ = ("unit", "role", "free", "heap", "seat", "minutes")

    def __init__(self, unit, role, size):
        self.unit = unit
        self.role = role
        self.free = size
        self.heap = []
        self.seat = False
        self.minutes = 0.0   # staff time spent, working minutes


class StaffPools:
    """Every unit's pools; ``pools[u][role]`` (None for units without simulated staff).

    ``complete(task, action)`` is called when a task is finished (the
    desks' workflow); ``to_seat(task)`` when work reaches the seat's pool.
    Both are set by the world once the parts exist."""

    def __init__(self, engine, calendar, topology, streams, deliveries, log, seq) -> None:
        self.env = engine
        self.calendar = calendar
        self.deliveries = deliveries
        self.log = log
        self._seq = seq
        self._M = streams.M
        self._call_at = engine.call_at
        self.pools = [[Pool(i, r, counts[r]) for r in range(3)] if topology.staffed(i) else None
                      for i, counts in enumerate(topology.staff)]
        self._service_slot = tuple(OFFSET[K_SERVICE + stage] for stage in range(R.TRANSIT))
        self._finish = self._finish_cb   # one bound method for every task
        self.complete = None
        self.to_seat = None
        self.tasks = 0        # staff tasks started (a step of one document at one desk)
        self._win_lo = self._win_hi = -1.0   # the office-hours window 'now' is in (fast path)

    @property
    def activities(self) -> int:
        """Event-log activities counted here: the task starts."""
        return self.tasks

    def submit(self, pool: Pool, item: Task) -> None:
        """Give a task to a pool: started at once if someone is free, else queued by priority."""
        item.pool = pool
        if pool.free and not pool.seat:
            pool.free -= 1
            self._begin(item)
        elif pool.seat:
            item.since = self.env.now
            self.to_seat(item)
        else:
            heappush(pool.heap, (item.prio, next(self._seq), item))

    def _begin(self, item: Task) -> None:
        now = self.env.now
        minutes = item.base * self._M[(item.key + self._service_slot[item.stage]) & MASK]
        item.pool.minutes += minutes
        self.tasks += 1
        end = now + minutes
        if end > self._win_hi or now < self._win_lo:
            end = self._end_of_work(now, minutes)
        if self.log is not None:
            ref = item.ref
            doc = ref if item.stage < R.REGISTER else self.deliveries.doc[ref]
            self.log.add(doc, ref if item.stage >= R.REGISTER else -1, R.STAGE_ACTIVITY[item.stage],
                         self.calendar.next_open(now), item.unit, item.pool.role, R.START)
        self._call_at(end, item, self._finish)

    def _end_of_work(self, now: float, minutes: float) -> float:
        """Calendar arithmetic, and remember the office window ``now`` is in for the fast path."""
        cal = self.calendar
        window = cal.office_window(now)
        self._win_lo, self._win_hi = window if window is not None else (-1.0, -1.0)
        end = cal.at_working_index(cal.working_index(now) + minutes, finishing=True)
        return end if end > now else now

    def _finish_cb(self, item: Task) -> None:
        pool = item.pool
        self.complete(item, None)
        if pool.heap:
            self._begin(heappop(pool.heap)[2])
        else:
            pool.free += 1

    def waiting(self):
        """Tasks queued in every pool."""
        for pools in self.pools:
            for pool in pools or ():
                for _, _, item in pool.heap:
                    yield item

    def minutes(self) -> list[list[float]]:
        """Working minutes spent per unit and role (clerk, leader, specialist)."""
        return [[p.minutes for p in pools] if pools else [0.0, 0.0, 0.0] for pools in self.pools]

"""The world's SimPy environment, with one fast path: plain calls at a time.

Most steps of the world (a task finishes, a message arrives) need no SimPy
process and no ``Timeout``: only "call this function with this value at
time ``t``". :meth:`Engine.call_at` schedules exactly that, as cheaply as
possible (PITFALLS.md: plain callbacks for hops are faster): a call is one
entry of SimPy's own event queue, ``(t, priority, id, function, value)``,
beside SimPy's ``(t, priority, id, event)``, with no event object at all.
:meth:`Engine.run` and :meth:`Engine.step` process both kinds in SimPy's
order (time, priority, id), and everything else (processes, ``timeout``,
``event``) is SimPy's own.

This class is the one place that touches SimPy's internals (its event
queue, its counter and the body of ``Environment.step``); the rest of the
world uses public names only.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from heapq import heappop, heappush
from typing import Any

import simpy
from simpy.core import EmptySchedule, StopSimulation
from simpy.events import NORMAL, URGENT, Event, EventPriority

# A call that stopped the run (SimPy's StopSimulation) is put back first in the queue with nothing left to
# call, as SimPy does with a stopping event's remaining callbacks: the ids of later events stay the same.
_SPENT = EventPriority(-1)


def _spent(_value: Any) -> None:
    """What is left of a call that stopped the run: nothing."""


class Engine(simpy.Environment):
    """``simpy.Environment`` plus :meth:`call_at`, :meth:`call_first_at`, :meth:`scheduled` and
    :attr:`events_scheduled`."""

    def call_at(self, t: float, value: Any, callback: Callable[[Any], None]) -> None:
        """Call ``callback(value)`` at time ``t`` (now if ``t`` is past).

        Scheduled as ``Environment.schedule`` would (NORMAL priority, the
        next event id), so the order of events is SimPy's."""
        now = self._now
        heappush(self._queue, (t if t > now else now, NORMAL, next(self._eid), callback, value))

    def call_first_at(self, t: float, callback: Callable[[Any], None]) -> None:
        """Call ``callback(None)`` at time ``t`` before any other event of that moment (the priority SimPy's
        own ``run(until=t)`` gives its stop), so a run stopped there leaves every event of ``t`` to come."""
        now = self._now
        heappush(self._queue, (t if t > now else now, URGENT, next(self._eid), callback, None))

    def scheduled(self) -> Iterator[tuple[Any, list | None]]:
        """``(value, callbacks)`` of every event waiting in the queue, in no particular order.

        Lets the world find work that lives only in scheduled events (a task
        in service, a message in transit) when it counts where things are.
        A call's callbacks are a new list of its one function."""
        for entry in self._queue:
            if len(entry) == 5:
                yield entry[4], ([] if entry[3] is _spent else [entry[3]])
            else:
                event = entry[3]
                yield event._value, event.callbacks

    @property
    def events_scheduled(self) -> int:
        """Events scheduled since the start (SimPy's event counter)."""
        return self._eid.__reduce__()[1][0]

    # ------------------------------------------------------------------ processing (SimPy's, both kinds)
    def step(self) -> None:
        """Process the next event or call (``Environment.step``)."""
        try:
            entry = heappop(self._queue)
        except IndexError:
            raise EmptySchedule from None
        self._now = entry[0]
        if len(entry) == 5:
            self._call(entry)
        else:
            self._event(entry[3])

    def _call(self, entry: tuple) -> None:
        try:
            entry[3](entry[4])
        except StopSimulation:
            heappush(self._queue, (self._now, _SPENT, next(self._eid), _spent, entry[4]))
            raise

    def _event(self, event: Event) -> None:
        """The body of SimPy's ``Environment.step`` for one event."""
        callbacks, event.callbacks = event.callbacks, None  # type: ignore[assignment]
        try:
            for callback in callbacks:
                callback(event)
        except StopSimulation:
            event.callbacks = callbacks[callbacks.index(callback) + 1:]
            self.schedule(event, _SPENT)
            raise
        if not event._ok and not hasattr(event, "_defused"):
            exc = type(event._value)(*event._value.args)
            exc.__cause__ = event._value
            raise exc

    def run(self, until: float | Event | None = None) -> Any:
        """``Environment.run`` with its loop written out: calls cost no method of the engine.

        Python's cyclic garbage collector is paused while the world runs (and
        resumed after, if it was on): the world makes millions of short-lived
        tuples and hardly any cycles (a few dozen in a quarter of the
        province), and the collector's passes cost about 5 % of the run."""
        if until is not None:
            if not isinstance(until, Event):
                at = until if isinstance(until, int) else float(until)
                if at <= self._now:
                    raise ValueError(f"until ({at}) must be greater than the current simulation time")
                until = Event(self)
                until._ok = True
                until._value = None
                self.schedule(until, URGENT, at - self._now)
            elif until.callbacks is None:
                return until.value
            until.callbacks.append(StopSimulation.callback)
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._loop()
        except StopSimulation as exc:
            return exc.args[0]
        except EmptySchedule:
            if until is not None:
                assert not until.triggered
                raise RuntimeError(f'No scheduled events left but "until" event was not triggered: {until}') \
                    from None
        finally:
            if collecting:
                gc.enable()
        return None

    def _loop(self) -> None:
        queue = self._queue
        event = self._event
        while True:
            try:
                entry = heappop(queue)
            except IndexError:
                raise EmptySchedule from None
            self._now = entry[0]
            if len(entry) == 5:
                try:
                    entry[3](entry[4])
                except StopSimulation:
                    heappush(queue, (self._now, _SPENT, next(self._eid), _spent, entry[4]))
                    raise
            else:
                event(entry[3])

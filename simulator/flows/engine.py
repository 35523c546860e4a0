"""The world's SimPy environment, with one fast path: plain callbacks at a time.

Most steps of the world (a task finishes, a message arrives) need no SimPy
process and no ``Timeout``: only "call this function with this value at
time ``t``". :meth:`Engine.call_at` schedules exactly that, as cheaply as
SimPy can process it (PITFALLS.md: plain callbacks for hops are faster).
Everything else (processes, ``timeout``, ``event``, ``run``) is SimPy's own.

This class is the one place that touches SimPy's internals (its event
queue and counter); the rest of the world uses public names only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from heapq import heappush
from typing import Any

import simpy
from simpy.events import NORMAL, URGENT


class Call:
    """A scheduled callback: the smallest thing ``Environment.step`` can process.

    ``step`` reads ``callbacks`` and ``_ok`` (a call never fails); a
    ``Timeout`` carries more than a call needs. ``value`` is what the
    callback reads, as ``event.value`` of a SimPy event (a plain slot here:
    it is read once per step in the hot path)."""

    __slots__ = ("callbacks", "_ok", "value")

    def __init__(self, value: Any, callback: Callable) -> None:
        self.callbacks = [callback]
        self._ok = True
        self.value = value


class Engine(simpy.Environment):
    """``simpy.Environment`` plus :meth:`call_at`, :meth:`scheduled` and :attr:`events_scheduled`."""

    def call_at(self, t: float, value: Any, callback: Callable[[Call], None]) -> None:
        """Call ``callback(call)`` at time ``t`` (now if ``t`` is past); ``call.value`` is ``value``.

        Scheduled as ``Environment.schedule`` would (NORMAL priority, the
        next event id), so the order of events is SimPy's."""
        now = self._now
        heappush(self._queue, (t if t > now else now, NORMAL, next(self._eid), Call(value, callback)))

    def call_first_at(self, t: float, callback: Callable[[Call], None]) -> None:
        """Call ``callback`` at time ``t`` before any other event of that moment (the priority SimPy's own
        ``run(until=t)`` gives its stop), so a run stopped there leaves every event of ``t`` to come."""
        now = self._now
        heappush(self._queue, (t if t > now else now, URGENT, next(self._eid), Call(None, callback)))

    def scheduled(self) -> Iterator[tuple[Any, list | None]]:
        """``(value, callbacks)`` of every event waiting in the queue, in no particular order.

        Lets the world find work that lives only in scheduled events (a task
        in service, a message in transit) when it counts where things are."""
        for _t, _priority, _eid, event in self._queue:
            yield (event.value if type(event) is Call else event._value), event.callbacks

    @property
    def events_scheduled(self) -> int:
        """Events scheduled since the start (SimPy's event counter)."""
        return self._eid.__reduce__()[1][0]

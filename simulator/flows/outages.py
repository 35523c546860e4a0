"""Network outages: when a held message can go.

A unit's network and each exchange axis fail at random (Poisson starts,
exponential durations, both scenario settings). The intervals are drawn
once per replication and merged; a message sent into an outage is held by
the axis and retried every ``retry`` minutes until the path is clear, so
transit gets longer and nothing is lost.
"""

from __future__ import annotations

import bisect
import math


class Outages:
    """Sorted, merged outage intervals of one network; ``clear(t)`` is when a held message goes."""

    __slots__ = ("starts", "ends")

    def __init__(self, intervals):
        merged = []
        for s, e in sorted(intervals):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def clear(self, t: float, retry: float) -> tuple[float, int]:
        starts, ends = self.starts, self.ends
        tries = 0
        while True:
            i = bisect.bisect_right(starts, t) - 1
            if i < 0 or t >= ends[i]:
                return t, tries
            n = math.ceil((ends[i] - t) / retry)
            t += n * retry
            tries += n

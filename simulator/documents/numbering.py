"""Outgoing numbers per issuer per year (Decree 30, Art. 15).

Numbers restart at 1 on 1 January; number + code is unique within the year
and the same for the paper and the electronic copy. This in-memory
numberer serves the simulator and document samples; the registers
(``simulator.routing``) keep the same rule in a database.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from datetime import date


class Numberer:
    def __init__(self) -> None:
        self._next: dict[tuple[str, int, str], int] = defaultdict(lambda: 1)
        self._lock = threading.Lock()

    def take(self, issuer_code: str, day: date, series: str = "") -> int:
        """The next number for ``issuer_code`` in ``day.year`` (``series`` splits registers if a unit keeps several)."""
        key = (issuer_code, day.year, series)
        with self._lock:
            number = self._next[key]
            self._next[key] = number + 1
        return number

    def peek(self, issuer_code: str, year: int, series: str = "") -> int:
        return self._next.get((issuer_code, year, series), 1)

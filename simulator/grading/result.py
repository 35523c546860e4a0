"""A check's outcome: points out of a maximum and messages that say what to fix and where."""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

from simulator.i18n import translator

_ = translator("grading")


@dataclass
class Result:
    """Partial credit: ``points`` of ``max_points``; ``messages`` in the trainee's language."""

    points: float
    max_points: float
    messages: list[str] = field(default_factory=list)

    @property
    def fraction(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0

    @property
    def passed(self) -> bool:
        return self.max_points > 0 and self.points >= self.max_points

    def explain(self) -> str:
        head = _("Score: {points:g} of {max:g}.", points=round(self.points, 2), max=self.max_points)
        if self.passed:
            return head + " " + _("Everything is right.")
        lines = [textwrap.fill(m, width=100, initial_indent="- ", subsequent_indent="  ") for m in self.messages]
        return "\n".join([head] + lines)

    def award(self, cell_points: float) -> float:
        """What an nbgrader test cell shows: the explanation, then its share of ``cell_points``.

        Nothing right at all raises ``AssertionError`` with the explanation (the cell
        fails with the reason); otherwise the cell's last value is the partial score,
        which nbgrader reads as partial credit."""
        print(self.explain())
        assert self.points > 0, self.explain()
        share = math.floor(cell_points * self.fraction * 100 + 1e-9) / 100
        return float(min(cell_points, share))


class Marks:
    """Collects checks into a :class:`Result`."""

    def __init__(self) -> None:
        self.points = 0.0
        self.max_points = 0.0
        self.messages: list[str] = []

    def check(self, ok: bool, points: float, message: str) -> bool:
        """``points`` if ``ok``, else none and ``message``."""
        self.max_points += points
        if ok is True:
            self.points += points
        else:
            self.messages.append(message)
        return ok is True

    def partial(self, got: float, points: float, message: str | None = None) -> None:
        """``got`` of ``points`` (a message when not all)."""
        got = max(0.0, min(points, got))
        self.max_points += points
        self.points += got
        if got < points and message:
            self.messages.append(message)

    def note(self, message: str) -> None:
        self.messages.append(message)

    def result(self) -> Result:
        return Result(round(self.points, 4), self.max_points, list(self.messages))


def zero(max_points: float, message: str) -> Result:
    """Nothing counts (a broken journal, someone else's work folder)."""
    return Result(0.0, max_points, [message])

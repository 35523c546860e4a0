"""The work folder as evidence: its registers and archive opened read-only, and the journal lines marks rest on.

The grader must leave a submission byte for byte as it found it (nbgrader
hands submissions in read-only): the registers and the archive catalogue
are read without a ``-wal``, a lock, a repair or a logged audit
(:mod:`simulator.routing.registers_readonly`, ``Archive(read_only=True)``).
Every mark that rests on something the trainee did names the journal line
where they did it, so the trainee (and an instructor reviewing a grade) can
find it: the line's ``seq``, the number the journal's hash chain verifies.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from simulator.grading.seat import SeatView


@contextmanager
def registers(view: SeatView) -> Iterator:
    """The seat's incoming and outgoing registers, read-only (empty if the desk never registered anything)."""
    from simulator.routing import Registers

    books = Registers(view.folder / "registers.sqlite", view.unit.code, read_only=True)
    try:
        yield books
    finally:
        books.close()


@contextmanager
def archive(view: SeatView) -> Iterator:
    """The seat's archive, read-only: no repair, no lock, an audit that logs nothing."""
    from simulator.archiving import Archive

    arc = Archive(view.folder / "archive", read_only=True)
    try:
        yield arc
    finally:
        arc.close()


def entries(view: SeatView, action: str, value: str | None = None, key: str = "item") -> list[dict]:
    """The journal lines of ``action`` (whose ``data[key]`` is ``value``, when given), in order."""
    return [e for e in view.actions(action) if value is None or e["data"].get(key) == value]


def last(view: SeatView, action: str, value: str, key: str = "item") -> dict | None:
    """The last journal line of ``action`` on ``value`` (the whole line: ``seq`` and ``data``)."""
    found = entries(view, action, value, key)
    return found[-1] if found else None

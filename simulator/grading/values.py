"""Explicit checks of answers written in code.

A trainee's answer is checked by its exact type first, then its value: an
object whose ``__eq__`` always says yes is not a ``str``, an ``int`` or a
``float``, so it never gets credit. ``expected`` is always on the grader's
side of every comparison and is a plain built-in value.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any


def is_text(value: Any) -> bool:
    return type(value) is str


def same_text(value: Any, expected: str, *, fold: bool = False) -> bool:
    if type(value) is not str:
        return False
    if fold:
        from simulator.text import fold as folded, nfc

        return str.__eq__(folded(nfc(value.strip())), folded(nfc(expected)))
    from simulator.text import nfc

    return str.__eq__(nfc(value.strip()), nfc(expected))


def same_int(value: Any, expected: int) -> bool:
    return type(value) is int and int.__eq__(value, expected)


def same_bool(value: Any, expected: bool) -> bool:
    return type(value) is bool and value is expected


def same_number(value: Any, expected: float, *, rel: float = 1e-6, abs_tol: float = 1e-9) -> bool:
    if type(value) not in (int, float):
        return False
    value = float(value)
    return math.isfinite(value) and math.isclose(value, float(expected), rel_tol=rel, abs_tol=abs_tol)


def same_date(value: Any, expected: date) -> bool:
    """A ``datetime.date`` (not a datetime) or text ``dd/mm/yyyy`` as Decree 30 writes it."""
    if type(value) is date:
        return (value.year, value.month, value.day) == (expected.year, expected.month, expected.day)
    if type(value) is str:
        return str.__eq__(value.strip(), expected.strftime("%d/%m/%Y"))
    return False


def text_set(value: Any) -> frozenset[str] | None:
    """A list, tuple or set of ``str`` as a frozenset; ``None`` for anything else."""
    if type(value) not in (list, tuple, set, frozenset):
        return None
    items = list(value)
    if not all(type(v) is str for v in items):
        return None
    return frozenset(str(v).strip() for v in items)


def require_answers(answers: Any, keys: list[str] | tuple[str, ...]) -> None:
    """The visible part of a test cell: the answer has the template's shape and nothing is left blank."""
    from simulator.i18n import translator

    _ = translator("grading")
    assert type(answers) is dict, _("The answers must be a dict as in the template (keys {keys}).",
                                    keys=", ".join(keys))
    blank = [k for k in keys if answers.get(k) is None]
    assert not blank, _("Not answered yet: {keys}.", keys=", ".join(blank))
    print(_("The answers have the right shape; they are graded when you submit."))

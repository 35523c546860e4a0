"""The ``--on DATE`` / ``--structure`` pair of the commands that load a province.

A province is loaded as it stood on a date (``simulator.province.history``:
3 levels before 1/7/2025, 2 from then; the agencies of that date), today's by
default; ``--structure`` still forces a structure, as ``vbdt province show``
does.
"""

from __future__ import annotations

from datetime import date

import click

from simulator.cli.common import STRUCTURE


def structure_options(f):
    """Add ``--on DATE`` and ``--structure`` to a command (they reach it as ``on`` and ``structure``)."""
    f = click.option("--structure", type=STRUCTURE, default=None,
                     help="Force a structure: 2024 (3 levels) or 2025 (2 levels); default: the one in force on --on.")(f)
    f = click.option("--on", "on", default=None, metavar="DATE",
                     help="The structure and agencies in force on this date (dd/mm/yyyy or YYYY-MM-DD; "
                          "default: today).")(f)
    return f


def dated_province(name: str, structure: str | None, on: str | None):
    """The province ``name`` as of ``--on`` (today if neither ``--on`` nor ``--structure`` is given).

    ``--structure`` alone keeps its old meaning: that structure on a day of its own."""
    from simulator.province import load_province
    from simulator.province.history import as_day

    day = as_day(on, field="--on") if on is not None else (None if structure else date.today())
    return load_province(name, int(structure) if structure else None, on=day)


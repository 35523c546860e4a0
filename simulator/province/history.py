"""What was in force when: the structure of local government and the province's agencies, by date.

- **Structures.** Until 30/6/2025 local government had three levels below
  the centre (province, district, commune); from 1/7/2025 two (province,
  commune): DOMAIN.md §1, Law on the Organisation of Local Government
  no. 72/2025/QH15.
- **Agencies.** The province's specialised agencies (sở, ban, ngành), each
  in force over a period; one that ceased names the agency that took over
  its duties. From 1/3/2025 the Department of Information and
  Communications' duties belong to the Department of Science and Technology
  (DOMAIN.md §1; Decree 45/2025/NĐ-CP).

Both are rows of ``data/history.yaml``: a date is looked up in the table,
never compared in code. A period is ``[start, end)``: ``end`` is the first
day the thing is no longer in force.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import yaml

from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("vbdt")
_note = translator("province")
HISTORY = Path(__file__).with_name("data") / "history.yaml"
_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def as_day(value: date | datetime | str, field: str = "on") -> date:
    """A calendar day from a ``date``, a ``datetime`` or text written dd/mm/yyyy or YYYY-MM-DD."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _DMY.match(value)
        try:
            if match:
                day, month, year = (int(part) for part in match.groups())
                return date(year, month, day)
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise UserError(_("{field}: expected a date as dd/mm/yyyy or YYYY-MM-DD, got {value!r}.",
                      field=field, value=value), field=field)


def _in_force(start: date | None, end: date | None, day: date) -> bool:
    return (start is None or start <= day) and (end is None or day < end)


@dataclass(frozen=True)
class Era:
    """One structure of local government and the period it was in force."""

    structure: int            # the name the settings use: 2024 (3 levels) or 2025 (2 levels)
    levels: int               # levels below the centre
    start: date | None        # first day in force
    end: date | None          # first day no longer in force
    source: str               # where the unit list comes from
    list_day: date | None = None   # the day its unit list describes (None: not known)

    def in_force(self, day: date) -> bool:
        return _in_force(self.start, self.end, day)

    @property
    def typical_day(self) -> date:
        """The day a structure chosen by name, without a date, stands for."""
        return self.start if self.start else date(self.end.year - 1, 12, 31)


@dataclass(frozen=True)
class Agency:
    """A specialised agency of the province (sở, ban, ngành) and the period it existed."""

    name: str
    abbreviation: str              # used in document codes (SNV, STTTT...)
    start: date | None = None      # first day in force; None: before any date modelled
    end: date | None = None        # first day it no longer exists; None: still in force
    duties_to: str | None = None   # the agency that took over its duties when it ceased
    source: str = ""

    def in_force(self, day: date) -> bool:
        return _in_force(self.start, self.end, day)


@lru_cache(maxsize=1)
def _table() -> dict:
    return yaml.safe_load(HISTORY.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def eras() -> tuple[Era, ...]:
    """Every structure, oldest first."""
    return tuple(Era(row["structure"], row["levels"], row.get("from"), row.get("until"), row.get("source", ""),
                     row.get("list_date"))
                 for row in _table()["structures"])


def list_note(era: Era, day: date) -> str:
    """What a run dated ``day`` must be told about the unit list it uses, or "" when the list is of that time.

    No release of the unit data we can get has a list older than
    ``oldest_list`` in ``data/history.yaml`` (25/2/2020): a 2018 run uses the
    structure's list (4/1/2025) and says so."""
    if era.list_day is None or day >= era.list_day:
        return ""
    oldest = _table()["oldest_list"]
    values = dict(list_day=f"{era.list_day:%d/%m/%Y}", day=f"{day:%d/%m/%Y}", release=oldest["release"],
                  oldest=f"{oldest['date']:%d/%m/%Y}")
    if day < oldest["date"]:
        return _note("the unit list of {list_day} stands for {day}: no release of the unit data has the list of "
                     "that day (the oldest, {release}, is the list of {oldest}, after the 2019–2020 commune "
                     "mergers)", **values)
    return _note("the unit list of {list_day} stands for {day}: the older lists ({release} and later releases, "
                 "from {oldest}) are not loaded", **values)


def era_on(day: date | datetime | str) -> Era:
    """The structure in force on ``day``."""
    day = as_day(day)
    return next(era for era in eras() if era.in_force(day))


def structure_on(day: date | datetime | str) -> int:
    """The structure setting (2024: 3 levels, 2025: 2 levels) in force on ``day``."""
    return era_on(day).structure


def era_of(structure: int) -> Era:
    """The structure named by the old setting ``structure`` (2024 or 2025)."""
    for era in eras():
        if era.structure == structure:
            return era
    raise UserError(_("Unknown structure {value}; choose 2024 (3 levels) or 2025 (2 levels).", value=structure))


def agencies(rows: list[dict] | None = None) -> tuple[Agency, ...]:
    """The agency table: ``rows`` (a province's own list) or the default one, checked."""
    rows = _table()["agencies"] if rows is None else rows
    table = tuple(Agency(row["name"], row["abbreviation"], row.get("from"), row.get("until"),
                         row.get("duties_to"), " ".join(str(row.get("source", "")).split())) for row in rows)
    by_name = {a.name: a for a in table}
    if len(by_name) != len(table):
        raise ValueError("an agency appears twice in the agency table")
    for agency in table:
        if agency.duties_to is None:
            continue
        heir = by_name.get(agency.duties_to)
        if agency.end is None or heir is None or not heir.in_force(agency.end):
            raise ValueError(f"{agency.name}: its duties must go to an agency in force on the day it ceased")
    return table


def agencies_on(day: date, table: tuple[Agency, ...] | None = None) -> list[Agency]:
    """The agencies in force on ``day``, in the table's order."""
    return [a for a in (table if table is not None else agencies()) if a.in_force(day)]

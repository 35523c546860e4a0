"""The province's register of identifier codes over its history.

An identifier code (mã định danh, QCVN 102:2016/BTTTT), once given to a
unit, is never given to a different unit later: archives and old envelopes
still name it (DOMAIN.md §1–2). The register therefore lists every unit the
province has had in the structures we know, oldest first, and gives each
its code once:

- a unit that goes on (the People's Committee, a department that continues
  after 1/3/2025) keeps its code in every structure;
- a unit that ceased (a district on 1/7/2025, a department merged away on
  1/3/2025) keeps its code reserved, with the day it ceased and, where
  recorded, the unit that took over its duties;
- a new unit (a 2-level commune, a department formed in 2025) gets a new
  code, after every code already given under the same parent.

Codes come from an official list (the province's own decision, e.g.
Decision 662/QĐ-UBND of 13/2/2018 in Nghệ An) where it names the unit, and
are otherwise generated in QCVN 102 shape: departments from Y=01, the units
directly under the province (districts, then 2-level communes) from Y=40,
communes of a district from Z=01.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from simulator.province import codes as idcodes
from simulator.province.model import UnitKind
from simulator.text import fold

DEPARTMENT_START, DIRECT_START = 1, 40


def _key(name: str) -> str:
    return fold(" ".join(name.split()))


@dataclass(frozen=True)
class Entry:
    """One unit the province has had, with the code the register gave it."""

    key: tuple                       # the unit's identity across structures
    code: idcodes.IdentifierCode
    name: str                        # official name
    short_name: str                  # the administrative unit's own name
    kind: UnitKind
    parent: tuple | None             # the parent's key
    start: date | None               # first day it existed (None: before any date modelled)
    end: date | None                 # first day it no longer existed (None: still exists)
    duties_to: tuple | None = None   # the key of the unit that took over its duties


class Register:
    """Gives each unit of a province's history one code, and never the same code to two units."""

    def __init__(self, official: list[idcodes.OfficialEntry] = ()) -> None:
        self.entries: dict[tuple, Entry] = {}
        self._allocator = idcodes.CodeAllocator()
        self._official: dict[str, list[idcodes.OfficialEntry]] = {}
        for entry in official:
            self._allocator.reserve(entry.code)
            self._official.setdefault(_key(entry.name), []).append(entry)

    def _official_code(self, name: str, short_name: str, parent: str | None) -> idcodes.IdentifierCode | None:
        """An official list's code for this unit: matched by its official or short name as written
        (kind included: "Huyện Anh Sơn" is not "Xã Anh Sơn"), and by parent when the list gives one."""
        for key in (_key(name), _key(short_name)):
            candidates = self._official.get(key, [])
            for entry in candidates:
                if not entry.parent or parent is None or entry.parent == parent:
                    candidates.remove(entry)  # a code names one unit: the first (oldest) that matches
                    return entry.code
        return None

    def add(self, key: tuple, name: str, short_name: str, kind: UnitKind, parent: tuple | None = None, *,
            start: date | None = None, end: date | None = None, duties_to: tuple | None = None,
            level1: str | None = None) -> Entry:
        """Register a unit (once: a key registered before returns its entry unchanged)."""
        if key in self.entries:
            return self.entries[key]
        parent_code = self.entries[parent].code if parent is not None else None
        code = self._official_code(name, short_name, str(parent_code) if parent_code else None)
        if code is None and parent_code is None:
            code = idcodes.IdentifierCode(level1)
            if str(code) not in self._allocator.taken:
                self._allocator.reserve(code)
        elif code is None:
            start_at = 1
            if parent_code.depth == 1:
                start_at = DEPARTMENT_START if kind == UnitKind.DEPARTMENT else DIRECT_START
            code = self._allocator.allocate(parent_code, start_at)
        entry = Entry(key, code, name, short_name, kind, parent, start, end, duties_to)
        self.entries[key] = entry
        return entry

    def code(self, key: tuple) -> str:
        return str(self.entries[key].code)

    def check(self) -> None:
        """Every code names one unit (the allocator's guarantee, checked again on the result)."""
        seen: dict[str, tuple] = {}
        for entry in self.entries.values():
            other = seen.setdefault(str(entry.code), entry.key)
            if other != entry.key:
                raise ValueError(f"identifier code {entry.code} given to {other} and {entry.key}")

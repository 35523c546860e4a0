"""Identifier codes (mã định danh) of QCVN 102:2016/BTTTT.

Shape ``V1V2V3.Z1Z2.Y1Y2.Hnn``: 13 characters, read right to left.
``Hnn``/``Gnn`` is level 1 (a province / a central body), ``Y1Y2`` level 2,
``Z1Z2`` level 3 and ``V1V2V3`` level 4; zeros mean "the unit itself at the
level above". ``000.00.00.H41`` is the People's Committee of Nghệ An.

Codes below level 1 are assigned by each province's own decision (in Nghệ
An, Decision 662/QĐ-UBND of 13/2/2018). We generate them in the same shape
when no official list is given; a list (CSV of code, name, parent) replaces
the generated ones. Positions take digits; when a level runs out of the 99
two-digit values the allocator continues with an upper-case letter first
(A0..Z9), our own convention.
"""

from __future__ import annotations

import csv
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("vbdt")

_LEVEL1 = re.compile(r"^[GH][0-9]{2}$")
_ALNUM = re.compile(r"^[0-9A-Z]+$")
DATA = Path(__file__).with_name("data")


@dataclass(frozen=True, order=True)
class IdentifierCode:
    level1: str  # Hnn or Gnn
    level2: str = "00"
    level3: str = "00"
    level4: str = "000"

    def __post_init__(self) -> None:
        validate(str(self))

    def __str__(self) -> str:
        return f"{self.level4}.{self.level3}.{self.level2}.{self.level1}"

    @property
    def depth(self) -> int:
        """1 for a province or central body itself, up to 4."""
        if self.level4 != "000":
            return 4
        if self.level3 != "00":
            return 3
        if self.level2 != "00":
            return 2
        return 1

    @property
    def is_central(self) -> bool:
        return self.level1.startswith("G")

    @property
    def parent(self) -> "IdentifierCode | None":
        if self.depth == 1:
            return None
        if self.depth == 4:
            return IdentifierCode(self.level1, self.level2, self.level3)
        if self.depth == 3:
            return IdentifierCode(self.level1, self.level2)
        return IdentifierCode(self.level1)

    def child(self, part: str) -> "IdentifierCode":
        if self.depth == 1:
            return IdentifierCode(self.level1, part)
        if self.depth == 2:
            return IdentifierCode(self.level1, self.level2, part)
        if self.depth == 3:
            return IdentifierCode(self.level1, self.level2, self.level3, part)
        raise UserError(_("Code {code} is at level 4 and can have no child units.", code=self))


def validate(text: str) -> None:
    """Raise :class:`UserError` naming what is wrong with ``text``."""
    if not isinstance(text, str):
        raise UserError(_("An identifier code must be text, got {kind}.", kind=type(text).__name__))
    if len(text) != 13:
        raise UserError(
            _("Identifier code {code!r} has {n} characters; it must have 13 (V1V2V3.Z1Z2.Y1Y2.Hnn).",
              code=text, n=len(text)))
    for position in (3, 6, 9):
        if text[position] != ".":
            raise UserError(
                _("Identifier code {code!r}: character {pos} must be a dot (V1V2V3.Z1Z2.Y1Y2.Hnn).",
                  code=text, pos=position + 1))
    v, z, y, h = text.split(".")
    if not _LEVEL1.match(h):
        raise UserError(
            _("Identifier code {code!r}: level 1 {part!r} must be G or H followed by two digits (e.g. H41).",
              code=text, part=h))
    for label, part in ((_("level 2"), y), (_("level 3"), z), (_("level 4"), v)):
        if not _ALNUM.match(part):
            raise UserError(
                _("Identifier code {code!r}: {label} {part!r} may hold only digits and capital letters.",
                  code=text, label=label, part=part))
    if z != "00" and y == "00":
        raise UserError(
            _("Identifier code {code!r}: level 3 is set but level 2 is 00; a unit needs its parent level.",
              code=text))
    if v != "000" and z == "00":
        raise UserError(
            _("Identifier code {code!r}: level 4 is set but level 3 is 00; a unit needs its parent level.",
              code=text))


def parse(text: str) -> IdentifierCode:
    if isinstance(text, str):
        text = text.strip()
    validate(text)
    v, z, y, h = text.split(".")
    return IdentifierCode(h, y, z, v)


def is_valid(text: str) -> bool:
    try:
        validate(text)
    except UserError:
        return False
    return True


def part_values(width: int, start: int = 1) -> Iterator[str]:
    """Values a level takes in order: 01..99, then A0..Z9 (width 2); 001..999 then A00.. (width 3)."""
    for n in range(start, 10**width):
        yield str(n).zfill(width)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    digits = "0123456789"
    for first in letters:
        for rest in itertools.product(digits, repeat=width - 1):
            yield first + "".join(rest)


class CodeAllocator:
    """Hands out children of a parent code without collisions."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken: set[str] = set(taken or ())
        self._cursors: dict[tuple[str, int], Iterator[str]] = {}

    def reserve(self, code: str | IdentifierCode) -> None:
        text = str(code)
        if text in self.taken:
            raise UserError(_("Identifier code {code} is already in use.", code=text))
        self.taken.add(text)

    def allocate(self, parent: IdentifierCode, start: int = 1) -> IdentifierCode:
        width = 3 if parent.depth == 3 else 2
        key = (str(parent), start)
        cursor = self._cursors.setdefault(key, part_values(width, start))
        for part in cursor:
            code = parent.child(part)
            if str(code) not in self.taken:
                self.taken.add(str(code))
                return code
        raise UserError(_("No free identifier code is left under {code}.", code=parent))


def level1_codes() -> dict[str, str]:
    """Province name key -> level-1 code (H01..H63), from the standard's annex order."""
    from simulator.text import name_key

    codes = {}
    with open(DATA / "level1-codes.csv", encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        for row in rows:
            for alias in row["province"].split("|"):  # "Thừa Thiên Huế|Huế"
                codes[name_key(alias)] = row["code"]
    return codes


@dataclass(frozen=True)
class OfficialEntry:
    code: IdentifierCode
    name: str
    parent: str  # the parent's code, or empty


def load_official_list(path: str | Path) -> list[OfficialEntry]:
    """Read an official list: a CSV with the columns code, name, parent."""
    path = Path(path)
    if not path.exists():
        raise UserError(_("File not found: {path}", path=path))
    entries: list[OfficialEntry] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"code", "name"} - set(reader.fieldnames or ())
        if missing:
            raise UserError(_("{path}: missing column(s) {cols}; expected code, name, parent.",
                              path=path.name, cols=", ".join(sorted(missing))))
        for line_no, row in enumerate(reader, start=2):
            try:
                code = parse(row["code"] or "")
            except UserError as exc:
                raise UserError(f"{path.name}:{line_no}: {exc}") from None
            if str(code) in seen:
                raise UserError(_("{path}:{line}: identifier code {code} appears twice.",
                                  path=path.name, line=line_no, code=code))
            seen.add(str(code))
            name = (row.get("name") or "").strip()
            if not name:
                raise UserError(_("{path}:{line}: the name is empty.", path=path.name, line=line_no))
            entries.append(OfficialEntry(code, name, (row.get("parent") or "").strip()))
    return entries

"""Load a province as :class:`Province`: the structure and agencies in force on a date.

``load_province("Nghệ An", on=date(2026, 3, 2))`` gives the structure in
force that day (``data/history.yaml``: the 3-level one before 1/7/2025, the
2-level one from then), the province's agencies as they existed that day,
and the units ceased by then, whose codes stay reserved.

- 3 levels (province, district-level units, communes): the shipped
  ``units-2024.json.gz`` (vietnam-provinces 0.6.0, see ``build_data.py``).
- 2 levels (province, communes): the installed ``vietnam-provinces``
  (≥ 2025.8).

``structure=2024|2025`` chooses a structure explicitly (scenarios and the
CLI's ``--structure`` use it); the agencies still follow ``on``, which then
defaults to a day of that structure (31/12/2024, 1/7/2025). Given neither,
the 3-level structure of 31/12/2024. Every structure also holds a few
central bodies, the source and sink of the central level. Identifier codes
come from the province's register over all structures (``register.py``):
one code per unit, never reused.
"""

from __future__ import annotations

import bisect
import gzip
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import yaml

from simulator.errors import UserError
from simulator.i18n import current_language, translator
from simulator.province import codes as idcodes
from simulator.province import history
from simulator.province.model import (
    COMMUNE_2025_STAFFING, DEFAULT_STAFFING, FormerUnit, Level, Province, Unit, UnitKind,
)
from simulator.province.register import Register
from simulator.text import name_key, nfc

_ = translator("vbdt")
DATA = Path(__file__).with_name("data")
STRUCTURES = tuple(era.structure for era in history.eras())
DEFAULT_PROVINCE = "Nghệ An"
DEFAULT_STRUCTURE = 2024
_LEVEL1 = re.compile(r"^[GH][0-9]{2}$")

# Central bodies with their level-1 codes (DOMAIN.md §5: the DocumentId
# example 000.00.00.G22 is the Government Office; 000.00.18.G12 sits under
# the Ministry of Finance).
CENTRAL_BODIES = (
    ("000.00.00.G22", "Văn phòng Chính phủ", "VPCP"),
    ("000.00.00.G12", "Bộ Tài chính", "BTC"),
)

_PREFIX_TYPES = (
    ("Thành phố ", "thành phố"), ("Thị xã ", "thị xã"), ("Huyện ", "huyện"), ("Quận ", "quận"),
    ("Thị trấn ", "thị trấn"), ("Phường ", "phường"), ("Xã ", "xã"), ("Đặc khu ", "đặc khu"),
)


def _division(name: str) -> tuple[str, str]:
    """'Huyện Diễn Châu' -> ('huyện', 'Diễn Châu')."""
    for prefix, kind in _PREFIX_TYPES:
        if name.startswith(prefix):
            return kind, name[len(prefix):]
    return "", name


def _committee_name(short_name: str) -> str:
    kind, bare = _division(short_name)
    return f"Ủy ban nhân dân {kind} {bare}".replace("  ", " ") if kind else f"Ủy ban nhân dân {bare}"


def _bare(row: dict) -> str:
    return row["name"].removeprefix("Tỉnh ").removeprefix("Thành phố ")


@lru_cache(maxsize=1)
def _units_2024() -> dict:
    with gzip.open(DATA / "units-2024.json.gz", "rt", encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=1)
def _units_2025() -> list[dict]:
    import vietnam_provinces

    return json.loads(Path(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))


def _rows(structure: int) -> list[dict]:
    return _units_2024()["provinces"] if structure == 2024 else _units_2025()


@lru_cache(maxsize=8)
def _province_facts(key: str) -> dict:
    """Facts the unit lists do not carry: terrain of districts, and the province's own agency list if any."""
    path = DATA / f"{key.replace(' ', '-')}.yaml"
    facts = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {"agencies": history.agencies(facts.get("agencies")), "districts": facts.get("districts") or {}}


def province_names(structure: int = DEFAULT_STRUCTURE, *, on: date | str | None = None) -> list[str]:
    """The provinces of a structure (or of the structure in force ``on`` a date)."""
    if on is not None:
        structure = history.era_on(on).structure
    return [_bare(p) for p in _rows(int(structure))]


def _find_row(code_or_name: str, structure: int) -> tuple[dict, str]:
    """A province's row in a structure, and its level-1 code, by name or by identifier code."""
    text = code_or_name.strip()
    wanted = None
    if _LEVEL1.match(text) or idcodes.is_valid(text):
        wanted = text if _LEVEL1.match(text) else idcodes.parse(text).level1
    level1 = idcodes.level1_codes()
    for row in _rows(structure):
        code = level1.get(name_key(_bare(row)))
        if code == wanted if wanted is not None else name_key(row["name"]) == name_key(text):
            if code is None:
                raise UserError(_("No level-1 identifier code is known for {name!r}.", name=_bare(row)))
            return row, code
    raise UserError(_("Unknown province {name!r} in the {structure} structure.", name=code_or_name,
                      structure=structure))


def _row_of(level1: str, structure: int) -> dict | None:
    codes = idcodes.level1_codes()
    return next((row for row in _rows(structure) if codes.get(name_key(_bare(row))) == level1), None)


@dataclass
class _Proto:
    key: tuple
    name: str
    short_name: str
    kind: UnitKind
    level: Level
    abbreviation: str
    place: str
    admin_code: int | None = None
    division_type: str = ""
    terrain: str = "plain"
    distance_km: float = 0.0
    children: list["_Proto"] = field(default_factory=list)


def _committee(row: dict) -> _Proto:
    bare, city = _bare(row), row["name"].startswith("Thành phố")
    return _Proto(("committee",), f"Ủy ban nhân dân {'thành phố' if city else 'tỉnh'} {bare}",
                  f"{'Thành phố' if city else 'Tỉnh'} {bare}", UnitKind.PROVINCE_COMMITTEE, Level.PROVINCE,
                  "UBND", bare, row["code"], "tỉnh")


def _three_level(row: dict, facts: dict) -> list[_Proto]:
    """District-level units, each with its communes (until 30/6/2025)."""
    district_facts = {name_key(k): v for k, v in facts["districts"].items()}
    districts = []
    for d in row["districts"]:
        dtype, dbare = _division(d["name"])
        info = district_facts.get(name_key(d["name"]), {})
        terrain, km = info.get("terrain", "plain"), float(info.get("km", 40))
        district = _Proto(("district", d["code"]), _committee_name(d["name"]), d["name"],
                          UnitKind.DISTRICT_COMMITTEE, Level.DISTRICT, "UBND", dbare, d["code"], dtype, terrain, km)
        for w_name, w_code in d["wards"]:
            wtype, wbare = _division(w_name)
            district.children.append(_Proto(("commune-3", w_code), _committee_name(w_name), w_name,
                                            UnitKind.COMMUNE_COMMITTEE, Level.COMMUNE, "UBND", wbare, w_code,
                                            wtype, terrain, km))
        districts.append(district)
    return districts


def _two_level(row: dict, old: list[_Proto]) -> list[_Proto]:
    """Communes directly under the province (from 1/7/2025). Where one keeps an old commune's or
    district's name, it inherits its terrain."""
    terrain: dict[str, tuple[str, float]] = {}
    for district in old:
        value = (district.terrain, district.distance_km)
        terrain.setdefault(name_key(district.short_name), value)
        for commune in district.children:
            terrain.setdefault(name_key(commune.short_name), value)
    communes = []
    for w in row["wards"]:
        wtype, wbare = _division(w["name"])
        where, km = terrain.get(name_key(w["name"]), ("plain", 40.0))
        communes.append(_Proto(("commune-2", w["code"]), _committee_name(w["name"]), w["name"],
                               UnitKind.COMMUNE_COMMITTEE, Level.COMMUNE, "UBND", wbare, w["code"], wtype, where, km))
    return communes


@dataclass(frozen=True)
class _History:
    """Everything a province has had, with its register of codes."""

    level1: str
    register: Register
    committees: dict          # structure -> committee proto
    direct: dict              # structure -> protos directly under the committee (districts or communes)
    agencies: tuple           # history.Agency rows
    boundaries: tuple         # every day on which something started or ended, sorted


@lru_cache(maxsize=16)
def _history(level1: str, official_list: str | None) -> _History:
    official = idcodes.load_official_list(official_list) if official_list else []
    register = Register(official)
    committees, direct = {}, {}
    old: list[_Proto] = []
    facts = None
    for era in history.eras():
        row = _row_of(level1, era.structure)
        if row is None:
            continue
        if facts is None:
            facts = _province_facts(name_key(_bare(row)))
        committees[era.structure] = _committee(row)
        direct[era.structure] = _three_level(row, facts) if era.levels == 3 else _two_level(row, old)
        old = direct[era.structure] if era.levels == 3 else old
    first = committees[min(committees)]
    register.add(first.key, first.name, first.short_name, first.kind, level1=level1)
    for agency in facts["agencies"]:
        register.add(("agency", agency.name), agency.name, agency.name, UnitKind.DEPARTMENT, ("committee",),
                     start=agency.start, end=agency.end,
                     duties_to=("agency", agency.duties_to) if agency.duties_to else None)
    for era in history.eras():
        for proto in direct.get(era.structure, []):
            register.add(proto.key, proto.name, proto.short_name, proto.kind, ("committee",),
                         start=era.start, end=era.end)
            for child in proto.children:
                register.add(child.key, child.name, child.short_name, child.kind, proto.key,
                             start=era.start, end=era.end)
    register.check()
    days = {d for e in register.entries.values() for d in (e.start, e.end) if d is not None}
    return _History(level1, register, committees, direct, facts["agencies"], tuple(sorted(days)))


def load_province(
    code_or_name: str = DEFAULT_PROVINCE,
    structure: int | str | None = None,
    *,
    on: date | datetime | str | None = None,
    as_of: date | None = None,
    official_list: str | Path | None = None,
) -> Province:
    """The province named (or whose identifier code is given) as it was ``on`` a date.

    ``structure`` (2024: 3 levels, 2025: 2 levels) overrides the structure the
    date would choose. ``as_of`` is the older name of ``on``.
    """
    day = history.as_day(on) if on is not None else (history.as_day(as_of) if as_of is not None else None)
    if structure is None:
        era = history.era_on(day) if day is not None else history.era_of(DEFAULT_STRUCTURE)
    else:
        try:
            era = history.era_of(int(structure))
        except (TypeError, ValueError):
            raise UserError(_("Unknown structure {value}; choose 2024 (3 levels) or 2025 (2 levels).",
                              value=structure)) from None
    day = day or era.typical_day
    _row, level1 = _find_row(nfc(str(code_or_name)), era.structure)
    official = str(official_list) if official_list else None
    past = _history(level1, official)
    period = bisect.bisect_right(past.boundaries, day)
    moment = past.boundaries[period - 1] if period else date.min
    return _dated(level1, era.structure, moment, official, day, current_language())


@lru_cache(maxsize=64)
def _dated(level1: str, structure: int, moment: date, official_list: str | None, day: date,
           lang: str) -> Province:
    """The structure of ``moment`` dated ``day`` (one object for the same question asked twice, in one
    language); its ``source`` says when the unit list is not of that day (:func:`history.list_note`)."""
    province = _load(level1, structure, moment, official_list)
    note = history.list_note(history.era_of(structure), day)
    return replace(province, on=day, source=f"{province.source}; {note}" if note else province.source,
                   list_note=note)


@lru_cache(maxsize=32)
def _load(level1: str, structure: int, moment: date, official_list: str | None) -> Province:
    """The structure as it stood from ``moment`` (the last day anything changed) on."""
    past = _history(level1, official_list)
    register = past.register
    top = past.committees[structure]
    bare = top.place

    units: list[Unit] = [
        Unit(code, body, body, Level.CENTRAL, UnitKind.CENTRAL_BODY, abbrev, "Hà Nội",
             staffing=DEFAULT_STAFFING[UnitKind.CENTRAL_BODY], terrain="urban", distance_km=300.0)
        for code, body, abbrev in CENTRAL_BODIES
    ]
    live: set[tuple] = set()

    def emit(proto: _Proto, parent: str | None, district: str | None) -> None:
        code = register.code(proto.key)
        live.add(proto.key)
        staffing = DEFAULT_STAFFING[proto.kind]
        if structure == 2025 and proto.kind == UnitKind.COMMUNE_COMMITTEE:
            staffing = COMMUNE_2025_STAFFING
        units.append(Unit(code, proto.name, proto.short_name, proto.level, proto.kind, proto.abbreviation,
                          proto.place, parent, proto.admin_code, proto.division_type, proto.terrain,
                          proto.distance_km, staffing, district=district))
        for child in proto.children:
            emit(child, code, code if proto.kind == UnitKind.DISTRICT_COMMITTEE else None)

    departments = [_Proto(("agency", a.name), a.name, a.name, UnitKind.DEPARTMENT, Level.PROVINCE,
                          a.abbreviation, bare) for a in history.agencies_on(moment, past.agencies)]
    emit(replace(top, children=departments + past.direct[structure]), None, None)

    former = tuple(
        FormerUnit(str(e.code), e.name, e.short_name, e.kind, e.end,
                   register.code(e.duties_to) if e.duties_to else None)
        for e in register.entries.values() if e.key not in live and e.end is not None and e.end <= moment)
    label = next(era.source for era in history.eras() if era.structure == structure)
    if official_list:
        label += f"; codes from {Path(official_list).name}"
    return Province(bare, structure, level1, tuple(units), label, former=former)

"""Load a province's structure as :class:`Province`.

- 2024: the 3-level structure (province, district-level units, communes)
  from the shipped ``units-2024.json.gz`` (vietnam-provinces 0.6.0, see
  ``build_data.py``), valid until 30/6/2025.
- 2025: the 2-level structure from 1/7/2025, read from the installed
  ``vietnam-provinces`` (≥ 2025.8).

Every structure also holds the province's People's Committee, its
departments (the list in force on ``as_of``) and a few central bodies, the
source and sink of the central level. Codes are allocated in QCVN 102 shape
(departments from Y=01, district-level units and 2025 communes from Y=40,
communes of a district from Z=01) unless an official list gives them.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from simulator.errors import UserError
from simulator.i18n import translator
from simulator.province import codes as idcodes
from simulator.province.model import (
    COMMUNE_2025_STAFFING, DEFAULT_STAFFING, Level, Province, Unit, UnitKind,
)
from simulator.text import name_key, nfc

_ = translator("vbdt")
DATA = Path(__file__).with_name("data")
STRUCTURES = (2024, 2025)
DEFAULT_PROVINCE = "Nghệ An"
DEPARTMENT_REFORM = date(2025, 3, 1)
DEPARTMENT_START, DISTRICT_START = 1, 40

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


@lru_cache(maxsize=1)
def _units_2024() -> dict:
    with gzip.open(DATA / "units-2024.json.gz", "rt", encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=1)
def _units_2025() -> list[dict]:
    import vietnam_provinces

    return json.loads(Path(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def _province_facts(key: str) -> dict:
    path = DATA / f"{key.replace(' ', '-')}.yaml"
    if not path.exists():
        path = DATA / "nghe-an.yaml"  # department lists are national in shape: reuse them
        facts = yaml.safe_load(path.read_text(encoding="utf-8"))
        return {"departments": facts["departments"], "districts": {}}
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def province_names(structure: int = 2024) -> list[str]:
    if structure == 2024:
        return [_division(p["name"])[1] if not p["name"].startswith("Tỉnh ") else p["name"][5:]
                for p in _units_2024()["provinces"]]
    return [p["name"].removeprefix("Thành phố ") for p in _units_2025()]


def _find_source(name: str, structure: int) -> dict:
    key = name_key(name)
    rows = _units_2024()["provinces"] if structure == 2024 else _units_2025()
    for row in rows:
        if name_key(row["name"]) == key:
            return row
    raise UserError(_("Unknown province {name!r} in the {structure} structure.", name=name, structure=structure))


@dataclass
class _Proto:
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
    start: int = 1  # first two-digit value for this unit's children


def load_province(
    name: str = DEFAULT_PROVINCE,
    structure: int = 2024,
    *,
    as_of: date | None = None,
    official_list: str | Path | None = None,
) -> Province:
    """The units of ``name`` in the given structure, each with a unique code."""
    return _load(nfc(name), int(structure), as_of, str(official_list) if official_list else None)


@lru_cache(maxsize=16)
def _load(name: str, structure: int, as_of: date | None, official_list: str | None) -> Province:
    if structure not in STRUCTURES:
        raise UserError(_("Unknown structure {value}; choose 2024 (3 levels) or 2025 (2 levels).", value=structure))
    source = _find_source(name, structure)
    bare = source["name"].removeprefix("Tỉnh ").removeprefix("Thành phố ")
    level1 = idcodes.level1_codes().get(name_key(bare))
    if level1 is None:
        raise UserError(_("No level-1 identifier code is known for {name!r}.", name=bare))
    facts = _province_facts(name_key(bare))
    as_of = as_of or (date(2024, 12, 31) if structure == 2024 else date(2025, 7, 1))
    dept_key = "from-2025-03-01" if as_of >= DEPARTMENT_REFORM else "before-2025-03-01"

    city = source["name"].startswith("Thành phố")
    top = _Proto(f"Ủy ban nhân dân {'thành phố' if city else 'tỉnh'} {bare}",
                 f"{'Thành phố' if city else 'Tỉnh'} {bare}",
                 UnitKind.PROVINCE_COMMITTEE, Level.PROVINCE, "UBND", bare, source["code"], "tỉnh")
    for dept_name, abbrev in facts["departments"][dept_key]:
        top.children.append(_Proto(dept_name, dept_name, UnitKind.DEPARTMENT, Level.PROVINCE, abbrev, bare))

    district_facts = {name_key(k): v for k, v in (facts.get("districts") or {}).items()}
    commune_terrain: dict[str, tuple[str, float]] = {}
    if structure == 2024:
        for d in source["districts"]:
            dtype, dbare = _division(d["name"])
            info = district_facts.get(name_key(d["name"]), {})
            terrain, km = info.get("terrain", "plain"), float(info.get("km", 40))
            district = _Proto(_committee_name(d["name"]), d["name"], UnitKind.DISTRICT_COMMITTEE,
                              Level.DISTRICT, "UBND", dbare, d["code"], dtype, terrain, km)
            for w_name, w_code in d["wards"]:
                wtype, wbare = _division(w_name)
                district.children.append(_Proto(_committee_name(w_name), w_name, UnitKind.COMMUNE_COMMITTEE,
                                                Level.COMMUNE, "UBND", wbare, w_code, wtype, terrain, km))
            top.children.append(district)
    else:
        # Where a 2025 commune keeps an old commune's or district's name, it inherits its terrain.
        old = _units_2024()["provinces"]
        for p in old:
            if name_key(p["name"]) == name_key(bare):
                for d in p["districts"]:
                    info = district_facts.get(name_key(d["name"]), {})
                    value = (info.get("terrain", "plain"), float(info.get("km", 40)))
                    commune_terrain.setdefault(name_key(d["name"]), value)
                    for w_name, _code in d["wards"]:
                        commune_terrain.setdefault(name_key(w_name), value)
        for w in source["wards"]:
            wtype, wbare = _division(w["name"])
            terrain, km = commune_terrain.get(name_key(w["name"]), ("plain", 40.0))
            commune = _Proto(_committee_name(w["name"]), w["name"], UnitKind.COMMUNE_COMMITTEE,
                             Level.COMMUNE, "UBND", wbare, w["code"], wtype, terrain, km)
            top.children.append(commune)

    official = idcodes.load_official_list(official_list) if official_list else []
    official_by_name = {name_key(e.name): e for e in official}
    allocator = idcodes.CodeAllocator()
    for entry in official:
        allocator.reserve(entry.code)

    units: list[Unit] = [
        Unit(code, body, body, Level.CENTRAL, UnitKind.CENTRAL_BODY, abbrev, "Hà Nội",
             staffing=DEFAULT_STAFFING[UnitKind.CENTRAL_BODY], terrain="urban", distance_km=300.0)
        for code, body, abbrev in CENTRAL_BODIES
    ]

    def official_code(proto: _Proto) -> idcodes.IdentifierCode | None:
        entry = official_by_name.get(name_key(proto.name)) or official_by_name.get(name_key(proto.short_name))
        return entry.code if entry else None

    def emit(proto: _Proto, code: idcodes.IdentifierCode, parent: str | None, district: str | None) -> None:
        staffing = DEFAULT_STAFFING[proto.kind]
        if structure == 2025 and proto.kind == UnitKind.COMMUNE_COMMITTEE:
            staffing = COMMUNE_2025_STAFFING
        units.append(Unit(str(code), proto.name, proto.short_name, proto.level, proto.kind,
                          proto.abbreviation, proto.place, parent, proto.admin_code, proto.division_type,
                          proto.terrain, proto.distance_km, staffing, district=district))
        for child in proto.children:
            child_code = official_code(child)
            if child_code is None:
                start = DEPARTMENT_START if child.kind == UnitKind.DEPARTMENT else DISTRICT_START
                start = start if code.depth == 1 else 1
                child_code = allocator.allocate(code, start)
            child_district = str(code) if proto.kind == UnitKind.DISTRICT_COMMITTEE else None
            emit(child, child_code, str(code), child_district)

    top_code = official_code(top) or idcodes.IdentifierCode(level1)
    if str(top_code) not in allocator.taken:
        allocator.reserve(top_code)
    emit(top, top_code, None, None)
    label = "vietnam-provinces 0.6.0 (3 levels)" if structure == 2024 else "vietnam-provinces (2 levels, from 1/7/2025)"
    if official_list:
        label += f"; codes from {Path(official_list).name}"
    return Province(bare, structure, level1, tuple(units), label)

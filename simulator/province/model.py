"""The province as small immutable types: levels, roles, units, staffing, equipment."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum, IntEnum
from types import MappingProxyType
from typing import Iterator, Mapping


class Level(IntEnum):
    """The four levels of 'liên thông 4 cấp' (plan 338/KH-UBND, 2018)."""

    CENTRAL = 0
    PROVINCE = 1
    DISTRICT = 2
    COMMUNE = 3

    @property
    def label_vi(self) -> str:
        return ("Trung ương", "Tỉnh", "Huyện", "Xã")[self]


class Role(str, Enum):
    """Roles in document work (Decree 30/2020/NĐ-CP)."""

    CLERK = "van_thu"          # văn thư: receives, registers, numbers, seals, dispatches
    LEADER = "lanh_dao"        # lãnh đạo: approves, signs, assigns handling
    SPECIALIST = "chuyen_vien" # chuyên viên: drafts and handles
    ADMIN = "quan_tri"         # người được giao quản trị hệ thống

    @property
    def label_vi(self) -> str:
        return {"van_thu": "Văn thư", "lanh_dao": "Lãnh đạo",
                "chuyen_vien": "Chuyên viên", "quan_tri": "Quản trị hệ thống"}[self.value]


class UnitKind(str, Enum):
    CENTRAL_BODY = "central_body"
    PROVINCE_COMMITTEE = "province_committee"   # UBND tỉnh
    DEPARTMENT = "department"                   # sở, ban, ngành
    DISTRICT_COMMITTEE = "district_committee"   # UBND huyện / thị xã / thành phố
    COMMUNE_COMMITTEE = "commune_committee"     # UBND xã / phường / thị trấn


@dataclass(frozen=True)
class Staffing:
    """Staff of one unit by role."""

    clerks: int
    leaders: int
    specialists: int
    admins: int

    def count(self, role: Role) -> int:
        return {Role.CLERK: self.clerks, Role.LEADER: self.leaders,
                Role.SPECIALIST: self.specialists, Role.ADMIN: self.admins}[role]

    @property
    def total(self) -> int:
        return self.clerks + self.leaders + self.specialists + self.admins


# Documented defaults (an assumption, overridable per scenario):
# - a commune (3-level era) has a chairman and 1-2 deputies, about a dozen
#   civil servants, one văn thư who often also keeps the archive, and one
#   person given system administration part-time;
# - a commune after 7/2025 absorbs 3-4 old communes: roughly double staff;
# - a district committee office and a department have a few clerks and
#   several dozen specialists;
# - the province committee's office (VP UBND) handles the heaviest traffic.
DEFAULT_STAFFING: Mapping[UnitKind, Staffing] = MappingProxyType({
    UnitKind.CENTRAL_BODY: Staffing(clerks=4, leaders=6, specialists=60, admins=2),
    UnitKind.PROVINCE_COMMITTEE: Staffing(clerks=4, leaders=6, specialists=80, admins=2),
    UnitKind.DEPARTMENT: Staffing(clerks=2, leaders=4, specialists=45, admins=1),
    UnitKind.DISTRICT_COMMITTEE: Staffing(clerks=2, leaders=4, specialists=40, admins=1),
    UnitKind.COMMUNE_COMMITTEE: Staffing(clerks=1, leaders=3, specialists=12, admins=1),
})
COMMUNE_2025_STAFFING = Staffing(clerks=2, leaders=4, specialists=30, admins=1)


@dataclass(frozen=True)
class Equipment:
    """Equipment indicators of the plan (IV.1-IV.5); scenarios set them."""

    has_document_system: bool = True     # IV.2
    connected_to_axis: bool = True       # IV.1
    certificate_share: float = 1.0       # IV.3 share of signers with a certificate
    mailbox_share: float = 1.0           # IV.4 share of staff with an official mailbox
    computer_share: float = 1.0          # IV.5 computers per staff

    def __post_init__(self) -> None:
        for name in ("certificate_share", "mailbox_share", "computer_share"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")


@dataclass(frozen=True)
class Unit:
    code: str                 # QCVN 102 identifier code
    name: str                 # official name, e.g. "Ủy ban nhân dân xã Diễn Kim"
    short_name: str           # the administrative unit, e.g. "Xã Diễn Kim"
    level: Level
    kind: UnitKind
    abbreviation: str         # used in document codes: UBND, SNV...
    place: str                # place name on documents ("Diễn Châu, ngày ...")
    parent: str | None = None # parent unit's identifier code
    admin_code: int | None = None  # statistical administrative code (a different scheme)
    division_type: str = ""   # tỉnh, huyện, thị xã, thành phố, xã, phường, thị trấn
    terrain: str = "plain"    # urban, plain, coastal, midland, mountain, high-mountain
    distance_km: float = 0.0  # road distance from the provincial capital
    staffing: Staffing = field(default_factory=lambda: DEFAULT_STAFFING[UnitKind.COMMUNE_COMMITTEE])
    equipment: Equipment = field(default_factory=Equipment)
    district: str | None = None  # code of the district-level unit it belongs to (3-level era)

    def with_equipment(self, **changes) -> "Unit":
        return replace(self, equipment=replace(self.equipment, **changes))


@dataclass(frozen=True)
class FormerUnit:
    """A unit that ceased before the structure's date; its identifier code stays reserved.

    A code is never given to a different unit later: archives and old
    envelopes still name it (DOMAIN.md §1).
    """

    code: str                 # the code it had, reserved for ever
    name: str
    short_name: str
    kind: UnitKind
    ceased: date              # the first day it no longer existed
    duties_to: str | None = None  # code of the unit that took over its duties, where recorded


@dataclass(frozen=True)
class Province:
    """One structure of a province on a date: every unit with a unique identifier code."""

    name: str
    structure: int            # 2024 (3 levels) or 2025 (2 levels)
    level1_code: str
    units: tuple[Unit, ...]
    source: str = ""
    on: date | None = None    # the date this structure and these agencies are in force on
    former: tuple[FormerUnit, ...] = ()  # units ceased by then; their codes stay reserved
    list_note: str = ""       # when the unit list is not of ``on``'s time: which list stands for it, and why

    def __post_init__(self) -> None:
        index = {}
        for unit in self.units:
            if unit.code in index:
                raise ValueError(f"duplicate identifier code {unit.code}")
            index[unit.code] = unit
        former = {}
        for unit in self.former:
            if unit.code in index or unit.code in former:
                raise ValueError(f"identifier code {unit.code} of a former unit is reused")
            former[unit.code] = unit
        object.__setattr__(self, "_index", MappingProxyType(index))
        object.__setattr__(self, "_former", MappingProxyType(former))

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)

    def unit(self, code: str) -> Unit:
        return self._index[code]

    def get(self, code: str) -> Unit | None:
        return self._index.get(code)

    def by_level(self, level: Level) -> list[Unit]:
        return [u for u in self.units if u.level == level]

    def by_kind(self, kind: UnitKind) -> list[Unit]:
        return [u for u in self.units if u.kind == kind]

    def children(self, code: str) -> list[Unit]:
        return [u for u in self.units if u.parent == code]

    @property
    def committee(self) -> Unit:
        return self.by_kind(UnitKind.PROVINCE_COMMITTEE)[0]

    @property
    def districts(self) -> list[Unit]:
        return self.by_kind(UnitKind.DISTRICT_COMMITTEE)

    @property
    def communes(self) -> list[Unit]:
        return self.by_kind(UnitKind.COMMUNE_COMMITTEE)

    @property
    def departments(self) -> list[Unit]:
        return self.by_kind(UnitKind.DEPARTMENT)

    def find(self, name: str) -> Unit:
        """Find a unit by code or name, ignoring case and tone marks ("Huyện Kỳ Sơn", "ky son")."""
        from simulator.errors import UserError
        from simulator.i18n import translator
        from simulator.text import fold, name_key

        _ = translator("vbdt")
        if name in self._index:
            return self._index[name]
        full = fold(" ".join(name.split()))
        for candidates in (
            [u for u in self.units if full in (fold(u.short_name), fold(u.name))],
            [u for u in self.units if name_key(name) in (name_key(u.short_name), name_key(u.name))],
            [u for u in self.units if full in fold(u.name)],
        ):
            if len(candidates) == 1:
                return candidates[0]
            if len(candidates) > 1:
                shown = ", ".join(u.short_name for u in candidates[:5])
                raise UserError(_("Unit name {name!r} is ambiguous ({units}); give the full name.",
                                  name=name, units=shown), field="unit")
        gone = self.former_unit(name)
        if gone is not None:
            heir = self.get(gone.duties_to) if gone.duties_to else None
            if heir is not None:
                raise UserError(_("{name} no longer exists from {day:%d/%m/%Y}; its duties belong to {heir}.",
                                  name=gone.name, day=gone.ceased, heir=heir.name), field="unit")
            raise UserError(_("{name} no longer exists from {day:%d/%m/%Y}; its code {code} stays reserved.",
                              name=gone.name, day=gone.ceased, code=gone.code), field="unit")
        raise UserError(_("Unknown unit {name!r} in {province}.", name=name, province=self.name), field="unit")

    def former_unit(self, name: str) -> FormerUnit | None:
        """A unit that ceased by this structure's date, by its code or its exact name."""
        from simulator.text import name_key

        if name in self._former:
            return self._former[name]
        matches = [u for u in self.former if name_key(name) in (name_key(u.name), name_key(u.short_name))]
        return matches[0] if len(matches) == 1 else None

    def holder_of(self, name: str) -> Unit:
        """The unit that holds a unit's duties on this date: the unit itself while it exists,
        otherwise the unit its duties went to (e.g. from 1/3/2025 the Department of Science and
        Technology holds the Department of Information and Communications' duties)."""
        from simulator.text import fold

        full = fold(" ".join(name.split()))
        live = [u for u in self.units if name == u.code or full in (fold(u.short_name), fold(u.name))]
        if len(live) == 1:
            return live[0]
        gone = self.former_unit(name)
        while gone is not None and gone.duties_to:
            if gone.duties_to in self._index:
                return self._index[gone.duties_to]
            gone = self._former.get(gone.duties_to)
        return self.find(name)

    def replace_units(self, units) -> "Province":
        return replace(self, units=tuple(units))

"""The province: units, levels, roles, identifier codes and loaders for real unit lists."""

from simulator.province.codes import IdentifierCode, is_valid, load_official_list, parse, validate
from simulator.province.loader import load_province, province_names
from simulator.province.model import (
    DEFAULT_STAFFING, Equipment, Level, Province, Role, Staffing, Unit, UnitKind,
)

__all__ = [
    "DEFAULT_STAFFING", "Equipment", "IdentifierCode", "Level", "Province", "Role", "Staffing",
    "Unit", "UnitKind", "is_valid", "load_official_list", "load_province", "parse",
    "province_names", "validate",
]

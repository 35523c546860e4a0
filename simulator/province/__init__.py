"""The province: units, levels, roles, identifier codes, loaders for real unit lists, and what was in force when."""

from simulator.province.codes import IdentifierCode, is_valid, load_official_list, parse, validate
from simulator.province.history import agencies_on, structure_on
from simulator.province.loader import load_province, province_names
from simulator.province.model import (
    DEFAULT_STAFFING, Equipment, FormerUnit, Level, Province, Role, Staffing, Unit, UnitKind,
)

__all__ = [
    "DEFAULT_STAFFING", "Equipment", "FormerUnit", "IdentifierCode", "Level", "Province", "Role", "Staffing",
    "Unit", "UnitKind", "agencies_on", "is_valid", "load_official_list", "load_province", "parse",
    "province_names", "structure_on", "validate",
]

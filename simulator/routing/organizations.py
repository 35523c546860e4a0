"""``From`` and ``To`` of an envelope as the identifier registry knows the organisation (QCVN 102:2016).

QCVN 102 gives an organisation ``OrganId``, ``OrganizationInCharge``,
``OrganName``, ``OrganAdd``, ``Email``, ``Telephone``, ``Fax`` and
``Website`` (DOMAIN.md §5). What the province's register of units knows
fills them:

- ``OrganizationInCharge`` (cơ quan chủ quản): the name of the unit's
  parent in the register (a department's and a district's: the provincial
  People's Committee; a commune's: its district, or the province after
  1/7/2025);
- ``OrganAdd``: the administrative address, the unit's own division then
  its parents' (Decree 30, Appendix II: the generic word lower-case inside
  a name, "Phường Đông Vĩnh, thành phố Vinh, tỉnh Nghệ An"); an agency
  without a division of its own (a department) is at its parent's;
- ``Email``: the unit's official mailbox, ``vanthu.<unit>@<province>.gov.vn``
  (the province's mail convention, :mod:`simulator.mail.address`);
- ``Website``: the province's portal for the provincial People's Committee;
- ``Telephone``, ``Fax`` (and a ``Website`` of another unit): only where a
  unit record carries them (attributes ``telephone``, ``fax``, ``website``,
  ``email``, ``address``); the register has no telephone numbers, and none
  are invented.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.routing.envelope import Organization
from simulator.text import nfc

if TYPE_CHECKING:
    from simulator.province.model import Province, Unit

_SLUGS: dict[int, tuple[object, dict[str, str]]] = {}  # id(province) -> (province, code -> mail slug)


def _slugs(province: "Province") -> dict[str, str]:
    cached = _SLUGS.get(id(province))
    if cached is None or cached[0] is not province:
        from simulator.mail.address import unit_slugs

        cached = _SLUGS[id(province)] = (province, unit_slugs(province.units))
    return cached[1]


def _division(unit: "Unit") -> str:
    """'phường Đông Vĩnh': the generic word lower-case, the proper name as written."""
    kind = unit.division_type
    name = unit.short_name
    if kind and name.lower().startswith(kind.lower() + " "):
        return f"{kind.lower()} {name[len(kind) + 1:]}"
    return ""


def address_of(unit: "Unit", province: "Province") -> str:
    """The administrative address: the unit's division, then its parents' up to the province."""
    parts = []
    seen = set()
    current = unit
    while current is not None and current.code not in seen:
        seen.add(current.code)
        part = _division(current)
        if part:
            parts.append(part)
        current = province.get(current.parent) if current.parent else None
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def in_charge_of(unit: "Unit", province: "Province") -> str:
    """The name of the organisation in charge (the unit's parent in the register), or ''."""
    parent = province.get(unit.parent) if unit.parent else None
    return parent.name if parent is not None else ""


def email_of(unit: "Unit", province: "Province") -> str:
    from simulator.mail.address import domain_for, unit_address

    slug = _slugs(province).get(unit.code)
    return unit_address(slug, domain_for(province.name)) if slug else ""


def website_of(unit: "Unit", province: "Province") -> str:
    from simulator.mail.address import domain_for
    from simulator.province.model import UnitKind

    return f"https://{domain_for(province.name)}" if unit.kind == UnitKind.PROVINCE_COMMITTEE else ""


def registry_organization(unit: "Unit", province: "Province | None" = None) -> Organization:
    """An ``Organization`` with every field the register knows about ``unit`` (see the module's notes)."""
    def own(name: str) -> str:
        return nfc(str(getattr(unit, name, "") or ""))

    if province is None or province.get(unit.code) is None:
        return Organization(organ_id=unit.code, organ_name=nfc(getattr(unit, "name", "")),
                            organ_add=own("address") or own("place"), email=own("email"),
                            telephone=own("telephone"), fax=own("fax"), website=own("website"))
    return Organization(
        organ_id=unit.code,
        organ_name=nfc(unit.name),
        organization_in_charge=nfc(in_charge_of(unit, province)),
        organ_add=own("address") or nfc(address_of(unit, province)),
        email=own("email") or email_of(unit, province),
        telephone=own("telephone"),
        fax=own("fax"),
        website=own("website") or website_of(unit, province),
    )

"""``vbdt province``: show a structure, explain an identifier code."""

from __future__ import annotations

from collections import Counter

import click

from simulator.cli.common import STRUCTURE, echo_json
from simulator.i18n import translator
from simulator.province import Level, load_province, parse
from simulator.province.history import as_day

_ = translator("vbdt")


@click.group()
def province() -> None:
    """Đơn vị hành chính và mã định danh (units and identifier codes)."""


@province.command("show")
@click.option("--name", default="Nghệ An", show_default=True, help="Province name.")
@click.option("--on", "on", default=None, metavar="DATE",
              help="The structure and agencies in force on this date (dd/mm/yyyy or YYYY-MM-DD).")
@click.option("--structure", type=STRUCTURE, default=None, help="Force a structure (default: the one in force).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def show(name: str, on: str | None, structure: str | None, as_json: bool) -> None:
    """Show the units of a province as they were on a date (or in one structure)."""
    day = as_day(on, field="--on") if on is not None else None
    prov = load_province(name, int(structure) if structure else None, on=day)
    if as_json:
        echo_json({
            "province": prov.name, "structure": prov.structure, "level1_code": prov.level1_code,
            "source": prov.source, "on": prov.on.isoformat(),
            "units": [{"code": u.code, "name": u.name, "level": u.level.name.lower(), "kind": u.kind.value,
                       "parent": u.parent, "admin_code": u.admin_code} for u in prov.units],
            "former": [{"code": u.code, "name": u.name, "kind": u.kind.value, "ceased": u.ceased.isoformat(),
                        "duties_to": u.duties_to} for u in prov.former],
        })
        return
    counts = Counter(u.level for u in prov.units)
    click.echo(_("{province} ({structure} structure, level-1 code {code}; source: {source})",
                 province=prov.name, structure=prov.structure, code=prov.level1_code, source=prov.source))
    click.echo(_("In force on {day:%d/%m/%Y}; units ceased by then, codes kept reserved: {n}",
                 day=prov.on, n=len(prov.former)))
    click.echo(_("Departments: {n}", n=len(prov.departments)))
    if prov.structure == 2024:
        click.echo(_("District-level units: {n}", n=counts[Level.DISTRICT]))
    click.echo(_("Commune-level units: {n}", n=counts[Level.COMMUNE]))
    click.echo("")
    for unit in prov.units:
        depth = parse(unit.code).depth
        click.echo(f"{unit.code}  {'  ' * (depth - 1)}{unit.name}")


@province.command("code")
@click.argument("code")
@click.option("--structure", type=STRUCTURE, default="2024", show_default=True)
@click.option("--json", "as_json", is_flag=True)
def code(code: str, structure: str, as_json: bool) -> None:
    """Explain an identifier code (QCVN 102:2016), read right to left."""
    parsed = parse(code)
    levels = [(1, parsed.level1), (2, parsed.level2), (3, parsed.level3), (4, parsed.level4)]
    # Name the unit when the code belongs to a province we ship
    unit = None
    if not parsed.is_central:
        from simulator.province.codes import level1_codes
        from simulator.province.loader import province_names
        from simulator.text import name_key

        by_code = {c: n for n, c in level1_codes().items()}
        wanted = by_code.get(parsed.level1)
        for candidate in province_names(int(structure)):
            if name_key(candidate) == wanted:
                unit = load_province(candidate, int(structure)).get(str(parsed))
                break
    if as_json:
        echo_json({"code": str(parsed), "depth": parsed.depth, "central": parsed.is_central,
                   "levels": {f"level{n}": part for n, part in levels},
                   "parent": str(parsed.parent) if parsed.parent else None,
                   "unit": unit.name if unit else None})
        return
    click.echo(_("Code {code}: a level-{depth} unit.", code=parsed, depth=parsed.depth))
    kind = _("central body") if parsed.is_central else _("province")
    click.echo(_("  level 1 (rightmost) {part}: {kind}", part=parsed.level1, kind=kind))
    for n, part in levels[1:]:
        meaning = _("not used (the unit itself at the level above)") if set(part) == {"0"} else _("unit number")
        click.echo(_("  level {n} {part}: {meaning}", n=n, part=part, meaning=meaning))
    if parsed.parent:
        click.echo(_("  parent unit: {code}", code=parsed.parent))
    if unit:
        click.echo(_("  unit: {name}", name=unit.name))

"""``vbdt admin``: the identifier registry and user accounts, every change audited."""

from __future__ import annotations

from dataclasses import asdict

import click

from simulator.cli.common import Choice, Database, echo_json, require_store, use_database
from simulator.cli.dated import dated_province, structure_options
from simulator.i18n import translator

_ = translator("routing")


def _directory(ctx, *, existing: bool = False):
    """The registry; ``existing`` for a look-up, which must not create an empty database to refuse in."""
    from simulator.routing import Directory

    if existing:
        require_store(ctx.obj["db"])
    return Directory(use_database(ctx.obj["db"]))


@click.group()
@click.option("--db", envvar="VBDT_AXIS", default="work/axis.sqlite", show_default=True, type=Database(),
              help="The axis database that holds the registry (env VBDT_AXIS).")
@click.pass_context
def admin(ctx, db: str) -> None:
    """Quản trị hệ thống: mã định danh và tài khoản (registry and accounts)."""
    ctx.obj = {"db": db}


@admin.group("org")
def org() -> None:
    """Organisations and their identifier codes."""


@org.command("list")
@click.option("--all", "include_retired", is_flag=True, help="Include retired codes.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def org_list(ctx, include_retired: bool, as_json: bool) -> None:
    items = _directory(ctx.parent).orgs(include_retired=include_retired)
    if as_json:
        echo_json([asdict(o) for o in items])
        return
    for o in items:
        mark = "" if o.active else f"  ({_('retired')})"
        click.echo(f"{o.organ_id}  {o.name}{mark}")


@org.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--parent", help="Identifier code of the parent unit.")
@click.option("--by", required=True, help="Who makes the change (user name).")
@click.pass_context
def org_add(ctx, code: str, name: str, parent: str | None, by: str) -> None:
    """Add a unit and its code to the registry."""
    added = _directory(ctx.parent).add_org(code, name, by, parent=parent)
    click.echo(_("Added {code} {name}.", code=added.organ_id, name=added.name))


@org.command("retire")
@click.argument("code")
@click.option("--reason", default="")
@click.option("--by", required=True)
@click.pass_context
def org_retire(ctx, code: str, reason: str, by: str) -> None:
    """Retire a code (the unit was merged or dissolved); documents to it are then refused."""
    retired = _directory(ctx.parent, existing=True).retire_org(code, by, reason=reason)
    click.echo(_("Retired {code} {name}.", code=retired.organ_id, name=retired.name))


@org.command("seed")
@click.option("--province", "province_name", default="Nghệ An", show_default=True)
@structure_options
@click.option("--by", required=True)
@click.pass_context
def org_seed(ctx, province_name: str, on: str | None, structure: str | None, by: str) -> None:
    """Load a province's units, as of a date (today by default), into the registry (only those not yet there)."""
    province = dated_province(province_name, structure, on)  # an unknown province or a bad date changes nothing
    n = _directory(ctx.parent).seed(province, by)
    click.echo(_("Added {n} organisations.", n=n))


@admin.group("user")
def user() -> None:
    """User accounts and roles."""


@user.command("list")
@click.option("--unit", help="Only this unit's users.")
@click.option("--all", "include_removed", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def user_list(ctx, unit: str | None, include_removed: bool, as_json: bool) -> None:
    items = _directory(ctx.parent).users(unit, include_removed=include_removed)
    if as_json:
        echo_json([asdict(u) for u in items])
        return
    for u in items:
        click.echo(f"{u.username:<20} {u.role:<12} {u.unit}  {u.full_name}")


@user.command("add")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Full name.")
@click.option("--unit", required=True, help="Identifier code of the unit.")
@click.option("--role", required=True, type=Choice(["van_thu", "lanh_dao", "chuyen_vien", "quan_tri"]))
@click.option("--by", required=True)
@click.pass_context
def user_add(ctx, username: str, full_name: str, unit: str, role: str, by: str) -> None:
    added = _directory(ctx.parent).add_user(username, full_name, unit, role, by)
    click.echo(_("Added user {name} ({role}) at {unit}.", name=added.username, role=added.role, unit=added.unit))


@user.command("remove")
@click.argument("username")
@click.option("--by", required=True)
@click.pass_context
def user_remove(ctx, username: str, by: str) -> None:
    removed = _directory(ctx.parent, existing=True).remove_user(username, by)
    click.echo(_("Removed user {name}.", name=removed.username))


@admin.command("audit")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def audit(ctx, as_json: bool) -> None:
    """Every change to the registry and the accounts: who, when, what."""
    items = _directory(ctx).audit()
    if as_json:
        echo_json([asdict(a) for a in items])
        return
    from simulator.calendar import vn_datetime

    actions = {"seed": _("registry loaded"), "org.add": _("unit added"), "org.retire": _("unit retired"),
               "user.add": _("account added"), "user.remove": _("account removed")}
    for a in items:
        details = ", ".join(f"{k}={v}" for k, v in a.details.items())
        click.echo(f"{vn_datetime(a.at)}  {a.by:<12} {actions.get(a.action, a.action):<22} {a.subject}  {details}")

"""``vbdt mail review``: the mailboxes against the identifier list (who is missing one, who has left), IV.4."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from simulator.cli.common import Database, OutputFile, echo_json
from simulator.cli.dated import dated_province, structure_options
from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("mail")


# ---------------------------------------------------------------------------------------------------------- review
def _write_passwords(path: Path, made: list[tuple[str, str]]) -> None:
    import csv
    import io
    import os

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["address", "password"])
    writer.writerows(made)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # passwords: the owner only
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(buffer.getvalue())


def _staff(db: str, typed: bool) -> list | None:
    """The staff on record: the registry's active user accounts (``vbdt admin user``), None without one."""
    from simulator.mail import StaffMember

    if "://" not in db and not Path(db).exists():
        if typed:
            raise UserError(_("--db: there is no registry at {path}.", path=db), field="--db")
        return None
    from simulator.routing import Directory

    return [StaffMember(u.full_name, u.unit, u.role) for u in Directory(db).users()]


@click.command("review")
@click.option("--unit", default=None, help="Only this unit (identifier code or name).")
@click.option("--province", "province_name", default="Nghệ An", show_default=True)
@structure_options
@click.option("--db", envvar="VBDT_AXIS", default="work/axis.sqlite", show_default=True, type=Database(),
              help="The registry of staff accounts (vbdt admin user; env VBDT_AXIS).")
@click.option("--create", is_flag=True, help="Create the missing mailboxes (their passwords go to --out).")
@click.option("--out", type=OutputFile(), default=None, help="With --create: a CSV file of address,password.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def review_cmd(ctx, unit, province_name, on, structure, db, create, out, as_json) -> None:
    """Compare the mailboxes with the identifier list: who is missing one, whose mailbox outlived them.

    Exit 1 when something is missing or left over; the last line gives indicator IV.4. With --create, the
    missing mailboxes are made first (a commune provisioned from the list in one command)."""
    from simulator.cli.common import verdict_exit
    from simulator.mail import mailbox_share, review, unit_slugs
    from simulator.mail.review import provision_missing

    if create and out is None:
        raise UserError(_("--create needs --out FILE, where the new passwords are written."), field="--out")
    province = dated_province(province_name, structure, on)
    code = province.find(unit).code if unit else None
    from simulator.cli.mail import _book

    book = _book(ctx)
    given = ctx.get_parameter_source("db") not in (click.core.ParameterSource.DEFAULT,
                                                   click.core.ParameterSource.DEFAULT_MAP)
    staff = _staff(db, given)
    found = review(book, province.units, staff or [], unit=code)
    if create:
        made = provision_missing(book, found, province.units, unit_slugs(province.units))
        _write_passwords(Path(out), made)
        click.echo(_("Created {n} mailbox(es); their passwords are in {path}.", n=len(made), path=out))
        found = review(book, province.units, staff or [], unit=code)
    share = mailbox_share(book, [s for s in staff or [] if code is None or s.unit == code])
    if as_json:
        echo_json({"missing_units": [{"code": c, "name": n} for c, n in found.missing_units],
                   "missing_staff": [asdict(s) for s in found.missing_staff],
                   "left": [asdict(a) for a in found.left], "disabled": [a.address for a in found.disabled],
                   "staff_on_record": len(staff or []), "iv4_mailbox_share": share})
        verdict_exit(found.clean)
        return
    for c, n in found.missing_units:
        click.echo(_("Missing unit mailbox: {code} {name}", code=c, name=n))
    for s in found.missing_staff:
        click.echo(_("Missing personal mailbox: {name} ({unit})", name=s.full_name, unit=s.unit))
    for a in found.left:
        click.echo(_("Still open but not on the list (left or moved): {address} ({name})", address=a.address,
                     name=a.name))
    if staff is None:
        click.echo(_("No staff registry at {path}: only the units were reviewed.", path=db))
    click.echo(_("{u} unit(s) and {p} person(s) without a mailbox, {l} mailbox(es) to close; IV.4 (staff with an "
                 "official mailbox): {share:.0%}.", u=len(found.missing_units), p=len(found.missing_staff),
                 l=len(found.left), share=share))
    verdict_exit(found.clean)

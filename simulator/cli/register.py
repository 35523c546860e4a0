"""``vbdt register``: the incoming and outgoing registers of a unit (sổ đến / sổ đi)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

import click

from simulator.cli.common import (MAX_ENVELOPE, Choice, Database, InputFile, IntRange, IsoDate, OutputFile, echo_json,
                                  naming, read_envelope, require_store, use_database)
from simulator.calendar import VN_TZ, vn_datetime
from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("routing")

YEAR = IntRange(1900, 2200)
NUMBER = IntRange(1, 10 ** 9)
DB_HELP = "Register database: a SQLite file or an SQLAlchemy URL (env VBDT_REGISTERS)."


def _registers(db: str, unit: str):
    from simulator.routing import Registers

    return Registers(use_database(db), unit)


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(_("{name}: expected a date as YYYY-MM-DD, got {value!r}.", name=name, value=value),
                        field=name) from None


def _row(entry) -> dict:
    data = asdict(entry)
    data.pop("document", None)
    data.pop("new", None)
    return data


def _print(entries, book: str, as_json: bool) -> None:
    if as_json:
        echo_json([_row(e) for e in entries])
        return
    if not entries:
        click.echo(_("The register has no matching entries."))
        return
    header = _("No.")
    click.echo(f"{header:>5}  {_('Date'):<10}  {_('Number and code'):<20}  {_('Issuer / subject')}")
    for e in entries:
        when = vn_datetime((e.arrival_at if book == "in" else e.registered_at).astimezone(VN_TZ).date())
        click.echo(f"{e.number:>5}  {when:<10}  {e.number_code:<20}  {e.issuer_name}: {e.subject}")


def _common(command):
    command = click.option("--db", envvar="VBDT_REGISTERS", default="work/registers.sqlite", show_default=True,
                           type=Database(), help=DB_HELP)(command)
    command = click.option("--unit", required=True, help="Identifier code of the unit (e.g. 000.01.40.H41).")(command)
    return click.option("--book", type=Choice(["in", "out"]), default="in", show_default=True,
                        help="in: sổ văn bản đến; out: sổ văn bản đi.")(command)


@click.group()
def register() -> None:
    """Sổ đăng ký văn bản đến và đi (incoming and outgoing registers)."""


@register.command("list")
@_common
@click.option("--year", type=YEAR)
@click.option("--json", "as_json", is_flag=True)
def list_(db, unit, book, year, as_json):
    """List the entries of a register, in number order."""
    regs = _registers(db, unit)
    _print(regs.incoming(year) if book == "in" else regs.outgoing(year), book, as_json)


@register.command("show")
@_common
@click.argument("number", type=NUMBER)
@click.option("--year", type=YEAR, help="Year of the register (default: this year).")
@click.option("--json", "as_json", is_flag=True)
def show(db, unit, book, number, year, as_json):
    """Show one entry by its register number."""
    year = year or datetime.now().year
    require_store(db)  # a look-up: an absent register is not created to refuse in
    found = _registers(db, unit).search(book=book, number=number, year=year)
    if not found:
        raise UserError(_("No entry number {n} in {year}.", n=number, year=year), field="number")
    entry = found[0]
    if as_json:
        echo_json(_row(entry))
        return
    from simulator.routing.register_book import INCOMING_COLUMNS, OUTGOING_COLUMNS, incoming_rows, outgoing_rows

    # the columns of the register's own form (Decree 30, Appendix VI), as the printed book has them
    columns, rows = (INCOMING_COLUMNS, incoming_rows) if book == "in" else (OUTGOING_COLUMNS, outgoing_rows)
    width = max(len(header) for header, _mm in columns)
    for (header, _mm), value in zip(columns, rows([entry])[0]):
        click.echo(f"{header:<{width}}  {value or '-'}")


@register.command("search")
@_common
@click.argument("text", required=False)
@click.option("--number", type=NUMBER, help="Register number.")
@click.option("--code", help="Number and code (05/QĐ-UBND) or code (QĐ-UBND).")
@click.option("--issuer", help="Identifier code or part of the issuer's name.")
@click.option("--from", "date_from", type=IsoDate(), help="Issued on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", type=IsoDate(), help="Issued on or before (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True)
def search(db, unit, book, text, number, code, issuer, date_from, date_to, as_json):
    """Search by subject (with or without tone marks), number, code, issuer, dates."""
    entries = _registers(db, unit).search(text, book=book, number=number, code=code, issuer=issuer,
                                          date_from=_day(date_from, "--from"), date_to=_day(date_to, "--to"))
    _print(entries, book, as_json)


@register.command("receive")
@click.option("--db", envvar="VBDT_REGISTERS", default="work/registers.sqlite", show_default=True, type=Database(),
              help=DB_HELP)
@click.option("--unit", required=True)
@click.option("--by", required=True, help="Who registers (user name).")
@click.argument("file", type=InputFile(MAX_ENVELOPE))
@click.option("--json", "as_json", is_flag=True)
def receive(db, unit, by, file, as_json):
    """Enter a received edXML envelope in the incoming register (once per DocumentId)."""
    from simulator.calendar import VN_TZ

    data = read_envelope(file)
    with naming(file, "FILE"):
        entry = _registers(db, unit).register_incoming(data, datetime.now(VN_TZ).replace(microsecond=0), by)
    if as_json:
        echo_json({**_row(entry), "new": entry.new})
    elif entry.new:
        click.echo(_("Registered as incoming number {n}/{year}.", n=entry.number, year=entry.year))
    else:
        click.echo(_("Already registered as incoming number {n}/{year}; nothing changed.", n=entry.number,
                     year=entry.year))


@register.command("print")
@_common
@click.option("--from", "date_from", type=IsoDate(), required=True, help="First day of the period (YYYY-MM-DD).")
@click.option("--to", "date_to", type=IsoDate(), required=True, help="Last day of the period (YYYY-MM-DD).")
@click.option("--name", "unit_name", help="The unit's name as the book's cover shows it (default: from the registry).")
@click.option("--out", "out", type=OutputFile(), required=True, help="The PDF/A to write.")
def print_(db, unit, book, date_from, date_to, unit_name, out):
    """Print a register book for a period, in the Decree-30 form (PDF/A)."""
    from simulator.routing.register_book import print_book

    start, end = _day(date_from, "--from"), _day(date_to, "--to")
    require_store(db)
    if not unit_name:
        from simulator.province import load_province
        from simulator.province.codes import level1_codes

        province = next((name for name, code in level1_codes().items() if unit.endswith("." + code)), None)
        try:
            unit_name = load_province(province, on=start).unit(unit).name if province else unit
        except (UserError, KeyError, ValueError):
            unit_name = unit
    path = print_book(_registers(db, unit), book, out, unit_name=unit_name, start=start, end=end)
    click.echo(_("Register printed to {path}.", path=path))

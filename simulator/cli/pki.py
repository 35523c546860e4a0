"""``vbdt pki``: run the training PKI (init, issue, revoke, renew, list, crl, serve)."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

import click

from simulator import inputs
from simulator.cli.common import (MAX_PASSPHRASE, Choice, Folder, InputFile, IntRange, IsoTime, OutputFolder, Url,
                                  echo_json, free_port, port_type)
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.calendar import VN_TZ, vn_datetime

_ = translator("signing")
_v = translator("vbdt")  # messages of the command line itself


def read_passphrase(passphrase_file: Path | None, prompt: str, confirm: bool = False) -> str:
    """From a file (first line), else VBDT_PASSPHRASE, else a hidden prompt."""
    if passphrase_file is not None:
        lines = inputs.read_text(passphrase_file, max_bytes=MAX_PASSPHRASE, field="--passphrase-file").splitlines()
        if not lines or not lines[0]:
            raise UserError(_("The passphrase file {path} is empty.", path=passphrase_file),
                            field="passphrase-file")
        return lines[0]
    env = os.environ.get("VBDT_PASSPHRASE")
    if env:
        return env
    if not sys.stdin or not sys.stdin.isatty():  # nobody to ask: getpass would echo, then read an empty line
        raise UserError(_v("No passphrase: give --passphrase-file or set VBDT_PASSPHRASE (there is no terminal "
                           "to ask on)."), field="passphrase-file")
    return click.prompt(prompt, hide_input=True, confirmation_prompt=confirm)


def parse_time(value: str | None, field: str, *, vietnamese: bool = False) -> datetime | None:
    """An ISO 8601 time with its zone; with ``vietnamese``, also ``dd/mm/yyyy HH:MM`` (Vietnam time)."""
    if value is None:
        return None
    if vietnamese:
        try:
            return datetime.strptime(value.strip(), "%d/%m/%Y %H:%M").replace(tzinfo=VN_TZ)
        except ValueError:
            pass
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        if vietnamese:
            raise UserError(_("{value!r} is not a time such as 05/03/2026 09:15 or 2026-03-05T09:15:00+07:00.",
                              value=value), field=field) from None
        raise UserError(_("{value!r} is not an ISO 8601 time such as 2026-03-02T09:15:30+07:00.", value=value),
                        field=field) from None
    if parsed.tzinfo is None:
        raise UserError(_("Give times with a time zone, e.g. 2026-03-02T09:15:30+07:00."), field=field)
    return parsed


def open_pki(folder: str):
    from simulator.signing import TrainingPKI

    return TrainingPKI.open(folder)


@click.group("pki")
@click.option("--pki", "folder", envvar="VBDT_PKI", default="pki", show_default=True,
              type=Folder(), help="PKI folder (thư mục hạ tầng khóa công khai).")
@click.pass_context
def pki(ctx: click.Context, folder: str) -> None:
    """Hạ tầng khóa công khai dùng để tập huấn (training PKI): cấp, thu hồi, gia hạn chứng thư số."""
    ctx.obj = {"folder": folder}


@pki.command()
@click.argument("folder", type=OutputFolder())
@click.option("--name", default="Nghệ An", show_default=True, help="Province the PKI serves.")
@click.option("--url", default=None, type=Url(),
              help="Base URL written into certificates (default http://127.0.0.1:9717).")
@click.option("--valid-from", default=None, metavar="TIME",
              help="Start of the world's period (ISO with zone, or dd/mm/yyyy HH:MM): services start then and "
                   "certificates are valid from it, not from today.")
@click.option("--valid-to", default=None, metavar="TIME",
              help="End of certificates' default validity (with --valid-from).")
@click.option("--json", "as_json", is_flag=True)
def init(folder: str, name: str, url: str | None, valid_from: str | None, valid_to: str | None,
         as_json: bool) -> None:
    """Tạo PKI mới trong thư mục FOLDER (root, CA, TSA, OCSP)."""
    from simulator.signing import TrainingPKI

    start = parse_time(valid_from, "valid-from", vietnamese=True)
    end = parse_time(valid_to, "valid-to", vietnamese=True)
    if end is not None and start is None:
        raise UserError(_("Give --valid-from with --valid-to (the world's period)."), field="valid-to")
    created = TrainingPKI.create(folder, name=name, url=url, valid_from=start, valid_to=end)
    if as_json:
        echo_json({"folder": str(created.folder), "url": created.url})
    else:
        click.echo(_("Training PKI created in {folder}.", folder=created.folder))


@pki.command()
@click.option("--name", "full_name", help="Full name of the person (họ và tên).")
@click.option("--position", default="", help="Position (chức vụ), e.g. 'Chủ tịch'.")
@click.option("--unit", "unit_name", required=True, help="Unit name (tên cơ quan).")
@click.option("--code", "unit_code", default="", help="Unit identifier code (mã định danh), e.g. 000.00.00.H41.")
@click.option("--seal", is_flag=True, help="Issue the agency-seal certificate held by the clerk.")
@click.option("--passphrase-file", type=InputFile(MAX_PASSPHRASE, text=True))
@click.option("--days", type=IntRange(1, 3650), default=730, show_default=True)
@click.option("--valid-from", default=None, type=IsoTime(), help="ISO time (with zone) the certificate starts.")
@click.option("--valid-to", default=None, type=IsoTime(),
              help="ISO time (with zone) the certificate ends; in the past for a trap.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def issue(ctx, full_name, position, unit_name, unit_code, seal, passphrase_file, days, valid_from, valid_to,
          as_json) -> None:
    """Cấp chứng thư số cho một người hoặc cho con dấu của cơ quan (--seal)."""
    store = open_pki(ctx.obj["folder"])
    if not seal and not full_name:
        raise UserError(_("Give --name for a personal certificate, or --seal for the agency's."), field="name")
    passphrase = read_passphrase(passphrase_file, _("Passphrase for the new key"), confirm=True)
    start, end = parse_time(valid_from, "valid-from"), parse_time(valid_to, "valid-to")
    if seal:
        path = store.issue_seal(unit_name, unit_code, passphrase, valid_from=start, valid_to=end, days=days)
    else:
        path = store.issue_person(full_name, position, unit_name, unit_code, passphrase,
                                  valid_from=start, valid_to=end, days=days)
    info = store.find(path.stem)
    if as_json:
        echo_json(info.to_json())
    else:
        click.echo(_("Issued certificate {serial} for {name}: {path}", serial=hex(info.serial),
                     name=info.full_name, path=path))


@pki.command()
@click.argument("certificate")
@click.option("--reason", default="unspecified", show_default=True,
              type=Choice(["unspecified", "key_compromise", "ca_compromise", "affiliation_changed",
                           "superseded", "cessation_of_operation", "certificate_hold", "privilege_withdrawn"]))
@click.option("--at", "at", default=None, type=IsoTime(),
              help="ISO time (with zone) of the revocation; default now.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def revoke(ctx, certificate: str, reason: str, at: str | None, as_json: bool) -> None:
    """Thu hồi chứng thư số CERTIFICATE (số sê-ri, tên hoặc tệp .p12)."""
    store = open_pki(ctx.obj["folder"])
    info = store.revoke(certificate, reason, parse_time(at, "at"))
    if as_json:
        echo_json(info.to_json())
    else:
        click.echo(_("Revoked certificate {serial} of {name} from {date}.", serial=hex(info.serial),
                     name=info.full_name, date=vn_datetime(info.revocation.at)))


@pki.command()
@click.argument("certificate")
@click.option("--passphrase-file", type=InputFile(MAX_PASSPHRASE, text=True))
@click.option("--days", type=IntRange(1, 3650), default=730, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def renew(ctx, certificate: str, passphrase_file: Path | None, days: int, as_json: bool) -> None:
    """Gia hạn: cấp chứng thư và khóa mới cho cùng người, thu hồi chứng thư cũ (superseded)."""
    store = open_pki(ctx.obj["folder"])
    store.find(certificate)  # fail before asking for a passphrase
    passphrase = read_passphrase(passphrase_file, _("Passphrase for the new key"), confirm=True)
    path = store.renew(certificate, passphrase, days=days)
    info = store.find(path.stem)
    if as_json:
        echo_json(info.to_json())
    else:
        click.echo(_("Issued certificate {serial} for {name}: {path}", serial=hex(info.serial),
                     name=info.full_name, path=path))


STATUS = {"valid": "valid", "revoked": "revoked", "expired": "expired", "not_yet_valid": "not yet valid"}


@pki.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_(ctx, as_json: bool) -> None:
    """Danh sách chứng thư số đã cấp."""
    store = open_pki(ctx.obj["folder"])
    items = store.list()
    if as_json:
        echo_json([c.to_json() for c in items])
        return
    if not items:
        click.echo(_("No certificate has been issued yet."))
        return
    for c in items:
        click.echo(f"{c.serial:#07x}  {c.kind_label:<8} {c.status_label():<14} "
                   f"{vn_datetime(c.valid_to.astimezone(VN_TZ).date())}  {c.full_name} — {c.unit_name}")


@pki.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def crl(ctx, as_json: bool) -> None:
    """Phát hành danh sách chứng thư bị thu hồi (CRL) mới vào thư mục crl/."""
    store = open_pki(ctx.obj["folder"])
    paths = store.publish_crl()
    if as_json:
        echo_json({"crls": [str(p) for p in paths]})
    else:
        for path in paths:
            click.echo(_("CRL written: {path}", path=path))


@pki.command()
@click.option("--host", default="127.0.0.1", show_default=True, type=Choice(["127.0.0.1", "localhost", "::1"]))
@click.option("--port", default=9717, show_default=True, type=port_type())
@click.pass_context
def serve(ctx, host: str, port: int) -> None:
    """Chạy dịch vụ CRL, OCSP, cấp dấu thời gian qua HTTP trên máy này (Ctrl+C để dừng)."""
    from simulator.signing.services import serve_forever

    store = open_pki(ctx.obj["folder"])
    free_port(port, "127.0.0.1" if host == "localhost" else host)

    def ready(url: str) -> None:
        click.echo(_("Serving the training PKI at {url} (Ctrl+C to stop).", url=url), err=True)
        click.echo(url)

    serve_forever(store, host, port, ready=ready)

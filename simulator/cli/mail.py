"""``vbdt mail``: the official mail server (Dovecot + submission) and its mailboxes.

    vbdt mail serve | stop | status | log
    vbdt mail user add | disable | reset | list
    vbdt mail group add | list
    vbdt mail review
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from simulator import inputs
from simulator.cli.common import (MAX_PASSPHRASE, Choice, InputFile, IntRange, OutputFile, OutputFolder,
                                  echo_json, free_port, port_type)
from simulator.cli.dated import dated_province, structure_options
from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("mail")

QUOTA_MB = IntRange(1, 1024 * 1024)
QUOTA_MESSAGES = IntRange(0, 10_000_000)
MAX_BACKUP = 64 * inputs.MB * 1024  # 64 GB


def _folder(ctx, *, existing: bool = False) -> Path:
    folder = Path(ctx.obj["folder"])
    if existing and not (folder / "accounts.json").exists():
        raise UserError(_("--folder: there are no mailboxes in {folder} yet (vbdt mail user add).", folder=folder),
                        field="--folder")
    inputs.writable_folder(folder, "--folder")  # a default folder is checked where it is used
    return folder


def _book(ctx, *, existing: bool = False):
    from simulator.mail import MailBook

    return MailBook(_folder(ctx, existing=existing))


def _password(path: Path | None) -> str | None:
    if path is None:
        return None
    lines = inputs.read_text(path, max_bytes=MAX_PASSPHRASE, field="--passphrase-file").splitlines()
    if not lines or not lines[0]:
        raise UserError(_("--passphrase-file: {path} is empty; write the password on its first line.", path=path),
                        field="--passphrase-file")
    return lines[0]


def _say_password(account, password: str, given: bool) -> None:
    if not given:
        click.echo(_("Password: {password} (give it to the owner; it is kept only as a hash).", password=password))


@click.group()
@click.option("--folder", envvar="VBDT_MAIL", default="work/mail", show_default=True, type=OutputFolder(),
              help="The mail folder: configuration, mailboxes, queue and logs (env VBDT_MAIL).")
@click.pass_context
def mail(ctx, folder: str) -> None:
    """Thư điện tử công vụ (official mail): the server and its mailboxes."""
    ctx.obj = {"folder": str(folder)}


def _default(ctx, name: str) -> bool:
    return ctx.get_parameter_source(name) in (click.core.ParameterSource.DEFAULT,
                                              click.core.ParameterSource.DEFAULT_MAP)


# ----------------------------------------------------------------------------------------------------- the server
@mail.command("serve")
@click.option("--port", type=port_type(), default=10587, show_default=True, help="SMTP submission port (0: any).")
@click.option("--imap-port", type=port_type(), default=10143, show_default=True, help="IMAP port (0: any).")
@click.option("--lmtp-port", type=port_type(), default=10024, show_default=True, help="LMTP port (0: any).")
@click.pass_context
def serve(ctx, port: int, imap_port: int, lmtp_port: int) -> None:
    """Start Dovecot (IMAP, LMTP) and SMTP submission on 127.0.0.1, in the background; vbdt mail stop ends them."""
    from simulator.mail.server import MailServer, Ports, free_ports

    server = MailServer(_folder(ctx))
    server.refuse_running()
    before = server.ports()  # a folder served before keeps its ports unless told otherwise (clients know them)
    if before is not None:
        port, imap_port, lmtp_port = (before.smtp if _default(ctx, "port") else port,
                                      before.imap if _default(ctx, "imap_port") else imap_port,
                                      before.lmtp if _default(ctx, "lmtp_port") else lmtp_port)
    for value, option in ((port, "--port"), (imap_port, "--imap-port"), (lmtp_port, "--lmtp-port")):
        free_port(value, field=option)  # a busy port changes nothing
    spare = iter(free_ports(3))
    ports = Ports(port or next(spare), imap_port or next(spare), lmtp_port or next(spare))
    status = server.start(ports)
    click.echo(_("The mail server runs: SMTP submission 127.0.0.1:{smtp}, IMAP 127.0.0.1:{imap}, LMTP "
                 "127.0.0.1:{lmtp} (folder {folder}; vbdt mail stop ends it).", folder=status.folder, **status.ports))


@mail.command("stop")
@click.pass_context
def stop(ctx) -> None:
    """Stop the mail server of the folder (accepted messages stay in the queue)."""
    from simulator.mail.server import MailServer

    server = MailServer(_folder(ctx))
    if server.stop():
        click.echo(_("The mail server in {folder} stopped.", folder=server.folder))
    else:
        click.echo(_("No mail server runs in {folder}.", folder=server.folder))


@mail.command("status")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def status(ctx, as_json: bool) -> None:
    """Whether the server runs, its ports, and how many messages wait in the queue."""
    from simulator.mail.server import MailServer

    st = MailServer(_folder(ctx)).status()
    if as_json:
        echo_json({**asdict(st), "running": st.running})
        return
    if st.running:
        click.echo(_("Running: SMTP {smtp}, IMAP {imap}, LMTP {lmtp}.", **st.ports))
    else:
        click.echo(_("Not running (Dovecot: {d}, submission: {s}).", d=_("yes") if st.dovecot_pid else _("no"),
                     s=_("yes") if st.submission_pid else _("no")))
    click.echo(_("Messages waiting in the queue: {n}.", n=st.queued))


@mail.command("log")
@click.option("--status", "state", type=Choice(["delivered", "deferred", "bounced"]), default=None,
              help="Only this outcome.")
@click.option("--check", is_flag=True, help="Only check that no line was changed, removed or inserted (exit 1 if one was).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def log(ctx, state: str | None, check: bool, as_json: bool) -> None:
    """The delivery log: every recipient of every message, delivered, deferred or bounced."""
    from simulator.cli.common import verdict_exit
    from simulator.mail.log import check_log, deliveries

    if check:
        lines, broken = check_log(_folder(ctx))
        if as_json:
            echo_json({"lines": lines, "intact": broken is None, "line": broken.line if broken else None,
                       "reason": broken.reason if broken else None})
        elif broken:
            click.echo(_("The delivery log was edited: line {line}: {reason}.", line=broken.line,
                         reason=broken.reason))
        else:
            click.echo(_("The delivery log is intact: {n} line(s).", n=lines))
        verdict_exit(broken is None)
        return
    items = deliveries(_folder(ctx), status=state)
    if as_json:
        echo_json([asdict(d) for d in items])
        return
    for d in items:
        click.echo(f"{d.at}  {d.status:<9} {d.sender} → {d.recipient}  {d.reply}")


@mail.command("queue")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def queue(ctx, as_json: bool) -> None:
    """Messages accepted but not yet delivered (a stuck queue: Dovecot down, a recipient deferred)."""
    import time

    from simulator.mail.spool import Spool

    items = Spool(_folder(ctx)).pending()
    if as_json:
        echo_json([{"id": q.id, "from": q.sender, "to": list(q.recipients), "accepted": q.accepted,
                    "attempts": q.attempts} for q in items])
        return
    now = time.time()
    for q in items:
        click.echo(_("{id}  {sender} → {to}  waiting {minutes} min, {attempts} attempt(s)", id=q.id, sender=q.sender,
                     to=", ".join(q.recipients), minutes=int((now - q.accepted) // 60), attempts=q.attempts))
    click.echo(_("Messages waiting in the queue: {n}.", n=len(items)))


@mail.command("backup")
@click.option("--out", type=OutputFile(), required=True, help="The backup file to write (.tar.gz).")
@click.pass_context
def backup_cmd(ctx, out: Path) -> None:
    """Back up the mailboxes, the accounts and their password hashes (safe while the server runs)."""
    from simulator.mail.backup import backup

    report = backup(_folder(ctx, existing=True), out)
    click.echo(_("Backed up {a} mailbox(es), {m} message(s) into {path} ({kb} kB).", a=report.accounts,
                 m=report.messages, path=report.path, kb=report.bytes // 1024))


@mail.command("restore")
@click.argument("file", type=InputFile(MAX_BACKUP))
@click.argument("username", metavar="[ADDRESS]", required=False)
@click.pass_context
def restore_cmd(ctx, file: Path, username: str | None) -> None:
    """Put back one mailbox's lost messages from a backup (ADDRESS), or everything into an empty folder."""
    from simulator.mail.backup import restore

    n = restore(_folder(ctx), file, username)
    click.echo(_("Restored {n} message(s).", n=n))


# ------------------------------------------------------------------------------------------------------ mailboxes
@mail.group("user")
def user() -> None:
    """Mailboxes: one per unit and per staff member."""


@user.command("add")
@click.option("--unit", required=True, help="The unit: identifier code or name.")
@click.option("--name", "full_name", default=None, help="The person's full name (without it: the unit's mailbox).")
@click.option("--position", default="", help="The person's position.")
@click.option("--number", type=IntRange(2, 99), default=None,
              help="For a second person of the same name in the same unit (an2.nv.…).")
@click.option("--passphrase-file", type=InputFile(MAX_PASSPHRASE, text=True), default=None,
              help="The password on the first line (default: a generated one, printed once).")
@click.option("--quota-mb", type=QUOTA_MB, default=1024, show_default=True)
@click.option("--quota-messages", type=QUOTA_MESSAGES, default=0, show_default=True, help="0: no limit.")
@click.option("--province", "province_name", default="Nghệ An", show_default=True)
@structure_options
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def user_add(ctx, unit, full_name, position, number, passphrase_file, quota_mb, quota_messages, province_name, on,
             structure, as_json) -> None:
    """Create a mailbox for a unit (vanthu.<unit>@…) or for a person (<given>.<initials>.<unit>@…)."""
    from simulator.mail import unit_slugs

    province = dated_province(province_name, structure, on)
    the_unit = province.find(unit)
    password = _password(passphrase_file)
    book = _book(ctx)
    slug = unit_slugs(province.units)[the_unit.code]
    if full_name is None:
        if number is not None:
            raise UserError(_("--number is for a person's mailbox (give --name)."), field="--number")
        account, password = book.add_unit(the_unit, slug, password=password, quota_mb=quota_mb,
                                          quota_messages=quota_messages)
    else:
        account, password = book.add_person(the_unit, slug, full_name, position=position, number=number,
                                            password=password, quota_mb=quota_mb, quota_messages=quota_messages)
    if as_json:
        echo_json({**asdict(account), **({} if passphrase_file else {"password": password})})
        return
    click.echo(_("Created {address} ({name}).", address=account.address, name=account.name))
    _say_password(account, password, passphrase_file is not None)


@user.command("disable")
@click.argument("username", metavar="ADDRESS")
@click.option("--reason", default="", help="Why (left the unit, moved, on leave).")
@click.pass_context
def user_disable(ctx, username: str, reason: str) -> None:
    """Refuse the mailbox's logins from now on (its mail is kept)."""
    account = _book(ctx, existing=True).disable(username, reason)
    click.echo(_("Disabled {address}.", address=account.address))


@user.command("reset")
@click.argument("username", metavar="ADDRESS")
@click.option("--passphrase-file", type=InputFile(MAX_PASSPHRASE, text=True), default=None,
              help="The new password on the first line (default: a generated one, printed once).")
@click.pass_context
def user_reset(ctx, username: str, passphrase_file: Path | None) -> None:
    """Give a mailbox a new password (and enable it again if it was disabled)."""
    password = _password(passphrase_file)
    account, password = _book(ctx, existing=True).reset(username, password)
    click.echo(_("New password set for {address}.", address=account.address))
    _say_password(account, password, passphrase_file is not None)


@user.command("list")
@click.option("--unit", default=None, help="Only this unit's mailboxes (identifier code).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def user_list(ctx, unit: str | None, as_json: bool) -> None:
    """Every mailbox, the disabled ones marked."""
    from simulator.mail.dovecot import quota_usage
    from simulator.mail.server import MailServer

    book = _book(ctx)
    items = book.accounts(unit) if book.path.exists() else []
    usage = (quota_usage(book.folder) or {}) if items and MailServer(book.folder).status().dovecot_pid else {}
    if as_json:
        echo_json([{**asdict(a), "usage": asdict(usage[a.address]) if a.address in usage else None} for a in items])
        return
    for a in items:
        mark = "" if a.active else f"  ({_('disabled')})"
        used = usage.get(a.address)
        if used is not None:
            count = f"{used.messages}/{used.messages_limit}" if used.messages_limit else str(used.messages)
            mark += "  " + _("{kb} kB used, {n} message(s)", kb=used.kilobytes, n=count)
            mark += f"  ({_('full')})" if used.full else ""
        click.echo(f"{a.address:<48} {a.unit}  {a.name}  {a.quota_mb} MB{mark}")


@user.command("quota")
@click.argument("username", metavar="ADDRESS")
@click.option("--quota-mb", type=QUOTA_MB, default=None, help="New size limit in megabytes.")
@click.option("--quota-messages", type=QUOTA_MESSAGES, default=None, help="New limit on messages (0: none).")
@click.pass_context
def user_quota(ctx, username: str, quota_mb: int | None, quota_messages: int | None) -> None:
    """Change a mailbox's quota (a full mailbox refuses new mail until it is raised or emptied)."""
    if quota_mb is None and quota_messages is None:
        raise UserError(_("Give --quota-mb or --quota-messages."), field="--quota-mb")
    account = _book(ctx, existing=True).set_quota(username, quota_mb=quota_mb, quota_messages=quota_messages)
    limit = account.quota_messages or "-"
    click.echo(_("Quota of {address}: {mb} MB, {n} message(s) at most.", address=account.address,
                 mb=account.quota_mb, n=limit))


# ---------------------------------------------------------------------------------------------------------- groups
@mail.group("group")
def group() -> None:
    """Group addresses delivering to several mailboxes."""


@group.command("add")
@click.argument("name", metavar="ADDRESS")
@click.argument("text", nargs=-1, required=True, metavar="MEMBER...")
@click.option("--description", default="", help="What the group is (e.g. Lãnh đạo xã).")
@click.pass_context
def group_add(ctx, name: str, text: tuple[str, ...], description: str) -> None:
    """Create a group ADDRESS delivering to the MEMBER mailboxes."""
    made = _book(ctx, existing=True).add_group(name, description, text)
    click.echo(_("Created the group {address} ({n} members).", address=made.address, n=len(made.members)))


@group.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def group_list(ctx, as_json: bool) -> None:
    book = _book(ctx)
    items = book.groups() if book.path.exists() else []
    if as_json:
        echo_json([asdict(g) for g in items])
        return
    for g in items:
        label = f"  ({g.name})" if g.name != g.address else ""
        click.echo(f"{g.address}{label}: {', '.join(g.members)}")


# the review of the mailboxes against the identifier list lives in its own module
from simulator.cli.mail_review import review_cmd  # noqa: E402

mail.add_command(review_cmd)

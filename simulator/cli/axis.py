"""``vbdt axis``: the exchange axis - serve it over HTTP, or use it (locally or at --url)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from simulator import inputs
from simulator.cli.common import (MAX_ENVELOPE, Choice, Database, InputFile, OutputFile, Url, echo_json,
                                  free_port, naming, port_type, read_envelope, require_store, use_database)
from simulator.cli.dated import dated_province, structure_options
from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("routing")
_v = translator("vbdt")  # messages of the command line itself


class _Remote:
    """A running axis at ``--url``; an address that answers something else is refused in one line."""

    def __init__(self, url: str) -> None:
        from simulator.routing.client import AxisClient

        self._client, self._url = AxisClient(url), url

    def __getattr__(self, name: str):
        method = getattr(self._client, name)

        def call(*args, **kwargs):
            try:
                return method(*args, **kwargs)
            except UserError:
                raise
            except (ValueError, KeyError, TypeError):  # not the axis's JSON: another program listens there
                raise UserError(_v("--url: {url} does not answer as an exchange axis.", url=self._url),
                                field="--url") from None

        return call


def _axis(ctx, *, existing: bool = False):
    """The axis database (default) or a running ``vbdt axis serve`` (``--url``).

    ``existing`` for a look-up of something sent earlier: a missing database is not created to refuse in."""
    obj = ctx.obj
    if obj["url"]:
        return _Remote(obj["url"])
    from simulator.routing import Axis

    if existing:
        require_store(obj["db"])
    use_database(obj["db"])

    return Axis(obj["db"])


@click.group()
@click.option("--db", envvar="VBDT_AXIS", default="work/axis.sqlite", show_default=True, type=Database(),
              help="Axis database: a SQLite file or an SQLAlchemy URL (env VBDT_AXIS).")
@click.option("--url", envvar="VBDT_AXIS_URL", default=None, type=Url(), help="Use a running axis at this URL instead.")
@click.pass_context
def axis(ctx, db: str, url: str | None) -> None:
    """Trục liên thông văn bản (the document exchange axis)."""
    ctx.obj = {"db": db, "url": url}


@axis.command("serve")
@click.option("--port", type=port_type(), default=8790, show_default=True)
@click.option("--province", "province_name", default="Nghệ An", show_default=True,
              help="Seed the identifier registry with this province's units.")
@structure_options
@click.pass_context
def serve(ctx, port: int, province_name: str, on: str | None, structure: str | None) -> None:
    """Serve the axis over HTTP on 127.0.0.1 until interrupted (Ctrl+C)."""
    from simulator.routing import Axis
    from simulator.routing.server import make_server

    province = dated_province(province_name, structure, on)  # as of --on (today); a bad date changes nothing
    free_port(port)  # a busy port changes nothing: the database is opened after
    the_axis = Axis(use_database(ctx.obj["db"]), province)
    try:
        server = make_server(the_axis, port)
    except OSError as exc:
        raise UserError(_("Cannot listen on port {port}: {reason}", port=port, reason=inputs.reason(exc)),
                        field="port") from None
    host, real_port = server.server_address[:2]
    click.echo(_("The exchange axis listens on http://{host}:{port} (Ctrl+C stops it).", host=host, port=real_port))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@axis.command("send")
@click.argument("file", type=InputFile(MAX_ENVELOPE))
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def send(ctx, file: Path, as_json: bool) -> None:
    """Send an edXML envelope or status package."""
    data = read_envelope(file)
    with naming(file, "FILE"):
        result = _axis(ctx).send(data)
    if as_json:
        echo_json(asdict(result))
        return
    if result.duplicate:
        click.echo(_("Already sent earlier: {doc_id}; nothing changed.", doc_id=result.doc_id))
    else:
        click.echo(_("Sent {doc_id} to {n} recipient(s).", doc_id=result.doc_id, n=len(result.accepted)))
    for org, reason in result.refused:
        click.echo(_("Refused for {org}: {reason}", org=org, reason=reason))


@axis.command("pending")
@click.argument("org")
@click.option("--kind", type=Choice(["edoc", "status"]), default="edoc", show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def pending(ctx, org: str, kind: str, as_json: bool) -> None:
    """What waits for an organisation."""
    items = _axis(ctx).pending(org, kind)
    if as_json:
        echo_json([asdict(p) for p in items])
        return
    if not items:
        click.echo(_("Nothing waits for {org}.", org=org))
    for p in items:
        code = f" [{p.code}]" if p.code else ""
        click.echo(f"{p.doc_id}{code}  ← {p.sender}")


@axis.command("get")
@click.argument("doc_id")
@click.argument("org")
@click.option("--kind", type=Choice(["edoc", "status"]), default="edoc", show_default=True)
@click.option("--code", default=None, help="Status code, for a status package.")
@click.option("-o", "--output", type=OutputFile(), help="Write here (default: standard output).")
@click.pass_context
def get(ctx, doc_id: str, org: str, kind: str, code: str | None, output: Path | None) -> None:
    """Fetch a document (or status package) waiting for an organisation."""
    data = _axis(ctx, existing=True).get(doc_id, org, kind, code)
    if output:
        Path(output).write_bytes(data)
        click.echo(_("Wrote {path} ({n} bytes).", path=output, n=len(data)))
    else:
        click.echo(data.decode("utf-8"), nl=False)


@axis.command("confirm")
@click.argument("doc_id")
@click.argument("org")
@click.option("--status", default="01", show_default=True, help="01 arrived, 02 refused, 03 accepted, ... 06 done.")
@click.option("--description", default="")
@click.pass_context
def confirm(ctx, doc_id: str, org: str, status: str, description: str) -> None:
    """Report the status of a received document back to its sender."""
    fresh = _axis(ctx, existing=True).confirm(doc_id, org, status, description=description)
    click.echo(_("Status {code} recorded.", code=status) if fresh else
               _("Status {code} was already recorded; nothing changed.", code=status))


@axis.command("traces")
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def traces(ctx, doc_id: str, as_json: bool) -> None:
    """The trace of a document: who did what, when."""
    items = _axis(ctx).traces(doc_id)
    if as_json:
        echo_json([asdict(t) for t in items])
        return
    if not items:
        click.echo(_("No trace for {doc_id}.", doc_id=doc_id))
    from simulator.calendar import vn_datetime

    for t in items:
        click.echo(f"{vn_datetime(t.at)}  {t.org_id}  {t.code or '--'}  {t.description}")


@axis.command("orgs")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def orgs(ctx, as_json: bool) -> None:
    """The organisations in the identifier registry."""
    items = [o if isinstance(o, dict) else asdict(o) for o in _axis(ctx).orgs()]
    if as_json:
        echo_json(items)
        return
    for o in items:
        click.echo(f"{o['organ_id']}  {o['name']}")


@axis.command("operator")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def operator(ctx, as_json: bool) -> None:
    """The operator's view: queues per organisation, stuck and failed deliveries, outages."""
    the_axis = _axis(ctx)
    view = the_axis.operator() if hasattr(the_axis, "operator") else {
        "queues": the_axis.queues(), "stuck": the_axis.stuck(), "outages": the_axis.outages()}
    if as_json:
        echo_json(view)
        return
    from simulator.routing.axis_operator import state_label

    click.echo(_("Queues:"))
    for org, states in sorted(view["queues"].items()):
        click.echo(f"  {org}  " + ", ".join(f"{state_label(k)}: {v}" for k, v in sorted(states.items())))
    click.echo(_("Stuck or failed deliveries: {n}", n=len(view["stuck"])))
    for s in view["stuck"]:
        click.echo(f"  {s['doc_id']} → {s['to']}  {state_label(s['state'])}  "
                   + _("{n} attempts", n=s['attempts']) + (f"  {s['last_error']}" if s['last_error'] else ""))
    click.echo(_("Outages: {names}", names=", ".join(view["outages"]) or "-"))


@axis.command("resend")
@click.argument("doc_id")
@click.argument("org")
@click.pass_context
def resend(ctx, doc_id: str, org: str) -> None:
    """Put a delivery back in the queue (operator)."""
    _axis(ctx, existing=True).resend(doc_id, org)
    click.echo(_("Queued {doc_id} again for {org}.", doc_id=doc_id, org=org))


@axis.command("outage")
@click.argument("org", required=False)
@click.option("--up", is_flag=True, help="End the outage instead of starting it.")
@click.pass_context
def outage(ctx, org: str | None, up: bool) -> None:
    """Take the axis (no ORG) or one organisation's link down, or bring it back with --up."""
    _axis(ctx).set_outage(org, down=not up)
    target = org or _("The whole axis")
    click.echo(_("{target} is back up.", target=target) if up else _("{target} is down.", target=target))

"""``vbdt edxml``: build, parse and validate edXML envelopes (QCVN 102:2016)."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path

import click

from simulator.cli.common import echo_json, verdict_exit
from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("routing")


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UserError(_("Cannot read {path}: {reason}", path=path, reason=exc.strerror), field="file") from None


@click.group()
def edxml() -> None:
    """Gói tin edXML (edXML envelopes, QCVN 102:2016)."""


@edxml.command("validate")
@click.argument("file")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def validate(file: str, as_json: bool) -> None:
    """Check an envelope or status package; exit 1 when it is not valid."""
    from simulator.routing import edxml as ed

    errors = ed.validate(_read(file))
    if as_json:
        echo_json({"valid": not errors, "errors": [asdict(e) for e in errors]})
    elif errors:
        click.echo(_("{file}: not valid ({n} problems)", file=file, n=len(errors)))
        for error in errors:
            click.echo(f"  {error.path}: {error.message}")
    else:
        click.echo(_("{file}: valid", file=file))
    verdict_exit(not errors)


@edxml.command("parse")
@click.argument("file")
@click.option("--json", "as_json", is_flag=True, help="Print every field as JSON (attachments in base64).")
def parse(file: str, as_json: bool) -> None:
    """Read an envelope (or a status package) and show what it carries."""
    from simulator.routing import edxml as ed
    from simulator.routing.envelope import envelope_to_dict

    data = _read(file)
    if ed.is_status(data):
        status = ed.parse_status(data)
        payload = json.loads(json.dumps(asdict(status), default=str))
        if as_json:
            echo_json({"status": payload})
        else:
            click.echo(_("Status {code} from {org} about {doc_id} at {at}", code=status.code,
                         org=status.sender.organ_id, doc_id=status.response_for.document_id,
                         at=status.timestamp.isoformat()))
        return
    env = ed.parse(data)
    if as_json:
        echo_json(envelope_to_dict(env))
        return
    rows = [
        (_("DocumentId"), env.document_id),
        (_("From"), f"{env.sender.organ_id} {env.sender.organ_name}".strip()),
        (_("To"), "; ".join(f"{r.organ_id} {r.organ_name}".strip() for r in env.recipients)),
        (_("Number and code"), f"{env.code_number}/{env.code_notation}"),
        (_("Type"), env.type_name),
        (_("Place and date"), f"{env.place}, {env.promulgation_date.isoformat()}"),
        (_("Subject"), env.subject),
        (_("Signer"), " ".join(p for p in (env.signer_competence, env.signer_position, env.signer_full_name) if p)),
        (_("Priority"), str(env.priority)),
        (_("Due date"), env.due_date.isoformat() if env.due_date else "-"),
        (_("Trace"), " → ".join(f"{t.organ_id} ({t.timestamp.isoformat()})" for t in env.traces) or "-"),
        (_("Attachments"), ", ".join(f"{a.name} ({len(a.content)} B)" for a in env.attachments) or "-"),
    ]
    width = max(len(label) for label, _value in rows)
    for label, value in rows:
        click.echo(f"{label:<{width}}  {value}")


@edxml.command("build")
@click.argument("spec")
@click.option("-o", "--output", help="Write the envelope here (default: standard output).")
@click.option("--attach", "attach", multiple=True, help="Add a file as an attachment (repeatable).")
def build(spec: str, output: str | None, attach: tuple[str, ...]) -> None:
    """Build an envelope from a JSON description (the output of ``parse --json``)."""
    from simulator.routing import edxml as ed
    from simulator.routing.envelope import Attachment, envelope_from_dict

    try:
        data = json.loads(_read(spec))
    except json.JSONDecodeError as exc:
        raise UserError(_("{file} is not valid JSON: {reason}", file=spec, reason=exc.msg), field="spec") from None
    if not isinstance(data, dict):
        raise UserError(_("{file} must hold a JSON object.", file=spec), field="spec")
    env = envelope_from_dict(data)
    extra = tuple(Attachment(Path(p).name, _read(p),
                             "application/pdf" if p.lower().endswith(".pdf") else "application/octet-stream")
                  for p in attach)
    result = ed.build(replace(env, attachments=env.attachments + extra))
    if output:
        Path(output).write_bytes(result)
        click.echo(_("Wrote {path} ({n} bytes).", path=output, n=len(result)))
    else:
        click.echo(result.decode("utf-8"), nl=False)

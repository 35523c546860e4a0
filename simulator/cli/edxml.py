"""``vbdt edxml``: build, parse and validate edXML envelopes (QCVN 102:2016)."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path

import click

from simulator import inputs
from simulator.cli.common import (MAX_ATTACHMENT, MAX_ENVELOPE, MAX_TEXT, InputFile, OutputFile, echo_json, naming,
                                  verdict_exit)
from simulator.errors import UserError
from simulator.calendar import vn_datetime
from simulator.i18n import translator

_ = translator("routing")


def _read(path: Path, field: str = "FILE", max_bytes: int = MAX_ENVELOPE) -> bytes:
    return inputs.read_file(path, max_bytes=max_bytes, field=field)


@click.group()
def edxml() -> None:
    """Gói tin edXML (edXML envelopes, QCVN 102:2016)."""


@edxml.command("validate")
@click.argument("file", type=InputFile(MAX_ENVELOPE))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def validate(file: Path, as_json: bool) -> None:
    """Check an envelope or status package; exit 1 when it is not valid, 2 when it is not XML at all."""
    from simulator.routing import edxml as ed

    errors = ed.validate(_read(file))
    if len(errors) == 1 and errors[0].path == "/":  # not an XML document: nothing to judge
        raise UserError(f"FILE {file.name}: {errors[0]}", field="FILE")
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
@click.argument("file", type=InputFile(MAX_ENVELOPE))
@click.option("--json", "as_json", is_flag=True, help="Print every field as JSON (attachments in base64).")
def parse(file: Path, as_json: bool) -> None:
    """Read an envelope (or a status package) and show what it carries."""
    from simulator.routing import edxml as ed
    from simulator.routing.envelope import envelope_to_dict

    data = _read(file)
    with naming(file, "FILE"):
        status = ed.parse_status(data) if ed.is_status(data) else None
        env = None if status else ed.parse(data)
    if status is not None:
        payload = json.loads(json.dumps(asdict(status), default=str))
        if as_json:
            echo_json({"status": payload})
        else:
            click.echo(_("Status {code} from {org} about {doc_id} at {at}", code=status.code,
                         org=status.sender.organ_id, doc_id=status.response_for.document_id,
                         at=vn_datetime(status.timestamp)))
        return
    if as_json:
        echo_json(envelope_to_dict(env))
        return
    rows = [
        (_("DocumentId"), env.document_id),
        (_("From"), f"{env.sender.organ_id} {env.sender.organ_name}".strip()),
        (_("To"), "; ".join(f"{r.organ_id} {r.organ_name}".strip() for r in env.recipients)),
        (_("Number and code"), f"{env.code_number}/{env.code_notation}"),
        (_("Type"), env.type_name),
        (_("Place and date"), f"{env.place}, {vn_datetime(env.promulgation_date)}"),
        (_("Subject"), env.subject),
        (_("Signer"), " ".join(p for p in (env.signer_competence, env.signer_position, env.signer_full_name) if p)),
        (_("Priority"), str(env.priority)),
        (_("Due date"), vn_datetime(env.due_date) if env.due_date else "-"),
        (_("Trace"), " → ".join(f"{t.organ_id} ({vn_datetime(t.timestamp)})" for t in env.traces) or "-"),
        (_("Attachments"), ", ".join(f"{a.name} ({len(a.content)} B)" for a in env.attachments) or "-"),
    ]
    width = max(len(label) for label, _value in rows)
    for label, value in rows:
        click.echo(f"{label:<{width}}  {value}")


@edxml.command("build")
@click.argument("spec", type=InputFile(MAX_TEXT, structured=True))
@click.option("-o", "--output", type=OutputFile(), help="Write the envelope here (default: standard output).")
@click.option("--attach", "attach", multiple=True, type=InputFile(MAX_ATTACHMENT),
              help="Add a file as an attachment (repeatable).")
def build(spec: Path, output: Path | None, attach: tuple[Path, ...]) -> None:
    """Build an envelope from a JSON description (the output of ``parse --json``)."""
    from simulator.routing import edxml as ed
    from simulator.routing.envelope import Attachment, envelope_from_dict

    if output is not None:
        inputs.distinct_output(output, "--output", spec, *attach)
    try:
        data = json.loads(inputs.read_text(spec, max_bytes=MAX_TEXT, field="SPEC"))
    except json.JSONDecodeError as exc:
        raise UserError(_("{file} is not valid JSON: {reason}", file=spec, reason=exc.msg), field="spec") from None
    if not isinstance(data, dict):
        raise UserError(_("{file} must hold a JSON object.", file=spec), field="spec")
    env = envelope_from_dict(data)
    extra = tuple(Attachment(p.name, _read(p, "--attach", MAX_ATTACHMENT),
                             "application/pdf" if p.suffix.lower() == ".pdf" else "application/octet-stream")
                  for p in attach)
    result = ed.build(replace(env, attachments=env.attachments + extra))
    if output:
        Path(output).write_bytes(result)
        click.echo(_("Wrote {path} ({n} bytes).", path=output, n=len(result)))
    else:
        click.echo(result.decode("utf-8"), nl=False)

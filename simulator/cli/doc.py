"""``vbdt doc``: sample and render Decree-30 documents."""

from __future__ import annotations

import click

from simulator import inputs
from simulator.cli.common import MAX_TEXT, SEED, InputFile, OutputFile
from simulator.cli.dated import dated_province, structure_options
from simulator.i18n import translator

_ = translator("vbdt")


@click.group()
def doc() -> None:
    """Văn bản theo Nghị định 30/2020 (Decree-30 documents)."""


@doc.command("sample")
@click.option("--seed", type=SEED, default=0, show_default=True)
@click.option("--type", "doc_type", default=None, help="Document type (e.g. QĐ, Công văn).")
@click.option("--issuer", default=None, help="Issuing unit (name or code).")
@structure_options
@click.option("--out", "out", required=True, type=OutputFile())
def sample(seed: int, doc_type: str | None, issuer: str | None, on: str | None, structure: str | None,
           out: str) -> None:
    """Write a believable sample document (PDF/A-2b) for a seed, from a unit as of --on (today by default)."""
    from simulator.documents import ContentGenerator, render_pdf

    prov = dated_province("Nghệ An", structure, on)
    generator = ContentGenerator(seed)
    document = (generator.document(prov.find(issuer), prov, doc_type) if issuer
                else generator.sample(prov, doc_type=doc_type))
    result = render_pdf(document, out)
    click.echo(_("Wrote {path}: {number} {type} of {issuer}, {pages} page(s).", path=result.path,
                 number=document.number_code, type=document.type.name, issuer=document.issuer_name,
                 pages=result.pages))


@doc.command("render")
@click.argument("spec", type=InputFile(MAX_TEXT, structured=True))
@click.option("--out", "out", required=True, type=OutputFile())
def render(spec: str, out: str) -> None:
    """Render a document described in a YAML file."""
    from simulator.documents import render_pdf
    from simulator.documents.spec import load_spec

    inputs.distinct_output(out, "--out", spec)
    document = load_spec(spec)
    result = render_pdf(document, out)
    click.echo(_("Wrote {path}: {number} {type} of {issuer}, {pages} page(s).", path=result.path,
                 number=document.number_code, type=document.type.name, issuer=document.issuer_name,
                 pages=result.pages))

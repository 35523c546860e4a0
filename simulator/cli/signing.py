"""``vbdt sign`` and ``vbdt verify``: digital signatures on PDF documents."""

from __future__ import annotations

from pathlib import Path

import click

from simulator.cli.common import (MAX_KEY, MAX_PASSPHRASE, MAX_PDF, Folder, InputFile, IsoTime, OutputFile, echo_json,
                                  verdict_exit)
from simulator import inputs
from simulator.cli.pki import open_pki, parse_time, read_passphrase
from simulator.i18n import translator

_ = translator("signing")

_PKI_OPTION = click.option("--pki", "folder", envvar="VBDT_PKI", default="pki", show_default=True,
                           type=Folder(), help="PKI folder.")


@click.command("sign")
@click.argument("in_pdf", type=InputFile(MAX_PDF, pdf=True))
@click.option("--as", "p12", required=True, type=InputFile(MAX_KEY),
              help="Key file (.p12) of the signer.")
@click.option("--passphrase-file", type=InputFile(MAX_PASSPHRASE, text=True))
@click.option("--seal", is_flag=True, help="Apply the agency seal (the clerk, after the person).")
@click.option("--attachment-of", type=InputFile(MAX_PDF, pdf=True),
              help="Sign IN.pdf as an attachment of this main document.")
@click.option("--out", "out_pdf", required=True, type=OutputFile())
@click.option("--at", "at", default=None, metavar="TIME",
              help="Sign at this time of a simulated world (dd/mm/yyyy HH:MM, Vietnam time, or ISO with zone): "
                   "signing time and time stamp of that moment. Default now.")
@_PKI_OPTION
@click.option("--json", "as_json", is_flag=True)
def sign(in_pdf: Path, p12: Path, passphrase_file: Path | None, seal: bool, attachment_of: Path | None,
         out_pdf: Path, at: str | None, folder: str, as_json: bool) -> None:
    """Ký số IN.pdf: người có thẩm quyền, hoặc văn thư đóng dấu (--seal) / ký tệp đính kèm."""
    from simulator.signing import sign_attachment, sign_person, sign_seal

    inputs.distinct_output(out_pdf, "--out", p12, passphrase_file, attachment_of)  # IN.pdf itself may be replaced
    moment = parse_time(at, "at", vietnamese=True)  # refused before a passphrase is asked
    store = open_pki(folder)
    passphrase = read_passphrase(passphrase_file, _("Passphrase of the key"))
    if attachment_of is not None:
        result = sign_attachment(in_pdf, out_pdf, attachment_of, p12, passphrase, store, at=moment)
    elif seal:
        result = sign_seal(in_pdf, out_pdf, p12, passphrase, store, at=moment)
    else:
        result = sign_person(in_pdf, out_pdf, p12, passphrase, store, at=moment)
    if as_json:
        echo_json({"out": str(result)})
    else:
        click.echo(_("Signed: {path}", path=result))


@click.command("verify")
@click.argument("pdf", type=InputFile(MAX_PDF, pdf=True))
@click.option("--json", "as_json", is_flag=True)
@click.option("--at", "at", default=None, type=IsoTime(),
              help="Validate as of this ISO time (with zone), e.g. for archives.")
@click.option("--main", "main_pdf", type=InputFile(MAX_PDF, pdf=True),
              help="For an attachment: the main document it must name.")
@_PKI_OPTION
def verify(pdf: Path, as_json: bool, at: str | None, main_pdf: Path | None, folder: str) -> None:
    """Kiểm tra chữ ký số của PDF: 0 hợp lệ, 1 không hợp lệ, 2 không đọc được."""
    from simulator.signing import verify as verify_pdf

    store = open_pki(folder)
    report = verify_pdf(pdf, store, at=parse_time(at, "at"), main_pdf=main_pdf)
    if as_json:
        echo_json(report.to_json())
    else:
        click.echo(report.explain())
    verdict_exit(report.passed)

"""Format identification and the PDF/A-2b derivative of an unsigned original.

An original is kept byte for byte. A signed PDF is never rewritten (a full
rewrite breaks its signatures, PITFALLS.md); for an unsigned original the
archive may add a PDF/A-2b copy made with ``pikepdf.pdfa`` as a derivative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("archiving")

_HEADER = re.compile(rb"%PDF-(\d\.\d)")


@dataclass(frozen=True)
class PdfFacts:
    version: str          # header version, e.g. "1.7"
    pages: int
    signed: bool          # has at least one filled signature field
    pdfa: str             # claimed PDF/A part and conformance ("2B") or ""
    text: str             # extracted text (first pages), for search

    @property
    def format_name(self) -> str:
        return f"PDF/A-{self.pdfa}" if self.pdfa else f"PDF {self.version}"

    @property
    def puid(self) -> str:
        """PRONOM identifier of the format (fmt/276 = PDF 1.7, fmt/477 = PDF/A-2b...)."""
        if self.pdfa.upper() == "2B":
            return "fmt/477"
        if self.pdfa.upper() == "2U":
            return "fmt/478"
        return {"1.4": "fmt/18", "1.5": "fmt/19", "1.6": "fmt/20", "1.7": "fmt/276", "2.0": "fmt/1129"}.get(
            self.version, "fmt/14")


def _signed(pdf: pikepdf.Pdf) -> bool:
    form = pdf.Root.get("/AcroForm")
    if form is None:
        return False
    stack = list(form.get("/Fields", []))
    while stack:
        fld = stack.pop()
        if fld.get("/FT") == "/Sig" and "/V" in fld:
            return True
        stack.extend(fld.get("/Kids", []))
    return False


def _text(path: Path, max_pages: int = 5) -> str:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except Exception:  # text is a search aid only
        return ""
    try:
        parts = []
        for i in range(min(len(doc), max_pages)):
            page = doc[i]
            textpage = page.get_textpage()
            parts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return " ".join(" ".join(parts).split())
    finally:
        doc.close()


def identify(path: str | Path, *, extract_text: bool = True) -> PdfFacts:
    """Open ``path`` as a PDF (read only) or raise UserError naming the file."""
    path = Path(path)
    with path.open("rb") as fh:
        head = fh.read(1024)
    match = _HEADER.search(head)
    if not match:
        raise UserError(_("{name} is not a PDF file.", name=path.name), field="pdf_path")
    try:
        with pikepdf.open(path) as pdf:
            pages = len(pdf.pages)
            signed = _signed(pdf)
            meta = pdf.open_metadata()
            pdfa = meta.pdfa_status or ""
    except pikepdf.PdfError:
        raise UserError(_("{name} is not a readable PDF file.", name=path.name), field="pdf_path") from None
    if pages < 1:
        raise UserError(_("{name} has no pages.", name=path.name), field="pdf_path")
    return PdfFacts(match.group(1).decode(), pages, signed, pdfa, _text(path) if extract_text else "")


def pdfa_derivative(original: str | Path, target: str | Path) -> str:
    """Write a PDF/A-2b copy of an unsigned original; returns the validated flavour."""
    import pikepdf.pdfa  # slow to import (its JSON schemas); only needed here

    with pikepdf.open(original) as pdf:
        if "/OpenAction" in pdf.Root:  # fpdf2 writes one; remove it first (PITFALLS.md)
            del pdf.Root["/OpenAction"]
        pikepdf.pdfa.save(pdf, target, "2b")
    return "2b"

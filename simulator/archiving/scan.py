"""Digitising paper (số hóa): scans as PDF, colour, at least 200 dpi.

DOMAIN.md §3: an electronic copy of a paper document (Circular 01/2019/TT-BNV)
is a PDF (version 1.4 or later), in colour, at no less than 200 dpi, with the
agency's signature as text at the top right of the first page.
:func:`scan_to_pdf` makes such a file from page images; :func:`check_scan`
tells whether a PDF meets the rule (the archive refuses a scan that does not).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("archiving")

MIN_DPI = 200
MIN_VERSION = (1, 4)


@dataclass(frozen=True)
class ScanCheck:
    ok: bool
    problems: list[str]
    min_dpi: float
    colour: bool
    version: str


def scan_to_pdf(images: list[str | Path], target: str | Path, *, dpi: int = 300, agency_signature: str = "") -> Path:
    """One page per image, sized from ``dpi``; ``agency_signature`` written top right of page 1."""
    from fpdf import FPDF
    from PIL import Image

    from simulator.documents.fonts import font_path

    if dpi < MIN_DPI:
        raise UserError(_("A scan needs at least {n} dpi.", n=MIN_DPI), field="dpi")
    pdf = FPDF(unit="pt")
    pdf.set_creator("vbdt-lab scan")
    pdf.add_font("ScanSerif", "", str(font_path("")))
    for i, image in enumerate(images):
        with Image.open(image) as im:
            w_px, h_px = im.size
            rgb = im.convert("RGB")
            w_pt, h_pt = w_px * 72 / dpi, h_px * 72 / dpi
            pdf.add_page(format=(w_pt, h_pt))
            pdf.image(rgb, x=0, y=0, w=w_pt, h=h_pt)
        if i == 0 and agency_signature:
            pdf.set_font("ScanSerif", size=8)
            pdf.set_text_color(0, 0, 0)
            width = min(w_pt * 0.45, 240)
            pdf.set_xy(w_pt - width - 12, 10)
            pdf.multi_cell(width, 10, agency_signature, align="R")
    target = Path(target)
    with pikepdf.open(io.BytesIO(bytes(pdf.output()))) as doc:  # fpdf2 writes 1.3; the rule asks for ≥ 1.4
        doc.save(target, min_version="1.7")
    return target


def check_scan(path: str | Path) -> ScanCheck:
    """Check version ≥ 1.4, colour images, resolution ≥ 200 dpi on every page."""
    problems: list[str] = []
    dpis: list[float] = []
    colour = True
    with pikepdf.open(path) as pdf:
        version = pdf.pdf_version
        if tuple(int(x) for x in version.split(".")[:2]) < MIN_VERSION:
            problems.append(_("PDF version {v} is older than 1.4.", v=version))
        for number, page in enumerate(pdf.pages, 1):
            box = page.mediabox
            w_in = float(box[2] - box[0]) / 72
            h_in = float(box[3] - box[1]) / 72
            images = list(page.get_images().values())
            if not images:
                problems.append(_("Page {n} has no scanned image.", n=number))
                continue
            img = pikepdf.PdfImage(max(images, key=lambda im: int(im.Width) * int(im.Height)))
            dpis.append(min(img.width / w_in, img.height / h_in))
            if img.mode not in ("RGB", "RGBA", "CMYK", "P"):
                colour = False
                problems.append(_("Page {n} is not in colour.", n=number))
    low = min(dpis) if dpis else 0.0
    if dpis and low < MIN_DPI - 0.5:
        problems.append(_("The resolution is {dpi:.0f} dpi; at least {n} dpi is required.", dpi=low, n=MIN_DPI))
    return ScanCheck(not problems, problems, low, colour, version)

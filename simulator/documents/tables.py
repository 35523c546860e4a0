"""A document with an appendix table (phụ lục), rendered to PDF/A-2b in the Decree-30 layout.

A report (Báo cáo) whose figures are a wide table keeps its text, its
recipients and its signature block on the first pages, in portrait, exactly
as :mod:`render` lays out any document; the table follows as an appendix
(Decree 30, Art. 8: phụ lục is an optional component) on landscape A4
pages, headed "PHỤ LỤC", its title and "(Kèm theo Báo cáo số …)". The
header row repeats on every page; section rows (I., II., …) span the whole
width in bold. The signature box stays on the page of the signature block,
so signing (person, then agency seal) works as for any other document.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pikepdf.pdfa
from fpdf.enums import Align, TableCellFillMode
from fpdf.fonts import FontFace

from simulator.documents import render as R
from simulator.documents.fonts import FAMILY
from simulator.documents.model import Document

SECTION, ROW, SUBROW = "section", "row", "subrow"


@dataclass(frozen=True)
class Appendix:
    """The appendix table: ``rows`` are (kind, cells); a SECTION row has one cell, its heading."""

    title: str                       # "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU ..."
    note: str                        # "(Kèm theo Báo cáo số 01/BC-STTTT ngày ...)"
    head: tuple[str, ...]
    widths: tuple[float, ...]        # mm per column, summing to the landscape text width or less
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    size: float = 8.5                # pt: a planner's table on A4 landscape
    footnotes: tuple[str, ...] = ()
    align: tuple[str, ...] = ()      # per column (LEFT, CENTER, RIGHT); default: the 2nd left, others centred
    extra: tuple["Appendix", ...] = field(default_factory=tuple)  # further tables on the same pages


LANDSCAPE_WIDTH = R.PAGE_H - R.LEFT - R.RIGHT
KEEP_WITH_TITLE = 40.0   # mm: the room a further table's title needs below it (its head and a few rows)


def _table(pdf: R._Pdf, appendix: Appendix) -> None:
    pdf.set_font(FAMILY, "", appendix.size)
    heading = FontFace(family=FAMILY, emphasis="BOLD", size_pt=appendix.size, fill_color=(235, 235, 235))
    with pdf.table(col_widths=appendix.widths, width=sum(appendix.widths), align="LEFT",
                   text_align=appendix.align or ("CENTER", "LEFT") + ("CENTER",) * (len(appendix.head) - 2),
                   line_height=1.25 * appendix.size / R.MM, headings_style=heading, repeat_headings=1,
                   cell_fill_mode=TableCellFillMode.NONE, padding=0.8) as table:
        row = table.row()
        for text in appendix.head:
            row.cell(text)
        section = FontFace(family=FAMILY, emphasis="BOLD", size_pt=appendix.size)
        sub = FontFace(family=FAMILY, emphasis="ITALICS", size_pt=appendix.size)
        for kind, cells in appendix.rows:
            row = table.row()
            if kind == SECTION:
                row.cell(cells[0], style=section, align=Align.C)
                row.cell(cells[1], style=section, colspan=len(appendix.head) - 1, align=Align.L)
                continue
            for i, text in enumerate(cells):
                row.cell(text, style=sub if kind == SUBROW and i == 1 else None)
    pdf.ln(2)
    pdf.set_font(FAMILY, "I", appendix.size)
    for note in appendix.footnotes:
        pdf.set_x(R.LEFT)
        pdf.multi_cell(sum(appendix.widths), 1.3 * appendix.size / R.MM, note, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _appendix(pdf: R._Pdf, appendix: Appendix) -> None:
    pdf.add_page(orientation="L")
    pdf.set_y(R.TOP)
    R._centered(pdf, R.LEFT, LANDSCAPE_WIDTH, "PHỤ LỤC", "B", 13, 6.5)
    R._centered(pdf, R.LEFT, LANDSCAPE_WIDTH, appendix.title, "B", 13, 6.5)
    R._centered(pdf, R.LEFT, LANDSCAPE_WIDTH, appendix.note, "I", 13, 6.5)
    pdf.ln(4)
    for table in (appendix, *appendix.extra):
        if table is not appendix:
            if pdf.get_y() > pdf.h - R.BOTTOM - KEEP_WITH_TITLE:   # a title never ends a page alone
                pdf.add_page(orientation="L")
            pdf.set_font(FAMILY, "B", 11)
            pdf.set_x(R.LEFT)
            pdf.multi_cell(LANDSCAPE_WIDTH, 6, table.title, new_x="LMARGIN", new_y="NEXT")
        _table(pdf, table)


def render_with_appendix(doc: Document, appendix: Appendix, path: str | os.PathLike) -> R.RenderResult:
    """Write ``doc`` then its appendix table to ``path`` as validated PDF/A-2b (a numbered document)."""
    if doc.number is None:
        raise ValueError("a document with an appendix is rendered numbered")
    pdf = R._Pdf()
    pdf.set_title(doc.subject[:200])
    pdf.set_author(doc.issuer_name)
    pdf.set_subject(R.info_subject(doc))
    pdf.set_creator("vbdt-lab")
    pdf.set_lang("vi-VN")
    pdf.add_page()
    R._header(pdf, doc)
    R._title(pdf, doc)
    R._body(pdf, doc)
    box = R._closing(pdf, doc)
    _appendix(pdf, appendix)
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(bytes(pdf.output()))) as raw:
        if "/OpenAction" in raw.Root:
            del raw.Root["/OpenAction"]
        raw.docinfo["/VbdtSignatureBox"] = " ".join(str(v) for v in box)
        raw.docinfo["/VbdtDocumentId"] = doc.document_id
        pikepdf.pdfa.save(raw, out, "2b")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(out.getvalue())
    os.replace(tmp, path)
    return R.RenderResult(path, pdf.page_no(), box)

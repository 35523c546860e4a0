"""Render a Document to PDF/A-2b in the Decree-30 layout (Appendix I).

A4, margins 20 mm top/bottom, 30 mm left, 15 mm right. Top left: the
managing body and the issuer in capitals, a short rule, the number and code
(and, for a công văn, the subject "V/v ..."). Top right: the national motto
block with its rule, the place and date in italics. Then the type name and
subject, the body, and at the bottom the recipients (left) and the signature
block (right) whose empty middle is where the digital signature goes: its
rectangle is stored in the document info as ``/VbdtSignatureBox`` so the
signing layer can find it. Fonts are embedded (Noto Serif, see fonts.py).
The file is converted and validated as PDF/A-2b with ``pikepdf.pdfa``
before any signature (signing later appends an incremental update).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pikepdf.pdfa
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from simulator.documents.fields import (
    DATE_FIELD, NUMBER_FIELD, FieldPlace, add_fields, draft_date_text, draft_number_text,
)
from simulator.documents.fonts import FAMILY, font_path
from simulator.documents.model import Document, Priority

MM = 72 / 25.4
PAGE_W, PAGE_H = 210.0, 297.0
LEFT, RIGHT, TOP, BOTTOM = 30.0, 15.0, 20.0, 20.0
FIELD_PAD = 1.5  # mm a form field reaches beyond its 6 mm line, above and below
SIGNATURE_SPACE = 32.0  # mm between the position lines and the name
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
SLOGAN = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class RenderResult:
    path: Path
    pages: int
    signature_box: tuple[int, float, float, float, float]  # page, x1, y1, x2, y2 (points, bottom-left origin)
    fields: tuple[FieldPlace, ...] = ()  # a draft's number and date fields (empty once numbered)


class _Pdf(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4", unit="mm")
        for style in ("", "B", "I", "BI"):
            self.add_font(FAMILY, style, str(font_path(style)))
        self.set_margins(LEFT, TOP, RIGHT)
        self.set_auto_page_break(True, BOTTOM)
        self.set_text_color(0, 0, 0)
        self.fields: list[tuple[FieldPlace, str]] = []  # blanks the clerk fills at issuance

    def field_here(self, name: str, x: float, w: float, h: float, text: str, style: str, align: str) -> None:
        """A text field over (x, current y, w, h) in mm; the page shows ``text`` until it is filled."""
        line_y = self.get_y()
        top, bottom = line_y - FIELD_PAD, line_y + h + FIELD_PAD  # room for accents and descenders
        # whole points: pyHanko's layout works in rationals, and the appearance then fits the rectangle exactly
        rect = tuple(float(round(v)) for v in (x * MM, (PAGE_H - bottom) * MM, (x + w) * MM, (PAGE_H - top) * MM))
        self.fields.append((FieldPlace(name, self.page_no() - 1, rect, style, align), text))
        self.set_y(line_y + h)

    def footer(self) -> None:  # page numbers from page 2, centred at the top margin is customary; keep it simple
        if self.page_no() > 1:
            self.set_y(8)
            self.set_font(FAMILY, "", 12)
            self.cell(0, 6, str(self.page_no()), align=Align.C)


def _rule(pdf: FPDF, x_center: float, y: float, width: float) -> None:
    pdf.set_line_width(0.3)
    pdf.line(x_center - width / 2, y, x_center + width / 2, y)


def _centered(pdf: FPDF, x: float, w: float, text: str, style: str, size: float, h: float = 6.0) -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.set_x(x)
    pdf.multi_cell(w, h, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _issuer_lines(name: str) -> str:
    """'Ủy ban nhân dân huyện Diễn Châu' -> 'ỦY BAN NHÂN DÂN\nHUYỆN DIỄN CHÂU', as printed."""
    upper = name.upper()
    for head in ("ỦY BAN NHÂN DÂN ", "HỘI ĐỒNG NHÂN DÂN "):
        if upper.startswith(head) and len(upper) > len(head):
            return head.strip() + "\n" + upper[len(head):]
    return upper


def _header(pdf: _Pdf, doc: Document) -> None:
    left_x, left_w = LEFT - 12, 86.0
    right_x, right_w = 93.0, PAGE_W - RIGHT - 93.0 + 8
    y0 = TOP
    pdf.set_y(y0)
    if doc.parent_name:
        _centered(pdf, left_x, left_w, doc.parent_name.upper(), "", 12, 5.5)
    _centered(pdf, left_x, left_w, _issuer_lines(doc.issuer_name), "B", 12, 5.5)
    y_rule_left = pdf.get_y() + 0.8
    _rule(pdf, left_x + left_w / 2, y_rule_left, 25)
    pdf.set_y(y_rule_left + 2.5)
    if doc.number is None:  # a draft: the clerk writes the number at issuance, into a field
        pdf.set_font(FAMILY, "", 13)
        label = "Số: "
        sample = f"{label}00/{doc.code_notation}"
        start = left_x + (left_w - pdf.get_string_width(sample)) / 2
        pdf.set_xy(start, pdf.get_y())
        pdf.cell(pdf.get_string_width(label), 6, label.strip())
        x = start + pdf.get_string_width(label.strip())  # the appearance's own inner margin is the space
        pdf.field_here(NUMBER_FIELD, x, left_x + left_w - x, 6, draft_number_text(doc.code_notation), "", "left")
    else:
        _centered(pdf, left_x, left_w, f"Số: {doc.number_code}", "", 13)
    if not doc.type.abbreviation and doc.subject:
        _centered(pdf, left_x, left_w, doc.subject, "", 12, 5.5)
    for mark in (doc.secrecy.value, "" if doc.priority == Priority.NORMAL else doc.priority.label_vi.upper()):
        if mark:
            pdf.set_font(FAMILY, "B", 13)
            width = pdf.get_string_width(mark) + 6
            pdf.set_x(left_x + (left_w - width) / 2)
            pdf.cell(width, 7, mark, border=1, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
    y_left_end = pdf.get_y()

    pdf.set_y(y0)
    _centered(pdf, right_x, right_w, MOTTO, "B", 12, 5.5)
    _centered(pdf, right_x, right_w, SLOGAN, "B", 13, 6)
    pdf.set_font(FAMILY, "B", 13)
    y_rule_right = pdf.get_y() + 0.8
    _rule(pdf, right_x + right_w / 2, y_rule_right, pdf.get_string_width(SLOGAN))
    pdf.set_y(y_rule_right + 2.5)
    if doc.number is None:  # the date of issue too
        pdf.field_here(DATE_FIELD, right_x, right_w, 6, draft_date_text(doc.place, doc.issued_date.year), "I",
                       "center")
    else:
        _centered(pdf, right_x, right_w, doc.date_line, "I", 13)
    pdf.set_y(max(y_left_end, pdf.get_y()) + 6)


def _title(pdf: _Pdf, doc: Document) -> None:
    if not doc.type.abbreviation:
        return
    width = PAGE_W - LEFT - RIGHT
    _centered(pdf, LEFT, width, doc.type.upper_name, "B", 14, 7)
    _centered(pdf, LEFT, width, doc.subject, "B", 13, 6.5)
    _rule(pdf, LEFT + width / 2, pdf.get_y() + 0.8, 40)
    pdf.ln(6)


def _body(pdf: _Pdf, doc: Document) -> None:
    width = PAGE_W - LEFT - RIGHT
    if not doc.type.abbreviation and doc.recipients:
        pdf.set_font(FAMILY, "", 13)
        names = ";\n".join(r.name for r in doc.recipients)
        pdf.set_x(LEFT + 25)
        pdf.multi_cell(width - 25, 6.5, f"Kính gửi: {names}.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(3)
    for paragraph in doc.body:
        if paragraph.startswith("#"):  # a centred heading such as "QUYẾT ĐỊNH:"
            pdf.ln(1)
            _centered(pdf, LEFT, width, paragraph[1:], "B", 13, 6.5)
            pdf.ln(1)
            continue
        pdf.set_font(FAMILY, "", 13)
        pdf.set_x(LEFT)
        with pdf.text_columns(text_align=Align.J, line_height=1.15) as column:
            with column.paragraph(first_line_indent=10, bottom_margin=1.5) as par:
                par.write(paragraph)


def _closing(pdf: _Pdf, doc: Document) -> tuple[int, float, float, float, float]:
    lines = doc.signer.block_lines
    needed = 7 * len(lines) + SIGNATURE_SPACE + 12
    if pdf.get_y() + needed > PAGE_H - BOTTOM:
        pdf.add_page()
    pdf.ln(4)
    y0 = pdf.get_y()
    # Recipients, left column
    pdf.set_xy(LEFT - 12, y0)
    pdf.set_font(FAMILY, "BI", 12)
    pdf.cell(70, 6, "Nơi nhận:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 11)
    entries = [f"- {r.name};" for r in doc.recipients] + [f"- Lưu: {doc.filed_copies}."]
    for entry in entries:
        pdf.set_x(LEFT - 12)
        pdf.multi_cell(78, 5, entry, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    # Signature block, right column
    col_x, col_w = 105.0, PAGE_W - RIGHT - 105.0
    pdf.set_y(y0)
    for line in lines:
        _centered(pdf, col_x, col_w, line, "B", 13, 6.5)
    top = pdf.get_y()
    bottom = top + SIGNATURE_SPACE
    pdf.set_y(bottom)
    _centered(pdf, col_x, col_w, doc.signer.full_name, "B", 13, 6.5)
    page = pdf.page_no() - 1
    return (page, round(col_x * MM, 2), round((PAGE_H - bottom) * MM, 2),
            round((col_x + col_w) * MM, 2), round((PAGE_H - top) * MM, 2))


def render_bytes(doc: Document) -> tuple[bytes, int, tuple[int, float, float, float, float],
                                         list[tuple[FieldPlace, str]]]:
    """The raw (not yet PDF/A) PDF, its page count, the signature box and a draft's blank fields."""
    pdf = _Pdf()
    pdf.set_title(doc.subject[:200])
    pdf.set_author(doc.issuer_name)
    pdf.set_subject(info_subject(doc))
    pdf.set_creator("vbdt-lab")
    pdf.set_lang("vi-VN")
    pdf.add_page()
    _header(pdf, doc)
    _title(pdf, doc)
    _body(pdf, doc)
    box = _closing(pdf, doc)
    return bytes(pdf.output()), pdf.page_no(), box, pdf.fields


def info_subject(doc: Document) -> str:
    """The /Subject of the document information: '05/QĐ-UBND - Quyết định' (a draft: the type only)."""
    return f"{doc.number_code} - {doc.type.name}" if doc.number is not None else doc.type.name


def render_pdf(doc: Document, path: str | os.PathLike, *, pdfa: bool = True) -> RenderResult:
    """Write ``doc`` to ``path`` (PDF/A-2b, validated, unless ``pdfa=False``)."""
    path = Path(path)
    raw, pages, box, fields = render_bytes(doc)
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        if "/OpenAction" in pdf.Root:  # fpdf2 writes one; PDF/A-2b forbids its JavaScript cousins, keep it clean
            del pdf.Root["/OpenAction"]
        pdf.docinfo["/VbdtSignatureBox"] = " ".join(str(v) for v in box)
        if doc.number is not None:  # a draft has no identity yet: the register gives it at issuance
            pdf.docinfo["/VbdtDocumentId"] = doc.document_id
        if pdfa:
            pikepdf.pdfa.save(pdf, out, "2b")
        else:
            pdf.save(out)
    data = out.getvalue()
    if fields:
        # pikepdf's PDF/A checker does not handle forms: the validated PDF/A-2b file stays the first
        # revision byte for byte, the blank fields are one incremental update on it (before any signature)
        data = add_fields(data, fields)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return RenderResult(path, pages, box, tuple(place for place, _text in fields))


def signature_box(path: str | os.PathLike) -> tuple[int, float, float, float, float] | None:
    """Read back the signature rectangle a rendered document carries."""
    with pikepdf.open(path) as pdf:
        value = pdf.docinfo.get("/VbdtSignatureBox")
        if value is None:
            return None
        page, *coords = str(value).split()
        return (int(page), *(float(c) for c in coords))

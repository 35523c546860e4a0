"""Render a Document to PDF/A-2b in the Decree-30 layout (Appendix I).

A4, margins 20 mm top/bottom, 30 mm left, 15 mm right: everything, the
agency block and "Nơi nhận" too, lies inside them. Top left: the managing
body (regular) and the issuer (bold) in capitals, 12 pt, a rule one third to
one half of the name's line, centred; the number and code, 13 pt (and, for a
công văn, the subject "V/v ..."). Top right: the national motto, 12 pt bold,
the slogan, 13 pt bold, with a rule as long as the slogan; the place and
date, 13 pt italic. Then the type name (14 pt bold) and the subject (14 pt
bold) with a rule one third to one half of its line; for a công văn
"Kính gửi:" (14 pt), one addressee on the same line, several as "- ...;"
lines under the colon. The body is 13 pt, justified, first lines indented
10 mm, at least 6 pt between paragraphs; legal bases ("Căn cứ ...",
"Theo đề nghị ...") in italics, "Điều 1." and Roman-numbered headings in
bold, an all-capitals line (the authority, "QUYẾT ĐỊNH:") centred in bold.
At the bottom the recipients (left: "Nơi nhận:" 12 pt bold italic, entries
11 pt, flush left; a công văn's begin "- Như trên;", a Quyết định's "- Như Điều 3;") and the signature block (right)
whose empty middle is where the digital signature goes: its
rectangle is stored in the document info as ``/VbdtSignatureBox`` so the
signing layer can find it. Fonts are embedded (Noto Serif, see fonts.py).
The file is converted and validated as PDF/A-2b with ``pikepdf.pdfa``
before any signature (signing later appends an incremental update).
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pikepdf.pdfa
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from simulator.documents.fields import (
    BASELINE_PT, DATE_FIELD, FIELD_SIZE, NUMBER_FIELD, FieldPlace, add_fields, draft_date_text, draft_number_text,
)
from simulator.documents.fonts import FAMILY, font_path
from simulator.documents.model import Document, Priority

MM = 72 / 25.4
PAGE_W, PAGE_H = 210.0, 297.0
LEFT, RIGHT, TOP, BOTTOM = 30.0, 15.0, 20.0, 20.0
FIELD_PAD = 1.5  # mm a form field reaches beyond its 6 mm line, above and below
SIGNATURE_SPACE = 32.0  # mm between the position lines and the name
LEFT_COL = (LEFT, 65.0)                      # x, width (mm): the agency block, number and V/v
RIGHT_COL = (LEFT + 65.0, PAGE_W - RIGHT - LEFT - 65.0)  # the motto block, place and date
PARAGRAPH_SPACE = 6.5 / MM  # mm after each paragraph: at least 6 pt (Appendix I)
RULE_SHARE = 0.4            # a rule under a name or a subject: between 1/3 and 1/2 of its line
BODY_SIZE = 13
ROMAN = re.compile(r"^[IVXL]+\. ")
ARTICLE = re.compile(r"^(Điều \d+\.)\s*")
BASES = ("Căn cứ ", "Theo đề nghị ", "Xét đề nghị ")
# The urgency and secrecy stamps: rectangles 8 mm high, 20, 30 or 40 mm wide (Decree 30, Appendix I;
# Circular 24/2020/TT-BCA for the secrecy marks), the words in bold capitals.
MARK_HEIGHT = 8.0
MARK_BOXES = {"KHẨN": 20.0, "HỎA TỐC": 30.0, "THƯỢNG KHẨN": 40.0, "MẬT": 20.0, "TỐI MẬT": 30.0,
              "TUYỆT MẬT": 40.0}
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
        # the baseline where fpdf2 would print the line (cell: half the height plus 0.3 of the font size)
        baseline = (PAGE_H - line_y - h / 2 - 0.3 * FIELD_SIZE / MM) * MM  # points from the bottom edge
        # whole points: pyHanko's layout works in rationals, and the appearance then fits the rectangle exactly;
        # the text stands BASELINE_PT above the bottom edge, the top leaves room for accents
        bottom = round(baseline) - BASELINE_PT
        rect = (float(round(x * MM)), float(bottom), float(round((x + w) * MM)),
                float(bottom + round((h + 2 * FIELD_PAD) * MM)))
        self.fields.append((FieldPlace(name, self.page_no() - 1, rect, style, align), text))
        self.set_y(line_y + h)

    def footer(self) -> None:  # page numbers from page 2, centred in the top margin, 13 pt (Appendix I)
        if self.page_no() > 1:
            self.set_y(8)
            self.set_font(FAMILY, "", 13)
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


def _balanced(pdf: FPDF, text: str, width: float) -> str:
    """Each line of ``text`` that is wider than ``width`` split in two at the word that balances them
    (after a comma when that fits: 'SỞ VĂN HÓA,' / 'THỂ THAO VÀ DU LỊCH')."""
    out = []
    for line in text.split("\n"):
        words = line.split()
        if pdf.get_string_width(line) <= width - 2 or len(words) < 2:
            out.append(line)
            continue

        def widest(i: int, words=words) -> float:
            return max(pdf.get_string_width(" ".join(words[:i])), pdf.get_string_width(" ".join(words[i:])))

        cuts = sorted(range(1, len(words)), key=widest)
        after_comma = [i for i in cuts if words[i - 1].endswith(",") and widest(i) <= width - 2]
        cut = after_comma[0] if after_comma else cuts[0]
        out += [" ".join(words[:cut]), " ".join(words[cut:])]
    return "\n".join(out)


def _widest(pdf: FPDF, lines: list[str]) -> float:
    return max(pdf.get_string_width(line) for line in lines)


def _header(pdf: _Pdf, doc: Document) -> None:
    left_x, left_w = LEFT_COL
    right_x, right_w = RIGHT_COL
    y0 = TOP
    pdf.set_y(y0)
    if doc.parent_name:
        pdf.set_font(FAMILY, "", 12)
        _centered(pdf, left_x, left_w, _balanced(pdf, doc.parent_name.upper(), left_w), "", 12, 5.5)
    pdf.set_font(FAMILY, "B", 12)
    issuer = _balanced(pdf, _issuer_lines(doc.issuer_name), left_w)
    _centered(pdf, left_x, left_w, issuer, "B", 12, 5.5)
    y_rule_left = pdf.get_y() + 0.8
    _rule(pdf, left_x + left_w / 2, y_rule_left, RULE_SHARE * _widest(pdf, issuer.split("\n")))
    pdf.set_y(y_rule_left + 2.5)
    if doc.number is None:  # a draft: the clerk writes the number at issuance, into a field
        pdf.set_font(FAMILY, "", 13)
        label = "Số: "
        sample = f"{label}00/{doc.code_notation}"
        start = left_x + (left_w - pdf.get_string_width(sample)) / 2
        pdf.set_xy(start, pdf.get_y())
        pdf.cell(pdf.get_string_width(label), 6, label.strip())
        x = start + pdf.c_margin + pdf.get_string_width(label)  # one space after "Số:", as printed
        pdf.field_here(NUMBER_FIELD, x, left_x + left_w - x, 6, draft_number_text(doc.code_notation), "", "left")
    else:
        _centered(pdf, left_x, left_w, f"Số: {doc.number_code}", "", 13)
    if not doc.type.abbreviation and doc.subject:
        _centered(pdf, left_x, left_w, doc.subject, "", 12, 5.5)
    for mark in (doc.secrecy.value, "" if doc.priority == Priority.NORMAL else doc.priority.label_vi.upper()):
        if mark:
            pdf.set_font(FAMILY, "B", 13)
            width = max(MARK_BOXES.get(mark, 40.0), pdf.get_string_width(mark) + 2)
            pdf.set_x(left_x + (left_w - width) / 2)
            pdf.cell(width, MARK_HEIGHT, mark, border=1, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
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
    pdf.set_font(FAMILY, "B", 14)
    lines = _even_lines(pdf, doc.subject, width)
    _centered(pdf, LEFT, width, "\n".join(lines), "B", 14, 7)
    _rule(pdf, LEFT + width / 2, pdf.get_y() + 0.8, RULE_SHARE * _widest(pdf, lines))
    pdf.ln(6)


def _even_lines(pdf: FPDF, text: str, width: float) -> list[str]:
    """``text`` wrapped in as few lines as ``width`` allows, of even length: no word left alone on the
    last line of a title ('... hộ gia đình, cá' / 'nhân')."""
    def wrap(w: float) -> list[str]:
        return pdf.multi_cell(w, 7, text, align=Align.C, dry_run=True, output="LINES")

    lines = wrap(width)
    if len(lines) < 2:
        return lines
    low, high = width / len(lines), width
    while high - low > 0.5:  # the narrowest measure that keeps the same number of lines
        middle = (low + high) / 2
        if len(wrap(middle)) == len(lines):
            high = middle
        else:
            low = middle
    return [line.strip() for line in wrap(high)]


def _addressees(pdf: _Pdf, doc: Document) -> None:
    """A công văn's "Kính gửi:" (14 pt): one addressee on its line, several as '- ...;' under the colon."""
    pdf.set_font(FAMILY, "", 14)
    x = LEFT + 25
    label = "Kính gửi:"
    names = [r.name for r in doc.recipients]
    width = PAGE_W - RIGHT - x
    if len(names) == 1:
        pdf.set_x(x)
        pdf.multi_cell(width, 7, f"{label} {names[0]}.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    else:
        pdf.set_x(x)
        pdf.cell(pdf.get_string_width(label), 7, label)
        inner = x + pdf.get_string_width(label) + 2
        for i, name in enumerate(names):
            pdf.set_x(inner)
            end = "." if i == len(names) - 1 else ";"
            pdf.multi_cell(PAGE_W - RIGHT - inner, 7, f"- {name}{end}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def _is_caps_line(paragraph: str) -> bool:
    """An authority line or 'QUYẾT ĐỊNH:': capitals (a Công điện's ends with ' điện:')."""
    core = paragraph.removesuffix(":").removesuffix(" điện")
    return any(ch.isalpha() for ch in core) and core == core.upper() and len(core) < 150


def _paragraph(pdf: _Pdf, parts: list[tuple[str, str]]) -> None:
    """One justified paragraph: (style, text) runs, first line indented 10 mm."""
    pdf.set_x(LEFT)
    with pdf.text_columns(text_align=Align.J, line_height=1.15) as column:
        with column.paragraph(first_line_indent=10, bottom_margin=PARAGRAPH_SPACE) as par:
            for style, text in parts:
                pdf.set_font(FAMILY, style, BODY_SIZE)
                par.write(text)


def _body(pdf: _Pdf, doc: Document) -> None:
    width = PAGE_W - LEFT - RIGHT
    if not doc.type.abbreviation and doc.recipients:
        _addressees(pdf, doc)
    for paragraph in doc.body:
        if paragraph.startswith("#") or (_is_caps_line(paragraph) and not ROMAN.match(paragraph)):
            _centered(pdf, LEFT, width, paragraph.removeprefix("#"), "B", BODY_SIZE, 6.5)
            pdf.ln(PARAGRAPH_SPACE)
        elif ROMAN.match(paragraph):  # I. KẾT QUẢ THỰC HIỆN: a part of a report or plan
            _paragraph(pdf, [("B", paragraph)])
        elif paragraph.startswith(BASES):  # a legal basis
            _paragraph(pdf, [("I", paragraph)])
        elif match := ARTICLE.match(paragraph):  # Điều 1. in bold, its text upright
            _paragraph(pdf, [("B", match.group(1) + " "), ("", paragraph[match.end():])])
        else:
            _paragraph(pdf, [("", paragraph)])


def recipient_entries(doc: Document) -> list[str]:
    """The "Nơi nhận" lines before "Lưu": a công văn's addressees are in "Kính gửi:", so "Như trên"; a
    Quyết định's executors are named in its last article, so "Như Điều 3" first (Appendix III, forms
    1.3-1.4), then whoever else receives it."""
    if not doc.type.abbreviation:
        return ["Như trên"] if doc.recipients else []
    names = [r.name for r in doc.recipients]
    if doc.doc_type == "quyet_dinh" and any(p.startswith("Điều 3.") for p in doc.body):
        return ["Như Điều 3", *names]
    return names


def _closing(pdf: _Pdf, doc: Document) -> tuple[int, float, float, float, float]:
    lines = doc.signer.block_lines
    needed = 7 * len(lines) + SIGNATURE_SPACE + 12
    if pdf.get_y() + needed > PAGE_H - BOTTOM:
        pdf.add_page()
    pdf.ln(4)
    y0 = pdf.get_y()
    # Recipients, left column: a công văn names its addressees in "Kính gửi:", here "- Như trên;"
    pdf.set_xy(LEFT, y0)
    pdf.set_font(FAMILY, "BI", 12)
    pdf.cell(70, 6, "Nơi nhận:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 11)
    entries = [f"- {line};" for line in recipient_entries(doc)] + [f"- Lưu: {doc.filed_copies}."]
    for entry in entries:  # flush left, never justified: a wrapped name keeps its word spacing
        pdf.set_x(LEFT)
        pdf.multi_cell(72, 5, entry, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
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

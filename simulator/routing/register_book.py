"""The register books printed as the Decree-30 forms (Appendix VI): a PDF/A for a period.

Sổ đăng ký văn bản đến: ngày đến; số đến; tác giả; số, ký hiệu; ngày tháng;
tên loại và trích yếu nội dung; đơn vị hoặc người nhận; ký nhận; ghi chú.
Sổ đăng ký văn bản đi: số, ký hiệu; ngày tháng; tên loại và trích yếu nội
dung; người ký; nơi nhận; đơn vị, người nhận bản lưu; số lượng bản; ngày
chuyển; ký nhận; ghi chú. Landscape A4 in the documents' font, each page
with the column headers and their numbers, as the printed books have them.
"""

from __future__ import annotations

import io
import os
from datetime import date, datetime, time
from pathlib import Path

import pikepdf
import pikepdf.pdfa
from fpdf import FPDF
from fpdf.fonts import FontFace

from simulator.calendar import VN_TZ
from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("routing")

FAMILY = "NotoSerif"
# (header, width in mm) of each column of the forms
INCOMING_COLUMNS = (("Ngày đến", 20), ("Số đến", 13), ("Tác giả", 38), ("Số, ký hiệu", 27), ("Ngày tháng", 20),
                    ("Tên loại và trích yếu nội dung", 68), ("Đơn vị hoặc người nhận", 32), ("Ký nhận", 29),
                    ("Ghi chú", 30))
OUTGOING_COLUMNS = (("Số, ký hiệu văn bản", 27), ("Ngày tháng văn bản", 19), ("Tên loại và trích yếu nội dung", 60),
                    ("Người ký", 28), ("Nơi nhận văn bản", 40), ("Đơn vị, người nhận bản lưu", 22),
                    ("Số lượng bản", 13), ("Ngày chuyển", 20), ("Ký nhận", 25), ("Ghi chú", 23))


def _day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _moment(value) -> str:
    return value.astimezone(VN_TZ).strftime("%d/%m/%Y") if value else ""


def incoming_rows(entries) -> list[tuple[str, ...]]:
    return [(_moment(e.arrival_at), str(e.number), e.issuer_name, e.number_code, _day(e.issued_date),
             f"{e.type_name}: {e.subject}", e.recipient, e.receipt, e.notes) for e in entries]


def outgoing_rows(entries) -> list[tuple[str, ...]]:
    return [(e.number_code, _day(e.issued_date), f"{e.type_name}: {e.subject}",
             f"{e.signer_position} {e.signer_name}".strip(), "; ".join(name for _code, name in e.recipients),
             e.kept_by, str(e.copies), _moment(e.sent_at), e.receipt, e.notes) for e in entries]


def print_book(registers, book: str, path: str | os.PathLike, *, unit_name: str, start: date, end: date) -> Path:
    """Write the ``book`` ("in" or "out") of ``registers`` from ``start`` to ``end`` as a PDF/A-2b."""
    from simulator.documents.fonts import font_path

    if book not in ("in", "out"):
        raise UserError(_("The book is 'in' or 'out', not {book!r}.", book=book), field="book")
    if end < start:
        raise UserError(_("The period ends before it starts."), field="to")
    if book == "in":
        entries = [e for e in registers.incoming() if start <= e.arrival_at.astimezone(VN_TZ).date() <= end]
        columns, rows, title = INCOMING_COLUMNS, incoming_rows(entries), "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
    else:
        entries = [e for e in registers.outgoing() if start <= e.issued_date <= end]
        columns, rows, title = OUTGOING_COLUMNS, outgoing_rows(entries), "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    for style in ("", "B", "I"):
        pdf.add_font(FAMILY, style, str(font_path(style)))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, 15)
    pdf.set_title(f"{title} - {unit_name}")
    pdf.set_author(unit_name)
    pdf.set_creation_date(datetime.combine(end, time(17, 0), tzinfo=VN_TZ))  # world time, not the machine's
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 12)
    pdf.cell(0, 6, unit_name.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "B", 14)
    pdf.cell(0, 8, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "I", 11)
    pdf.cell(0, 6, f"Từ ngày {_day(start)} đến ngày {_day(end)}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FAMILY, "", 8.5)
    heading = FontFace(emphasis="BOLD")
    widths = tuple(width for _name, width in columns)
    with pdf.table(col_widths=widths, headings_style=heading, line_height=4.2, text_align="LEFT",
                   repeat_headings=1, num_heading_rows=2) as table:
        # the form's headers and their numbers are centred over their columns (Appendix VI)
        names = table.row()
        for name, _width in columns:
            names.cell(name, align="C")
        numbers = table.row(style=FontFace(emphasis="ITALICS"))
        for n in range(1, len(columns) + 1):
            numbers.cell(f"({n})", align="C")
        for row in rows:
            table.row(list(row))
    if not rows:
        pdf.ln(4)
        pdf.set_font(FAMILY, "I", 10)
        pdf.cell(0, 6, "Không có văn bản nào trong thời gian này.", align="C")
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(bytes(pdf.output()))) as document:
        if "/OpenAction" in document.Root:
            del document.Root["/OpenAction"]
        pikepdf.pdfa.save(document, out, "2b")
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(out.getvalue())
    os.replace(tmp, path)
    return path

"""The printed register books, read back from the PDF as a reader sees them (Decree 30, Appendix VI)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from simulator.calendar import VN_TZ
from simulator.routing import Registers
from simulator.routing.register_book import INCOMING_COLUMNS, OUTGOING_COLUMNS, print_book
from tests.documents.pdfpage import Line, read_page
from tests.routing.conftest import make_document

MARGIN = 15.0  # mm, the book's left margin


@pytest.fixture(scope="module")
def books(tmp_path_factory, district, communes):
    """A commune's two books for March 2026: three documents in, two out (one of them sent)."""
    me, at = communes[0], datetime(2026, 3, 2, 8, 30, tzinfo=VN_TZ)
    tmp_path = tmp_path_factory.mktemp("books")
    regs = Registers(str(tmp_path / "so.sqlite"), me.code)
    for k in range(3):
        entry = regs.register_incoming(make_document(district, [me], number=20 + k, issued=date(2026, 3, 2 + k)),
                                       at + timedelta(days=k + 1), "Trần Thị Lan")
        if k == 0:
            regs.assign(entry.document_id, "Nguyễn Văn Hùng", at=at + timedelta(days=1, hours=1),
                        due=date(2026, 3, 10), directions="Tham mưu trả lời")
    for k in range(2):
        out = regs.issue(make_document(me, [district], issued=date(2026, 3, 4 + k)), "Trần Thị Lan",
                         at + timedelta(days=2 + k), pages=2)
        if k == 0:
            regs.dispatched(out.document_id, at=at + timedelta(days=2, hours=2), receipt="Trục liên thông")
    first, last = date(2026, 3, 1), date(2026, 3, 31)
    return {book: read_page(print_book(regs, book, tmp_path / f"so-{book}.pdf", unit_name=me.name, start=first,
                                       end=last)) for book in ("in", "out")}


def _columns(columns):
    """(header, left edge, right edge) in mm of each column of the printed table: the widths are shares of
    the landscape page between its 15 mm margins."""
    x, out, scale = MARGIN, [], (297 - 2 * MARGIN) / sum(width for _name, width in columns)
    for name, width in columns:
        out.append((name, x, x + width * scale))
        x += width * scale
    return out


def _cells(page, left, right, above=None, below=None):
    """The text lines inside the column [left, right] (mm), between two baselines: characters grouped
    by baseline (neighbouring columns' words are close enough to read as one line otherwise)."""
    rows = {}
    for char in page.chars:
        if left <= (char.left + char.right) / 2 <= right and (above is None or char.baseline > above) \
                and (below is None or char.baseline < below):
            key = next((k for k in rows if abs(k - char.baseline) < 0.6), char.baseline)
            rows.setdefault(key, []).append(char)
    return [Line(tuple(sorted(chars, key=lambda c: c.left))) for _key, chars in sorted(rows.items())]


@pytest.mark.parametrize("book, columns", [("in", INCOMING_COLUMNS), ("out", OUTGOING_COLUMNS)])
def test_headers_and_their_numbers_are_centred_over_their_columns(books, book, columns):
    page = books[book]
    numbers_row = page.one("(1)").baseline
    for n, (name, left, right) in enumerate(_columns(columns), 1):
        number = next(line for line in page.lines if line.text == f"({n})")
        assert abs(number.baseline - numbers_row) < 0.5
        assert abs((number.left + number.right) / 2 - (left + right) / 2) < 1.0, (name, number.left, left, right)
        assert number.all_italic
        header = _cells(page, left, right, above=page.one("Từ ngày").baseline, below=numbers_row - 0.5)
        assert all(line.all_bold for line in header), name
        assert " ".join(line.text for line in header) == name, (name, [line.text for line in header])
        for line in header:
            assert abs((line.left + line.right) / 2 - (left + right) / 2) < 1.0, (name, line.text)


def test_each_column_holds_what_the_form_asks(books):
    page_in, page_out = books["in"], books["out"]
    assert page_in.one("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN").all_bold and page_out.one("SỔ ĐĂNG KÝ VĂN BẢN ĐI").all_bold
    assert "Từ ngày 01/03/2026 đến ngày 31/03/2026" in page_in.text
    _name, left, right = _columns(INCOMING_COLUMNS)[6]   # (7) đơn vị hoặc người nhận
    receivers = [line.text for line in _cells(page_in, left, right)]
    assert "Nguyễn Văn Hùng" in receivers, receivers
    _name, left, right = _columns(INCOMING_COLUMNS)[8]   # (9) ghi chú: the deadline and the directions
    notes = " ".join(line.text for line in _cells(page_in, left, right))
    assert "10/03/2026" in notes and "Tham mưu trả lời" in notes
    _name, left, right = _columns(OUTGOING_COLUMNS)[7]   # (8) ngày chuyển
    sent = [line.text for line in _cells(page_out, left, right)]
    assert "04/03/2026" in sent


def _column_text(page, columns, index):
    """Everything printed in column ``index`` below the column numbers, one string."""
    _name, left, right = _columns(columns)[index]
    return " ".join(line.text for line in _cells(page, left, right, above=page.one("(1)").baseline + 0.5))


@pytest.mark.parametrize("index, expected", [
    (0, "03/03/2026"),                        # (1) ngày đến
    (1, "1"),                                 # (2) số đến
    (2, "DISTRICT"),                          # (3) tác giả
    (3, "20/UBND-VP"),                        # (4) số, ký hiệu
    (4, "02/03/2026"),                        # (5) ngày tháng
    (5, "Công văn: Về việc triển khai gửi,"),  # (6) tên loại và trích yếu nội dung
    (6, "Nguyễn Văn Hùng"),                   # (7) đơn vị hoặc người nhận
    (7, "Nguyễn Văn Hùng, 03/03/2026 09:30"), # (8) ký nhận
    (8, "10/03/2026"),                        # (9) ghi chú: the deadline set at assignment
])
def test_each_incoming_column_holds_its_entry(books, district, index, expected):
    expected = district.name.split()[0] if expected == "DISTRICT" else expected
    assert expected in _column_text(books["in"], INCOMING_COLUMNS, index), INCOMING_COLUMNS[index][0]


@pytest.mark.parametrize("index, expected", [
    (0, "01/UBND-VP"),                        # (1) số, ký hiệu
    (1, "04/03/2026"),                        # (2) ngày tháng
    (2, "Công văn: Về việc triển khai gửi,"),  # (3) tên loại và trích yếu nội dung
    (3, "Phó Chủ tịch Nguyễn Văn An"),        # (4) người ký
    (4, "DISTRICT"),                          # (5) nơi nhận
    (5, "VT"),                                # (6) đơn vị, người nhận bản lưu
    (6, "5"),                                 # (7) số lượng bản
    (7, "04/03/2026"),                        # (8) ngày chuyển
    (8, "Trục liên thông"),                   # (9) ký nhận
])
def test_each_outgoing_column_holds_its_entry(books, district, index, expected):
    expected = district.name.split()[0] if expected == "DISTRICT" else expected
    assert expected in _column_text(books["out"], OUTGOING_COLUMNS, index), OUTGOING_COLUMNS[index][0]


def test_a_book_of_several_pages_repeats_the_headers_on_each(tmp_path, district, communes):
    me, at = communes[0], datetime(2026, 3, 2, 8, 30, tzinfo=VN_TZ)
    regs = Registers(str(tmp_path / "so.sqlite"), me.code)
    regs.register_incoming_many([make_document(district, [me], number=100 + k) for k in range(45)], at,
                                "Trần Thị Lan")
    path = print_book(regs, "in", tmp_path / "so-den.pdf", unit_name=me.name, start=date(2026, 3, 1),
                      end=date(2026, 3, 31))
    import pypdfium2

    pages = len(pypdfium2.PdfDocument(str(path)))
    assert pages >= 2
    for index in range(pages):
        page = read_page(path, index)
        assert page.one("(1)").baseline < 60, index
        name, left, right = _columns(INCOMING_COLUMNS)[0]
        assert name in [line.text for line in _cells(page, left, right, below=page.one("(1)").baseline - 0.5)]

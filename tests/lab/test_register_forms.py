"""The register books keep what the Decree-30 forms have (Appendix VI), and print as those forms."""

from __future__ import annotations

from datetime import date

import pypdfium2

from simulator.lab import SEAT_PASSPHRASE, Session
from simulator.routing.register_book import INCOMING_COLUMNS, OUTGOING_COLUMNS, print_book


def _text(path) -> str:
    pdf = pypdfium2.PdfDocument(str(path))
    return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


def test_the_books_keep_the_forms_columns_and_print_as_the_forms(seat_copy, tmp_path):
    session = Session.open(seat_copy)
    assigned = [i for i in session.inbox.values() if i.status == "assigned"]
    assert assigned
    out = session.reply(assigned[0].item_id)
    session.sign(out.item_id, SEAT_PASSPHRASE)
    session.seal(out.item_id, SEAT_PASSPHRASE)
    session.dispatch(out.item_id)

    incoming = {e.document_id: e for e in session.registers.incoming()}
    for item in assigned:
        entry = incoming[item.document.document_id]
        assert entry.recipient == "Nguyễn Văn Hùng"               # đơn vị hoặc người nhận
        assert entry.receipt.startswith("Nguyễn Văn Hùng, ")       # ký nhận: who and when
        assert entry.handling_due and entry.handling_due.strftime("%d/%m/%Y") in entry.notes
        assert entry.page_amount >= 1                              # the PDF's pages, from the envelope
    sent = [e for e in session.registers.outgoing() if e.document_id == out.document.document_id]
    assert len(sent) == 1
    entry = sent[0]
    assert entry.page_amount >= 1 and entry.copies >= 1
    assert entry.kept_by == out.document.filed_copies               # đơn vị, người nhận bản lưu
    assert entry.sent_at is not None and entry.sent_at.replace(tzinfo=None) == out.dispatched_at
    assert entry.receipt                                            # ký nhận

    first, last = date(2026, 3, 1), date(2026, 3, 31)
    book_in = print_book(session.registers, "in", tmp_path / "so-den.pdf", unit_name=session.seat.name,
                         start=first, end=last)
    book_out = print_book(session.registers, "out", tmp_path / "so-di.pdf", unit_name=session.seat.name,
                          start=first, end=last)
    text_in, text_out = _text(book_in), _text(book_out)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text_in and "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in text_out
    for name, _width in INCOMING_COLUMNS:
        assert name.split()[0] in text_in, name
    for name, _width in OUTGOING_COLUMNS:
        assert name.split()[0] in text_out, name
    for item in assigned:
        assert item.document.number_code in text_in
    assert out.document.number_code in text_out and "Từ ngày 01/03/2026 đến ngày 31/03/2026" in text_in
    assert book_in.read_bytes().startswith(b"%PDF-") and b"pdfaid" in book_in.read_bytes()
    empty = print_book(session.registers, "in", tmp_path / "trong.pdf", unit_name=session.seat.name,
                       start=date(2025, 1, 1), end=date(2025, 1, 31))
    assert "Không có văn bản nào" in _text(empty)

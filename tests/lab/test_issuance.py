"""Numbers at issuance (Decree 30, Art. 15): drafts carry none, the register gives it after the leader
signs, the clerk writes it into the PDF as a form fill the signature permits, the seal covers it."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest

from simulator.lab.answers import ACK_AFTER
from simulator.lab import SEAT_PASSPHRASE, Session
from simulator.routing import Registers, edxml


def shown_text(path) -> str:
    """The text page 1 shows, form fields included (pdfium flattens a copy, then reads its text)."""
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(str(path))
    raw.FPDFPage_Flatten(pdf[0], raw.FLAT_NORMALDISPLAY)
    copy = io.BytesIO()
    pdf.save(copy)
    return " ".join(pdfium.PdfDocument(copy.getvalue())[0].get_textpage().get_text_range().split())


@pytest.fixture(scope="module")
def two_replies(played_seat, tmp_path_factory):
    """Two replies drafted in a row, then signed, numbered and sealed, and dispatched."""
    import shutil

    folder = tmp_path_factory.mktemp("issuance") / "seat"
    shutil.copytree(played_seat[0], folder)
    session = Session.open(folder)
    assigned = [i for i in session.inbox.values() if i.status == "assigned"]
    first = session.reply(assigned[0].item_id)
    second = session.reply(assigned[-1].item_id)  # drafted before the first is issued
    drafts = [shown_text(o.folder / "draft.pdf") for o in (first, second)]
    for out in (first, second):
        session.sign(out.item_id, SEAT_PASSPHRASE)
    issued = session.issue(first.item_id)
    session.seal(first.item_id, SEAT_PASSPHRASE)
    session.seal(second.item_id, SEAT_PASSPHRASE)  # "number and seal": the clerk issues it first
    entries = [session.dispatch(o.item_id) for o in (first, second)]
    answered = session.calendar.add_working_minutes(second.dispatched_at, ACK_AFTER)
    while session.clock < answered:  # the recipients' desks answer when the world's clock gets there
        session.wait_until_end_of_session()
    return session, (first, second), drafts, issued, entries


def test_drafts_carry_no_number(two_replies):
    session, outs, drafts, _issued, _entries = two_replies
    for out, text in zip(outs, drafts):
        assert "Số:" in text and f"/{out.document.code_notation}" in text
        assert f"01/{out.document.code_notation}" not in text and f"02/{out.document.code_notation}" not in text
        assert "ngày tháng năm 2026" in " ".join(text.replace("\u2002", " ").split())


def test_two_replies_drafted_in_a_row_get_distinct_numbers_and_both_arrive(two_replies):
    session, outs, _drafts, issued, entries = two_replies
    assert issued.number == 1 and [e.number for e in entries] == [1, 2]
    assert [o.document.number for o in outs] == [1, 2]
    assert outs[0].document.document_id != outs[1].document.document_id
    assert [e.document_id for e in session.registers.outgoing()] == [o.document.document_id for o in outs]
    for out in outs:
        recipient = out.document.recipients[0].code
        got = edxml.parse(session.axis.get(out.document.document_id, recipient))
        assert got.code_number == out.document.number_text
        assert got.attachments[0].content == (out.folder / "sealed.pdf").read_bytes()
        codes = [t.code for t in session.axis.traces(out.document.document_id) if t.org_id == recipient]
        assert codes[:2] == ["01", "03"]  # arrived and accepted at the recipient, then its further steps in order
        assert codes == ["01", "03", "04", "05", "06"][:len(codes)]
        assert out.status == "dispatched"


def test_the_page_shows_the_number_the_register_holds(two_replies):
    session, outs, _drafts, _issued, entries = two_replies
    for out, entry in zip(outs, entries):
        text = shown_text(out.folder / "sealed.pdf")
        assert entry.number_code in text
        assert out.document.date_line in text  # "Diễn Kim, ngày 05 tháng 3 năm 2026": diacritics intact
    # a page image to look at (kept next to the seat)
    pdf = pdfium.PdfDocument(str(outs[1].folder / "sealed.pdf"))
    pdf.init_forms()
    pdf[0].render(scale=2, may_draw_forms=True).to_pil().save(outs[1].folder / "sealed-page1.png")


def test_the_person_permits_the_fill_and_the_seal_covers_it(two_replies):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    session, outs, _drafts, _issued, _entries = two_replies
    out = outs[1]
    with open(out.folder / "sealed.pdf", "rb") as handle:
        reader = PdfFileReader(handle)
        person, seal = reader.embedded_signatures
        context = session.pki.validation_context()
        person_status = validate_pdf_signature(person, context)
        assert person_status.intact and person_status.valid
        assert person_status.modification_level == ModificationLevel.FORM_FILLING
        assert person_status.docmdp_ok
        seal_status = validate_pdf_signature(seal, context)
        assert seal_status.intact and seal_status.valid
        assert seal_status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        assert seal_status.modification_level <= ModificationLevel.LTA_UPDATES  # only validation data after it
        # what the seal signed: the filled fields and the identity the register gave
        signed = reader.get_historical_resolver(seal.signed_revision)
        fields = [signed(ref) for ref in signed(signed.root.raw_get("/AcroForm")).raw_get("/Fields")]
        values = {str(f["/T"]): str(f["/V"]) for f in fields if str(f["/T"]).startswith("vbdt_")}
        assert values == {"vbdt_so_ky_hieu": out.document.number_code,
                          "vbdt_ngay": out.document.issued_date.isoformat()}
        before = reader.get_historical_resolver(person.signed_revision)
        assert before(before.trailer_view.raw_get("/Info")).get("/VbdtDocumentId") is None  # the draft had no identity
        assert str(signed(signed.trailer_view.raw_get("/Info"))["/VbdtDocumentId"]) == out.document.document_id


def test_issuing_twice_or_before_the_signature_is_refused(two_replies, lang_en):
    from simulator.errors import UserError

    session, outs, _drafts, _issued, _entries = two_replies
    with pytest.raises(UserError, match="already issued"):
        session.issue(outs[0].item_id)
    item = [i for i in session.inbox.values() if i.status == "assigned"][0]
    draft = session.reply(item.item_id)
    before = len(session.registers.outgoing())
    with pytest.raises(UserError, match="not signed"):
        session.issue(draft.item_id)
    assert len(session.registers.outgoing()) == before  # no number used up


def test_reopening_restores_the_numbers(two_replies):
    session, outs, _drafts, _issued, _entries = two_replies
    again = Session.open(session.folder)
    for out in outs:
        restored = again.outgoing(out.item_id)
        assert (restored.document.number, restored.status) == (out.document.number, "dispatched")
        assert restored.document.document_id == out.document.document_id


def test_the_worlds_documents_are_numbered_by_their_senders_registers(played_seat):
    from simulator.grading.seat import open_seat

    folder, session = played_seat
    view = open_seat(folder, "hv-good")  # the grader recomputes the same numbers from the seed
    for item in session.inbox.values():
        if item.is_recall:
            continue
        entries = Registers(folder / "registers.sqlite", item.arrival.sender_code).outgoing()
        assert item.document.document_id in {e.document_id for e in entries}
        assert view.expected_document(int(item.item_id)).document_id == item.document.document_id
        if item.trap != "tampered":
            assert item.document.number_code in shown_text(item.pdf)

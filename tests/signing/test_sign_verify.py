"""Signing in Decree-30 order and the verification report."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields

from simulator.errors import UserError
from simulator.i18n import set_language
from simulator.signing import (
    PERSON_FIELD,
    SEAL_FIELD,
    sign_attachment,
    sign_person,
    sign_seal,
    verify,
)

PASS = "mat-khau-1"  # the passphrase conftest.py gives every holder
SIGNATURE_KEYS = ["field", "signer", "role", "signed_at", "indication", "subindication", "intact", "trusted",
                  "revoked", "coverage", "modification_level", "explanation"]


def test_person_then_seal_passes(sealed, pki, unit):
    report = verify(sealed, pki)
    assert report.indication == "TOTAL_PASSED"
    assert report.decree30.ok and report.decree30.problems == []
    assert report.passed
    assert [s.role for s in report.signatures] == ["person", "seal"]
    assert [s.field for s in report.signatures] == [PERSON_FIELD, SEAL_FIELD]
    person, seal = report.signatures
    assert person.signer == unit.signer and seal.signer == unit.name
    for sig in report.signatures:
        assert sig.intact and sig.trusted and sig.revoked is None
        assert sig.timestamp_at is not None  # a trusted RFC 3161 time stamp
        assert sig.indication == "TOTAL_PASSED" and sig.subindication is None
    assert person.modification_level == "FORM_FILLING"  # the seal filled the prepared field
    assert seal.modification_level in ("NONE", "LTA_UPDATES")


def test_json_schema_is_exact(sealed, pki):
    data = verify(sealed, pki).to_json()
    assert list(data) == ["file", "indication", "signatures", "decree30"]
    assert list(data["decree30"]) == ["ok", "problems"]
    for sig in data["signatures"]:
        assert list(sig) == SIGNATURE_KEYS
        assert sig["signed_at"].endswith("+07:00")
        assert isinstance(sig["intact"], bool) and isinstance(sig["trusted"], bool)


def test_explanation_is_vietnamese_by_default_and_english_on_request(sealed, pki):
    text = verify(sealed, pki).explain()
    assert "Văn bản hợp lệ" in text and "người có thẩm quyền" in text
    set_language("en")
    try:
        assert "The document is valid" in verify(sealed, pki).explain()
    finally:
        set_language(None)


def test_validation_data_is_embedded_b_lt(sealed):
    reader = PdfFileReader(io.BytesIO(sealed.read_bytes()))
    dss = reader.root["/DSS"]
    assert len(dss["/CRLs"]) >= 2 and len(dss["/Certs"]) >= 3
    for emb in reader.embedded_regular_signatures:
        assert emb.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
        unsigned = emb.signer_info["unsigned_attrs"].native or []
        assert any(a["type"] == "signature_time_stamp_token" for a in unsigned)


def test_seal_field_exists_before_the_first_signature(person_signed):
    """The seal field is created in the revision the person signs (PITFALLS: no new fields later)."""
    reader = PdfFileReader(io.BytesIO(person_signed.read_bytes()))
    person = next(s for s in reader.embedded_regular_signatures if s.field_name == PERSON_FIELD)
    assert person.signed_revision == 1
    covered = reader.get_historical_resolver(person.signed_revision)
    names = [name for name, _v, _r in fields.enumerate_sig_fields(covered, filled_status=None)]
    assert SEAL_FIELD in names
    status = {name: value is not None for name, value, _r in fields.enumerate_sig_fields(reader, filled_status=None)}
    assert status == {SEAL_FIELD: False, PERSON_FIELD: True}


def _widget_rect(reader, name):
    for fname, _value, ref in fields.enumerate_sig_fields(reader, filled_status=None):
        if fname == name:
            return [float(v) for v in ref.get_object()["/Rect"]]
    raise AssertionError(name)


def test_stamps_sit_in_the_signature_box(sealed, document):
    from simulator.documents.render import signature_box

    page, bx1, by1, bx2, by2 = signature_box(document)
    reader = PdfFileReader(io.BytesIO(sealed.read_bytes()))
    px1, py1, px2, py2 = _widget_rect(reader, PERSON_FIELD)
    sx1, sy1, sx2, sy2 = _widget_rect(reader, SEAL_FIELD)
    # the person's image is centred in the space between the position lines and the name
    assert bx1 <= px1 < px2 <= bx2 and by1 - 1 <= py1 < py2 <= by2 + 1
    assert abs((px1 + px2) / 2 - (bx1 + bx2) / 2) < 1.5
    # the seal is round (square box), about 36 mm, and covers about a third of the image on its left
    assert abs((sx2 - sx1) - (sy2 - sy1)) < 1.5 and 95 < sx2 - sx1 < 110
    overlap = (sx2 - px1) / (px2 - px1)
    assert 0.25 <= overlap <= 0.40 and sx1 < px1


def _page_image(pdf_path, tmp_path, dpi=144):
    """Page 1 as the desks show it (pypdfium2, form fields and their appearances included)."""
    from PIL import Image

    from simulator.lab.widgets.base import page_image

    return Image.open(io.BytesIO(page_image(pdf_path, width=round(595.28 * dpi / 72)))).convert("RGB")


def _count(image, rect, page_height, predicate, dpi=144):
    scale = dpi / 72
    x1, y1, x2, y2 = rect
    box = image.crop((int(x1 * scale), int((page_height - y2) * scale), int(x2 * scale),
                      int((page_height - y1) * scale)))
    return sum(1 for px in box.get_flattened_data() if predicate(px))


def _blue(p):
    return p[2] > 120 and p[2] > p[0] + 60 and p[2] > p[1] + 40


def _red(p):
    return p[0] > 150 and p[0] > p[1] + 80 and p[0] > p[2] + 80


def test_rendered_page_shows_blue_signature_and_red_seal(sealed, document, tmp_path):
    """Look at the page as a person would: blue ink in the person's box, red ink in the seal's."""
    reader = PdfFileReader(io.BytesIO(sealed.read_bytes()))
    height = 841.89
    after = _page_image(sealed, tmp_path)
    before = _page_image(document, tmp_path)
    person_rect = _widget_rect(reader, PERSON_FIELD)
    seal_rect = _widget_rect(reader, SEAL_FIELD)
    assert _count(after, person_rect, height, _blue) > 300
    assert _count(after, seal_rect, height, _red) > 1000
    # the colours come from the signatures: the unsigned page has none there
    assert _count(before, person_rect, height, _blue) == 0
    assert _count(before, seal_rect, height, _red) == 0


def test_stamp_font_is_embedded_noto(sealed):
    import pikepdf

    with pikepdf.open(sealed) as pdf:
        fonts = set()
        for annot in pdf.pages[0].get("/Annots", []):
            ap = annot.get("/AP")
            if ap is None:
                continue
            res = ap["/N"].get("/Resources", {})
            for _name, font in res.get("/Font", {}).items():
                for desc in font.get("/DescendantFonts", [font]):
                    fd = desc.get("/FontDescriptor")
                    if fd is not None and ("/FontFile2" in fd or "/FontFile3" in fd):
                        fonts.add(str(desc["/BaseFont"]))
        assert any("NotoSerif" in f for f in fonts), fonts


def test_person_only_document_breaks_the_decree(person_signed, pki):
    report = verify(person_signed, pki)
    assert report.signatures[0].indication == "TOTAL_PASSED"
    assert not report.decree30.ok
    assert "NO_SEAL" in [p.code for p in report.decree30.problems]
    assert report.indication != "TOTAL_PASSED" and not report.passed


def test_refusals(workdir, document, person_signed, pki, holders, tmp_path):
    out = tmp_path / "out.pdf"
    with pytest.raises(UserError, match="chưa ký"):
        sign_seal(document, out, holders.seal, PASS, pki)  # a seal with no person's signature
    with pytest.raises(UserError, match="mật khẩu"):
        sign_person(document, out, holders.person, "sai mat khau", pki)
    with pytest.raises(UserError, match="thu hồi"):
        sign_person(document, out, holders.revoked, PASS, pki)
    with pytest.raises(UserError, match="hết hạn"):
        sign_person(document, out, holders.expired, PASS, pki)
    with pytest.raises(UserError):
        sign_seal(person_signed, out, holders.person, PASS, pki)  # a personal key used as the seal
    with pytest.raises(UserError):
        sign_person(document, out, holders.seal, PASS, pki)  # the seal used as a person
    with pytest.raises(UserError):
        sign_person(person_signed, out, holders.person, PASS, pki)  # signed twice
    text = tmp_path / "note.pdf"
    text.write_text("Đây không phải là PDF")
    with pytest.raises(UserError, match="PDF"):
        sign_person(text, out, holders.person, PASS, pki)
    with pytest.raises(UserError, match="PDF"):
        verify(text, pki)
    assert not out.exists()


def test_attachment_names_the_main_document(workdir, annex, sealed, pki, holders, doc_number_code, document):
    signed = sign_attachment(annex, workdir / "phu-luc-ky.pdf", sealed, holders.seal, PASS, pki)
    report = verify(signed, pki, main_pdf=sealed)
    assert report.indication == "TOTAL_PASSED" and report.decree30.ok, report.decree30.problems
    assert report.attachment_of == doc_number_code
    assert report.signatures[0].role == "seal"
    # the same attachment presented with another main document (signed and sealed, another number)
    other = workdir / "khac.pdf"
    import pikepdf

    with pikepdf.open(document) as pdf:
        pdf.docinfo["/VbdtDocumentId"] = "000.00.00.H41,2026/01/01,999/UBND-VP"
        pdf.save(other)
    other = sign_seal(sign_person(other, workdir / "khac-ky.pdf", holders.person, PASS, pki),
                      workdir / "khac-dong-dau.pdf", holders.seal, PASS, pki)
    wrong = verify(signed, pki, main_pdf=other)
    assert "ATTACHMENT_WRONG_MAIN" in [p.code for p in wrong.decree30.problems]
    assert not wrong.passed
    with pytest.raises(UserError):  # the main document must carry a number and code
        sign_attachment(annex, workdir / "x.pdf", annex, holders.seal, PASS, pki)


def test_attachment_stamp_is_top_right_text_only(workdir, annex, sealed, pki, holders, tmp_path):
    signed = sign_attachment(annex, workdir / "phu-luc-ky-2.pdf", sealed, holders.seal, PASS, pki)
    reader = PdfFileReader(io.BytesIO(signed.read_bytes()))
    x1, y1, x2, y2 = _widget_rect(reader, "AttachmentSignature")
    w, h = 595.28, 841.89
    assert x1 > w / 2 and y2 > h - 60  # top right of page 1
    image = _page_image(signed, tmp_path)
    dark = _count(image, (x1, y1, x2, y2), h, lambda p: max(p) < 90)
    # pdfium draws form-field text with sub-pixel colour fringes; a 3-pixel blur cancels them, not an image
    from PIL import ImageFilter

    coloured = _count(image.filter(ImageFilter.BoxBlur(1)), (x1, y1, x2, y2), h, lambda p: max(p) - min(p) > 60)
    assert dark > 200 and coloured == 0  # black text, no image


def test_signing_inside_a_running_event_loop(workdir, document, pki, holders):
    """The synchronous API must work where a loop already runs (as in Jupyter)."""
    import asyncio

    async def main():
        out = sign_person(document, workdir / "trong-loop.pdf", holders.person, PASS, pki)
        return verify(out, pki)

    report = asyncio.run(main())
    assert report.signatures[0].indication == "TOTAL_PASSED"


def test_revoked_after_signing_still_passes_with_the_time_stamp(workdir, document, pki, holders):
    """Revocation after a time-stamped signature does not undo it; the report still says it happened."""
    from simulator.signing import async_sign_person  # noqa: F401  (the async twin exists)

    signed = sign_person(document, workdir / "sau-thu-hoi.pdf", holders.late_revoked, PASS, pki)
    serial = pki.find(holders.late_revoked.stem).serial
    from datetime import datetime, timezone

    pki.revoke(serial, "affiliation_changed", at=datetime.now(timezone.utc) + timedelta(seconds=2))
    import time

    time.sleep(2.5)
    sig = verify(signed, pki).signatures[0]
    assert sig.revoked is not None and sig.revoked["reason"] == "affiliation_changed"
    assert sig.indication == "TOTAL_PASSED", sig.explanation
    assert "thu hồi sau đó" in sig.explanation

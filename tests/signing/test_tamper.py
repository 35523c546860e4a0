"""The tamper corpus: documents altered after signing, or signed wrongly. None may pass.

Every case is built here from freshly signed documents. The classes follow
the issue: byte flips, incremental updates that redraw content, add an
annotation or a form field, removing or replacing the agency signature, a
signature copied from another document, revoked / expired / untrusted
certificates, a seal before the person, and the published attack classes:
incremental saving (ISA), signature wrapping (SWA) and universal signature
forgery (USF) from the 2019 PDF-insecurity research, and the 2021 shadow
attacks (hide, replace, hide-and-replace).
"""

from __future__ import annotations

import io
import re
import zlib

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from simulator.errors import UserError
from simulator.signing import SEAL_FIELD, sign_person, sign_seal
from simulator.signing.verify import async_verify_bytes
from simulator.signing.runner import run_sync

PASS = "mat-khau-1"  # the passphrase conftest.py gives every holder


def check(data: bytes, pki, name="tampered.pdf"):
    """Verify bytes in process; a file that is no longer a readable PDF counts as rejected (exit 2)."""
    try:
        return run_sync(lambda: async_verify_bytes(data, name, pki))
    except UserError:
        return None


def assert_rejected(report, *, expect=None):
    assert report is None or report.indication != "TOTAL_PASSED", report and report.to_json()
    assert report is None or not report.passed
    if expect is not None:
        assert report is not None, "expected a report, the file was unreadable"
        assert report.indication == expect, report.to_json()


def _writer(data: bytes) -> IncrementalPdfFileWriter:
    return IncrementalPdfFileWriter(io.BytesIO(data), strict=False)


def _out(writer) -> bytes:
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _stream(content: bytes) -> generic.StreamObject:
    return generic.StreamObject(stream_data=content)


def _page(writer, index=0):
    return writer.root["/Pages"]["/Kids"][index].get_object()


def _page_ref(writer, index=0):
    return writer.root["/Pages"]["/Kids"][index]


FAKE_AMOUNT = b"q 1 1 1 rg 80 500 300 40 re f Q BT /F1 14 Tf 0 0 0 rg 90 515 Td (So tien: 999.000.000 dong) Tj ET"


def _with_helvetica(writer, page):
    resources = page["/Resources"]
    fonts = resources.get("/Font", generic.DictionaryObject())
    fonts = fonts.get_object() if hasattr(fonts, "get_object") else fonts
    fonts[pdf_name("/F1")] = writer.add_object(generic.DictionaryObject({
        pdf_name("/Type"): pdf_name("/Font"), pdf_name("/Subtype"): pdf_name("/Type1"),
        pdf_name("/BaseFont"): pdf_name("/Helvetica")}))
    resources[pdf_name("/Font")] = fonts


# ---------------------------------------------------------------- the attacks
def flip_byte_in_signed_range(data: bytes, where: str = "comment") -> bytes:
    """Change one byte inside the first signature's byte range.

    ``comment``: in the binary comment on line 2 (the file still parses: a pure
    hash failure); ``stream``: inside the first compressed stream.
    """
    first_range_end = int(re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)", data).group(1))
    pos = 10 if where == "comment" else data.index(b"stream", data.index(b"/FlateDecode")) + 40
    assert pos < first_range_end
    out = bytearray(data)
    out[pos] ^= 0x01
    return bytes(out)


def redraw_content(data: bytes) -> bytes:
    """An incremental update that paints over the amount and writes a new one."""
    w = _writer(data)
    page = _page(w)
    _with_helvetica(w, page)
    contents = page["/Contents"]
    arr = generic.ArrayObject(list(contents) if isinstance(contents, generic.ArrayObject) else [page.raw_get("/Contents")])
    arr.append(w.add_object(_stream(FAKE_AMOUNT)))
    page[pdf_name("/Contents")] = arr
    w.update_container(page)
    return _out(w)


def _appearance(w, width, height, text=b"(DA DUYET CHI 999 trieu) Tj"):
    ap = _stream(b"BT /F1 12 Tf 0 0 0 rg 2 6 Td " + text + b" ET")
    ap[pdf_name("/Type")] = pdf_name("/XObject")
    ap[pdf_name("/Subtype")] = pdf_name("/Form")
    ap[pdf_name("/BBox")] = generic.ArrayObject([generic.FloatObject(0), generic.FloatObject(0),
                                                 generic.FloatObject(width), generic.FloatObject(height)])
    ap[pdf_name("/Resources")] = generic.DictionaryObject({pdf_name("/Font"): generic.DictionaryObject({
        pdf_name("/F1"): w.add_object(generic.DictionaryObject({
            pdf_name("/Type"): pdf_name("/Font"), pdf_name("/Subtype"): pdf_name("/Type1"),
            pdf_name("/BaseFont"): pdf_name("/Helvetica")}))})})
    return w.add_object(ap)


def _rect(*values):
    return generic.ArrayObject([generic.FloatObject(v) for v in values])


def add_annotation(data: bytes) -> bytes:
    """A FreeText annotation that writes over the page."""
    w = _writer(data)
    page = _page(w)
    annot = generic.DictionaryObject({
        pdf_name("/Type"): pdf_name("/Annot"), pdf_name("/Subtype"): pdf_name("/FreeText"),
        pdf_name("/Rect"): _rect(90, 500, 390, 530), pdf_name("/Contents"): generic.TextStringObject("Đã duyệt"),
        pdf_name("/DA"): generic.TextStringObject("/Helv 12 Tf 0 g"),
        pdf_name("/AP"): generic.DictionaryObject({pdf_name("/N"): _appearance(w, 300, 30)}),
        pdf_name("/P"): _page_ref(w)})
    annots = page.get("/Annots", generic.ArrayObject())
    annots = generic.ArrayObject(list(annots.get_object() if hasattr(annots, "get_object") else annots))
    annots.append(w.add_object(annot))
    page[pdf_name("/Annots")] = annots
    w.update_container(page)
    return _out(w)


def add_form_field(data: bytes) -> bytes:
    """A new text field whose appearance changes what the page shows."""
    w = _writer(data)
    page = _page(w)
    field = generic.DictionaryObject({
        pdf_name("/Type"): pdf_name("/Annot"), pdf_name("/Subtype"): pdf_name("/Widget"),
        pdf_name("/FT"): pdf_name("/Tx"), pdf_name("/T"): generic.TextStringObject("SoTien"),
        pdf_name("/V"): generic.TextStringObject("999.000.000"), pdf_name("/Rect"): _rect(90, 500, 390, 530),
        pdf_name("/AP"): generic.DictionaryObject({pdf_name("/N"): _appearance(w, 300, 30)}),
        pdf_name("/P"): _page_ref(w), pdf_name("/F"): generic.NumberObject(4)})
    ref = w.add_object(field)
    annots = generic.ArrayObject(list(page["/Annots"]))
    annots.append(ref)
    page[pdf_name("/Annots")] = annots
    w.update_container(page)
    acro = w.root["/AcroForm"]
    fields_ = generic.ArrayObject(list(acro["/Fields"]))
    fields_.append(ref)
    acro[pdf_name("/Fields")] = fields_
    w.update_container(acro)
    return _out(w)


def remove_seal_field(data: bytes) -> bytes:
    """An update that drops the agency signature from the form and the page."""
    w = _writer(data)
    acro = w.root["/AcroForm"]
    keep = [r for r in acro["/Fields"] if r.get_object().get("/T") != SEAL_FIELD]
    acro[pdf_name("/Fields")] = generic.ArrayObject(keep)
    w.update_container(acro)
    page = _page(w)
    page[pdf_name("/Annots")] = generic.ArrayObject(
        [r for r in page["/Annots"] if r.get_object().get("/T") != SEAL_FIELD])
    w.update_container(page)
    return _out(w)


def _contents_span(data: bytes, which: int) -> tuple[int, int]:
    """Start and end (exclusive) of the hex digits of the which-th signature's /Contents."""
    ranges = [tuple(int(x) for x in m.groups()) for m in
              re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)]
    _a, b, c, _d = ranges[which]
    return b + 1, c - 1  # inside '<' ... '>'


def copy_signature_from(target: bytes, source: bytes, which_target: int, which_source: int) -> bytes:
    ts, te = _contents_span(target, which_target)
    ss, se = _contents_span(source, which_source)
    hex_sig = source[ss:se].rstrip(b"0")
    if len(hex_sig) % 2:
        hex_sig += b"0"
    assert len(hex_sig) <= te - ts
    return target[:ts] + hex_sig.ljust(te - ts, b"0") + target[te:]


def isa_body_only(data: bytes) -> bytes:
    """ISA: new objects appended after %%EOF, without xref or trailer (some viewers still use them)."""
    body = zlib.compress(FAKE_AMOUNT)
    return data + (b"\n999 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body
                   + b"\nendstream\nendobj\n")


def isa_redefine_without_xref(data: bytes) -> bytes:
    """ISA: a body that redefines the catalogue with a trailer pointing at it but no xref section."""
    root_ref = re.findall(rb"/Root\s+(\d+)\s+(\d+)\s+R", data)[-1]
    return data + (b"\n%s %s obj\n<< /Type /Catalog /Pages 1 0 R >>\nendobj\ntrailer\n<< /Root %s %s R >>\n%%%%EOF\n"
                   % (root_ref[0], root_ref[1], root_ref[0], root_ref[1]))


def swa_move_byte_range(data: bytes) -> bytes:
    """SWA: rewrite the last /ByteRange so that the signed part no longer matches the file."""
    matches = list(re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data))
    m = matches[-1]
    a, b, c, d = (int(x) for x in m.groups())
    old = m.group(0)
    for shift in (200, 150, 90, 40, 9):  # keep the text the same length so offsets still hold
        new = b"/ByteRange [%d %d %d %d]" % (a, b - shift, c - shift, d + shift)
        if len(new) <= len(old):
            break
    new = new[:-1].ljust(len(old) - 1, b" ") + b"]"
    assert len(new) == len(old)
    return data[:m.start()] + new + data[m.end():]


def usf_zero_contents(data: bytes) -> bytes:
    s, e = _contents_span(data, -1)
    return data[:s] + b"0" * (e - s) + data[e:]


def usf_null_byte_range(data: bytes) -> bytes:
    m = list(re.finditer(rb"/ByteRange\s*\[[^\]]*\]", data))[-1]
    new = b"/ByteRange [0 0 0 0]".ljust(len(m.group(0)), b" ")
    return data[:m.start()] + new + data[m.end():]


def usf_no_byte_range(data: bytes) -> bytes:
    m = list(re.finditer(rb"/ByteRange", data))[-1]
    return data[:m.start()] + b"/ByteRangX" + data[m.end():]


def shadow_hide(data: bytes) -> bytes:
    """Shadow 'hide': an update that keeps only part of the signed page content visible."""
    w = _writer(data)
    page = _page(w)
    contents = page["/Contents"]
    first = contents[0] if isinstance(contents, generic.ArrayObject) else page.raw_get("/Contents")
    page[pdf_name("/Contents")] = generic.ArrayObject(
        [w.add_object(_stream(b"q 0 0 0 0 re W n")), first, w.add_object(_stream(b"Q"))])
    w.update_container(page)
    return _out(w)


def shadow_replace(data: bytes) -> bytes:
    """Shadow 'replace': an update that redefines an existing signed object (a content stream)."""
    w = _writer(data)
    page = _page(w)
    ref = page.raw_get("/Contents")
    if isinstance(ref, generic.ArrayObject):
        ref = ref[0]
    _with_helvetica(w, page)
    w.update_container(page)
    w.mark_update(ref)
    obj = ref.get_object()
    obj._data = FAKE_AMOUNT  # noqa: SLF001  (an attacker rewrites the stream wholesale)
    obj._encoded_data = None
    if "/Filter" in obj:
        del obj["/Filter"]
    return _out(w)


def shadow_hide_and_replace(data: bytes) -> bytes:
    """Shadow 'hide-and-replace': an update that swaps the whole page tree."""
    w = _writer(data)
    old_page = _page(w)
    pages_ref = w.root.raw_get("/Pages")
    new_page = generic.DictionaryObject({
        pdf_name("/Type"): pdf_name("/Page"), pdf_name("/Parent"): pages_ref,
        pdf_name("/MediaBox"): old_page["/MediaBox"], pdf_name("/Resources"): generic.DictionaryObject(),
        pdf_name("/Contents"): w.add_object(_stream(FAKE_AMOUNT))})
    _with_helvetica(w, new_page)
    pages = w.root["/Pages"]
    pages[pdf_name("/Kids")] = generic.ArrayObject([w.add_object(new_page)])
    pages[pdf_name("/Count")] = generic.NumberObject(1)
    w.update_container(pages)
    return _out(w)


# --------------------------------------------------------------------- tests
@pytest.fixture(scope="module")
def sealed_bytes(sealed) -> bytes:
    return sealed.read_bytes()


def test_the_untouched_document_passes(sealed_bytes, pki):
    """The corpus below starts from a document that passes: the failures come from the tampering."""
    report = check(sealed_bytes, pki)
    assert report.indication == "TOTAL_PASSED" and report.passed


def test_flipped_byte_is_a_hash_failure(sealed_bytes, pki):
    report = check(flip_byte_in_signed_range(sealed_bytes), pki)
    assert_rejected(report, expect="TOTAL_FAILED")
    assert report.signatures[0].subindication == "HASH_FAILURE" and not report.signatures[0].intact
    assert "đã bị sửa sau khi ký" in report.signatures[0].explanation
    assert_rejected(check(flip_byte_in_signed_range(sealed_bytes, "stream"), pki))


@pytest.mark.parametrize("attack", [redraw_content, add_annotation, add_form_field, remove_seal_field,
                                    shadow_hide, shadow_replace, shadow_hide_and_replace])
def test_incremental_updates_after_signing_fail(sealed_bytes, pki, attack):
    tampered = attack(sealed_bytes)
    assert tampered.startswith(sealed_bytes)  # a true incremental update: the signed bytes are untouched
    report = check(tampered, pki)
    assert_rejected(report, expect="TOTAL_FAILED")
    assert all(s.intact for s in report.signatures)  # intact, yet rejected: the diff analysis caught it
    assert any(not s.permitted for s in report.signatures)
    assert any("đã bị sửa sau khi ký" in s.explanation for s in report.signatures)


def test_removing_the_seal_revision_leaves_an_unsealed_document(person_signed, pki):
    report = check(person_signed.read_bytes(), pki)
    assert_rejected(report, expect="INDETERMINATE")
    assert "NO_SEAL" in [p.code for p in report.decree30.problems]


def test_replacing_the_seal_with_another_agencys(workdir, person_signed, pki, holders):
    forged = sign_seal(person_signed, workdir / "dau-khac.pdf", holders.other_seal, PASS, pki)
    report = check(forged.read_bytes(), pki)
    assert_rejected(report, expect="INDETERMINATE")
    codes = [p.code for p in report.decree30.problems]
    assert "SEAL_NOT_ISSUER" in codes and "SEAL_OTHER_AGENCY" in codes


def test_signature_copied_from_another_document(sealed_bytes, workdir, annex, sealed, pki, holders):
    from simulator.signing import sign_attachment

    other = sign_attachment(annex, workdir / "nguon-chu-ky.pdf", sealed, holders.seal, PASS, pki).read_bytes()
    # the attachment's CMS signature (same clerk, same key) pasted over the document's seal
    report = check(copy_signature_from(sealed_bytes, other, which_target=1, which_source=0), pki)
    assert_rejected(report, expect="TOTAL_FAILED")
    assert report.signatures[1].subindication == "HASH_FAILURE"


def test_revoked_certificate(workdir, document, pki, holders):
    signed = sign_person(document, workdir / "thu-hoi.pdf", holders.revoked, PASS, pki,
                         allow_invalid_certificate=True)
    trap = sign_seal(signed, workdir / "thu-hoi-dau.pdf", holders.seal, PASS, pki, require_person=False)
    report = check(trap.read_bytes(), pki)
    assert_rejected(report, expect="TOTAL_FAILED")
    sig = report.signatures[0]
    assert sig.subindication == "REVOKED" and sig.revoked["reason"] == "key_compromise"
    assert "đã bị thu hồi ngày" in sig.explanation


def test_expired_certificate(workdir, document, pki, holders):
    signed = sign_person(document, workdir / "het-han.pdf", holders.expired, PASS, pki,
                         allow_invalid_certificate=True)
    report = check(signed.read_bytes(), pki)
    assert_rejected(report, expect="INDETERMINATE")
    assert report.signatures[0].subindication in ("EXPIRED", "OUT_OF_BOUNDS_NO_POE")


def test_untrusted_certificate(workdir, document, pki, foreign_pki):
    _other, p12 = foreign_pki
    signed = sign_person(document, workdir / "gia-mao.pdf", p12, PASS, pki, allow_invalid_certificate=True)
    report = check(signed.read_bytes(), pki)
    assert_rejected(report, expect="INDETERMINATE")
    assert report.signatures[0].subindication == "NO_CERTIFICATE_CHAIN_FOUND"
    assert report.signatures[0].role == "unknown"
    with pytest.raises(UserError):  # and without the trap switch it is refused
        sign_person(document, workdir / "gia-mao-2.pdf", p12, PASS, pki)


def test_seal_before_person(workdir, document, pki, holders):
    sealed_first = sign_seal(document, workdir / "dau-truoc.pdf", holders.seal, PASS, pki, require_person=False)
    both = sign_person(sealed_first, workdir / "dau-truoc-ky-sau.pdf", holders.person, PASS, pki)
    report = check(both.read_bytes(), pki)
    assert_rejected(report)
    codes = [p.code for p in report.decree30.problems]
    assert "SEAL_BEFORE_PERSON" in codes and "SEAL_NOT_LAST" in codes


@pytest.mark.parametrize("attack", [isa_body_only, isa_redefine_without_xref])
def test_incremental_saving_attacks(sealed_bytes, pki, attack):
    report = check(attack(sealed_bytes), pki)
    assert_rejected(report)  # unreadable (exit 2) or failed
    if report is not None:
        assert report.indication == "TOTAL_FAILED"


@pytest.mark.parametrize("attack", [swa_move_byte_range, usf_zero_contents, usf_null_byte_range,
                                    usf_no_byte_range])
def test_wrapping_and_universal_forgery(sealed_bytes, pki, attack):
    report = check(attack(sealed_bytes), pki)
    assert_rejected(report, expect="TOTAL_FAILED")
    seal = report.signatures[-1]
    assert seal.indication == "TOTAL_FAILED" and seal.subindication in ("HASH_FAILURE", "FORMAT_FAILURE")

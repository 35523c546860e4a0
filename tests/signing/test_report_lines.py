"""A verification report reads as a short list: the verdict, then one line per check."""

from __future__ import annotations

from simulator.signing import sign_person, sign_seal
from tests.signing.test_tamper import PASS, check, flip_byte_in_signed_range, redraw_content


def _lines(report):
    text = report.explain()
    head, *rest = text.splitlines()
    return head, rest


def test_a_valid_document_is_a_verdict_and_ticked_checks(sealed, pki):
    report = check(sealed.read_bytes(), pki)
    head, rest = _lines(report)
    assert head.startswith("Văn bản hợp lệ")
    assert rest and all(line.lstrip().startswith("✓") for line in rest)
    # per signature: who signed, intact, changes after it, trusted issuer, certificate valid, time stamp
    assert len(rest) == 6 * len(report.signatures) + 1
    assert sum("Nội dung còn nguyên vẹn" in line for line in rest) == len(report.signatures)
    assert sum("Dấu thời gian tin cậy" in line for line in rest) == len(report.signatures)
    assert "Ký đúng quy định của Nghị định 30" in rest[-1]


def test_a_changed_document_fails_the_integrity_line(sealed, pki):
    report = check(flip_byte_in_signed_range(sealed.read_bytes()), pki)
    head, rest = _lines(report)
    assert head.startswith("KHÔNG") or "không" in head.lower()
    failed = [line for line in rest if line.lstrip().startswith("✗")]
    assert any("đã bị sửa sau khi ký" in line for line in failed)
    assert rest[0].startswith("✗ Chữ ký 1") and rest[1].lstrip().startswith("✗")   # the broken signature's own line


def test_a_redrawn_page_fails_the_changes_line_only(sealed, pki):
    report = check(redraw_content(sealed.read_bytes()), pki)
    _head, rest = _lines(report)
    assert all(sig.intact for sig in report.signatures)
    intact = [line for line in rest if "Nội dung còn nguyên vẹn" in line]
    assert intact and all(line.lstrip().startswith("✓") for line in intact)
    assert any(line.lstrip().startswith("✗") and "đã bị sửa sau khi ký" in line for line in rest)


def test_a_revoked_certificate_fails_its_certificate_line(workdir, document, pki, holders):
    signed = sign_person(document, workdir / "thu-hoi-dong.pdf", holders.revoked, PASS, pki,
                         allow_invalid_certificate=True)
    trap = sign_seal(signed, workdir / "thu-hoi-dong-dau.pdf", holders.seal, PASS, pki, require_person=False)
    report = check(trap.read_bytes(), pki)
    _head, rest = _lines(report)
    person = rest[:rest.index(next(line for line in rest[1:] if not line.startswith("  ")))]
    assert person[0].startswith("✗ Chữ ký 1 (người có thẩm quyền)")
    assert [line for line in person if "đã bị thu hồi ngày" in line][0].lstrip().startswith("✗")
    assert not any("Chứng thư số còn hiệu lực" in line for line in person)


def test_english_on_request(sealed, pki):
    from simulator.i18n import set_language

    set_language("en")
    try:
        head, rest = _lines(check(sealed.read_bytes(), pki))
    finally:
        set_language(None)
    assert head.startswith("The document is valid")
    assert any("Content unchanged since this signature." in line for line in rest)

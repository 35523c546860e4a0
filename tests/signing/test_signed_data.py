"""Decree-30 checks on signed data only (issue 11).

The document information dictionary of the latest revision is covered by
no signature: anyone can rewrite it in an incremental update without a key.
Identity, attachment bindings and the signer's printed name must therefore
come from the revision the last signature covers, and any later change to
them must fail verification.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from simulator.cli.main import main
from simulator.signing import sign_attachment, sign_person, sign_seal, signed_identity, verify

PASS = "mat-khau-1"


def rewrite_info(data: bytes, **entries: str) -> bytes:
    """A key-less incremental update that writes new ``/Info`` entries (no signature involved)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    info = writer.trailer["/Info"].get_object()
    for key, value in entries.items():
        info[generic.NameObject("/" + key)] = generic.TextStringObject(value)
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def codes(report) -> list[str]:
    return [p.code for p in report.decree30.problems]


@pytest.fixture(scope="module")
def other_sealed(workdir, document, pki, holders):
    """Document B: the same rendering with another DocumentId, signed and sealed."""
    import pikepdf

    draft = workdir / "b.pdf"
    with pikepdf.open(document) as pdf:
        pdf.docinfo["/VbdtDocumentId"] = str(pdf.docinfo["/VbdtDocumentId"]).rsplit(",", 1)[0] + ",88/UBND-VP"
        pdf.save(draft)
    person = sign_person(draft, workdir / "b-ky.pdf", holders.person, PASS, pki)
    return sign_seal(person, workdir / "b-dong-dau.pdf", holders.seal, PASS, pki)


@pytest.fixture(scope="module")
def attachment_of_a(workdir, annex, sealed, pki, holders):
    return sign_attachment(annex, workdir / "phu-luc-a.pdf", sealed, holders.seal, PASS, pki)


def test_identity_is_read_from_the_signed_revision(sealed, pki, doc_number_code, unit):
    identity = signed_identity(sealed.read_bytes())
    assert identity.signed and identity.revision == verify(sealed, pki).signatures[-1].revision  # the seal's
    assert identity.number_code == doc_number_code and identity.issuer_code == unit.code
    assert identity.person_name == unit.signer  # printed under the signature box
    assert identity.changed_after_signing == () and identity.field_mismatch == ()


def test_rewriting_the_identity_without_a_key_fails(sealed, pki, tmp_path, unit):
    """Hide a wrong-agency seal: make the DocumentId name the seal's agency after signing."""
    data = sealed.read_bytes()
    old = signed_identity(data).document_id
    forged = rewrite_info(data, VbdtDocumentId="000.99.40.H41," + old.split(",", 1)[1])
    path = tmp_path / "doi-ma.pdf"
    path.write_bytes(forged)
    report = verify(path, pki)
    assert "IDENTITY_CHANGED_AFTER_SIGNING" in codes(report)
    assert not report.passed and report.indication != "TOTAL_PASSED"
    assert report.identity.issuer_code == unit.code  # what was signed, not what was written later
    assert all(s.indication == "TOTAL_PASSED" for s in report.signatures)  # pyHanko alone lets it pass
    code = main(["verify", str(path), "--pki", str(pki.folder)])
    assert code == 1


def test_repointing_an_attachment_without_a_key_fails(attachment_of_a, other_sealed, pki, tmp_path):
    """An attachment signed for A, re-pointed at B by rewriting /Info, must not verify against B."""
    b = signed_identity(other_sealed.read_bytes())
    assert b.number_code == "88/UBND-VP"
    data = rewrite_info(attachment_of_a.read_bytes(), VbdtAttachmentOf=b.number_code,
                        VbdtMainDocumentId=b.document_id)
    path = tmp_path / "phu-luc-tro-sang-b.pdf"
    path.write_bytes(data)
    report = verify(path, pki, main_pdf=other_sealed)
    assert not report.passed
    assert "IDENTITY_CHANGED_AFTER_SIGNING" in codes(report)
    assert "ATTACHMENT_WRONG_MAIN" in codes(report)  # the signed binding still names A
    assert main(["verify", str(path), "--main", str(other_sealed), "--pki", str(pki.folder)]) == 1


def test_an_attachment_is_checked_against_its_main_document(attachment_of_a, sealed, other_sealed, pki):
    assert verify(attachment_of_a, pki, main_pdf=sealed).passed
    wrong = verify(attachment_of_a, pki, main_pdf=other_sealed)
    assert "ATTACHMENT_WRONG_MAIN" in codes(wrong) and not wrong.passed


def test_an_attachment_without_main_is_not_a_valid_document(attachment_of_a, pki, capsys):
    report = verify(attachment_of_a, pki)
    assert "MAIN_NOT_CHECKED" in codes(report)
    assert not report.passed and report.indication != "TOTAL_PASSED"
    code = main(["verify", str(attachment_of_a), "--pki", str(pki.folder)])
    out = capsys.readouterr().out
    assert code == 1 and "chưa được kiểm tra" in out and "Văn bản hợp lệ" not in out


def test_the_person_signing_must_be_the_person_named(workdir, document, pki, holders, unit):
    """A colleague's certificate on a document whose signature block names someone else."""
    colleague = pki.issue_person("Hoàng Văn Khác", unit.position, unit.name, unit.code, PASS)
    signed = sign_person(document, workdir / "nguoi-khac-ky.pdf", colleague, PASS, pki)
    sealed = sign_seal(signed, workdir / "nguoi-khac-dong-dau.pdf", holders.seal, PASS, pki)
    report = verify(sealed, pki)
    assert all(s.indication == "TOTAL_PASSED" for s in report.signatures)
    assert "PERSON_NOT_SIGNER" in codes(report)
    assert not report.passed


def test_no_grace_at_a_time_before_a_signature_made_after_revocation(workdir, document, pki, unit):
    """Revoked at R, signed at S > R: asked about T < R (seconds before S) the signature did not exist."""
    p12 = pki.issue_person(unit.signer, unit.position, unit.name, unit.code, PASS)
    revoked_at = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(seconds=5)
    pki.revoke(pki.find(p12.stem).serial, "key_compromise", at=revoked_at)
    signed = sign_person(document, workdir / "ky-sau-thu-hoi.pdf", p12, PASS, pki, allow_invalid_certificate=True)
    stamped = verify(signed, pki).signatures[0]
    assert stamped.subindication == "REVOKED" and stamped.timestamp_at > revoked_at
    before = verify(signed, pki, at=revoked_at - timedelta(seconds=5)).signatures[0]
    assert before.indication != "TOTAL_PASSED", before.explanation
    between = verify(signed, pki, at=revoked_at + timedelta(seconds=1)).signatures[0]
    assert between.indication == "TOTAL_FAILED" and between.subindication == "REVOKED"


def test_a_key_file_of_another_pki_is_one_line(tmp_path, capsys, document, pki, foreign_pki):
    """Exit 2 and one line, for a foreign training PKI, an EC key from elsewhere, garbage, a wrong passphrase."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Nơi khác")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(7).not_valid_before(now).not_valid_after(now + dt.timedelta(days=9))
            .sign(key, hashes.SHA256()))
    ec_p12 = tmp_path / "ec.p12"
    ec_p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"x", key, cert, None, serialization.BestAvailableEncryption(PASS.encode())))
    garbage = tmp_path / "rac.p12"
    garbage.write_bytes(bytes(range(256)) * 8)
    pw = tmp_path / "pw.txt"
    pw.write_text(PASS + "\n")
    wrong = tmp_path / "sai.txt"
    wrong.write_text("sai-mat-khau\n")
    for p12, passphrase in ((foreign_pki[1], pw), (ec_p12, pw), (garbage, pw), (foreign_pki[1], wrong),
                            (document, pw)):
        for extra in ((), ("--seal",)):
            out_pdf = tmp_path / "khong-duoc.pdf"
            code = main(["sign", str(document), "--as", str(p12), "--passphrase-file", str(passphrase),
                         "--out", str(out_pdf), "--pki", str(pki.folder), *extra])
            err = capsys.readouterr().err
            assert code == 2 and len(err.strip().splitlines()) == 1, (p12, err)
            assert "Traceback" not in err and not out_pdf.exists()

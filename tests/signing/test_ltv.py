"""Long-term validation by pyHanko's AdES processes, in a world dated apart from the machine's clock.

An archive checks a document years later, when the certificates have
expired: the signature time stamps are the proof of existence. The world
here is dated March 2026 with certificates valid for its period only, so
"later" and "before" are judged on the world's clock, not the machine's.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest

from simulator.calendar import VN_TZ

PASS = "mat-khau-1"
WORLD_START = datetime(2026, 3, 2, 7, 30, tzinfo=VN_TZ)
WORLD_END = WORLD_START + timedelta(days=730)    # every holder certificate expires then
AT = datetime(2026, 3, 5, 9, 15, tzinfo=VN_TZ)   # the world's clock when the leader signs
YEARS_LATER = WORLD_END + timedelta(days=400)   # an archive, long after every certificate expired


@pytest.fixture(scope="module")
def world(tmp_path_factory, unit, document):
    from simulator.signing import TrainingPKI, sign_person, sign_seal

    folder = tmp_path_factory.mktemp("ltv-world")
    pki = TrainingPKI.create(folder / "pki", valid_from=WORLD_START - timedelta(days=365), valid_to=WORLD_END)
    person = pki.issue_person(unit.signer, unit.position, unit.name, unit.code, PASS)
    seal = pki.issue_seal(unit.name, unit.code, PASS)
    signed = sign_person(document, folder / "signed.pdf", person, PASS, pki, at=AT)
    sealed = sign_seal(signed, folder / "sealed.pdf", seal, PASS, pki, at=AT + timedelta(minutes=3))
    return folder, pki, sealed


def _pyhanko_verdicts(path, pki, at):
    """pyHanko's own AdES LTA sub-indication per signature, with the project's local knowledge."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    from simulator.signing.ltv import lta_validate, stamp_times, validation_spec
    from simulator.signing.runner import run_sync

    reader = PdfFileReader(io.BytesIO(path.read_bytes()), strict=False)
    sigs = reader.embedded_regular_signatures
    spec = validation_spec(pki, at, [s.signer_cert for s in sigs], [t for s in sigs for t in stamp_times(s)])

    async def run():
        return [(await lta_validate(s, spec, at, live=False)).ades_subindic for s in sigs]

    return run_sync(run)


def test_in_the_world_now_the_signatures_pass(world):
    from simulator.signing import verify

    _folder, pki, sealed = world
    report = verify(sealed, pki, at=AT + timedelta(hours=1))
    assert report.passed and not any(s.long_term for s in report.signatures)


def test_years_later_in_the_world_the_time_stamps_prove_the_signatures(world):
    """Both certificates expired two years before the question: PASSED, long-term, with pyHanko's verdict."""
    from pyhanko.sign.ades.report import AdESPassed

    from simulator.signing import verify

    _folder, pki, sealed = world
    report = verify(sealed, pki, at=YEARS_LATER)
    assert report.indication == "TOTAL_PASSED" and report.passed, report.to_json()
    for sig in report.signatures:
        assert sig.long_term and sig.timestamp_at is not None and sig.timestamp_at < WORLD_END
        assert "nay đã hết hạn" in sig.explanation
    assert _pyhanko_verdicts(sealed, pki, YEARS_LATER) == [AdESPassed.OK, AdESPassed.OK]


def test_before_it_was_signed_in_the_world_there_was_no_signature(world):
    from simulator.signing import verify

    _folder, pki, sealed = world
    person = verify(sealed, pki, at=AT - timedelta(hours=1)).signatures[0]
    assert person.indication == "INDETERMINATE" and person.subindication == "NO_POE"
    assert "sau thời điểm cần kiểm tra" in person.explanation


def test_revoked_after_signing_still_passes_years_later(world, document, unit):
    """Revoked the day after a time-stamped signature: still valid, long after expiry, revocation reported."""
    from simulator.signing import sign_person, verify

    folder, pki, _sealed = world
    p12 = pki.issue_person(unit.signer, unit.position, unit.name, unit.code, PASS)
    signed = sign_person(document, folder / "then-revoked.pdf", p12, PASS, pki, at=AT)
    pki.revoke(pki.find(p12.stem).serial, "affiliation_changed", at=AT + timedelta(days=1))
    for at in (AT + timedelta(days=2), YEARS_LATER):
        (sig,) = verify(signed, pki, at=at).signatures
        assert sig.indication == "TOTAL_PASSED", (at, sig.explanation)
        assert sig.revoked is not None and sig.revoked["reason"] == "affiliation_changed"
        assert "thu hồi sau đó" in sig.explanation


def test_signed_after_revocation_is_revoked_years_later_too(world, document, unit):
    from simulator.signing import sign_person, verify

    folder, pki, _sealed = world
    p12 = pki.issue_revoked_person("Trần Thị Bị Thu Hồi", "Phó Chủ tịch", unit.name, unit.code, PASS,
                                   revoked_at=AT - timedelta(days=1))
    signed = sign_person(document, folder / "revoked.pdf", p12, PASS, pki, at=AT, allow_invalid_certificate=True)
    for at in (AT + timedelta(hours=1), YEARS_LATER):
        (sig,) = verify(signed, pki, at=at).signatures
        assert sig.indication == "TOTAL_FAILED" and sig.subindication == "REVOKED", (at, sig.subindication)
        assert "đã bị thu hồi ngày" in sig.explanation


def test_an_expired_certificate_gets_pyhankos_sub_indication(world, document, unit):
    """Signed after its certificate expired: pyHanko's INDETERMINATE/OUT_OF_BOUNDS_NO_POE, unchanged."""
    from pyhanko.sign.ades.report import AdESIndeterminate

    from simulator.signing import sign_person, verify

    folder, pki, _sealed = world
    p12 = pki.issue_expired_person("Lê Văn Hết Hạn", "Chủ tịch", unit.name, unit.code, PASS, at=AT)
    signed = sign_person(document, folder / "expired.pdf", p12, PASS, pki, at=AT, allow_invalid_certificate=True)
    (sig,) = verify(signed, pki, at=AT + timedelta(hours=1)).signatures
    assert (sig.indication, sig.subindication) == ("INDETERMINATE", "OUT_OF_BOUNDS_NO_POE")
    assert _pyhanko_verdicts(signed, pki, AT + timedelta(hours=1)) == [AdESIndeterminate.OUT_OF_BOUNDS_NO_POE]
    assert "hết hạn" in sig.explanation


def test_without_a_time_stamp_nothing_proves_when_it_was_signed(tmp_path, document, pki, holders):
    """A PAdES signature made by a plain pyHanko call without a TSA: pyHanko's SIG_CONSTRAINTS_FAILURE."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    from simulator.signing import verify

    signer = signers.SimpleSigner.load_pkcs12_data(holders.person.read_bytes(), [pki.issuing_ca, pki.root],
                                                   PASS.encode())
    writer = IncrementalPdfFileWriter(io.BytesIO(document.read_bytes()), strict=False)
    meta = signers.PdfSignatureMetadata(field_name="Unstamped", subfilter=SigSeedSubFilter.PADES,
                                        md_algorithm="sha256", embed_validation_info=True,
                                        validation_context=pki.validation_context(for_signing=True))
    out = tmp_path / "khong-dau-thoi-gian.pdf"
    out.write_bytes(signers.sign_pdf(writer, meta, signer=signer).getvalue())
    (sig,) = verify(out, pki).signatures
    assert sig.intact and sig.timestamp_at is None
    assert (sig.indication, sig.subindication) == ("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE")
    assert "không có dấu thời gian tin cậy" in sig.explanation

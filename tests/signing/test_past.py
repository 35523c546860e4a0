"""Validation at another time: archives years later (long-term validation) and the past."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from simulator.signing import verify


def test_years_later_the_time_stamp_proves_the_signature(sealed, pki):
    """By 2029 both certificates have expired; the time stamps prove the signatures were made in time."""
    later = datetime.now(timezone.utc) + timedelta(days=3 * 365)
    report = verify(sealed, pki, at=later)
    assert report.indication == "TOTAL_PASSED" and report.passed
    for sig in report.signatures:
        assert sig.long_term
        assert "nay đã hết hạn" in sig.explanation
    assert report.validated_at == later


def test_validation_as_of_now_is_not_long_term(sealed, pki):
    assert not any(s.long_term for s in verify(sealed, pki).signatures)


def test_before_the_signature_existed(sealed, pki):
    now = verify(sealed, pki)
    stamped = now.signatures[0].timestamp_at
    # two minutes before the person signed: the certificate was already valid, the signature not yet made
    report = verify(sealed, pki, at=stamped - timedelta(minutes=2))
    assert report.indication == "INDETERMINATE" and not report.passed
    assert report.signatures[0].subindication in ("NO_POE", "NOT_YET_VALID")
    if report.signatures[0].subindication == "NO_POE":
        assert "sau thời điểm cần kiểm tra" in report.signatures[0].explanation
    # two days before, even the certificate did not exist
    days_before = verify(sealed, pki, at=stamped - timedelta(days=2))
    assert days_before.indication == "INDETERMINATE"
    assert {s.subindication for s in days_before.signatures} == {"NOT_YET_VALID"}


def test_a_revoked_certificate_is_judged_by_the_revocation_date(workdir, document, pki, holders):
    """Signed with a certificate revoked a day ago: fails today; long before, the certificate was good."""
    from simulator.signing import sign_person

    signed = sign_person(document, workdir / "qua-khu.pdf", holders.revoked, "mat-khau-1", pki,
                         allow_invalid_certificate=True)
    today = verify(signed, pki).signatures[0]
    assert today.indication == "TOTAL_FAILED" and today.subindication == "REVOKED"
    assert today.revoked["reason"] == "key_compromise"

"""Verification reports people can trust.

Each signature is validated by pyHanko's AdES long-term validation (ETSI EN
319 102-1, § 5.6.3; :mod:`simulator.signing.ltv`) against the training root
only, with revocation data required, and with pyHanko's difference analysis
of everything added after it. The verdict is pyHanko's: TOTAL_PASSED,
TOTAL_FAILED or INDETERMINATE with its sub-indication, each with a plain
explanation in the user's language.

Validation "as of" a time (``at``): pyHanko validates at that time and,
when the signer's certificate has expired or been revoked by then, runs the
standard's past signature validation with the signature's trusted time stamp
as proof of existence. Three readings of pyHanko's result are the training
PKI's own, stricter rules:

- a trusted time stamp that proves the signature was made after the
  certificate's revocation is TOTAL_FAILED/REVOKED (pyHanko: INDETERMINATE,
  or even PASSED once the certificate has expired: pyHanko 0.38 checks no
  revocation for an expired certificate, so the revocation then comes from
  the PKI's own record);
- a signature whose time stamp is later than the time asked about did not
  exist then: INDETERMINATE/NO_POE, no grace (AdES never asks that question);
- pyHanko's CERTIFICATE_CHAIN_GENERAL_FAILURE for a time before the
  certificate's validity is reported as NOT_YET_VALID.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime, timezone

from asn1crypto import x509 as asn1_x509

from simulator.calendar import vn_datetime
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.signing.decree30 import decree30_check
from simulator.signing.ltv import lta_validate, record_of, stamp_times, validation_spec
from simulator.signing.pdfread import SignedIdentity, identity_of, open_reader, read_pdf, signed_identity
from simulator.signing.pki import TrainingPKI
from simulator.signing.policy import role_of
from simulator.signing.report import (  # noqa: F401  (re-exported: the report types live with the verdict)
    FAILED, INDETERMINATE, PASSED, Decree30Check, Problem, SignatureReport, VerificationReport, explanation,
    vn_time,
)
from simulator.signing.runner import run_sync

_ = translator("signing")

PERMITTED_LEVELS = ("NONE", "LTA_UPDATES", "FORM_FILLING")


# ------------------------------------------------------------------ helpers
def _subject(cert: asn1_x509.Certificate | None) -> tuple[str, str, str]:
    if cert is None:
        return "", "", ""
    try:
        native = cert.subject.native
        return (native.get("common_name", "") or "", native.get("organization_name", "") or "",
                native.get("organization_identifier", "") or "")
    except Exception:
        return "", "", ""


def _level_name(status) -> str | None:
    level = getattr(status, "modification_level", None)
    return level.name if level is not None else None


def _verdict(subindic) -> tuple[str, str | None]:
    """pyHanko's AdES sub-indication as (indication, sub-indication)."""
    from pyhanko.sign.ades.report import AdESStatus

    status = subindic.status
    if status == AdESStatus.PASSED:
        return PASSED, None
    return (FAILED if status == AdESStatus.FAILED else INDETERMINATE), subindic.name


def _timestamp_time(status) -> datetime | None:
    """The time vouched for by the signature's time stamp, if pyHanko found it intact, valid and trusted."""
    ts = getattr(status, "timestamp_validity", None)
    return ts.timestamp if ts is not None and ts.intact and ts.valid and ts.trusted else None


def _revocation(status, record, at: datetime) -> tuple[datetime, str] | None:
    """When and why the signer's certificate was revoked, if by ``at``: as pyHanko found it, else
    from the PKI's own record (pyHanko 0.38 does not check the revocation of an expired certificate)."""
    rev = status.revocation_details
    if rev is not None:
        return rev.revocation_date, rev.revocation_reason.native
    if record is not None and record.revocation is not None and record.revocation.at <= at:
        return record.revocation.at, record.revocation.reason
    return None


def _permitted(status) -> bool:
    """Everything added after the signature is of a permitted kind (pyHanko's difference analysis)."""
    from pyhanko.sign.diff_analysis import SuspiciousModification
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    return (status.coverage is not None and status.coverage >= SignatureCoverageLevel.ENTIRE_REVISION
            and _level_name(status) in PERMITTED_LEVELS
            and not isinstance(status.diff_result, SuspiciousModification))


async def _signature_report(emb, pki: TrainingPKI, at: datetime, live: bool, revision: int,
                            spec) -> SignatureReport:
    try:
        field_name = str(emb.field_name)
    except Exception:
        field_name = "?"
    cert = None
    try:
        cert = emb.signer_cert
    except Exception:
        pass
    signer, unit, unit_code = _subject(cert)
    # Roles come from this PKI's policies; a look-alike certificate from elsewhere has no role here.
    kind = role_of(cert)
    role = kind.value if kind is not None and pki.trusts(cert) else "unknown"
    serial = None
    try:
        serial = cert.serial_number if cert is not None else None
    except Exception:
        pass
    claimed = None
    try:
        claimed = emb.self_reported_timestamp
    except Exception:
        pass

    known = dict(field=field_name, signer=signer, role=role, unit=unit, unit_code=unit_code, serial=serial,
                 claimed_at=claimed, revision=revision)

    def broken(sub: str = "FORMAT_FAILURE") -> SignatureReport:
        return SignatureReport(**known, indication=FAILED, subindication=sub,
                               explanation=_("The signature is damaged or does not cover the document properly."))

    from pyhanko.sign.validation.errors import SignatureValidationError

    try:
        result = await lta_validate(emb, spec, at, live=live)
    except SignatureValidationError as exc:
        sub = getattr(exc, "ades_subindication", None)
        return broken(sub.name if sub is not None else "FORMAT_FAILURE")
    except Exception:  # hostile structures: never a crash, always a failure
        return broken()
    status = result.api_status
    if status is None:  # no signer certificate, no signed data: nothing pyHanko could judge
        return broken(result.ades_subindic.name)

    indication, sub = _verdict(result.ades_subindic)
    intact, valid, permitted = bool(status.intact), bool(status.valid), _permitted(status)
    ts_time = _timestamp_time(status)
    poe = result.best_signature_time  # pyHanko's proof of existence of the signature
    revoked = _revocation(status, record_of(pki, cert), at)
    if not intact:
        indication, sub = FAILED, "HASH_FAILURE"
    elif not valid:
        indication, sub = FAILED, "SIG_CRYPTO_FAILURE"
    elif not permitted:
        indication, sub = FAILED, "FORMAT_FAILURE"
    elif revoked is not None and ts_time is not None and ts_time >= revoked[0]:
        indication, sub = FAILED, "REVOKED"  # the time stamp proves it was signed after the revocation
    elif (sub == "CERTIFICATE_CHAIN_GENERAL_FAILURE" and cert is not None
          and at < cert["tbs_certificate"]["validity"]["not_before"].native):
        sub = "NOT_YET_VALID"  # pyHanko says only "general failure" before the certificate's validity
    trusted = indication == PASSED
    # No grace: asked "was it valid at T?" about a signature made after T, the answer is "it did not exist".
    future = indication == PASSED and poe > at
    if future:
        indication, sub = INDETERMINATE, "NO_POE"
    expired = cert is not None and at > cert["tbs_certificate"]["validity"]["not_after"].native
    report = SignatureReport(**known, timestamp_at=ts_time, indication=indication, subindication=sub,
                             intact=intact, trusted=trusted and permitted,
                             revoked=revoked and {"at": vn_time(revoked[0]), "reason": revoked[1]},
                             coverage=status.coverage.name if status.coverage is not None else None,
                             modification_level=_level_name(status), permitted=permitted,
                             long_term=indication == PASSED and expired)
    text = explanation(report, ts_time is None)
    if future:
        text = _("The signature was made after the time asked about ({time}).", time=vn_datetime(at))
    return replace(report, explanation=text)


def _appended_after_last_revision(data: bytes) -> bool:
    end = data.rfind(b"%%EOF")
    if end < 0:
        return True
    return bool(data[end + 5:].strip(b"\r\n\t \x00\x0c"))


async def async_verify_bytes(data: bytes, name: str, pki: TrainingPKI, at: datetime | None = None,
                             main: SignedIdentity | None = None) -> VerificationReport:
    """Verify a PDF given as bytes; ``main``: the signed identity of the main document of an attachment."""
    from pyhanko.sign.fields import enumerate_sig_fields

    reader = open_reader(data, name)
    try:
        filled = [str(fq_name) for fq_name, _obj, _field in enumerate_sig_fields(reader, filled_status=True)]
    except Exception:
        raise UserError(_("{path} is not a readable PDF file.", path=name), field="pdf") from None
    # pyHanko's own signature objects: its AdES validation checks the integrity of them all.
    try:
        found = {str(emb.field_name): emb for emb in reader.embedded_signatures}
    except Exception:
        found = {}
    embedded = []
    for emb in list(found.values()):
        try:
            if emb.sig_object_type != "/DocTimeStamp":
                embedded.append((emb.signed_revision, emb))
        except Exception:
            found.pop(str(emb.field_name), None)
    # A signature whose dictionary cannot even be read is a failed signature, not a missing one.
    unreadable = [fq_name for fq_name in filled if fq_name not in found]
    if at is not None and at.tzinfo is None:
        raise UserError(_("Give times with a time zone, e.g. 2026-03-02T09:15:30+07:00."), field="at")
    moment = (at or datetime.now(timezone.utc)).astimezone(timezone.utc)
    certs, stamped = [], []
    for _revision, emb in embedded:
        stamped += stamp_times(emb)
        try:
            certs.append(emb.signer_cert)
        except Exception:
            pass
    spec = validation_spec(pki, moment, certs, stamped)  # one per document: the same local knowledge for all
    signatures = [await _signature_report(emb, pki, moment, at is None, revision, spec)
                  for revision, emb in embedded]
    for fq_name in unreadable:
        signatures.append(SignatureReport(
            field=fq_name, signer="", role="unknown", indication=FAILED, subindication="FORMAT_FAILURE",
            explanation=_("The signature is damaged or does not cover the document properly."), revision=10**6))
    signatures.sort(key=lambda s: s.revision)
    if signatures and _appended_after_last_revision(data):
        # Bytes after the final %%EOF belong to no revision, so no signature and no diff
        # analysis sees them, yet some readers use them (incremental saving attack).
        text = _("Data was appended to the file after its last saved version; what a reader shows may "
                 "differ from what was signed.")
        signatures = [replace(sig, indication=FAILED, subindication="FORMAT_FAILURE", permitted=False,
                              trusted=False, explanation=text) for sig in signatures]
    try:
        identity = identity_of(reader, data)
    except Exception:  # hostile structure: nothing signed can be read, so nothing is vouched for
        identity = SignedIdentity(None, None, None, None, None, None, changed_after_signing=("?",))
    decree = decree30_check(signatures, identity, main)
    if not signatures:
        indication = INDETERMINATE
    elif any(s.indication == FAILED for s in signatures):
        indication = FAILED
    elif all(s.indication == PASSED for s in signatures) and decree.ok:
        indication = PASSED
    else:  # unproven, or sound signatures on a document that breaks the Decree-30 rules
        indication = INDETERMINATE
    return VerificationReport(name, indication, signatures, decree, moment, identity.attachment_of, identity)


async def async_verify(pdf_path: str | os.PathLike, pki: TrainingPKI, at: datetime | None = None,
                       main_pdf: str | os.PathLike | None = None) -> VerificationReport:
    """Verify every signature in ``pdf_path`` (at ``at``, default now).

    ``main_pdf``: for an attachment, the main document it must name (read from its signed revision).
    """
    data = read_pdf(pdf_path)
    main = None
    if main_pdf is not None:
        main = signed_identity(read_pdf(main_pdf), os.fspath(main_pdf))
    return await async_verify_bytes(data, str(pdf_path), pki, at, main)


def verify(pdf_path: str | os.PathLike, pki: TrainingPKI, at: datetime | None = None,
           main_pdf: str | os.PathLike | None = None) -> VerificationReport:
    return run_sync(lambda: async_verify(pdf_path, pki, at, main_pdf))

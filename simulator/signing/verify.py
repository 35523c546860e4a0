"""Verification reports people can trust.

Each signature is validated with pyHanko against the training root only,
with strict revocation checking (hard-fail: no revocation data, no trust)
and with pyHanko's difference analysis of everything added after it. The
verdict uses the vocabulary of the EU validation standard (ETSI EN 319
102-1): TOTAL_PASSED, TOTAL_FAILED or INDETERMINATE with a sub-indication,
and each comes with a plain Vietnamese explanation.

Long-term validation: when the signer's certificate has expired or been
revoked by the validation time, a trusted time stamp inside the signature is
proof that the signature existed earlier; the signature is then validated
at the time of that stamp with the revocation data of that moment (the CRLs
embedded at signing and those the PKI issues for that time). Without such
proof the verdict stays INDETERMINATE (OUT_OF_BOUNDS_NO_POE, REVOKED_NO_POE).
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime, timezone

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509

from simulator.errors import UserError
from simulator.i18n import translator
from simulator.signing.decree30 import decree30_check
from simulator.signing.pdfread import SignedIdentity, identity_of, open_reader, read_pdf, signed_identity
from simulator.signing.pki import TrainingPKI
from simulator.signing.policy import role_of
from simulator.signing.report import (  # noqa: F401  (re-exported: the report types live with the verdict)
    FAILED, INDETERMINATE, PASSED, Decree30Check, Problem, SignatureReport, VerificationReport, day, explanation,
    vn_time,
)
from simulator.signing.runner import run_sync

_ = translator("signing")

PERMITTED_LEVELS = ("NONE", "LTA_UPDATES", "FORM_FILLING")


# ------------------------------------------------------------------ helpers
def _dss_material(reader) -> tuple[list, list, list]:
    """CRLs, OCSP responses and certificates embedded in the DSS (broken entries skipped)."""
    crls, ocsps, certs = [], [], []
    try:
        dss = reader.root.get("/DSS")
        dss = dss.get_object() if dss is not None else None
    except Exception:
        return crls, ocsps, certs
    if not dss:
        return crls, ocsps, certs
    # Certificates are not read: the PKI supplies the chain, and the signature carries its own.
    for key, target, loader in (("/CRLs", crls, asn1_crl.CertificateList.load),
                                ("/OCSPs", ocsps, asn1_ocsp.OCSPResponse.load)):
        try:
            refs = list(dss.get(key, []))
        except Exception:
            continue
        for ref in refs:
            try:
                obj = loader(ref.get_object().data)
                obj.contents  # a damaged entry fails here; deeper damage fails its signature later
                target.append(obj)
            except Exception:
                continue
    return crls, ocsps, certs


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


def _indic(indic) -> tuple[str, str]:
    from pyhanko.sign.ades.report import AdESFailure

    return (FAILED if isinstance(indic, AdESFailure) else INDETERMINATE), indic.name


class _Outcome:
    """What one validation pass said, reduced to what the report needs."""

    def __init__(self, status) -> None:
        self.status = status
        self.intact = bool(status.intact)
        self.valid = bool(status.valid)
        self.trusted = bool(status.trusted)
        self.indic = status.trust_problem_indic
        self.rev = status.revocation_details
        ts = status.timestamp_validity
        self.ts_ok = bool(ts is not None and ts.intact and ts.valid and ts.trusted)
        self.ts_time = ts.timestamp if ts is not None and ts.intact and ts.valid else None


async def _validate(emb, vc, ts_vc, skip_diff=False):
    from pyhanko.sign.validation import async_validate_pdf_signature

    return _Outcome(await async_validate_pdf_signature(emb, signer_validation_context=vc,
                                                       ts_validation_context=ts_vc, skip_diff=skip_diff))


async def _signature_report(emb, pki: TrainingPKI, at: datetime, dss, revision: int, vc) -> SignatureReport:
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    dss_crls, dss_ocsps, _certs = dss
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

    def broken(text: str, sub: str = "FORMAT_FAILURE") -> SignatureReport:
        return SignatureReport(**known, indication=FAILED, subindication=sub, explanation=text)

    try:
        outcome = await _validate(emb, vc, vc)
    except SignatureValidationError as exc:
        sub = getattr(exc, "ades_subindication", None)
        name = sub.name if sub is not None else "FORMAT_FAILURE"
        return broken(_("The signature is damaged or does not cover the document properly."), name)
    except Exception:  # hostile structures: never a crash, always a failure
        return broken(_("The signature is damaged or does not cover the document properly."))

    status = outcome.status
    long_term = False
    # Long-term validation: expired or revoked by now, but time-stamped earlier.
    if (outcome.intact and outcome.valid and not outcome.trusted and outcome.ts_ok
            and outcome.ts_time is not None and outcome.ts_time < at):
        needs_poe = outcome.rev is not None or (outcome.indic is not None and outcome.indic.name in (
            "OUT_OF_BOUNDS_NO_POE", "EXPIRED", "REVOKED_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED"))
        if needs_poe:
            moment = outcome.ts_time
            past_vc = pki.validation_context(moment, extra_crls=dss_crls, extra_ocsps=dss_ocsps,
                                             crls_at=moment)
            try:
                past = await _validate(emb, past_vc, past_vc, skip_diff=True)
                if past.trusted and past.rev is None:
                    outcome.trusted, outcome.indic, long_term = True, None, True
            except Exception:
                pass

    coverage = status.coverage.name if status.coverage is not None else None
    level = _level_name(status)
    from pyhanko.sign.diff_analysis import SuspiciousModification

    permitted = (status.coverage is not None and status.coverage >= SignatureCoverageLevel.ENTIRE_REVISION
                 and level in PERMITTED_LEVELS
                 and not isinstance(status.diff_result, SuspiciousModification))
    revoked = None
    info = pki.find_by_serial(serial) if serial is not None and cert is not None and pki.trusts(cert) else None
    if outcome.rev is not None:
        revoked = {"at": vn_time(outcome.rev.revocation_date), "reason": outcome.rev.revocation_reason.native}
    elif info is not None and info.revocation is not None and info.revocation.at <= at:
        revoked = {"at": vn_time(info.revocation.at), "reason": info.revocation.reason}

    signed_at = outcome.ts_time or claimed
    if not outcome.intact:
        indication, sub = FAILED, "HASH_FAILURE"
    elif not outcome.valid:
        indication, sub = FAILED, "SIG_CRYPTO_FAILURE"
    elif not permitted:
        indication, sub = FAILED, "FORMAT_FAILURE"
    elif outcome.trusted:
        indication, sub = PASSED, None
    elif revoked is not None or outcome.rev is not None:
        rev_at = datetime.fromisoformat(revoked["at"]) if revoked else outcome.rev.revocation_date
        if outcome.ts_ok and outcome.ts_time is not None and outcome.ts_time >= rev_at:
            indication, sub = FAILED, "REVOKED"  # proven to be signed after the revocation
        elif signed_at is not None and signed_at >= rev_at:
            indication, sub = FAILED, "REVOKED"
        else:
            indication, sub = INDETERMINATE, "REVOKED_NO_POE"
    elif outcome.indic is not None:
        indication, sub = _indic(outcome.indic)
        if sub in ("OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED") and cert is not None:
            not_after = cert["tbs_certificate"]["validity"]["not_after"].native
            if signed_at is not None and signed_at > not_after:
                sub = "EXPIRED"
    else:
        indication, sub = INDETERMINATE, "CERTIFICATE_CHAIN_GENERAL_FAILURE"
    if sub == "CERTIFICATE_CHAIN_GENERAL_FAILURE" and cert is not None:
        # pyHanko says only "general failure" for a certificate outside its validity period
        validity = cert["tbs_certificate"]["validity"]
        if at < validity["not_before"].native:
            sub = "NOT_YET_VALID"
        elif at > validity["not_after"].native:
            sub = "OUT_OF_BOUNDS_NO_POE"
    if indication == PASSED and outcome.ts_time is None:
        # PAdES B-T at least: a signature without a trusted time stamp has no proof of time.
        indication, sub = INDETERMINATE, "NO_POE"
    # No grace: asked "was it valid at T?" about a signature made after T, the answer is "it did not exist".
    future = indication == PASSED and outcome.ts_time is not None and outcome.ts_time > at
    if future:
        indication, sub = INDETERMINATE, "NO_POE"
    report = SignatureReport(**known, timestamp_at=outcome.ts_time if outcome.ts_ok else None,
                             indication=indication, subindication=sub, intact=outcome.intact,
                             trusted=outcome.trusted and permitted, revoked=revoked, coverage=coverage,
                             modification_level=level, permitted=permitted, long_term=long_term)
    text = explanation(report, outcome.ts_time is None)
    if future:
        text = _("The signature was made after the time asked about ({time}).", time=day(at))
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
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

    reader = open_reader(data, name)
    try:
        filled = list(enumerate_sig_fields(reader, filled_status=True))
    except Exception:
        raise UserError(_("{path} is not a readable PDF file.", path=name), field="pdf") from None
    embedded, unreadable = [], []
    for fq_name, _sig_obj, sig_field in filled:
        # A signature whose dictionary cannot even be read is a failed signature, not a missing one.
        try:
            emb = EmbeddedPdfSignature(reader, sig_field, fq_name)
            if emb.sig_object_type == "/DocTimeStamp":
                continue
            emb.signed_revision
            embedded.append(emb)
        except Exception:
            unreadable.append(str(fq_name))
    if at is not None and at.tzinfo is None:
        raise UserError(_("Give times with a time zone, e.g. 2026-03-02T09:15:30+07:00."), field="at")
    moment = (at or datetime.now(timezone.utc)).astimezone(timezone.utc)
    dss = _dss_material(reader)
    # One context per document: paths and revocation checks are shared between its signatures.
    try:
        vc = pki.validation_context(moment if at is not None else None, extra_crls=dss[0], extra_ocsps=dss[1])
    except Exception:  # embedded revocation data pyHanko cannot use: validate with the PKI's own
        dss = ([], [], [])
        vc = pki.validation_context(moment if at is not None else None)
    signatures = []
    for emb in embedded:
        try:
            revision = emb.signed_revision
        except Exception:
            revision = 0
        signatures.append(await _signature_report(emb, pki, moment, dss, revision, vc))
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

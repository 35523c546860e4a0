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

import io
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509

from simulator.errors import UserError
from simulator.i18n import translator
from simulator.signing.pki import Kind, TrainingPKI
from simulator.signing.runner import run_sync

_ = translator("signing")

VN_TZ = timezone(timedelta(hours=7))
PASSED, FAILED, INDETERMINATE = "TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"
PERMITTED_LEVELS = ("NONE", "LTA_UPDATES", "FORM_FILLING")

REASON_VI = {
    "unspecified": "không nêu lý do",
    "key_compromise": "lộ khóa bí mật",
    "ca_compromise": "tổ chức cấp chứng thư bị xâm phạm",
    "affiliation_changed": "thay đổi nơi công tác",
    "superseded": "đã được thay bằng chứng thư mới",
    "cessation_of_operation": "ngừng hoạt động",
    "certificate_hold": "tạm dừng",
    "privilege_withdrawn": "bị rút quyền",
    "remove_from_crl": "gỡ khỏi danh sách thu hồi",
    "aa_compromise": "tổ chức cấp thuộc tính bị xâm phạm",
}


def _vn(dt: datetime | None) -> str | None:
    return dt.astimezone(VN_TZ).replace(microsecond=0).isoformat() if dt else None


def _day(dt: datetime) -> str:
    return dt.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


def _reason_text(reason: str) -> str:
    from simulator.i18n import current_language

    return REASON_VI.get(reason, reason) if current_language() == "vi" else reason.replace("_", " ")


@dataclass
class SignatureReport:
    field: str
    signer: str
    role: str                      # "person", "seal" or "unknown"
    unit: str
    serial: int | None
    claimed_at: datetime | None    # the time the signer's computer claimed
    timestamp_at: datetime | None  # the time a trusted time-stamping authority vouches for
    indication: str
    subindication: str | None
    intact: bool
    trusted: bool
    revoked: dict | None           # {"at": ISO, "reason": ...} when the certificate is revoked
    coverage: str | None
    modification_level: str | None
    permitted: bool                # changes after this signature are of a permitted kind
    explanation: str
    long_term: bool = False        # validated at the time stamp (proof of existence)
    revision: int = 0
    unit_code: str = ""

    @property
    def signed_at(self) -> datetime | None:
        return self.timestamp_at or self.claimed_at

    def to_json(self) -> dict[str, Any]:
        return {
            "field": self.field, "signer": self.signer, "role": self.role,
            "signed_at": _vn(self.signed_at), "indication": self.indication,
            "subindication": self.subindication, "intact": self.intact, "trusted": self.trusted,
            "revoked": self.revoked, "coverage": self.coverage,
            "modification_level": self.modification_level, "explanation": self.explanation,
        }


@dataclass
class Problem:
    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass
class Decree30Check:
    ok: bool
    problems: list[Problem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "problems": [p.to_json() for p in self.problems]}


@dataclass
class VerificationReport:
    file: str
    indication: str
    signatures: list[SignatureReport]
    decree30: Decree30Check
    validated_at: datetime
    attachment_of: str | None = None

    @property
    def passed(self) -> bool:
        """What ``vbdt verify`` exits 0 for: every signature passed and the Decree-30 rules hold."""
        return self.indication == PASSED and self.decree30.ok

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "indication": self.indication,
                "signatures": [s.to_json() for s in self.signatures],
                "decree30": self.decree30.to_json()}

    def explain(self) -> str:
        """A plain explanation for a commune clerk, in the user's language."""
        lines = []
        if not self.signatures:
            lines.append(_("The document carries no digital signature."))
        elif self.passed:
            lines.append(_("The document is valid: every signature is intact, trusted and in the right order."))
        elif self.indication == PASSED:
            lines.append(_("The signatures are intact and trusted, but the document does not follow "
                           "the Decree 30 rules."))
        elif self.indication == FAILED:
            lines.append(_("Do NOT accept this document: at least one signature is invalid."))
        else:
            lines.append(_("The document cannot be confirmed as valid: some checks could not be completed."))
        for n, sig in enumerate(self.signatures, 1):
            role = {"person": _("person with authority"), "seal": _("agency seal")}.get(sig.role, _("unknown role"))
            lines.append(_("Signature {n} ({role}): {signer}", n=n, role=role, signer=sig.signer or "?"))
            if sig.signed_at:
                lines.append("  " + _("Signed at: {time}", time=_day(sig.signed_at)))
            lines.append("  " + sig.explanation)
        for problem in self.decree30.problems:
            lines.append("- " + problem.message)
        return "\n".join(lines)


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


def _explanation(sig: SignatureReport, ts_missing: bool) -> str:
    if not sig.intact:
        return _("The document was changed after it was signed (the signed content does not match the "
                 "signature).")
    if sig.subindication == "SIG_CRYPTO_FAILURE":
        return _("The signature value is not valid for this signer's key.")
    if sig.subindication == "FORMAT_FAILURE" and not sig.permitted:
        return _("The document was changed after it was signed: content was added or redrawn "
                 "after this signature ({level}).", level=sig.modification_level or "?")
    if sig.subindication == "FORMAT_FAILURE":
        return _("The signature is damaged or does not cover the document properly.")
    if sig.revoked and sig.indication != PASSED:
        return _("The certificate was revoked on {date} ({reason}); the signature is not valid.",
                 date=_day(datetime.fromisoformat(sig.revoked["at"])),
                 reason=_reason_text(sig.revoked["reason"]))
    if sig.subindication == "NO_CERTIFICATE_CHAIN_FOUND":
        return _("The certificate was not issued by a trusted authority (not the training PKI).")
    if sig.subindication in ("EXPIRED", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED"):
        return _("The certificate was not valid (expired or not yet valid) when the document was signed, "
                 "and nothing proves the signature was made while it was valid.")
    if sig.subindication == "NOT_YET_VALID":
        return _("The certificate was not yet valid when the document was signed.")
    if sig.subindication == "TRY_LATER" or (sig.subindication or "").startswith("REVOCATION"):
        return _("The revocation status of the certificate could not be checked; the signature cannot be "
                 "trusted yet.")
    if sig.indication != PASSED:
        return _("The signature could not be validated ({code}).", code=sig.subindication or "?")
    text = _("The signature is valid: the document has not been changed and the certificate is trusted.")
    if sig.revoked:
        text += " " + _("The certificate was revoked later, on {date} ({reason}), after the signature "
                        "was time-stamped.", date=_day(datetime.fromisoformat(sig.revoked["at"])),
                        reason=_reason_text(sig.revoked["reason"]))
    elif sig.long_term:
        text += " " + _("The certificate has expired since, but the time stamp proves the signature "
                        "was made while it was valid.")
    if ts_missing:
        text += " " + _("There is no trusted time stamp.")
    return text


async def _signature_report(emb, pki: TrainingPKI, at: datetime, dss, revision: int, vc) -> SignatureReport:
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    from simulator.signing.sign import role_of

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
    role = (role_of(cert).value if cert is not None and role_of(cert) and pki.trusts(cert) else "unknown")
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

    def broken(explanation: str, sub: str = "FORMAT_FAILURE", intact: bool = False) -> SignatureReport:
        return SignatureReport(field_name, signer, role, unit, serial, claimed, None, FAILED, sub, intact,
                               False, None, None, None, False, explanation, revision=revision,
                               unit_code=unit_code)

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
        revoked = {"at": _vn(outcome.rev.revocation_date), "reason": outcome.rev.revocation_reason.native}
    elif info is not None and info.revocation is not None and info.revocation.at <= at:
        revoked = {"at": _vn(info.revocation.at), "reason": info.revocation.reason}

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
    future = indication == PASSED and outcome.ts_time is not None and outcome.ts_time > at + timedelta(minutes=1)
    if future:  # asked "was it valid at T?" about a signature made after T
        indication, sub = INDETERMINATE, "NO_POE"
    report = SignatureReport(field_name, signer, role, unit, serial, claimed, outcome.ts_time if outcome.ts_ok else None,
                             indication, sub, outcome.intact, outcome.trusted and permitted, revoked, coverage,
                             level, permitted, "", long_term, revision, unit_code)
    report.explanation = _explanation(report, outcome.ts_time is None)
    if future:
        report.explanation = _("The signature was made after the time asked about ({time}).", time=_day(at))
    return report


def _decree30(signatures: list[SignatureReport], attachment_of: str | None, main_code: str | None,
              issuer_code: str | None) -> Decree30Check:
    problems: list[Problem] = []
    add = lambda code, msg: problems.append(Problem(code, msg))  # noqa: E731
    if not signatures:
        add("NO_SIGNATURE", _("The document carries no digital signature."))
        return Decree30Check(False, problems)
    persons = [s for s in signatures if s.role == Kind.PERSON.value]
    seals = [s for s in signatures if s.role == Kind.SEAL.value]
    unknown = [s for s in signatures if s.role not in (Kind.PERSON.value, Kind.SEAL.value)]
    for s in unknown:
        add("UNKNOWN_ROLE", _("The signature of {signer} is neither a person's nor an agency's certificate "
                              "of the training PKI.", signer=s.signer or "?"))
    last = signatures[-1]
    if attachment_of is not None:
        if not seals:
            add("ATTACHMENT_NOT_SEALED", _("An attachment must be signed by the clerk with the agency's "
                                           "certificate."))
        if main_code is not None and attachment_of != main_code:
            add("ATTACHMENT_WRONG_MAIN", _("The attachment names document no. {named}, not the main document "
                                           "no. {main}.", named=attachment_of, main=main_code))
    else:
        if not persons:
            add("NO_PERSON", _("The signature of the person with authority is missing."))
        if not seals:
            add("NO_SEAL", _("The agency's digital signature (seal) is missing."))
        if persons and seals and seals[0].revision < persons[0].revision:
            add("SEAL_BEFORE_PERSON", _("The agency seal was applied before the person signed; Decree 30 "
                                        "requires the person's signature first."))
        if len(persons) > 1:
            add("SEVERAL_PERSONS", _("The document carries more than one personal signature."))
        if seals and last.role != Kind.SEAL.value:
            add("SEAL_NOT_LAST", _("The agency seal must be the last signature and cover the whole document."))
        if persons and seals and persons[0].unit and seals[-1].unit and persons[0].unit != seals[-1].unit:
            add("SEAL_OTHER_AGENCY", _("The seal belongs to {seal}, but the signer works at {unit}.",
                                       seal=seals[-1].unit, unit=persons[0].unit))
        if seals and issuer_code and seals[-1].unit_code and seals[-1].unit_code != issuer_code:
            add("SEAL_NOT_ISSUER", _("The seal of {seal} ({code}) is not the seal of the issuing agency ({issuer}).",
                                     seal=seals[-1].unit, code=seals[-1].unit_code, issuer=issuer_code))
    if last.modification_level not in (None, "NONE", "LTA_UPDATES") or last.coverage not in (
            "ENTIRE_FILE", "ENTIRE_REVISION"):
        add("LAST_NOT_WHOLE", _("Content was added after the last signature; the last signature does not "
                                "cover the whole document."))
    return Decree30Check(not problems, problems)


def _appended_after_last_revision(data: bytes) -> bool:
    end = data.rfind(b"%%EOF")
    if end < 0:
        return True
    return bool(data[end + 5:].strip(b"\r\n\t \x00\x0c"))


async def async_verify_bytes(data: bytes, name: str, pki: TrainingPKI, at: datetime | None = None,
                             main_code: str | None = None) -> VerificationReport:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

    from simulator.signing.sign import _info_value

    if b"%PDF-" not in data[:1024]:
        raise UserError(_("{path} is not a PDF file.", path=name), field="pdf")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        reader.root
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
            fq_name, "", "unknown", "", None, None, None, FAILED, "FORMAT_FAILURE", False, False, None, None,
            None, False, _("The signature is damaged or does not cover the document properly."),
            revision=10**6))
    signatures.sort(key=lambda s: s.revision)
    if signatures and _appended_after_last_revision(data):
        # Bytes after the final %%EOF belong to no revision, so no signature and no diff
        # analysis sees them, yet some readers use them (incremental saving attack).
        for sig in signatures:
            sig.indication, sig.subindication, sig.permitted, sig.trusted = FAILED, "FORMAT_FAILURE", False, False
            sig.explanation = _("Data was appended to the file after its last saved version; what a reader "
                                "shows may differ from what was signed.")
    attachment_of = _info_value(reader, "/VbdtAttachmentOf")
    doc_id = _info_value(reader, "/VbdtDocumentId")
    issuer_code = doc_id.split(",", 1)[0].strip() if doc_id and "," in doc_id else None
    decree = _decree30(signatures, attachment_of, main_code, issuer_code)
    if not signatures:
        indication = INDETERMINATE
    elif any(s.indication == FAILED for s in signatures):
        indication = FAILED
    elif all(s.indication == PASSED for s in signatures) and decree.ok:
        indication = PASSED
    else:  # unproven, or sound signatures on a document that breaks the Decree-30 rules
        indication = INDETERMINATE
    return VerificationReport(name, indication, signatures, decree, moment, attachment_of)


async def async_verify(pdf_path: str | os.PathLike, pki: TrainingPKI, at: datetime | None = None,
                       main_pdf: str | os.PathLike | None = None) -> VerificationReport:
    """Verify every signature in ``pdf_path`` (at ``at``, default now).

    ``main_pdf``: for an attachment, the main document it must name.
    """
    from simulator.signing.sign import number_code, open_reader, read_pdf

    data = read_pdf(pdf_path)
    main_code = None
    if main_pdf is not None:
        main_code = number_code(open_reader(read_pdf(main_pdf), Path(main_pdf).name))
    return await async_verify_bytes(data, str(pdf_path), pki, at, main_code)


def verify(pdf_path: str | os.PathLike, pki: TrainingPKI, at: datetime | None = None,
           main_pdf: str | os.PathLike | None = None) -> VerificationReport:
    return run_sync(lambda: async_verify(pdf_path, pki, at, main_pdf))

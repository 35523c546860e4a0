"""What a verification says: per-signature reports, Decree-30 problems, plain explanations.

The verdict uses the vocabulary of the EU validation standard (ETSI EN 319
102-1): TOTAL_PASSED, TOTAL_FAILED or INDETERMINATE with a sub-indication,
and each comes with a plain explanation in the user's language. A
:class:`SignatureReport` is immutable and built by keyword, like pyHanko's
own status objects; derive a changed copy with :func:`dataclasses.replace`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from simulator.calendar import VN_TZ, vn_datetime
from simulator.i18n import translator

_ = translator("signing")

PASSED, FAILED, INDETERMINATE = "TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"

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


def vn_time(dt: datetime | None) -> str | None:
    return dt.astimezone(VN_TZ).replace(microsecond=0).isoformat() if dt else None


def _reason_text(reason: str) -> str:
    from simulator.i18n import current_language

    return REASON_VI.get(reason, reason) if current_language() == "vi" else reason.replace("_", " ")


@dataclass(frozen=True, kw_only=True)
class SignatureReport:
    field: str
    signer: str
    role: str                      # "person", "seal" or "unknown"
    unit: str = ""
    unit_code: str = ""
    serial: int | None = None
    claimed_at: datetime | None = None    # the time the signer's computer claimed
    timestamp_at: datetime | None = None  # the time a trusted time-stamping authority vouches for
    indication: str
    subindication: str | None = None
    intact: bool = False
    trusted: bool = False
    revoked: dict | None = None    # {"at": ISO, "reason": ...} when the certificate is revoked
    coverage: str | None = None
    modification_level: str | None = None
    permitted: bool = False        # changes after this signature are of a permitted kind
    explanation: str = ""
    long_term: bool = False        # validated at the time stamp (proof of existence)
    revision: int = 0

    @property
    def signed_at(self) -> datetime | None:
        return self.timestamp_at or self.claimed_at

    def to_json(self) -> dict[str, Any]:
        return {
            "field": self.field, "signer": self.signer, "role": self.role,
            "signed_at": vn_time(self.signed_at), "indication": self.indication,
            "subindication": self.subindication, "intact": self.intact, "trusted": self.trusted,
            "revoked": self.revoked, "coverage": self.coverage,
            "modification_level": self.modification_level, "explanation": self.explanation,
        }


@dataclass(frozen=True)
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
    identity: Any = None           # the SignedIdentity the Decree-30 checks used

    @property
    def passed(self) -> bool:
        """What ``vbdt verify`` exits 0 for: every signature passed and the Decree-30 rules hold."""
        return self.indication == PASSED and self.decree30.ok

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "indication": self.indication,
                "signatures": [s.to_json() for s in self.signatures],
                "decree30": self.decree30.to_json()}

    def headline(self) -> str:
        """The verdict in one sentence, in the user's language."""
        if not self.signatures:
            return _("The document carries no digital signature.")
        if self.passed:
            return _("The document is valid: every signature is intact, trusted and in the right order.")
        if all(s.indication == PASSED for s in self.signatures):
            return _("The signatures are intact and trusted, but the document does not follow the Decree 30 rules.")
        if any(s.indication == FAILED for s in self.signatures):
            return _("Do NOT accept this document: at least one signature is invalid.")
        return _("The document cannot be confirmed as valid: some checks could not be completed.")

    def checks(self) -> list[Check]:
        """One line per check, in order: each signature's own checks, then the Decree-30 rules."""
        out: list[Check] = []
        for n, sig in enumerate(self.signatures, 1):
            role = {"person": _("person with authority"), "seal": _("agency seal")}.get(sig.role, _("unknown role"))
            head = _("Signature {n} ({role}): {signer}", n=n, role=role, signer=sig.signer or "?")
            if sig.signed_at:
                head += ", " + _("signed at {time}", time=vn_datetime(sig.signed_at))
            out.append(Check(_ok(sig.indication), head, level=0))
            out.extend(_signature_checks(sig))
        if self.signatures:
            if self.decree30.problems:
                out.extend(Check(False, p.message, level=0) for p in self.decree30.problems)
            else:
                out.append(Check(True, _("Signed as Decree 30 requires: the person with authority first, then the "
                                         "agency seal, and the page's identity unchanged since."), level=0))
        return out

    def explain(self) -> str:
        """A plain explanation for a commune clerk: the verdict, then one line per check."""
        return "\n".join([self.headline()] + [c.line() for c in self.checks()])


@dataclass(frozen=True)
class Check:
    """One line of a verification report: passed (True), failed (False) or not decided (None)."""
    ok: bool | None
    text: str
    level: int = 1          # 0: a signature or a document rule; 1: a check under a signature

    @property
    def mark(self) -> str:
        return {True: "✓", False: "✗", None: "?"}[self.ok]

    def line(self) -> str:
        return "  " * self.level + f"{self.mark} {self.text}"


def _ok(indication: str) -> bool | None:
    return {PASSED: True, FAILED: False}.get(indication)


_TIME_SUBS = ("EXPIRED", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED", "NOT_YET_VALID", "REVOKED")


def _signature_checks(sig: SignatureReport) -> list[Check]:
    """What was checked for one signature; a failed line says why in the signature's own words."""
    sub = sig.subindication or ""
    lines = []
    intact = sig.intact and sub != "SIG_CRYPTO_FAILURE"
    lines.append(Check(True, _("Content unchanged since this signature.")) if intact
                 else Check(False, sig.explanation))
    if intact:
        if sig.permitted:
            level = sig.modification_level or "NONE"
            lines.append(Check(True, _("No change after this signature.") if level == "NONE" else
                               _("Only permitted additions after this signature (the number and date, the "
                                 "seal, validation data).")))
        else:
            lines.append(Check(False, sig.explanation))
    if sub == "NO_CERTIFICATE_CHAIN_FOUND":
        lines.append(Check(False, sig.explanation))
    elif intact and sig.permitted:
        lines.append(Check(True, _("Certificate issued by a trusted authority.")))
    if sub in _TIME_SUBS or (sig.revoked and sig.indication != PASSED):
        lines.append(Check(False, sig.explanation))
    elif sub == "TRY_LATER" or sub.startswith("REVOCATION"):
        lines.append(Check(None, sig.explanation))
    elif sig.indication == PASSED:
        lines.append(Check(True, _("Certificate valid and not revoked when signed.") if not sig.revoked else
                           sig.explanation))
    if sig.timestamp_at:
        lines.append(Check(True, _("Trusted time stamp: {time}", time=vn_datetime(sig.timestamp_at))))
    else:
        lines.append(Check(False if sig.indication != PASSED else None, _("There is no trusted time stamp.")))
    if sig.indication != PASSED and all(c.ok is not False for c in lines):
        lines.append(Check(_ok(sig.indication), sig.explanation))
    return lines


def explanation(sig: SignatureReport, ts_missing: bool) -> str:
    """Why a signature got its verdict, in plain words."""
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
                 date=vn_datetime(datetime.fromisoformat(sig.revoked["at"])),
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
    if ts_missing and sig.subindication in ("SIG_CONSTRAINTS_FAILURE", "NO_POE"):
        return _("The signature carries no trusted time stamp: nothing proves when it was made, so it "
                 "cannot be confirmed.")
    if sig.indication != PASSED:
        return _("The signature could not be validated ({code}).", code=sig.subindication or "?")
    text = _("The signature is valid: the document has not been changed and the certificate is trusted.")
    if sig.revoked:
        text += " " + _("The certificate was revoked later, on {date} ({reason}), after the signature "
                        "was time-stamped.", date=vn_datetime(datetime.fromisoformat(sig.revoked["at"])),
                        reason=_reason_text(sig.revoked["reason"]))
    elif sig.long_term:
        text += " " + _("The certificate has expired since, but the time stamp proves the signature "
                        "was made while it was valid.")
    if ts_missing:
        text += " " + _("There is no trusted time stamp.")
    return text

"""Signature validation at ingest, pluggable.

A validator is any callable ``validator(pdf_path) -> Verdict``. The default
only detects whether the PDF carries signatures (reading, never rewriting)
and records "not validated": the archive works without a PKI. With a PKI,
:func:`signing_validator` wraps ``simulator.signing.verify(pdf, pki, at)``
and records its indication (TOTAL-PASSED, TOTAL-FAILED, INDETERMINATE...).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from simulator.archiving.formats import identify
from simulator.archiving.premis import Agent, software

NOT_SIGNED = "NOT-SIGNED"
NOT_VALIDATED = "NOT-VALIDATED"
PASSED = "TOTAL-PASSED"


@dataclass(frozen=True)
class Verdict:
    signed: bool
    indication: str        # NOT-SIGNED, NOT-VALIDATED, or the signing layer's indication
    detail: str = ""
    agent: Agent | None = None

    @property
    def outcome(self) -> str:
        if not self.signed:
            return "not applicable"
        if self.indication == NOT_VALIDATED:
            return "not validated"
        return "success" if self.indication == PASSED else "failure"


Validator = Callable[[Path], Verdict]


def detect_only(pdf_path: Path) -> Verdict:
    """Default: say whether the file is signed; do not judge the signatures."""
    signed = identify(pdf_path, extract_text=False).signed
    agent = software("pikepdf", "pikepdf", role="validator")
    if not signed:
        return Verdict(False, NOT_SIGNED, "no signature field with a value", agent)
    return Verdict(True, NOT_VALIDATED, "signatures present; no PKI given, not validated", agent)


def signing_validator(pki: Any, at: Any = None) -> Validator:
    """Validate with the signing layer (imported only when a PKI is given)."""
    from simulator.signing import verify  # the signing layer; optional for archiving

    agent = software("vbdt-lab signing", "vbdt-lab", role="validator")

    def validate(pdf_path: Path) -> Verdict:
        if not identify(pdf_path, extract_text=False).signed:
            return Verdict(False, NOT_SIGNED, "no signature field with a value", agent)
        report = verify(pdf_path, pki, at=at)
        indication = str(getattr(report, "indication", report))
        indication = getattr(getattr(report, "indication", None), "value", indication)
        return Verdict(True, str(indication), str(getattr(report, "summary", "")), agent)

    return validate

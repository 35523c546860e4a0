"""Signature validation at ingest, pluggable.

A validator is any callable ``validator(pdf_path) -> Verdict``. The default
only detects whether the PDF carries signatures (reading, never rewriting)
and records "not validated": the archive works without a PKI. With a PKI,
:func:`signing_validator` wraps ``simulator.signing.verify(pdf, pki, at)``
and records its indication (TOTAL_PASSED, TOTAL_FAILED, INDETERMINATE).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from simulator.archiving.formats import identify
from simulator.archiving.premis import Agent, software

NOT_SIGNED = "NOT_SIGNED"
NOT_VALIDATED = "NOT_VALIDATED"
PASSED = "TOTAL_PASSED"     # ETSI EN 319 102-1 indications, as pyHanko and the signing layer spell them


@dataclass(frozen=True)
class Verdict:
    signed: bool
    indication: str        # NOT_SIGNED, NOT_VALIDATED, or the signing layer's indication
    detail: str = ""
    agent: Agent | None = None

    @property
    def outcome(self) -> str:
        if not self.signed:
            return "not applicable"
        if self.indication == NOT_VALIDATED:
            return "not validated"
        return "success" if self.indication.replace("-", "_") == PASSED else "failure"


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
        indication = getattr(report, "indication", report)
        indication = str(getattr(indication, "value", indication))
        signatures = getattr(report, "signatures", [])
        detail = "; ".join(f"{getattr(s, 'signer', '?')}: {getattr(s, 'indication', '?')}"
                           + (f"/{s.subindication}" if getattr(s, "subindication", None) else "")
                           for s in signatures)
        return Verdict(True, indication, detail, agent)

    return validate

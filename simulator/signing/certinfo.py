"""What the PKI tells about one holder certificate, and the time helpers its state file uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from simulator.errors import UserError
from simulator.i18n import translator
from simulator.signing.policy import Kind

_ = translator("signing")


@dataclass(frozen=True)
class Revocation:
    at: datetime
    reason: str


@dataclass(frozen=True)
class CertInfo:
    """One issued holder certificate, as listed by ``vbdt pki list``."""

    label: str
    kind: Kind
    serial: int
    full_name: str          # the person, or the unit for a seal
    position: str
    unit_name: str
    unit_code: str
    valid_from: datetime
    valid_to: datetime
    revocation: Revocation | None
    p12: Path

    def status(self, at: datetime | None = None) -> str:
        at = at or datetime.now(timezone.utc)
        if self.revocation and self.revocation.at <= at:
            return "revoked"
        if at > self.valid_to:
            return "expired"
        if at < self.valid_from:
            return "not_yet_valid"
        return "valid"

    def status_label(self, at: datetime | None = None) -> str:
        """The status in the user's language."""
        return {"valid": _("valid"), "revoked": _("revoked"), "expired": _("expired"),
                "not_yet_valid": _("not yet valid")}[self.status(at)]

    @property
    def kind_label(self) -> str:
        return {Kind.PERSON: _("person"), Kind.SEAL: _("seal")}[self.kind]

    def to_json(self, at: datetime | None = None) -> dict[str, Any]:
        return {
            "label": self.label, "kind": self.kind.value, "serial": self.serial,
            "name": self.full_name, "position": self.position,
            "unit_name": self.unit_name, "unit_code": self.unit_code,
            "valid_from": self.valid_from.isoformat(), "valid_to": self.valid_to.isoformat(),
            "status": self.status(at),
            "revoked_at": self.revocation.at.isoformat() if self.revocation else None,
            "revocation_reason": self.revocation.reason if self.revocation else None,
            "p12": str(self.p12),
        }


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+0000")


def parse(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")


def as_utc(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        raise UserError(_("Give times with a time zone, e.g. 2026-03-02T09:15:30+07:00."), field="at")
    return dt.astimezone(timezone.utc)

"""The seat's administrator: certificates, outage drills, resending (mixed into
:class:`simulator.lab.session.Session`)."""

from __future__ import annotations

from pathlib import Path

from simulator.calendar import VN_TZ


class AdminDesk:
    def issue_certificate(self, full_name: str, position: str, passphrase: str, *, seal: bool = False) -> Path:
        """Issue a personal (or agency-seal) certificate for someone of the seat's unit."""
        if seal:
            path = self.pki.issue_seal(self.seat.name, self.seat.code, passphrase)
        else:
            path = self.pki.issue_person(full_name, position, self.seat.name, self.seat.code, passphrase)
        info = next(i for i in self.pki.list() if Path(i.p12) == Path(path))
        self._log("issue_certificate", {"serial": info.serial, "name": info.full_name, "kind": info.kind.value})
        return path

    def revoke_certificate(self, serial: int, reason: str) -> None:
        info = self.pki.revoke(serial, reason, at=self.clock.replace(tzinfo=VN_TZ))
        self._log("revoke_certificate", {"serial": serial, "reason": reason, "name": info.full_name})

    def set_outage(self, org_id: str | None, down: bool) -> None:
        """Take the axis (None) or one unit's link down, or bring it back (an outage drill)."""
        self.axis.set_outage(org_id, down=down)
        self._log("outage", {"org": org_id, "down": down})

    def resend(self, doc_id: str, org_id: str) -> None:
        self.axis.resend(doc_id, org_id, at=self.clock.replace(tzinfo=VN_TZ))
        self._log("resend", {"document_id": doc_id, "org": org_id})

"""The administrator's desks: the PKI console, the axis monitor and the archive audit."""

from __future__ import annotations

import ipywidgets as w

from simulator.calendar import VN_TZ, vn_datetime
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.lab.widgets.base import Desk, table
from simulator.routing.axis_operator import ALL, state_label

_ = translator("lab")


class PKIConsole(Desk):
    """Issue, list and revoke training certificates."""

    def __init__(self, session, **kwargs) -> None:
        self.title = _("Certificate console")
        super().__init__(session, **kwargs)
        self.full_name = w.Text(placeholder=_("Full name"))
        self.position = w.Text(placeholder=_("Position"), value="Phó Chủ tịch")
        self.passphrase = w.Password(placeholder=_("Passphrase for the new key"))
        self.serial = w.Dropdown(description=_("Certificate"), options=[])
        self.reason = w.Dropdown(description=_("Reason"), options=[
            (_("Key compromised"), "key_compromise"), (_("Left the position"), "affiliation_changed"),
            (_("Replaced"), "superseded"), (_("Stopped working"), "cessation_of_operation")])
        self.view = w.HTML()
        self.body.children = [
            w.HBox([self.full_name, self.position, self.passphrase, self.button(_("Issue"), self.issue, "info")]),
            w.HBox([self.serial, self.reason, self.confirm_button(_("Revoke"), self.revoke, self._revoke_question)]),
            self.view,
        ]
        self.refresh()

    def refresh(self) -> None:
        certs = self.session.pki.list()
        now = self.session.clock.replace(tzinfo=VN_TZ)  # the world's clock, not the machine's
        chosen = self.serial.value   # the selection stays on the same certificate after a refresh
        self.serial.options = [(f"{c.serial:#07x} · {c.full_name} · {c.status_label(now)}", c.serial) for c in certs]
        if chosen in [c.serial for c in certs]:
            self.serial.value = chosen
        self.view.value = table([[f"{c.serial:#07x}", c.kind_label, c.full_name, c.unit_name,
                                  vn_datetime(c.valid_to.astimezone(VN_TZ).date()), c.status_label(now)] for c in certs],
                                [_("Serial"), _("Kind"), _("Holder"), _("Unit"), _("Valid until"), _("Status")])

    def issue(self):
        self.show_call(f'session.issue_certificate("{self.full_name.value}", "{self.position.value}", passphrase)')
        path = self.session.issue_certificate(self.full_name.value, self.position.value, self.passphrase.value)
        self.say(_("Certificate issued: {file}", file=path.name))
        return path

    def _revoke_question(self) -> str:
        cert = next((c for c in self.session.pki.list() if c.serial == self.serial.value), None)
        if cert is None:
            raise UserError(_("Choose a certificate first."))
        return _("Revoke certificate {serial} of {holder}? A revoked certificate cannot be restored; every "
                 "signature it makes from now on fails.", serial=f"{cert.serial:#07x}", holder=cert.full_name)

    def revoke(self):
        self.show_call(f'session.revoke_certificate({self.serial.value}, "{self.reason.value}")')
        self.session.revoke_certificate(self.serial.value, self.reason.value)
        self.say(_("Certificate {serial} revoked; the next CRL lists it.", serial=self.serial.value))


class AxisMonitor(Desk):
    """Queues per unit, stuck deliveries, an outage drill and resending."""

    def __init__(self, session, **kwargs) -> None:
        self.title = _("Exchange axis monitor")
        super().__init__(session, **kwargs)
        self.view = w.HTML()
        self.stuck = w.HTML()
        self.body.children = [
            w.HBox([self.button(_("Take the seat's link down"), self.down, "danger"),
                    self.button(_("Bring it back"), self.up, "success"),
                    self.button(_("Refresh"), lambda: None)]),
            self.view, self.stuck,
        ]
        self.refresh()

    def refresh(self) -> None:
        queues = self.session.axis.queues()
        names = {u.code: u.name for u in self.session.province.units}
        self.view.value = table([[names.get(org, org), org, ", ".join(f"{state_label(k)}: {v}" for k, v in states.items())]
                                 for org, states in sorted(queues.items())], [_("Unit"), _("Code"), _("Deliveries")])
        names[ALL] = _("the whole axis")
        outages = [names.get(code, code) for code in self.session.axis.outages()]
        stuck = self.session.axis.stuck(at=self.session.clock.replace(tzinfo=VN_TZ))  # stuck by the world's clock
        self.stuck.value = (f"<b>{_('Outages')}:</b> {', '.join(outages) or _('none')}<br>"
                            f"<b>{_('Stuck deliveries')}:</b> {len(stuck)}")

    def down(self):
        self.show_call(f'session.set_outage("{self.session.seat.code}", down=True)')
        self.session.set_outage(self.session.seat.code, True)
        self.say(_("Link down: documents wait in the axis queue, none is lost."), ok=False)

    def up(self):
        self.show_call(f'session.set_outage("{self.session.seat.code}", down=False)')
        self.session.set_outage(self.session.seat.code, False)
        self.say(_("Link restored: queued documents are delivered."))


class ArchiveAudit(Desk):
    """Run a full fixity audit of the archive and read the report."""

    def __init__(self, session, **kwargs) -> None:
        self.title = _("Archive audit")
        super().__init__(session, **kwargs)
        self.view = w.HTML()
        self.body.children = [self.button(_("Run a full audit"), self.audit, "warning"), self.view]

    def audit(self):
        self.show_call("session.audit_archive()")
        report = self.session.audit_archive()
        rows = [[_("Result"), _("clean") if report.success else _("damage found")], [_("Message"), report.message],
                [_("Changed files"), ", ".join(report.changed) or "-"], [_("Missing files"), ", ".join(report.missing) or "-"],
                [_("Untracked files"), ", ".join(report.untracked) or "-"], [_("Packages"), report.packages]]
        self.view.value = table(rows, [_("Item"), _("Value")])
        self.say(report.message, ok=report.success)
        return report

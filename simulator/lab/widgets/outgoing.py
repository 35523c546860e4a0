"""The outgoing desk: replies and the unit's own documents, signed, numbered, sealed, dispatched, published.

Words follow what staff see in their document system (soạn, ký số, cấp số,
đóng dấu số, phát hành, đăng cổng thông tin).
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from simulator.calendar import vn_datetime
from simulator.i18n import translator
from simulator.lab.widgets.base import Desk, page_image, table
from simulator.lab.class_words import status_words
from simulator.lab.widgets.clerk import ClockBar, _set_options, _status

_ = translator("lab")


DRAFT_LABELS = {  # msgids; the kinds of simulator.lab.outgoing.DRAFT_KINDS
    "quyet_dinh": "Decision of the chairman (individual)", "quyet_dinh_qppl": "Legal normative decision",
    "chi_thi": "Directive (Chỉ thị)", "thong_bao": "Notice (not published on the portal)",
}


def _number_shown(doc) -> str:
    """What the page shows: the register's number once issued, a blank before."""
    return doc.number_code if doc.number is not None else _("(no number yet)")


class SigningDesk(ClockBar, Desk):
    """Draft a reply or a document of the unit's own (a decision, a directive), sign it as the leader, number
    and seal it as the clerk, dispatch it, and publish a legal or directive one on the portal ("Đăng cổng
    thông tin", simulator.lab.publishing); the clock moves on here too, so the recipients' status returns
    (QCVN 102: 01, 03) can be watched coming back. A dispatched document can be recalled ("Thu hồi văn
    bản", with a reason, after a confirmation: it cannot be undone); the trace then shows 13 and each
    recipient's answer, 15 or 16."""

    after_wait = "Clock: {clock}. The table shows the statuses the recipients have sent back by now."  # msgid

    def __init__(self, session, **kwargs) -> None:
        self.title = _("Signing and dispatch")
        super().__init__(session, **kwargs)
        self.reply_to = w.Dropdown(description=_("Reply to"), options=[], style={"description_width": "initial"})
        self.kind = w.Dropdown(description=_("New document"), style={"description_width": "initial"},
                               options=[(_(label), kind) for kind, label in DRAFT_LABELS.items()],
                               layout=w.Layout(width="420px"))
        self.recipients = w.SelectMultiple(description=_("To units"), options=[], rows=5,
                                           style={"description_width": "initial"}, layout=w.Layout(width="420px"))
        self.subject = w.Text(placeholder=_("Subject (trích yếu): V/v ..."), layout=w.Layout(width="420px"))
        self.text = w.Textarea(placeholder=_("The text of the document"), layout=w.Layout(width="420px",
                                                                                          height="80px"))
        self.outgoing = w.Dropdown(description=_("Document"), options=[])
        self.passphrase = w.Password(description=_("Passphrase"), placeholder="••••••")
        self.preview = w.Image(format="png", layout=w.Layout(width="420px"))
        self.traces = w.HTML()
        self.recall_reason = w.Text(placeholder=_("Reason for the recall"), layout=w.Layout(width="420px"))
        self.recall_row = w.HBox([self.recall_reason, self.confirm_button(
            _("Recall the document"), self.recall, self._recall_question, style="warning")])
        self.portal = w.HTML()  # II.5 / III.5, counted from what is on the portal
        self.outgoing.observe(lambda _c: self._show(), names="value")
        # "Trình ký": shown when a trainee holds the unit's leader seat (the leader then signs, not this desk)
        self.hand_over = self.button(_("Hand over for signature"), self.submit_for_signature, "primary")
        self.body.children = [
            self.time_bar(),
            w.HBox([self.reply_to, self.button(_("Draft reply"), self.draft, "info")]),
            w.HBox([self.kind, self.button(_("Draft new document"), self.draft_new, "info")]),
            w.HBox([self.recipients, w.VBox([self.subject, self.text]),
                    self.button(_("Draft a document to units"), self.draft_to_units, "info")]),
            w.HBox([self.outgoing, self.passphrase]),
            w.HBox([self.hand_over, self.button(_("Sign (leader)"), self.sign, "primary"),
                    self.button(_("Number and seal (clerk)"), self.seal, "primary"),
                    self.button(_("Dispatch"), self.dispatch, "success"),
                    self.button(_("Publish on the portal"), self.publish, "success"),
                    self.button(_("Build the portal"), self.build_portal)]),
            self.portal,
            self.recall_row,
            w.HBox([self.preview, self.traces]),
        ]
        self.refresh()

    def refresh(self) -> None:
        from simulator.lab.widgets.classroom import recipient_options

        self.show_clock()
        self.hand_over.layout.display = None if self.session.leader_held() else "none"
        chosen = self.recipients.value
        self.recipients.options = recipient_options(self.session)
        self.recipients.value = tuple(c for c in chosen if c in {code for _label, code in self.recipients.options})
        _set_options(self.reply_to, [(f"{i.item_id} · {i.document.number_code}", i.item_id)
                                     for i in self.session.inbox.values()
                                     if i.status in ("registered", "submitted", "assigned")])
        _set_options(self.outgoing, [(f"{o.item_id} · {o.document.type.name} {_number_shown(o.document)} · "
                                      f"{o.document.subject} · {_status(o.status)}"
                                      + (f" · {_('RECALL')}" if o.recall else "")
                                      + (f" · {_('WITH THE LEADER')}" if self._with_leader(o.item_id) else ""),
                                      o.item_id)
                                     for o in self.session.outgoing_items()])
        self._show_portal()
        self._show()

    def _with_leader(self, out_id: str) -> bool:
        """Handed to the leader's seat and not signed back yet."""
        handoff = self.session.handed.get(f"out:{out_id}")
        return handoff is not None and handoff not in self.session.taken

    def _show_portal(self) -> None:
        figures = self.session.portal_figures()
        parts = [f"{row}: {f['published']}/{f['issued']}" + (f" ({f['share']:.0%})" if f["share"] is not None else "")
                 for row, f in figures.items()]
        self.portal.value = (f"<small>{escape(_('Legal and directive documents issued that are on the portal'))}: "
                             f"<b>{escape('; '.join(parts))}</b>. {escape(_('Portal folder'))}: "
                             f"<code>{escape(str(self.session.portal_folder))}</code></small>")

    def _show(self) -> None:
        out = self.session.outbox.get(self.outgoing.value) if self.outgoing.value else None
        recallable = out is not None and out.status in ("dispatched", "acknowledged") and out.recall is None
        self.recall_row.layout.display = None if recallable else "none"  # only what can still be recalled
        if out is None:
            self.preview.layout.display = "none"  # an empty image shows as a broken picture
            return
        self.preview.value = page_image(out.current_pdf)
        self.preview.layout.display = None
        if out.status in ("dispatched", "acknowledged"):
            traces = self.session.axis.traces(out.document.document_id)
            self.traces.value = table([[vn_datetime(t.at), self._unit_name(t.org_id),
                                        status_words(t.code).strip(),
                                        t.description] for t in traces],
                                      [_("Time"), _("Unit"), _("Status"), _("Note")])

    def _unit_name(self, code: str) -> str:
        """A unit as people read it in a trace: its name (the identifier code when the province lacks it)."""
        unit = self.session.province.get(code)
        return unit.name if unit else code

    def _need(self):
        from simulator.errors import UserError

        if not self.outgoing.value:
            raise UserError(_("Draft a reply or a new document first."))
        return self.outgoing.value

    def draft(self):
        from simulator.errors import UserError

        if not self.reply_to.value:
            raise UserError(_("Register an incoming document before replying to it."))
        self.show_call(f'session.reply("{self.reply_to.value}")')
        out = self.session.reply(self.reply_to.value)
        self.refresh()
        self.outgoing.value = out.item_id
        self.say(_("Draft ready, without a number: the clerk gives the number after the leader signs. Check it, "
                   "then sign."))
        return out

    def draft_new(self):
        self.show_call(f'session.draft_document("{self.kind.value}")')
        out = self.session.draft_document(self.kind.value)
        self.refresh()
        self.outgoing.value = out.item_id
        self.say(_("Draft {type} ready, without a number: the clerk gives the number after the leader signs.",
                   type=out.document.type.name))
        return out

    def draft_to_units(self):
        recipients, subject, body = list(self.recipients.value), self.subject.value, self.text.value
        self.show_call(f"session.draft({recipients!r}, {subject!r}, {body!r})")
        out = self.session.draft(recipients, subject, body)
        self.refresh()
        self.outgoing.value = out.item_id
        self.subject.value = self.text.value = ""
        self.say(_("Draft to {n} unit(s) ready, without a number: the leader signs, the clerk gives the number, "
                   "seals and dispatches it.", n=len(recipients)))
        return out

    def sign(self):
        out_id = self._need()
        self.show_call(f'session.sign("{out_id}", passphrase)')
        self.session.sign(out_id, self.passphrase.value)
        self.say(_("Signed by the leader (blue signature)."))

    def submit_for_signature(self):
        out_id = self._need()
        self.show_call(f'session.submit_for_signature("{out_id}")')
        handed = self.session.submit_for_signature(out_id)
        self.say(_("Handed over to the leader for signature (hand-over {id}). When the leader has signed, press “Get "
                   "the class's documents” or “Get new documents”: the signed draft comes back, then number and "
                   "seal it.", id=f"{handed.id:03d}"))
        return handed

    def seal(self):
        out_id = self._need()
        self.show_call(f'session.seal("{out_id}", passphrase)')
        self.session.seal(out_id, self.passphrase.value)
        out = self.session.outgoing(out_id)  # the number is the one the register gave at issuance
        self.refresh()
        self.say(_("Issued with number {code}, dated {day:%d/%m/%Y}, from the outgoing register; agency seal applied "
                   "(red seal).", code=out.document.number_code, day=out.document.issued_date))

    def dispatch(self):
        out_id = self._need()
        self.show_call(f'session.dispatch("{out_id}")')
        entry = self.session.dispatch(out_id)
        self.refresh()
        self.say(_("Dispatched {code} (outgoing number {n}).", code=entry.number_code, n=entry.number))
        for org, reason in self.session.outgoing(out_id).refused.items():
            self.say(_("Not delivered to {org}: {reason}", org=org, reason=reason), ok=False)
        return entry

    def _recall_question(self) -> str:
        out = self.session.outgoing(self._need())
        return _("Recall {code} ({subject}) from every recipient? Each is asked to withdraw it (status 13); a "
                 "recall cannot be undone.", code=_number_shown(out.document), subject=out.document.subject)

    def recall(self):
        out_id, reason = self._need(), self.recall_reason.value
        self.show_call(f"session.recall({out_id!r}, {reason!r})")
        result = self.session.recall(out_id, reason)
        self.recall_reason.value = ""
        self.refresh()
        self.say(_("Recall of {code} sent to {n} unit(s) (status 13). Each answers 15 (agreed) or 16 (refused): "
                   "move the clock on to see the answers in the trace.",
                   code=self.session.outgoing(out_id).document.number_code, n=len(result.accepted)))
        for org, why in dict(result.refused).items():
            self.say(_("Not delivered to {org}: {reason}", org=org, reason=why), ok=False)
        return result

    def publish(self):
        out_id = self._need()
        self.show_call(f'session.publish("{out_id}")')
        row = self.session.publish(out_id)
        self.refresh()
        self.say(_("Published {type} {code} on the portal at {path}. Press “Build the portal” to show it.",
                   type=row["type_name"], code=row["number_code"], path=row["path"]))
        return row

    def build_portal(self):
        self.show_call("session.build_portal()")
        built = self.session.build_portal()
        self.say(_("The portal is built: {n} document page(s) in {folder}. Serve it with: vbdt portal --folder "
                   "{portal} serve", n=built.documents, folder=built.folder, portal=self.session.portal_folder))
        return built

"""The leader's desk (bàn lãnh đạo): what the unit's clerk hands over, read and answered
(:mod:`simulator.lab.handoff`).

In a class where one trainee holds a unit's leader seat beside its clerk's, the clerk hands the leader the
drafts to sign ("Trình ký") and the registered documents to assign ("Trình phân công") through the class's
server. This desk lists what is waiting at the leader's clock, shows the page, and answers it: "Ký số" (the
leader's personal signature, ``session.sign_handoff``) or "Phân công xử lý" (who handles it, within how many
working days, with what directions: ``session.assign_handoff``). The clerk takes the answer on the next
"Nhận văn bản" at the clerk's own clock. Below, what the leader has done (``session.leader_done``).
"""

from __future__ import annotations

from datetime import datetime
from html import escape

import ipywidgets as w

from simulator.errors import UserError
from simulator.i18n import translator
from simulator.lab.class_words import short_id
from simulator.lab.widgets.base import Desk, page_image, table, world_time
from simulator.lab.widgets.clerk import ClockBar

_ = translator("lab")

KIND_WORDS = {"sign": "For signature", "assign": "For assignment"}  # msgids: "Trình ký", "Trình phân công"
DONE_WORDS = {"leader_sign": "Signed", "leader_assign": "Assigned", "leader_return": "Returned"}  # msgids


def kind_words(kind: str) -> str:
    return _(KIND_WORDS[kind]) if kind in KIND_WORDS else kind


class LeaderDesk(ClockBar, Desk):
    """A unit's leader in a class: receive what the clerk hands over, read it, sign it or assign it."""

    after_wait = "Clock: {clock}. The list shows what the clerk has handed over by now."  # msgid

    def __init__(self, session, **kwargs) -> None:
        self.title = _("The leader's desk")
        super().__init__(session, **kwargs)
        if not session.is_leader_seat:
            self.body.children = [w.HTML(escape(_("This desk is for a trainee who holds a unit's leader seat in a "
                                                  "class.")))]
            return
        self.waiting: list = []     # the hand-overs last read, at the leader's clock
        self.seen: dict = {}        # every hand-over this desk has listed: id -> Handoff (for the subjects)
        self.items = w.Select(options=[], rows=6, layout=w.Layout(width="100%"))
        self.preview = w.Image(format="png", layout=w.Layout(width="420px"))
        self.details = w.HTML()
        self.passphrase = w.Password(description=_("Passphrase"), placeholder="••••••")
        self.handler = w.Text(placeholder=_("Handler (full name)"), layout=w.Layout(width="240px"))
        self.days = w.BoundedIntText(value=5, min=1, max=60, description=_("Days"), layout=w.Layout(width="160px"))
        self.directions = w.Text(placeholder=_("Directions for handling"), layout=w.Layout(width="360px"))
        self.reason = w.Text(placeholder=_("Why the draft goes back"), layout=w.Layout(width="300px"))
        self.sign_row = w.HBox([self.passphrase, self.button(_("Sign digitally"), self.sign, "primary"),
                                self.reason, self.button(_("Return the draft"), self.return_draft, "warning")])
        self.assign_row = w.HBox([self.handler, self.days, self.directions,
                                  self.button(_("Assign for handling"), self.assign, "primary")])
        self.done = w.HTML()
        self.items.observe(lambda _c: self._show(), names="value")
        self.body.children = [self.time_bar(),
                              w.HBox([self.button(_("Receive documents handed over"), self.receive, "info")]),
                              self.items, w.HBox([self.preview, self.details]), self.sign_row, self.assign_row,
                              self.done]
        self.refresh()

    # -- drawing ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self.session.is_leader_seat:
            return
        self.show_clock()
        waiting = self.session.handoffs()
        if self.session.class_problem:  # the class's server does not answer: keep what was listed
            waiting = [h for h in self.waiting if h.id not in self.session.leader_done]
        self.waiting = waiting
        self.seen.update({h.id: h for h in waiting})
        current = self.items.value
        self.items.options = [(self._label(h), h.id) for h in waiting]
        ids = [h.id for h in waiting]
        if current in ids:
            self.items.value = current
        elif ids:
            self.items.value = ids[0]
        self._show()
        self._show_done()

    def _label(self, handoff) -> str:
        parts = [f"{handoff.id:03d}", kind_words(handoff.kind), handoff.subject]
        if handoff.kind == "assign":
            parts += [handoff.details.get("sender", ""), self._number(handoff)]
        parts.append(world_time(handoff.sent_at))
        return " · ".join(p for p in parts if p)

    @staticmethod
    def _number(handoff) -> str:
        """A document to assign: its incoming number and its number, code; a draft has none yet."""
        if handoff.kind != "assign":
            return _("(no number yet)")
        details = handoff.details
        number = _("incoming no. {n}", n=details["number"]) if details.get("number") else ""
        return ", ".join(p for p in (number, details.get("code", "")) if p)

    def _selected(self):
        return next((h for h in self.waiting if h.id == self.items.value), None)

    def _show(self) -> None:
        handoff = self._selected()
        self.sign_row.layout.display = None if handoff is not None and handoff.kind == "sign" else "none"
        self.assign_row.layout.display = None if handoff is not None and handoff.kind == "assign" else "none"
        if handoff is None:
            nothing = _("Nothing is waiting for you: press “Receive documents handed over”.")
            self.details.value = f"<i>{escape(nothing)}</i>"
            self.preview.layout.display = "none"  # an empty image shows as a broken picture
            return
        self.preview.value = page_image(self.session.handoff_pdf(handoff.id))
        self.preview.layout.display = None
        rows = [[_("Hand-over"), f"{handoff.id:03d}"], [_("Asks for"), kind_words(handoff.kind)],
                [_("Subject"), handoff.subject], [_("Number, code"), self._number(handoff)],
                [_("Handed over"), world_time(handoff.sent_at)]]
        if handoff.kind == "assign":
            rows.insert(3, [_("Issuer"), handoff.details.get("sender", "")])
            if handoff.details.get("urgent"):
                rows.append([_("Urgency"), _("urgent")])
        self.details.value = table(rows, [_("Field"), _("Value")])

    def _show_done(self) -> None:
        at = {e["data"].get("handoff"): e["at"] for e in self.session.journal.entries()
              if e["action"] in DONE_WORDS}
        rows = []
        for handoff_id, line in self.session.leader_done.items():
            seen = self.seen.get(handoff_id)
            what = line.get("subject") or (seen.subject if seen else short_id(line.get("document_id") or "")) or "—"
            if "handler" in line:
                done = f"{_(DONE_WORDS['leader_assign'])}: {line['handler']}"
                if line.get("due"):
                    done += f", {_('due')} {datetime.fromisoformat(line['due']):%d/%m/%Y}"
                if line.get("directions"):
                    done += f" ({line['directions']})"
            elif line.get("returned"):
                done = f"{_(DONE_WORDS['leader_return'])}: {line['returned']}"
            else:
                done = _(DONE_WORDS["leader_sign"])
            rows.append([f"{handoff_id:03d}", what, done, self._when(at.get(handoff_id))])
        self.done.value = (f"<b>{escape(_('What you have done'))}</b>"
                           + (table(rows, [_("Hand-over"), _("Subject"), _("Answer"), _("Time")]) if rows
                              else f"<div><i>{escape(_('Nothing yet.'))}</i></div>"))

    @staticmethod
    def _when(iso: str | None) -> str:
        return world_time(datetime.fromisoformat(iso)) if iso else ""

    # -- actions: one Session call each ----------------------------------------------------------
    def _need(self, kind: str):
        handoff = self._selected()
        if handoff is None:
            raise UserError(_("Choose a document handed over in the list first."))
        if handoff.kind != kind:
            raise UserError(_("Hand-over {id} asks for a signature: press “Sign digitally”.", id=handoff.id)
                            if handoff.kind == "sign" else
                            _("Hand-over {id} asks for an assignment: name the handler and press “Assign for "
                              "handling”.", id=handoff.id))
        return handoff

    def receive(self):
        self.show_call("session.receive()\nsession.handoffs()")
        self.session.receive()
        waiting = self.session.handoffs()
        if self.session.class_problem:
            self.say(_("The class's server does not answer: {problem}", problem=self.session.class_problem), ok=False)
        elif waiting:
            self.say(_("{n} document(s) handed over are waiting for you.", n=len(waiting)))
        else:
            self.say(_("Nothing handed over by {clock}. Move time on with “Until the end of the session” or “To the "
                       "next working day”, then receive again.", clock=world_time(self.session.clock)))
        return waiting

    def sign(self):
        handoff = self._need("sign")
        self.show_call(f"session.sign_handoff({handoff.id}, passphrase)")
        signed = self.session.sign_handoff(handoff.id, self.passphrase.value)
        self.say(_("Signed “{subject}” (your blue signature): the clerk takes it back to number, seal and dispatch "
                   "it.", subject=handoff.subject))
        return signed

    def return_draft(self):
        handoff = self._need("sign")
        reason = self.reason.value.strip()
        self.show_call(f"session.return_handoff({handoff.id}, {reason!r})")
        self.session.return_handoff(handoff.id, reason)
        self.reason.value = ""
        self.say(_("Returned “{subject}” to the clerk, unsigned: {reason}", subject=handoff.subject, reason=reason))

    def assign(self):
        handoff = self._need("assign")
        handler, days, directions = self.handler.value.strip(), self.days.value, self.directions.value.strip()
        self.show_call(f"session.assign_handoff({handoff.id}, {handler!r}, days={days}, directions={directions!r})")
        due = self.session.assign_handoff(handoff.id, handler, days=days, directions=directions)
        self.handler.value = self.directions.value = ""
        self.say(_("Assigned to {who}, due {due:%d/%m/%Y}: the clerk records it and reports 05 to the sender.",
                   who=handler, due=due))
        return due

"""The class at a glance: a class seat's panel (:class:`ClassPanel`), and the words the class's views share.

A class seat (:mod:`simulator.lab.classroom`) exchanges documents with the other seats trainees hold through
the class's axis server. The panel shows the seats of the class, whether the class's server answers, what
this seat sent to other seats with each recipient's latest status, what it received from them, and one
button to take the class's new documents (``session.receive()``). The instructor's live view of the class
(:func:`progress_table`, on :class:`simulator.lab.widgets.instructor.InstructorDesk`) reads the class's axis.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from simulator.calendar import vn_datetime
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.lab.widgets.base import Desk, table, world_time
from simulator.lab.class_words import action_words, role_words, status_words, stuck_lines
from simulator.lab.widgets.clerk import ClockBar, _status

_ = translator("lab")

def class_units(session) -> list[str]:
    """The units of the seat's class (the class's district or department first), the seat's own included."""
    classroom, province = session.classroom, session.province
    if classroom.get("units"):  # the ticket names them (tickets written since the class file lists them)
        return list(classroom["units"])
    head = classroom.get("district") or classroom.get("class_unit")
    members = province.children(head) if classroom.get("district") else province.communes
    return [head] + [u.code for u in members]


def held_seats(session) -> tuple[dict[str, str] | None, str | None]:
    """The seats trainees hold (code -> role), from the class's server; (None, why) when it does not answer."""
    try:
        return dict(session.axis.remote.seats()), None
    except UserError as problem:
        return None, str(problem)


def recipient_options(session) -> list[tuple[str, str]]:
    """Whom the seat may address a document to: in a class the class's other units (those trainees hold
    marked); alone the units it writes to: its parent, its own children, its siblings."""
    province, me = session.province, session.seat
    if session.classroom:
        held = held_seats(session)[0] or {}
        codes = [c for c in class_units(session) if c != me.code]
        marked = {c: f" · {_('held by a trainee')}" for c in held}
    else:
        parent = [me.parent] if me.parent and province.get(me.parent) else []
        siblings = [u.code for u in province.children(me.parent)] if me.parent else []
        codes = list(dict.fromkeys(parent + [u.code for u in province.children(me.code)] + siblings))
        codes, marked = [c for c in codes if c != me.code], {}
    return [(f"{province.unit(c).name}{marked.get(c, '')}", c) for c in codes if province.get(c)]


def progress_table(rows) -> str:
    """The instructor's live view of a class: one row per seat (:func:`simulator.seat.class_progress`)."""
    if not rows:
        return escape(_("No seat of this class has been handed out yet."))

    def received(r) -> str:
        recalls = f" + {_('{n} recall request(s)', n=len(r.recalls))}" if r.recalls else ""
        return f"{len(r.delivered)}{recalls}"

    return table([[r.trainee, f"{r.unit_name} ({r.unit})", role_words(r.role), len(r.sent), received(r),
                   "; ".join(stuck_lines(r)) or "—", ", ".join(f"{status_words(c)} ×{n}" for c, n in r.statuses.items()) or "—",
                   f"{vn_datetime(r.last_at)} · {action_words(r.last_action)}" if r.last_at else "—"]
                  for r in rows],
                 [_("Trainee"), _("Unit"), _("Role"), _("Sent"), _("Received"), _("Stuck on"),
                  _("Statuses reported"), _("Last action (world time)")])


def item_words(ref: str) -> str:
    """A clerk's item as people name it: "văn bản đi 001" for an outgoing draft (out:001), "văn bản đến L001"."""
    if ref.startswith("out:"):
        return _("outgoing {item}", item=ref.removeprefix("out:"))
    return _("incoming {item}", item=ref)


class ClassPanel(ClockBar, Desk):
    """A class seat's view of its class: the seats, the class's server, what went to and came from the other
    seats, and the class's new documents on one click."""

    after_wait = "Clock: {clock}. Press “Get the class's documents” to see what the other seats sent by now."

    def __init__(self, session, **kwargs) -> None:
        self.title = _("The class")
        super().__init__(session, **kwargs)
        if not session.classroom:
            self.body.children = [w.HTML(escape(_("This desk is not a seat of a class: it works alone in its own "
                                                  "world.")))]
            return
        self.seats, self.server, self.sent, self.received = w.HTML(), w.HTML(), w.HTML(), w.HTML()
        self.with_leader = w.HTML()  # a clerk's drafts and documents with the leader's seat, not answered yet
        refresh = self.button(_("Refresh"), lambda: None)  # after work on the other desks
        if session.is_leader_seat:  # the leader takes nothing from the class: the clerk hands it over
            self.after_wait = "Clock: {clock}. The list shows what the clerk has handed over by now."  # msgid
            self.sent.value = escape(_("Your seat is the leader's: the class's documents go to your unit's clerk, "
                                       "who hands you drafts to sign and documents to assign (the leader's desk)."))
            self.body.children = [self.time_bar(), w.HBox([refresh]), self.server, self.seats, self.sent]
        else:
            buttons = w.HBox([self.button(_("Get the class's documents"), self.receive, "info"), refresh])
            self.body.children = [self.time_bar(), buttons, self.server, self.seats, self.with_leader, self.sent,
                                  self.received]
        self.refresh()

    def refresh(self) -> None:
        if not self.session.classroom:
            return
        self.show_clock()
        held, problem = held_seats(self.session)
        self._show_server(problem)
        self._show_seats(held)
        if self.session.is_leader_seat:
            return
        self._show_with_leader()
        self._show_sent()
        self._show_received()

    def _name(self, code: str) -> str:
        unit = self.session.province.get(code)
        return unit.name if unit else code

    def _show_server(self, problem: str | None) -> None:
        url = self.session.classroom.get("url", "")
        if problem:
            text = _("The class's server ({url}) does not answer: {problem} Your desk goes on; the class's "
                     "documents wait until it answers again.", url=url, problem=problem)
        else:
            text = _("The class's server ({url}) answers.", url=url)
        colour = "#b71c1c" if problem else "#1b5e20"
        self.server.value = f"<div style='color:{colour}'>{escape(text)}</div>"

    def _show_seats(self, held) -> None:
        """One row per seat: a unit's leader seat (``<code>/leader`` on the server) is a "leader" row of its unit,
        listed after the unit's clerk."""
        from simulator.routing.handoffs import seat_of

        me = (self.session.seat.code, self.session.config.role)
        seats = [(seat_of(org)[0], role) for org, role in held.items()] if held is not None else [me]
        first: dict[str, int] = {}
        for code, _role in seats:
            first.setdefault(code, len(first))
        seats.sort(key=lambda seat: (first[seat[0]], seat[1] == "leader"))  # a unit's seats together, clerk first
        rows = [[self._name(code), code, role_words(role), _("you") if (code, role) == me else ""]
                for code, role in seats]
        self.seats.value = (f"<b>{escape(_('Seats of the class held by trainees'))}</b>"
                            + table(rows, [_("Unit"), _("Identifier code"), _("Role"), ""]))

    def _show_with_leader(self) -> None:
        """What this clerk handed the unit's leader and has not taken back yet (session.handed minus taken)."""
        from simulator.lab.widgets.leader import kind_words

        session = self.session
        rows = []
        for ref, handoff in session.handed.items():
            if handoff in session.taken:
                continue
            if ref.startswith("out:"):
                out = session.outbox.get(ref.removeprefix("out:"))
                rows.append([f"{handoff:03d}", kind_words("sign"), item_words(ref), out.document.subject if out else ""])
            else:
                item = session.inbox.get(ref)
                rows.append([f"{handoff:03d}", kind_words("assign"), item_words(ref), item.document.subject if item else ""])
        self.with_leader.value = (f"<b>{escape(_('With the leader, not answered yet'))}</b>"
                                  + table(rows, [_("Hand-over"), _("Asks for"), _("Item"), _("Subject")])
                                  if rows else "")

    def _latest(self, doc_id: str, org: str):
        got = [s for s in self.session.class_statuses if s.document_id == doc_id and s.org == org]
        return max(got, key=lambda s: (s.at, s.code)) if got else None

    def _show_sent(self) -> None:
        rows = []
        for out in self.session.outbox.values():
            doc = out.document
            for org in self.session.axis.held.get(doc.document_id, ()):
                latest = self._latest(doc.document_id, org)
                rows.append([doc.number_code, doc.subject, self._name(org),
                             status_words(latest.code) if latest else _("no status yet"),
                             vn_datetime(latest.at) if latest else ""])
        self.sent.value = (f"<b>{escape(_('Sent to other seats of the class'))}</b>"
                           + (table(rows, [_("Number, code"), _("Subject"), _("Recipient"), _("Latest status"),
                                           _("Time")]) if rows else f"<div><i>{escape(_('Nothing yet.'))}</i></div>"))

    def _show_received(self) -> None:
        from simulator.lab.classroom import CLASS_ITEM

        rows = [[i.item_id, i.document.number_code, i.document.issuer_name, i.document.subject,
                 vn_datetime(i.arrival.arrived), _status(i.status)]
                for i in self.session.inbox.values() if i.item_id.startswith(CLASS_ITEM)]
        self.received.value = (f"<b>{escape(_('Received from other seats of the class'))}</b>"
                               + (table(rows, [_("Item"), _("Number, code"), _("Issuer"), _("Subject"), _("Arrived"),
                                               _("Status")]) if rows
                                  else f"<div><i>{escape(_('Nothing yet.'))}</i></div>"))

    def receive(self):
        from simulator.lab.classroom import CLASS_ITEM

        self.show_call("session.receive()")
        before, notices = set(self.session.taken), len(self.session.notices)
        new = self.session.receive()
        mine = [i.item_id for i in new if i.item_id.startswith(CLASS_ITEM)]
        answered = sorted(ref for ref, handoff in self.session.handed.items()
                          if handoff in self.session.taken and handoff not in before)
        returned = [n.text for n in self.session.notices[notices:] if n.kind == "returned"]
        if self.session.class_problem:
            self.say(_("The class's server does not answer: {problem}", problem=self.session.class_problem), ok=False)
        elif returned:  # the leader's seat sent a draft back: correct it, or hand it over again
            self.say(" ".join(returned), ok=False)
        elif answered:  # the leader's seat signed or assigned what this clerk handed over
            self.say(_("The leader has answered {items}: signed drafts go on to numbering and seal on the signing "
                       "desk; assigned documents are recorded and 05 is reported to the sender.",
                       items=", ".join(item_words(ref) for ref in answered)))
        elif mine:
            self.say(_("{n} document(s) from other seats of the class: {items}. Handle them on the incoming desk.",
                       n=len(mine), items=", ".join(mine)))
        else:
            self.say(_("Nothing new from the class by {clock}; the statuses that came back are in the table.",
                       clock=world_time(self.session.clock)))
        return new

"""The clerk's incoming desk: what reaches the seat, and the Decree-30 steps on it.

Mixed into :class:`simulator.lab.session.Session`. Each inbox item is driven
by its :class:`~simulator.routing.workflow.IncomingFlow`; what the workflow
refuses changes nothing. What reaches the seat is what the running world
sent (:class:`simulator.seat.SeatWorld`), made real on delivery: rendered,
signed and sealed by the sender, in an edXML envelope through the axis.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from simulator.calendar import VN_TZ, iso_vn
from simulator.documents import Document
from simulator.errors import UserError
from simulator.flows.traps import RECALL
from simulator.i18n import translator
from simulator.lab.materialize import materialize
from simulator.routing.envelope import StatusCode
from simulator.routing.workflow import FollowsFlow, IncomingFlow
from simulator.seat import Arrival, registration_due
from simulator.seat.arrivals import build_document, content_of

_ = translator("lab")

WORLD = "he_thong"  # who makes a document arrive (the exchange system), in the workflow's history
# The statuses the seat reports as its steps happen (02 and the recall answers go with their own action).
REPORTED = (StatusCode.ARRIVED, StatusCode.ACCEPTED, StatusCode.WAITING_ASSIGNMENT, StatusCode.IN_HANDLING)


@dataclass
class InboxItem(FollowsFlow):
    item_id: str
    arrival: Arrival
    document: Document
    pdf: Path
    envelope: Path
    flow: IncomingFlow               # the Decree-30 workflow of this item: its state is the item's status
    verdict: str | None = None
    number: int | None = None        # số đến
    registered_at: datetime | None = None
    due: datetime | None = None      # registration deadline (Decree 30, calendar.due)

    @property
    def trap(self) -> str | None:
        return self.arrival.trap

    @property
    def subject(self) -> str:
        return self.document.subject

    @property
    def is_recall(self) -> bool:
        return self.arrival.trap == RECALL


class IncomingDesk:
    """Receiving, checking, returning, registering, submitting and assigning incoming documents."""

    # -- receiving ------------------------------------------------------------
    @property
    def waiting_for_more(self) -> bool:
        """Whether documents of the exercise are still to come: the world has not sent them all yet, or a
        sender's answer to a return is on its way."""
        return not self.world.desk_full or any(f"{a.index:03d}" not in self.inbox for a in self.arrivals)

    def receive(self) -> list[InboxItem]:
        """Deliver what has reached the seat by the world's clock; returns the new items.

        The clock does not move here: when nothing new has arrived, the
        trainee moves time on (:meth:`wait_until_end_of_session`,
        :meth:`next_working_day`)."""
        self.world.advance(self.clock)
        self._release_statuses()
        new = [self._deliver(a) for a in self.arrivals
               if f"{a.index:03d}" not in self.inbox and a.arrived <= self.clock]
        for item in self.inbox.values():  # what a closed link held back goes now
            self._report(item)
        self._remind()
        return new

    def _report(self, item: InboxItem) -> None:
        """Tell the sender each step the seat's workflow took, at the step's time (QCVN 102: 01 received,
        03 registered, 04 submitted, 05 assigned), once each; while the seat's link is down they wait for
        the next try. A sender's answer to a return, and a recall, are answered by their own codes."""
        if item.arrival.corrects is not None or item.is_recall:
            return
        steps = [t for t in item.flow.history if t.status_code in REPORTED]
        if not steps or self._reported.get(item.item_id) == len(steps):  # all told already: no axis read
            return
        doc_id, me = item.document.document_id, self.seat.code
        try:
            sent = {t.code for t in self.axis.traces(doc_id) if t.org_id == me}
        except UserError:  # the axis cannot be read now (a class's server down): the next receive tells
            return
        for step in steps:
            if step.status_code in sent:
                continue
            at = step.at if step.at.tzinfo else step.at.replace(tzinfo=VN_TZ)
            try:
                if step.status_code == StatusCode.ARRIVED:
                    self.axis.get(doc_id, me, at=at)
                self.axis.confirm(doc_id, me, step.status_code, close=step.status_code != StatusCode.ARRIVED, at=at)
            except UserError:  # the link is down (an outage drill): the next receive sends it
                return
        self._reported[item.item_id] = len(steps)

    def _deliver(self, arrival: Arrival) -> InboxItem:
        from simulator.routing import edxml
        from simulator.routing.envelope import Attachment, Business, envelope_from_document

        item_id = f"{arrival.index:03d}"
        folder = self.folder / "inbox" / item_id
        kept = folder / "envelope.xml"
        at = arrival.arrived.replace(tzinfo=VN_TZ)
        if kept.exists():  # sent before an interruption, not yet journaled: the very same envelope again
            data = kept.read_bytes()
            self.axis.send(data, at=at)
            return self._received(arrival, item_id, edxml.parse(data).document_id)
        business = None
        if arrival.trap == RECALL:
            # the sender asks to take back an earlier document: the same document, business type 1
            earlier = self.inbox.get(f"{arrival.recalls:03d}")
            folder.mkdir(parents=True, exist_ok=True)
            doc = earlier.document
            pdf = folder / "document.pdf"
            pdf.write_bytes(earlier.pdf.read_bytes())
            business = Business(doc_type=1, reason=_("Recall of an earlier document sent in error"))
        elif arrival.corrects is not None:
            # the sender answers a return under the same DocumentId (replace): corrected, or the same again
            original = self.inbox[f"{arrival.corrects:03d}"].document
            doc, pdf = materialize(arrival, self.seat, self.province, self.pki, folder, self._registers_of,
                                   reissue=(original.number, original.issued_date),
                                   content=content_of(self.arrivals, arrival.index))
            reason = (_("The sender maintains that the document is valid and asks the recipient to register it")
                      if arrival.insists else _("Corrected copy of a document returned by the recipient"))
            business = Business(doc_type=3, reason=reason)
        else:
            doc, pdf = materialize(arrival, self.seat, self.province, self.pki, folder, self._registers_of)
        # the envelope reaches the seat; a misaddressed document names another unit inside
        envelope = envelope_from_document(doc, recipients=[self.seat],
                                          attachments=[Attachment("document.pdf", pdf.read_bytes())],
                                          sent_at=at, business=business, province=self.province)
        data = edxml.build(envelope)
        tmp = kept.with_name(kept.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(kept)
        self.axis.send(data, at=at)
        return self._received(arrival, item_id, doc.document_id)

    def _received(self, arrival: Arrival, item_id: str, document_id: str) -> InboxItem:
        item = self._load_item(item_id, document_id)
        self._report(item)
        self._log("receive", {"item": item_id, "document_id": document_id,
                              "sender": arrival.sender_code, "arrived": iso_vn(arrival.arrived)})
        return item

    def _load_item(self, item_id: str, document_id: str) -> InboxItem:
        """The arrival's document, with the number its sender's register gave (read from its DocumentId)."""

        arrival = self.arrivals[int(item_id)]
        folder = self.folder / "inbox" / item_id
        number = int(document_id.rsplit(",", 1)[1].split("/", 1)[0])
        document = build_document(content_of(self.arrivals, int(item_id)), self.seat, self.province, number=number)
        if arrival.corrects is not None:  # re-sent under the number and date of the returned one
            document = document.with_number(number, self.inbox[f"{arrival.corrects:03d}"].document.issued_date)
        flow = IncomingFlow(arrival.arrived, WORLD, priority=int(document.priority), calendar=self.calendar)
        item = InboxItem(item_id, arrival, document, folder / "document.pdf", folder / "envelope.xml", flow,
                         due=registration_due(arrival, self.calendar))
        self._step(flow, "receive")
        self.inbox[item_id] = item
        if arrival.corrects is not None:
            self.notices.append(self._answer_note(item))
        return item

    def _registers_of(self, unit_code: str):
        """The registers of another unit of the world (its clerk numbers what it issues), kept in the
        seat's register database next to the seat's own (each unit's entries apart)."""
        from simulator.routing import Registers

        return Registers(self.folder / "registers.sqlite", unit_code)

    def item(self, item_id: str) -> InboxItem:
        try:
            return self.inbox[item_id]
        except KeyError:
            raise UserError(_("No document {item} in the inbox.", item=item_id), field="item") from None

    # -- the clerk's actions on incoming documents -----------------------------
    def verify(self, item_id: str):
        """Check the signatures (and the Decree-30 signing rules) of an incoming document."""
        from simulator.signing import verify

        item = self.item(item_id)
        report = verify(item.pdf, self.pki, at=self.clock.replace(tzinfo=VN_TZ))  # judged on the seat's clock
        item.verdict = report.indication
        ok = report.indication == "TOTAL_PASSED" and report.decree30.ok
        if "verify" in item.flow.allowed():  # after the decision a check is only a look: the workflow stays
            self._step(item.flow, "verify", passed=ok)
        self._log("verify", {"item": item_id, "verdict": report.indication, "decree30_ok": report.decree30.ok,
                             "status": item.status, "passed": ok})
        return report

    def refuse(self, item_id: str, reason: str):
        """Return an invalid or misaddressed document to the sender (status 02)."""
        item = self.item(item_id)
        if item.number is not None:
            raise UserError(_("Document {item} is already registered; it can no longer be refused.", item=item_id))
        if not reason.strip():
            raise UserError(_("Give the reason for refusing."), field="reason")
        item.flow.check("refuse", self.config.role, self.clock, reason=reason)
        self.axis.confirm(item.document.document_id, self.seat.code, StatusCode.REFUSED, description=reason,
                          at=self.clock.replace(tzinfo=VN_TZ))
        self._step(item.flow, "refuse", reason=reason)
        self._log("refuse", {"item": item_id, "reason": reason, "status": "refused",
                             "document_id": item.document.document_id})

    def register(self, item_id: str, *, override: bool = False):
        """Enter the document in the incoming register (vào sổ) with the next số đến.

        Only a document whose check passed is registered; one that failed the
        check, or was never checked, needs ``override=True`` (the desk asks
        for it in plain words), which the journal records as the mistake it is."""
        item = self.item(item_id)
        if item.status == "refused":
            raise UserError(_("Document {item} was refused; a refused document is not registered.", item=item_id))
        if item.number is not None:
            raise UserError(_("Document {item} is already registered with incoming number {n}.",
                              item=item_id, n=item.number))
        if item.is_recall:
            raise UserError(_("Document {item} is a recall request, not a new document: answer the recall instead.",
                              item=item_id))
        needed = item.flow.state != "verified"
        item.flow.check("register", self.config.role, self.clock, number=1, override=override is True)
        entry = self.registers.register_incoming(item.envelope.read_bytes(),
                                                 received_at=self.clock.replace(tzinfo=VN_TZ), by="van_thu")
        self._step(item.flow, "register", number=entry.arrival_number, override=needed)
        item.number, item.registered_at = entry.arrival_number, self.clock
        on_time = self.clock <= item.due
        self._report(item)
        self._log("register", {"item": item_id, "number": entry.arrival_number, "status": item.status,
                               "registered_at": iso_vn(item.registered_at), "due": iso_vn(item.due),
                               "on_time": on_time, "override": needed,
                               "document_id": item.document.document_id})
        return entry

    def answer_recall(self, item_id: str, agree: bool = True, reason: str = "") -> None:
        """Answer a recall request: agree (status 15, the recalled document is withdrawn) or refuse (16)."""
        from simulator.routing.envelope import BusinessDocType

        item = self.item(item_id)
        if not item.is_recall:
            raise UserError(_("Document {item} is not a recall request.", item=item_id))
        earlier = self._recalled(item)
        code = StatusCode.RECALL_AGREED if agree else StatusCode.RECALL_REFUSED
        item.flow.check("answer_recall", self.config.role, self.clock, agree=agree)
        self.axis.confirm(item.document.document_id, self.seat.code, code, description=reason,
                          business=BusinessDocType.RECALL, at=self.clock.replace(tzinfo=VN_TZ))
        self._answer_recall_steps(item, agree, reason)
        self._log("recall", {"item": item_id, "agree": agree, "reason": reason, "status": item.status,
                             "recalled": earlier.item_id if earlier else None, "code": code})

    def _answer_recall_steps(self, item: InboxItem, agree: bool, reason: str) -> None:
        """The request is answered; the earlier document is withdrawn (15) or kept (16), where its state allows."""
        self._step(item.flow, "answer_recall", agree=agree)
        earlier = self._recalled(item)
        action = "recall" if agree else "refuse_recall"
        if earlier is not None and action in earlier.flow.allowed():
            self._step(earlier.flow, action, reason=reason or "-")

    def _recalled(self, item: InboxItem) -> InboxItem | None:
        """The document a recall request takes back: the arrival it names, or (a recall from another seat of
        a class) the one received earlier under the same DocumentId."""
        if item.arrival.recalls is not None:
            return self.inbox.get(f"{item.arrival.recalls:03d}")
        return next((i for i in self.inbox.values() if not i.is_recall
                     and i.document.document_id == item.document.document_id), None)

    def submit(self, item_id: str, leader: str | None = None) -> None:
        item = self.item(item_id)
        if item.status != "registered":
            raise UserError(_("Register document {item} before submitting it to the leader.", item=item_id))
        leader = leader or self.leader_name
        self._step(item.flow, "submit", leader=leader)
        self._report(item)
        self._log("submit", {"item": item_id, "leader": leader, "status": item.status})

    def assign(self, item_id: str, handler: str, *, days: int = 5, directions: str = "") -> datetime:
        item = self.item(item_id)
        if item.status != "submitted":
            raise UserError(_("Submit document {item} to the leader before assigning it.", item=item_id))
        due = self.calendar.due(self.clock, working_days=days)
        self._record_assignment(item, handler, due, directions, by=self.config.role, at=self.clock)
        self._log("assign", {"item": item_id, "handler": handler, "due": iso_vn(due),
                             "directions": directions, "status": item.status})
        return due

    def _record_assignment(self, item: InboxItem, handler: str, due: datetime, directions: str, *, by: str,
                           at: datetime) -> None:
        """The leader's assignment in the item's workflow and in the incoming book (where the book's form keeps
        it), reported to the sender (05); ``by`` and ``at``: the seat's, or the leader trainee's answer."""
        item.flow.check("assign", by, at, handler=handler, due_date=due.date())
        self.registers.assign(item.document.document_id, handler, at=at.replace(tzinfo=VN_TZ), due=due.date(),
                              directions=directions)
        item.flow.transition("assign", by, at, handler=handler, due_date=due.date(), directions=directions)
        self._report(item)

    def _replay_incoming(self, action: str, data: dict) -> None:
        item = self.inbox[data["item"]]
        if action == "verify":
            item.verdict = data.get("verdict")
            if "verify" in item.flow.allowed():
                self._step(item.flow, "verify", passed=bool(data.get("passed")))
        elif action == "refuse":
            self._step(item.flow, "refuse", reason=data["reason"])
        elif action == "register":
            override = data.get("override")
            if override is None:  # a line written before the workflow guarded registering: it happened
                override = item.flow.state != "verified"
            self._step(item.flow, "register", number=data["number"], override=override)
            item.number = data["number"]
            item.registered_at = datetime.fromisoformat(data["registered_at"]).replace(tzinfo=None)
        elif action == "submit":
            self._step(item.flow, "submit", leader=data.get("leader"))
        elif action == "assign":
            due = datetime.fromisoformat(data["due"]).replace(tzinfo=None)
            self._step(item.flow, "assign", handler=data["handler"], due_date=due.date(),
                       directions=data.get("directions", ""))
        elif action == "recall":
            self._answer_recall_steps(item, bool(data.get("agree")), data.get("reason", ""))

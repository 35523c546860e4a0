"""A trainee's seat in a class (:mod:`simulator.seat.classroom`): the class's axis next to the world's.

Every seat of a class runs the same world from the class's seed and start:
the automated desks (every unit nobody holds) are the same for everyone, and
what they exchange with the seat stays in the seat's own world axis
(``axis.sqlite`` in the work folder), rebuilt from the seed and the journal.
What passes between seats held by trainees goes through the class's axis
server with the seat's token (:class:`ClassAxis` routes each operation):

- a document the seat dispatches to a unit another trainee holds is sent to
  the class axis (and to the world axis, whose automated desks answer for the
  units nobody holds); the holder's statuses (01, 03, 04, 05) come back on the
  class axis, into the document's trace, and the desk records each in the
  journal (``class_status``) when it gets new documents;
- a document another trainee dispatched to the seat is taken from the class
  axis once the seat's clock reaches the moment it was sent, kept in
  ``inbox/LNNN/`` and recorded in the journal (``class_receive``, with the
  SHA-256 of its envelope); the seat's steps on it are reported to its sender
  through the class axis.

- a recall (:meth:`~simulator.lab.outgoing.OutgoingDesk.recall`: the same DocumentId, business type 1)
  goes where the document went: to the class axis for the seats trainees hold, who receive it as an inbox
  item that ``is_recall`` and answer it (15 agreed, 16 refused) with ``answer_recall``; their answers come
  back as ``class_status`` lines like the other statuses. The world's automated desks answer for the
  units nobody holds.

Whose clock a trace row is on: every seat keeps its own clock, and each row of
a document's trace is dated on the clock of the seat that wrote it: the
sender's rows (sent, 13 recall requested) and the automated desks' answers
(they run in the sender's world) on the sender's clock, a held seat's rows
(01, 03, 04, 05, 15, 16) on that seat's clock. A seat takes a document only
once its clock reaches the moment it was sent, so none of a recipient's rows
is dated before the sending (nor before the recall it answers).
:meth:`ClassAxis.traces` merges the world's and the class's traces in time
order (rows at the same second keep the order they were written in, so 01
comes before 03); a held seat's row may be dated after the sender's clock (the
recipient's day ran further): the desk shows it in the trace, and the sender's
journal takes it (``class_status``) when its own clock gets there.

The journal holds everything that came from the class axis, so a re-opened
folder replays to the same state without the server, and the grader reads the
journal (checked against the class axis database, read-only).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from simulator.calendar import VN_TZ, iso_vn
from simulator.documents import Document, Priority, Recipient, Signer
from simulator.documents.types import DOCUMENT_TYPES
from simulator.errors import UserError
from simulator.flows.traps import RECALL
from simulator.i18n import translator
from simulator.seat import Arrival, SeatConfig, registration_due, whole_second

_ = translator("classroom")

CLASS_ITEM = "L"  # inbox items that came from another seat: L001, L002...
# Journal lines replayed here (no working time of their own: the world's steps are timed elsewhere): the
# class's, and a recall the seat sent with the world's answers to it (simulator.lab.outgoing).
CLASS_LINES = ("class_receive", "class_status", "class_sent", "recall_sent", "recall_answers")


class ClassAxis:
    """The seat's axis in a class: the world's own axis, and the class's server for what passes between
    seats. Anything not about a class document (the operator's views, outages) is the world axis's."""

    def __init__(self, local, remote, me: str) -> None:
        self.local, self.remote, self.me = local, remote, me
        self.class_docs: set[str] = set()       # DocumentIds that travel on the class axis
        self.held: dict[str, tuple[str, ...]] = {}  # DocumentId sent by the seat -> recipients held by trainees

    def __getattr__(self, name: str):
        return getattr(self.local, name)

    def _axis(self, doc_id: str, org: str | None = None):
        """The class axis for a class document handled by this seat or a seat trainees hold; the world's axis
        for everything else (an automated desk of this seat's world answering a class document too)."""
        if doc_id not in self.class_docs:
            return self.local
        if org is None or org == self.me or org in self.held.get(doc_id, ()):
            return self.remote
        return self.local

    def send(self, data: bytes, at: datetime | None = None):
        from simulator.routing import edxml
        from simulator.routing.envelope import Envelope

        env = edxml.read(data)
        if isinstance(env, Envelope) and env.sender.organ_id == self.me:
            if env.business.doc_type:  # a recall, update or replacement goes where the document went
                held = self.held.get(env.document_id, ())
            else:
                seats = set(self.remote.seats()) - {self.me}
                held = tuple(r for r in env.recipient_ids if r in seats)
            if held:
                self.remote.send(data, at=at)
                self.class_docs.add(env.document_id)
                self.held[env.document_id] = held
        return self.local.send(data, at=at)

    def get(self, doc_id: str, org_id: str, kind: str = "edoc", code: str | None = None, at=None) -> bytes:
        return self._axis(doc_id, org_id).get(doc_id, org_id, kind, code, at=at)

    def confirm(self, doc_id: str, org_id: str, status: str = "01", **options) -> bool:
        return self._axis(doc_id, org_id).confirm(doc_id, org_id, status, **options)

    def update_trace(self, doc_id: str, org_id: str, description: str, at=None) -> None:
        self._axis(doc_id, org_id).update_trace(doc_id, org_id, description, at=at)

    def traces(self, doc_id: str):
        """The document's trace: the world's and, for a class document, the class axis's, in time order
        (each row on the clock of the seat that wrote it: see the module's docstring)."""
        merged = self.local.traces(doc_id)
        if doc_id in self.class_docs:
            seen = {(t.org_id, t.code) for t in merged}
            merged += [t for t in self.remote.traces(doc_id) if (t.org_id, t.code) not in seen]
        return sorted(merged, key=lambda t: datetime.fromisoformat(t.at))  # stable: 01 before 03 at one second


@dataclass(frozen=True)
class ClassStatus:
    """A status another seat returned about a document this seat sent."""

    document_id: str
    org: str
    code: str
    at: str


def config_from_ticket(ticket: dict, trainee_id: str | None, arrivals: int, trap_share: float) -> SeatConfig:
    """The seat's settings from its class ticket (the trainee named must be the one the seat was handed to)."""
    if trainee_id and trainee_id != ticket["trainee"]:
        raise UserError(_("This seat was handed to {other}, not to {me}.", other=ticket["trainee"], me=trainee_id),
                        field="trainee_id")
    classroom = {k: ticket.get(k) for k in ("url", "token", "class_folder", "class_unit", "district", "units")}
    return SeatConfig(province=ticket["province"], structure=int(ticket["structure"]), unit_code=ticket["unit"],
                      role=ticket.get("role", "clerk"), seed=int(ticket["seed"]), trainee=ticket["trainee"],
                      start=ticket["start"], arrivals=arrivals, trap_share=trap_share, scenario=ticket["scenario"],
                      classroom=classroom)


def document_of_envelope(env) -> Document:
    """The document an envelope from another seat carries, as far as the envelope says (QCVN 102 fields)."""
    doc_type = next((k for k, t in DOCUMENT_TYPES.items() if t.name == env.type_name), "cong_van")
    parts = env.code_notation.split("-", 1)
    if DOCUMENT_TYPES[doc_type].abbreviation:
        abbreviation, drafting = (parts[1] if len(parts) > 1 else parts[0]), ""
    else:
        abbreviation, drafting = parts[0], (parts[1] if len(parts) > 1 else "")
    number = int(env.code_number) if env.code_number.isdigit() else None
    return Document(issuer_code=env.sender.organ_id, issuer_name=env.sender.organ_name,
                    issuer_abbreviation=abbreviation, doc_type=doc_type, subject=env.subject,
                    issued_date=env.promulgation_date, place=env.place,
                    signer=Signer(env.signer_full_name, env.signer_position),
                    recipients=tuple(Recipient(r.organ_name, r.organ_id) for r in env.recipients),
                    body=(env.content,) if env.content else (), number=number, drafting_unit=drafting,
                    due_date=env.due_date, priority=Priority(env.priority) if env.priority in
                    set(Priority) else Priority.NORMAL)


def _announced(remote, pending) -> datetime | None:
    """When the sender dispatched a document (or its recall: status 13) waiting for this seat, from the class
    axis's trace (None if the trace does not say): so the seat does not take it before its clock gets there."""
    code = "13" if pending.code == "B1" else ""
    moments = [t.at for t in remote.traces(pending.doc_id) if t.org_id == pending.sender and t.code == code]
    if not moments:
        return None
    moment = datetime.fromisoformat(moments[-1] if code else moments[0])
    if moment.tzinfo is not None:
        moment = moment.astimezone(VN_TZ).replace(tzinfo=None)
    return whole_second(moment)


def class_arrival(line: dict, env) -> Arrival:
    """A document taken from the class's axis as an arrival at the seat (its journal line ``class_receive`` and
    its envelope): its registration deadline is the desk's rule, the grader's too."""
    document = document_of_envelope(env)
    trap = RECALL if env.business.doc_type == 1 else None  # the sender takes its document back
    arrived = datetime.fromisoformat(line["arrived"]).replace(tzinfo=None)
    return Arrival(-1, 0, line["sender"], document.doc_type, arrived, trap, urgent=document.priority > 0)


def sent_at(env) -> datetime:
    """When the sender dispatched it, on the world's clock (its first trace header)."""
    moment = env.traces[0].timestamp if env.traces else datetime.combine(env.promulgation_date, datetime.min.time())
    if moment.tzinfo is not None:
        moment = moment.astimezone(VN_TZ).replace(tzinfo=None)
    return whole_second(moment)


class ClassDesk:
    """Mixed into :class:`simulator.lab.session.Session` (first): the class's documents at the seat."""

    classroom: dict | None = None  # the seat's class settings (None: a seat alone in its world)

    # -- a document to other units (not a reply) ------------------------------------
    def draft(self, recipients: list[str], subject: str, body: str):
        """Draft a document (công văn) of the seat to ``recipients`` (unit codes or names): no number yet;
        the leader signs, the clerk issues, seals and dispatches it as a reply."""
        if not subject.strip() or not body.strip():
            raise UserError(_("Give the subject and the text of the document."), field="subject")
        units = [self.province.find(r) for r in recipients]
        if not units or any(u.code == self.seat.code for u in units):
            raise UserError(_("Address the document to other units."), field="recipients")
        out_id = f"{len(self.outbox) + 1:03d}"
        doc = Document(
            issuer_code=self.seat.code, issuer_name=self.seat.name, issuer_abbreviation=self.seat.abbreviation,
            doc_type="cong_van", subject=subject.strip(), issued_date=self.clock.date(), place=self.seat.place,
            signer=self.leader_signer, recipients=tuple(Recipient(u.name, u.code) for u in units),
            body=(body.strip(),), number=None, drafting_unit="VP", filed_copies="VT, VP")
        return self._new_draft(out_id, doc, "draft", recipients=[u.code for u in units])

    def dispatch(self, out_id: str):
        entry = super().dispatch(out_id)
        doc_id = self.outgoing(out_id).document.document_id
        if self.classroom and doc_id in self.axis.held:
            self._log("class_sent", {"out": out_id, "document_id": doc_id, "held": list(self.axis.held[doc_id])})
        return entry

    def _seated(self, doc_id: str) -> tuple[str, ...]:
        """The recipients of a document the seat sent that trainees hold (they answer themselves)."""
        return super()._seated(doc_id) + (self.axis.held.get(doc_id, ()) if self.classroom else ())

    # -- receiving from the class ---------------------------------------------------------
    def receive(self):
        new = super().receive()
        if self.classroom:
            new += self._receive_class()
        return new

    def _receive_class(self) -> list:
        from simulator.lab.class_pki import sync_class_pki
        from simulator.routing import edxml

        me, remote, now = self.seat.code, self.axis.remote, self.clock.replace(tzinfo=VN_TZ)
        try:
            waiting = remote.pending(me, "edoc", at=now)
            statuses = remote.pending(me, "status", at=now)
        except UserError as exc:  # the class's server is not reachable: the world's desk goes on
            self.class_problem = str(exc)
            return []
        self.class_problem = None
        self._statuses_from_class(statuses, now)
        known = {(i.document.document_id, i.is_recall) for i in self.inbox.values()
                 if i.item_id.startswith(CLASS_ITEM)}
        new, self.class_next = [], None
        for p in waiting:
            key = (p.doc_id, p.code == "B1")
            if key in known or p.code not in ("", "B1"):  # received already (its steps are reported as they
                continue                                  # happen); an update or replacement is not modelled
            announced = _announced(remote, p)  # read without taking it: a take is dated on this seat's clock
            if announced is not None and announced > self.clock:
                self.class_next = min(self.class_next or announced, announced)
                continue
            data = remote.get(p.doc_id, me, code=p.code or None, at=now)
            env = edxml.parse(data)
            moment = sent_at(env)
            if moment > self.clock:  # sent later on the sender's clock: it reaches this desk then
                self.class_next = min(self.class_next or moment, moment)
                continue
            if not new and sync_class_pki(self.classroom, self.folder, me, self.config.role):  # seats handed out since: their
                self._pki = None                                                   # certificates
            item_id = f"{CLASS_ITEM}{sum(1 for i in self.inbox if i.startswith(CLASS_ITEM)) + 1:03d}"
            folder = self.folder / "inbox" / item_id
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "envelope.xml").write_bytes(data)
            (folder / "document.pdf").write_bytes(env.attachments[0].content)
            line = {"item": item_id, "document_id": env.document_id, "sender": env.sender.organ_id,
                    "arrived": iso_vn(moment), "sha256": hashlib.sha256(data).hexdigest(),
                    **({"business": int(env.business.doc_type)} if env.business.doc_type else {})}
            item = self._load_class_item(line)
            self._report(item)
            self._log("class_receive", line)
            known.add(key)
            new.append(item)
        return new

    def _statuses_from_class(self, statuses: list, now: datetime) -> None:
        """The statuses other seats reported about what this seat sent: one journal line for all those whose
        moment this seat's clock has reached (later ones wait on the class axis), then read (acknowledged)."""
        if not statuses:
            return
        remote, times = self.axis.remote, {}
        for doc_id in dict.fromkeys(p.doc_id for p in statuses):  # when each was reported: the document's trace
            times.update({(doc_id, t.org_id, t.code): t.at for t in remote.traces(doc_id)})
        had = {(s.document_id, s.org, s.code) for s in self.class_statuses}
        seen, read = [], []
        for p in statuses:
            at = times.get((p.doc_id, p.sender, p.code))
            if at is None or datetime.fromisoformat(at) > now:  # reported later on the recipient's clock
                continue
            read.append(p.id)
            if (p.doc_id, p.sender, p.code) not in had:  # not journaled before an interruption
                seen.append({"document_id": p.doc_id, "org": p.sender, "code": p.code, "at": at})
        if seen:
            self._log("class_status", {"statuses": seen})
            self._replay_class("class_status", {"statuses": seen})
        if read:
            remote.ack_statuses(read, self.seat.code, at=now)

    def _load_class_item(self, line: dict):
        from simulator.lab.incoming import WORLD, InboxItem
        from simulator.routing import edxml
        from simulator.routing.workflow import IncomingFlow

        folder = self.folder / "inbox" / line["item"]
        data = (folder / "envelope.xml").read_bytes()
        if hashlib.sha256(data).hexdigest() != line["sha256"]:
            raise UserError(_("The envelope of document {item} was changed after it arrived.", item=line["item"]))
        env = edxml.parse(data)
        document, arrival = document_of_envelope(env), class_arrival(line, env)
        arrived = arrival.arrived
        flow = IncomingFlow(arrived, WORLD, priority=int(document.priority), calendar=self.calendar)
        item = InboxItem(line["item"], arrival, document, folder / "document.pdf", folder / "envelope.xml", flow,
                         due=registration_due(arrival, self.calendar))
        self._step(flow, "receive")
        self.inbox[line["item"]] = item
        self.axis.class_docs.add(document.document_id)
        return item

    def _replay_class(self, action: str, data: dict) -> None:
        if action == "class_receive":
            self._load_class_item(data)
        elif action == "class_status":
            self.class_statuses += [ClassStatus(s["document_id"], s["org"], s["code"], s["at"])
                                    for s in data["statuses"]]
        elif action == "class_sent":
            self.axis.class_docs.add(data["document_id"])
            self.axis.held[data["document_id"]] = tuple(data["held"])
        else:  # recall_sent, recall_answers
            self._replay_recall(action, data)

"""The seat: one trainee at one unit and role, in a work folder.

``Session.open(folder, unit=..., role=..., trainee_id=...)`` creates the
folder on first use and resumes it afterwards. What reaches the seat is made
real (a rendered, signed PDF in an edXML envelope, delivered through the
exchange axis); every action is applied to the registers, the artefacts and
the archive in the folder and appended to the hash-chained journal. Each
inbox item and each reply is driven by the Decree-30 workflow
(:mod:`simulator.routing.workflow`: one :class:`IncomingFlow` per item, one
:class:`OutgoingFlow` per reply); the state (the flows, the world's clock)
is rebuilt from the journal, so re-running a notebook continues where the
trainee was.

The clock is the world's: documents arrive at the world's times, and only
the working minutes each action takes and the trainee's own explicit moves
(:meth:`Session.wait_until_end_of_session`, :meth:`Session.next_working_day`)
move it on.

Work folder::

    seat.json        the seat (unit, role, seed, start)
    arrivals.json    what the world sent to the seat (run once, then kept)
    journal.jsonl    every action, hash-chained
    registers.sqlite incoming and outgoing registers (sổ đến / sổ đi)
    axis.sqlite      the exchange axis as seen by this classroom world
    pki/             the training PKI of this world (senders and the seat)
    inbox/NNN/       document.pdf, envelope.xml of arrival NNN
    outbox/NNN/      replies: draft.pdf, signed.pdf, issued.pdf, sealed.pdf, envelope.xml
                     (simulator.lab.outgoing: numbered by the register at issuance)
    archive/         records and preservation packages
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from simulator.calendar import VN_TZ, WorkingCalendar, default_calendar, iso_vn
from simulator.documents import Document, Signer
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.lab.admin import AdminDesk
from simulator.lab.answers import LateDocument, Notice, WorldAnswers  # noqa: F401 (the seat's API)
from simulator.lab.journal import Journal
from simulator.lab.materialize import (Arrival, load_arrivals, materialize, plan_arrivals, registration_due,
                                       save_arrivals)
from simulator.lab.outgoing import OutgoingDesk, OutgoingItem  # noqa: F401 (OutgoingItem: part of the seat's API)
from simulator.lab.records import RecordsDesk
from simulator.province import Province, Role, Unit, load_province
from simulator.routing.workflow import FollowsFlow, IncomingFlow

_ = translator("lab")

SEAT_FILE = "seat.json"
# Working minutes each action takes at the seat (simulated time moves on by these).
ACTION_MINUTES = {"verify": 5, "refuse": 5, "register": 8, "submit": 3, "assign": 5, "reply": 30,
                  "sign": 3, "issue": 3, "seal": 3, "dispatch": 5, "file": 5, "archive": 10, "search": 2, "receive": 1,
                  "wait": 0}
WORLD = "he_thong"  # who makes a document arrive (the exchange system), in the workflow's history
DEFAULT_START = datetime(2026, 3, 2, 7, 30)
SEAT_PASSPHRASE = "tap-huan-2026"  # the trainee's practice passphrase (printed in the notebooks)


def seed_for(trainee_id: str) -> int:
    """Each trainee's own world: a seed derived from their id (no copying a neighbour's answers)."""
    return int.from_bytes(hashlib.sha256(trainee_id.strip().lower().encode("utf-8")).digest()[:4], "big")


@dataclass(frozen=True)
class SeatConfig:
    province: str
    structure: int
    unit_code: str
    role: str
    seed: int
    trainee: str
    start: str
    arrivals: int
    trap_share: float
    scenario: str = "plan-2020"


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
        return self.arrival.trap == "recall"


class Session(OutgoingDesk, WorldAnswers, RecordsDesk, AdminDesk):
    def __init__(self, folder: Path, config: SeatConfig, calendar: WorkingCalendar | None = None) -> None:
        from simulator.routing import Axis, Registers

        self.folder = folder
        self.config = config
        self.calendar = calendar or default_calendar()
        self.province: Province = load_province(config.province, config.structure)
        self.seat: Unit = self.province.unit(config.unit_code)
        self.journal = Journal(folder / "journal.jsonl")
        self.registers = Registers(folder / "registers.sqlite", self.seat.code,
                                   known_senders=[u.code for u in self.province.units])
        self.axis = Axis(folder / "axis.sqlite", self.province.units)
        self._pki = None
        self._archive = None
        start = datetime.fromisoformat(config.start)
        plan = folder / "arrivals.json"
        if plan.exists():  # the world already ran for this seat: keep what it sent
            self.arrivals = load_arrivals(plan)
        else:
            self.arrivals = plan_arrivals(self.seat, self.province, config.seed, config.arrivals, start,
                                          config.trap_share, config.scenario)
            folder.mkdir(parents=True, exist_ok=True)
            save_arrivals(self.arrivals, plan)
        self.inbox: dict[str, InboxItem] = {}
        self.outbox: dict[str, OutgoingItem] = {}
        self.records: dict[str, dict] = {}
        self.corrections: list[Arrival] = []  # corrected copies the senders re-send (from the journal's refusals)
        self.notices: list[Notice] = []  # the leader's reminders and the notes on corrected copies, as seen
        self.clock = start
        self._replay()

    # -- opening ---------------------------------------------------------
    @classmethod
    def open(cls, folder: str | Path, *, unit: str = "Xã Diễn Kim", role: str | Role = Role.CLERK,
             trainee_id: str | None = None, seed: int | None = None, province: str = "Nghệ An",
             structure: int = 2024, arrivals: int = 8, trap_share: float = 0.35,
             start: datetime = DEFAULT_START, scenario: str = "plan-2020") -> "Session":
        folder = Path(folder)
        seat_file = folder / SEAT_FILE
        if seat_file.exists():
            config = SeatConfig(**json.loads(seat_file.read_text(encoding="utf-8")))
            if trainee_id and config.trainee and config.trainee != trainee_id:
                raise UserError(_("This work folder belongs to trainee {other}, not {me}.",
                                  other=config.trainee, me=trainee_id), field="trainee_id")
            return cls(folder, config)
        if not 0.0 <= trap_share <= 1.0:
            raise UserError(_("The share of traps must be between 0 and 1."), field="trap_share")
        prov = load_province(province, structure)
        unit_obj = prov.find(unit)
        role_value = Role(role).value if not isinstance(role, Role) else role.value
        config = SeatConfig(province=prov.name, structure=structure, unit_code=unit_obj.code, role=role_value,
                            seed=seed_for(trainee_id) if trainee_id else int(seed or 0),
                            trainee=trainee_id or "", start=start.isoformat(), arrivals=arrivals,
                            trap_share=trap_share, scenario=scenario)
        folder.mkdir(parents=True, exist_ok=True)
        session = cls(folder, config)
        session._setup_pki()
        seat_file.write_text(json.dumps(asdict(config), ensure_ascii=False, indent=2), encoding="utf-8")
        session._log("open", {"unit": unit_obj.code, "role": role_value, "seed": config.seed})
        return session

    # -- the layers, opened on first use -----------------------------------
    @property
    def pki(self):
        if self._pki is None:
            from simulator.signing import TrainingPKI

            self._pki = TrainingPKI.open(self.folder / "pki")
        return self._pki

    def _setup_pki(self) -> None:
        from simulator.signing import TrainingPKI

        # Certificates are valid over the world's period (a year before its start to two after), not
        # from the machine's today: everything is signed and judged on the seat's clock.
        start = datetime.fromisoformat(self.config.start)
        start = start if start.tzinfo else start.replace(tzinfo=VN_TZ)
        self._pki = TrainingPKI.create(self.folder / "pki", name=self.province.name,
                                       valid_from=start - timedelta(days=365),
                                       valid_to=start + timedelta(days=730))
        self._pki.issue_person(self.leader_name, self.leader_signer.position, self.seat.name, self.seat.code,
                               SEAT_PASSPHRASE)
        self._pki.issue_seal(self.seat.name, self.seat.code, SEAT_PASSPHRASE)

    @property
    def leader_name(self) -> str:
        from simulator.documents import ContentGenerator

        return ContentGenerator(self.config.seed).person_name()

    @property
    def leader_signer(self) -> Signer:
        """The head of the seat's unit signing as Decree 30 shows it (TM. Ủy ban nhân dân / Chủ tịch,
        or Giám đốc for a department)."""
        from simulator.documents.content import leader_positions

        head, _deputy, collective = leader_positions(self.seat)
        if collective:
            return Signer(self.leader_name, head, "TM.", collective)
        return Signer(self.leader_name, head)

    @property
    def archive(self):
        if self._archive is None:
            from simulator.archiving import Archive

            self._archive = Archive(self.folder / "archive")
        return self._archive

    def _cert(self, kind: str) -> Path:
        # the newest certificate still valid: a revoked or replaced token is not used again
        for info in reversed(self.pki.list()):
            if info.unit_code == self.seat.code and info.kind.value == kind \
                    and info.status(self.clock.replace(tzinfo=VN_TZ)) == "valid":
                return Path(info.p12)
        raise UserError(_("No {kind} certificate for this seat.", kind=kind))

    # -- journal and time ---------------------------------------------------
    def _log(self, action: str, data: dict[str, Any]) -> dict:
        """Record an action at the seat's clock, then let the working time it takes pass."""
        entry = self.journal.append(action, data, actor=self.config.role, at=iso_vn(self.clock))
        self._spend(action)
        return entry

    def _spend(self, action: str) -> None:
        if action not in ("wait", "reminder"):  # moving time on is the trainee's explicit 'wait' line, not working time
            self.clock = self.calendar.add_working_minutes(self.clock, ACTION_MINUTES.get(action, 5))

    def _step(self, flow, action: str, **details):
        """One workflow step at the seat's clock, by the seat's role (UserError: nothing changes)."""
        return flow.transition(action, self.config.role, self.clock, **details)

    def _replay(self) -> None:
        """Rebuild the state from the journal (the folder is the truth): each line drives the workflows."""
        for entry in self.journal.entries():
            self.clock = datetime.fromisoformat(entry["at"]).replace(tzinfo=None)
            action, data = entry["action"], entry["data"]
            if action == "wait":
                self.clock = datetime.fromisoformat(data["until"]).replace(tzinfo=None)
            elif action == "receive":
                self._load_item(data["item"], data["document_id"])
            elif action == "reminder":
                self._reminder_notice(data["item"], data["late_minutes"])
            elif action in ("verify", "refuse", "register", "submit", "assign", "recall"):
                self._replay_incoming(action, data)
            elif action in ("reply", "sign", "issue", "seal", "dispatch"):
                if action == "reply":
                    self._step(self.inbox[data["reply_to"]].flow, "reply", out=data["out"])
                self._load_outgoing(action, data)
            elif action in ("create_record", "file", "archive"):
                record = self.records.setdefault(data["record"], {"documents": [], "archived": False})
                record.update({k: v for k, v in data.items() if k not in ("document",)})
                if action == "file":
                    record["documents"].append(data["document"])
                    self._step(self._flow_of(data["document"]), "file", record=data["record"])
                if action == "archive":
                    record["archived"] = True
            self._spend(action)

    def _replay_incoming(self, action: str, data: dict) -> None:
        item = self.inbox[data["item"]]
        if action == "verify":
            item.verdict = data.get("verdict")
            if "verify" in item.flow.allowed():
                self._step(item.flow, "verify", passed=bool(data.get("passed")))
        elif action == "refuse":
            self._step(item.flow, "refuse", reason=data["reason"])
            self._plan_correction(item)
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

    def _flow_of(self, item_id: str):
        return self.outgoing(item_id[4:]).flow if item_id.startswith("out:") else self.item(item_id).flow

    # -- the trainee moves time on --------------------------------------------------
    def _next_arrival(self) -> datetime | None:
        """When the next document not yet on the desk reaches the seat (None: nothing more comes)."""
        waiting = [a.arrived for a in self.arrivals + self.corrections
                   if f"{a.index:03d}" not in self.inbox and a.arrived > self.clock]
        return min(waiting) if waiting else None

    def _move_to(self, target: datetime, kind: str) -> datetime:
        target = target.replace(microsecond=0)
        if target > self.clock:
            self._log("wait", {"until": iso_vn(target), "kind": kind})
            self.clock = target
            self._release_statuses()
        return self.clock

    def wait_until_end_of_session(self) -> datetime:
        """'Đến hết buổi': the world runs on to the end of this office session (11:30, 17:00), or, while the
        office is closed, to its next opening; it stops earlier when a document reaches the seat (the world
        waits for the trainee). Returns the new clock."""
        cal = self.calendar
        window = cal.office_window(cal.to_minutes(self.clock))
        target = cal.to_datetime(window[1]) if window else cal.next_open(self.clock)
        arrival = self._next_arrival()
        if arrival is not None:
            arrival = arrival if cal.is_open(arrival) else cal.next_open(arrival)
            target = min(target, arrival)
        return self._move_to(target, "session")

    def next_working_day(self) -> datetime:
        """'Sang ngày làm việc tiếp theo': the clock moves to the opening of the next working day
        (what arrived in between waits in the axis until 'Get new documents'). Returns the new clock."""
        cal = self.calendar
        day = cal.next_working_day(self.clock.date())
        return self._move_to(datetime.combine(day, time()) + timedelta(minutes=cal.open_minute), "day")

    def receive_all(self) -> list[InboxItem]:
        """Every document of the exercise, for lessons about something else than the clock: the trainee
        lets the world run session by session (each wait is a journal line) until all have arrived."""
        new = self.receive()
        while any(f"{a.index:03d}" not in self.inbox for a in self.arrivals):
            self.wait_until_end_of_session()
            new += self.receive()
        return new

    def _load_item(self, item_id: str, document_id: str) -> InboxItem:
        """The arrival's document, with the number its sender's register gave (read from its DocumentId)."""
        from simulator.lab.materialize import build_document

        index = int(item_id)
        arrival = (self.arrivals + self.corrections)[index]
        folder = self.folder / "inbox" / item_id
        source = self.arrivals[arrival.recalls] if arrival.trap == "recall" else arrival
        number = int(document_id.rsplit(",", 1)[1].split("/", 1)[0])
        document = build_document(source, self.seat, self.province, number=number)
        if arrival.corrects is not None:  # re-sent under the number and date of the refused one
            document = document.with_number(number, self.inbox[f"{arrival.corrects:03d}"].document.issued_date)
        flow = IncomingFlow(arrival.arrived, WORLD, priority=int(document.priority), calendar=self.calendar)
        item = InboxItem(item_id, arrival, document, folder / "document.pdf", folder / "envelope.xml", flow,
                         due=registration_due(arrival, self.calendar))
        self._step(flow, "receive")
        self.inbox[item_id] = item
        if arrival.corrects is not None:
            self.notices.append(self._corrected_note(item))
        return item

    # -- receiving ------------------------------------------------------------
    def receive(self) -> list[InboxItem]:
        """Deliver what has reached the seat by the world's clock; returns the new items.

        The clock does not move here: when nothing new has arrived, the
        trainee moves time on (:meth:`wait_until_end_of_session`,
        :meth:`next_working_day`)."""
        from simulator.routing import edxml
        from simulator.routing.envelope import Attachment, Business, envelope_from_document

        self._release_statuses()
        waiting = [a for a in self.arrivals + self.corrections if f"{a.index:03d}" not in self.inbox]
        new = []
        for arrival in [a for a in waiting if a.arrived <= self.clock]:
            item_id = f"{arrival.index:03d}"
            folder = self.folder / "inbox" / item_id
            kept = folder / "envelope.xml"
            if kept.exists():  # sent before an interruption, not yet journaled: the very same envelope again
                data = kept.read_bytes()
                self.axis.send(data, at=arrival.arrived.replace(tzinfo=VN_TZ))
                new.append(self._received(arrival, item_id, edxml.parse(data).document_id))
                continue
            business = None
            if arrival.trap == "recall":
                # the sender asks to take back an earlier document: the same document, business type 1
                earlier = self.inbox.get(f"{arrival.recalls:03d}")
                folder.mkdir(parents=True, exist_ok=True)
                doc = earlier.document
                pdf = folder / "document.pdf"
                pdf.write_bytes(earlier.pdf.read_bytes())
                business = Business(doc_type=1, reason=_("Recall of an earlier document sent in error"))
            elif arrival.corrects is not None:
                # the sender fixed what the seat returned and re-sends it under the same DocumentId (replace)
                original = self.inbox[f"{arrival.corrects:03d}"].document
                doc, pdf = materialize(arrival, self.seat, self.province, self.pki, folder, self._registers_of,
                                       reissue=(original.number, original.issued_date))
                business = Business(doc_type=3, reason=_("Corrected copy of a document returned by the recipient"))
            else:
                doc, pdf = materialize(arrival, self.seat, self.province, self.pki, folder, self._registers_of)
            # the envelope reaches the seat; a misaddressed document names another unit inside
            envelope = envelope_from_document(
                doc, recipients=[self.seat],
                attachments=[Attachment("document.pdf", pdf.read_bytes())],
                sent_at=arrival.arrived.replace(tzinfo=VN_TZ), business=business)
            data = edxml.build(envelope)
            tmp = kept.with_name(kept.name + ".part")
            tmp.write_bytes(data)
            tmp.replace(kept)
            self.axis.send(data, at=arrival.arrived.replace(tzinfo=VN_TZ))
            new.append(self._received(arrival, item_id, doc.document_id))
        self._remind()
        return new

    def _received(self, arrival: Arrival, item_id: str, document_id: str) -> InboxItem:
        item = self._load_item(item_id, document_id)
        self._log("receive", {"item": item_id, "document_id": document_id,
                              "sender": arrival.sender_code, "arrived": iso_vn(arrival.arrived)})
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
        from simulator.routing.envelope import StatusCode

        item = self.item(item_id)
        if item.number is not None:
            raise UserError(_("Document {item} is already registered; it can no longer be refused.", item=item_id))
        if not reason.strip():
            raise UserError(_("Give the reason for refusing."), field="reason")
        item.flow.check("refuse", self.config.role, self.clock, reason=reason)
        self.axis.confirm(item.document.document_id, self.seat.code, StatusCode.REFUSED, description=reason,
                          at=self.clock.replace(tzinfo=VN_TZ))
        self._step(item.flow, "refuse", reason=reason)
        self._plan_correction(item)
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
        self._log("register", {"item": item_id, "number": entry.arrival_number, "status": item.status,
                               "registered_at": iso_vn(item.registered_at), "due": iso_vn(item.due),
                               "on_time": on_time, "override": needed,
                               "document_id": item.document.document_id})
        return entry

    def answer_recall(self, item_id: str, agree: bool = True, reason: str = "") -> None:
        """Answer a recall request: agree (status 15, the recalled document is withdrawn) or refuse (16)."""
        from simulator.routing.envelope import StatusCode

        item = self.item(item_id)
        if not item.is_recall:
            raise UserError(_("Document {item} is not a recall request.", item=item_id))
        earlier = self.inbox.get(f"{item.arrival.recalls:03d}")
        code = StatusCode.RECALL_AGREED if agree else StatusCode.RECALL_REFUSED
        item.flow.check("answer_recall", self.config.role, self.clock, agree=agree)
        self.axis.confirm(item.document.document_id, self.seat.code, code, description=reason,
                          at=self.clock.replace(tzinfo=VN_TZ))
        self._answer_recall_steps(item, agree, reason)
        self._log("recall", {"item": item_id, "agree": agree, "reason": reason, "status": item.status,
                             "recalled": earlier.item_id if earlier else None, "code": code})

    def _answer_recall_steps(self, item: InboxItem, agree: bool, reason: str) -> None:
        """The request is answered; the earlier document is withdrawn (15) or kept (16), where its state allows."""
        self._step(item.flow, "answer_recall", agree=agree)
        earlier = self.inbox.get(f"{item.arrival.recalls:03d}")
        action = "recall" if agree else "refuse_recall"
        if earlier is not None and action in earlier.flow.allowed():
            self._step(earlier.flow, action, reason=reason or "-")

    def submit(self, item_id: str, leader: str | None = None) -> None:
        item = self.item(item_id)
        if item.status != "registered":
            raise UserError(_("Register document {item} before submitting it to the leader.", item=item_id))
        leader = leader or self.leader_name
        self._step(item.flow, "submit", leader=leader)
        self._log("submit", {"item": item_id, "leader": leader, "status": item.status})

    def assign(self, item_id: str, handler: str, *, days: int = 5, directions: str = "") -> datetime:
        item = self.item(item_id)
        if item.status != "submitted":
            raise UserError(_("Submit document {item} to the leader before assigning it.", item=item_id))
        due = self.calendar.due(self.clock, working_days=days)
        self._step(item.flow, "assign", handler=handler, due_date=due.date(), directions=directions)
        self._log("assign", {"item": item_id, "handler": handler, "due": iso_vn(due),
                             "directions": directions, "status": item.status})
        return due

    # -- summaries ------------------------------------------------------------
    def summary(self) -> dict:
        return {
            "clock": iso_vn(self.clock),
            "inbox": {i.item_id: i.status for i in self.inbox.values()},
            "outbox": {o.item_id: o.status for o in self.outbox.values()},
            "records": {k: len(v.get("documents", [])) for k, v in self.records.items()},
            "journal_entries": len(self.journal),
            "notices": [(n.kind, n.item_id, iso_vn(n.at)) for n in self.notices],
            "late": [(d.item_id, d.late_minutes) for d in self.late()],
        }


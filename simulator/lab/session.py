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

The seat sits inside the running world (:class:`simulator.seat.SeatWorld`):
documents arrive at the world's times, and each decision the trainee takes
goes back into it, which goes on with it and answers. The clock is the
world's: only the working minutes each action takes and the trainee's own
explicit moves (:meth:`Session.wait_until_end_of_session`,
:meth:`Session.next_working_day`) move it on.

Work folder::

    seat.json        the seat (unit, role, seed, start, world)
    journal.jsonl    every action, hash-chained (replayed through the world on opening)
    registers.sqlite incoming and outgoing registers (sổ đến / sổ đi)
    axis.sqlite      the exchange axis as seen by this classroom world (in a class: the automated desks'
                     side; what passes between trainees goes through the class's server, simulator.lab.classroom)
    pki/             the training PKI of this world (senders and the seat)
    inbox/NNN/       document.pdf, envelope.xml of arrival NNN
    inbox/LNNN/      the same, of a document another seat of the class sent (simulator.lab.classroom)
    outbox/NNN/      replies and the unit's own documents: draft.pdf, signed.pdf, issued.pdf, sealed.pdf,
                     envelope.xml (simulator.lab.outgoing: numbered by the register at issuance)
    cong-thong-tin/  the seat's portal: what it published and the built site (simulator.lab.publishing)
    archive/         records and preservation packages
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from simulator.calendar import VN_TZ, WorkingCalendar, default_calendar, iso_vn
from simulator.documents import Signer
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.lab.admin import AdminDesk
from simulator.lab.answers import LateDocument, Notice, WorldAnswers
from simulator.lab.class_pki import sync_class_pki
from simulator.lab.classroom import CLASS_LINES, ClassAxis, ClassDesk, config_from_ticket
from simulator.lab.handoff import HANDOFF_LINES, TAKEN, UnitDesk
from simulator.lab.incoming import IncomingDesk, InboxItem
from simulator.lab.outgoing import OutgoingDesk, OutgoingItem
from simulator.lab.publishing import PublishingDesk
from simulator.lab.records import RecordsDesk
from simulator.province import Province, Role, Unit, load_province
from simulator.province.history import structure_on
from simulator.seat import (DEFAULT_SCENARIO, DEFAULT_START, DEFAULT_UNIT, SEAT_FILE, SEAT_PASSPHRASE, Arrival,
                            Journal, SeatConfig, SeatWorld, seed_for, whole_second)

_ = translator("lab")

__all__ = ["DEFAULT_START", "SEAT_FILE", "SEAT_PASSPHRASE", "InboxItem", "LateDocument", "Notice", "OutgoingItem",
           "SeatConfig", "Session", "seed_for"]

# Working minutes each action takes at the seat (simulated time moves on by these).
ACTION_MINUTES = {"verify": 5, "refuse": 5, "register": 8, "submit": 3, "assign": 5, "reply": 30,
                  "sign": 3, "issue": 3, "seal": 3, "dispatch": 5, "file": 5, "archive": 10, "search": 2, "receive": 1,
                  "wait": 0, "open": 0, "mail_send": 5, "mail_register": 8, "draft": 30,
                  "handoff_sign": 3, "leader_sign": 3, "leader_assign": 5, "leader_return": 3}
NO_WORKING_TIME = ("wait", "reminder", "handoff_assign", *CLASS_LINES, *TAKEN)  # timed elsewhere, or the world's


class Session(UnitDesk, ClassDesk, IncomingDesk, OutgoingDesk, PublishingDesk, WorldAnswers, RecordsDesk, AdminDesk):
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
        self.axis = Axis(folder / "axis.sqlite", self.province,
                         at=config.start_time.replace(tzinfo=VN_TZ))  # the registry as it stood on the first day
        self.classroom = config.classroom
        if self.classroom:  # a class seat: what passes between trainees goes through the class's server
            from simulator.routing.client import AxisClient

            self.axis = ClassAxis(self.axis, AxisClient(self.classroom["url"], token=self.classroom["token"]),
                                  self.seat.code)
        self.class_statuses: list = []  # statuses other seats returned about what this seat sent
        self.class_next: datetime | None = None  # when the next document another seat sent reaches this desk
        self.class_problem: str | None = None  # why the class's server could not be read at the last receive
        self.handed: dict[str, int] = {}  # a clerk's items with the leader's seat: item or out:NNN -> hand-off
        self.taken: set[int] = set()  # the hand-offs whose answer the clerk has taken
        self.leader_done: dict[int, dict] = {}  # a leader's answers: hand-off -> its journal line
        self._leader_known = False  # whether a trainee held the unit's leader seat when last asked
        self._pki = None
        self._archive = None
        self.world = SeatWorld(config, self.province, self.seat, self.calendar)  # the running world under the seat
        self.inbox: dict[str, InboxItem] = {}
        self.outbox: dict[str, OutgoingItem] = {}
        self.records: dict[str, dict] = {}
        self._reported: dict[str, int] = {}  # inbox item -> its steps the sender has been told of (this process)
        self.notices: list[Notice] = []  # the leader's reminders and the notes on the senders' answers, as seen
        self.clock = config.start_time
        self._replay()

    @property
    def arrivals(self) -> list[Arrival]:
        """What the world has sent to the seat so far, with the senders' answers to its returns."""
        return self.world.arrivals

    # -- opening ---------------------------------------------------------
    @classmethod
    def open(cls, folder: str | Path, *, unit: str = DEFAULT_UNIT, role: str | Role = Role.CLERK,
             trainee_id: str | None = None, seed: int | None = None, province: str = "Nghệ An",
             structure: int | None = None, arrivals: int = 8, trap_share: float = 0.35,
             start: datetime = DEFAULT_START, scenario: str = DEFAULT_SCENARIO, classroom=None) -> "Session":
        """Open the seat in ``folder`` (created on first use, resumed afterwards). ``structure``: the
        province's structure (None: the one in force at ``start``: 2 levels from 1/7/2025). ``classroom``:
        the seat's ticket from ``vbdt class seat`` (its file or dict): a seat in the class's world, whose
        unit, role, seed and start the class sets."""
        from simulator.seat.classroom import read_ticket

        folder = Path(folder)
        seat_file = folder / SEAT_FILE
        ticket = read_ticket(classroom) if classroom is not None else None
        if seat_file.exists():
            config = SeatConfig.read(folder)
            if trainee_id and config.trainee and config.trainee != trainee_id:
                raise UserError(_("This work folder belongs to trainee {other}, not {me}.",
                                  other=config.trainee, me=trainee_id), field="trainee_id")
            if ticket and config.classroom and (ticket["unit"], ticket["trainee"]) == (config.unit_code,
                                                                                       config.trainee):
                fresh = config_from_ticket(ticket, None, config.arrivals, config.trap_share)
                if fresh.classroom != config.classroom:  # the class's server moved: its new address
                    config = fresh
                    config.write(folder)
            if config.classroom:  # seats handed out since: their certificates
                sync_class_pki(config.classroom, folder, config.unit_code, config.role)
            return cls(folder, config)
        if not 0.0 <= trap_share <= 1.0:
            raise UserError(_("The share of traps must be between 0 and 1."), field="trap_share")
        if ticket is not None:
            config = config_from_ticket(ticket, trainee_id, arrivals, trap_share)
            folder.mkdir(parents=True, exist_ok=True)
            sync_class_pki(config.classroom, folder, config.unit_code, config.role)
            return cls._first_open(folder, config)
        structure = structure or structure_on(start)
        prov = load_province(province, structure)
        unit_obj = prov.find(unit)
        role_value = Role(role).value if not isinstance(role, Role) else role.value
        config = SeatConfig(province=prov.name, structure=structure, unit_code=unit_obj.code, role=role_value,
                            seed=seed_for(trainee_id) if trainee_id else int(seed or 0),
                            trainee=trainee_id or "", start=start.isoformat(), arrivals=arrivals,
                            trap_share=trap_share, scenario=scenario)
        folder.mkdir(parents=True, exist_ok=True)
        return cls._first_open(folder, config)

    @classmethod
    def _first_open(cls, folder: Path, config: SeatConfig) -> "Session":
        session = cls(folder, config)
        session._setup_pki()
        config.write(folder)
        session._log("open", {"unit": config.unit_code, "role": config.role, "seed": config.seed})
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
        folder = self.folder / "pki"
        if (folder / "pki.json").is_file():  # handed out with the assignment (its root pinned by the instructor)
            self._pki = TrainingPKI.open(folder)
        else:
            self._pki = TrainingPKI.create(folder, name=self.province.name, valid_from=start - timedelta(days=365),
                                           valid_to=start + timedelta(days=730))
        mine = {info.kind.value for info in self._pki.list() if info.unit_code == self.seat.code}
        if "person" not in mine:
            self._pki.issue_person(self.leader_name, self.leader_signer.position, self.seat.name, self.seat.code,
                                   SEAT_PASSPHRASE)
        if "seal" not in mine:
            self._pki.issue_seal(self.seat.name, self.seat.code, SEAT_PASSPHRASE)

    @property
    def leader_name(self) -> str:
        from simulator.documents import ContentGenerator

        return ContentGenerator(self.config.leader_seed).person_name()

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
        self.world.follow(action, data, self.clock)  # the decision goes back into the world, at its time
        self._spend(action)
        return entry

    def record(self, action: str, data: dict[str, Any]) -> dict:
        """A journal line for work outside the document workflow (official mail): kept, timed, not replayed."""
        return self._log(action, data)

    def _spend(self, action: str) -> None:
        if action not in NO_WORKING_TIME:  # moving time on is the trainee's explicit 'wait' line
            self.clock = self.calendar.add_working_minutes(self.clock, ACTION_MINUTES.get(action, 5))

    def _step(self, flow, action: str, **details):
        """One workflow step at the seat's clock, by the seat's role (UserError: nothing changes)."""
        return flow.transition(action, self.config.role, self.clock, **details)

    def _replay(self) -> None:
        """Rebuild the state from the journal (the folder is the truth): each line drives the workflows."""
        for entry in self.journal.entries():
            self.clock = datetime.fromisoformat(entry["at"]).replace(tzinfo=None)
            action, data = entry["action"], entry["data"]
            self.world.follow(action, data, self.clock)
            if action == "wait":
                self.clock = datetime.fromisoformat(data["until"]).replace(tzinfo=None)
            elif action == "receive":
                self._load_item(data["item"], data["document_id"])
            elif action == "reminder":
                self._reminder_notice(data["item"], data["late_minutes"])
            elif action in ("verify", "refuse", "register", "submit", "assign", "recall"):
                self._replay_incoming(action, data)
            elif action in CLASS_LINES:
                self._replay_class(action, data)
            elif action in HANDOFF_LINES:
                self._replay_handoff(action, data)
            elif action in ("reply", "draft", "sign", "issue", "seal", "dispatch"):
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

    def _flow_of(self, item_id: str):
        return self.outgoing(item_id[4:]).flow if item_id.startswith("out:") else self.item(item_id).flow

    # -- the trainee moves time on --------------------------------------------------
    def _move_to(self, target: datetime, kind: str) -> datetime:
        target = whole_second(target)
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
        arrival = None if self.is_leader_seat else self.world.next_arrival(target)  # the world's are the clerk's
        arrivals = [arrival.arrived] if arrival is not None else []
        if self.class_next is not None and self.class_next > self.clock:  # another seat's document on its way
            arrivals.append(self.class_next)
        for moment in arrivals:
            target = min(target, moment if cal.is_open(moment) else cal.next_open(moment))
        return self._move_to(target, "session")

    def next_working_day(self) -> datetime:
        """'Sang ngày làm việc tiếp theo': the clock moves to the opening of the next working day
        (what arrived in between waits in the axis until 'Get new documents'). Returns the new clock."""
        cal = self.calendar
        day = cal.next_working_day(self.clock.date())
        return self._move_to(datetime.combine(day, time()) + timedelta(minutes=cal.open_minute), "day")

    def receive_all(self) -> list[InboxItem]:
        """Every document of the exercise, for lessons about something else than the clock: the trainee
        lets the world run session by session (each wait is a journal line) until the desk has them all."""
        new = self.receive()
        while not self.world.desk_full:
            before = self.clock
            self.wait_until_end_of_session()
            new += self.receive()
            if self.clock == before:  # the world's period is over: nothing more comes
                break
        return new

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


"""Where each trainee of a live class stands, from the class's axis database (opened read-only).

The instructor cannot read the trainees' work folders on a hub, but every exchange between the seats of a
class passes through the class's axis (``axis.sqlite`` in the class folder, :mod:`simulator.seat.classroom`):
who sent which document to which seat, which statuses each seat reported, when each seat fetched a document
or read the statuses sent back to it. :func:`class_progress` reads those tables (no server needed) and gives
one row per seat trainees hold:

- the documents the seat sent to other seats trainees hold, and those delivered to it by them;
- where it is stuck: delivered documents it has not taken yet (no 01 reported) or taken but neither
  registered (no 03) nor returned (no 02), and recall requests it has not answered (neither 15 nor 16); a
  document whose recall it agreed to (15) is withdrawn: nothing more is owed on it;
- the recall requests (QCVN 102 business type 1, the same DocumentId) other seats sent it, listed apart from
  the documents;
- the statuses it reported, by code, and its last action on the class axis (world time: the clocks of
  the seats, which are the moments the axis records).

A unit's leader seat (beside its clerk's) has a row of its own, from the class's hand-off store
(``handoffs.sqlite``, :mod:`simulator.routing.handoffs`, opened read-only): what the clerk handed it, what it
signed and assigned, and what is waiting for it (since when, world time: the clerk's clock when handing); the
clerk's row holds the same hand-offs, as what is with the leader.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from simulator.routing.handoffs import Handoff

ARRIVED, REFUSED, ACCEPTED, RECALL_REQUESTED = "01", "02", "03", "13"
RECALL_AGREED, RECALL_REFUSED = "15", "16"
RECALL_MESSAGE = "B1"  # the axis's key of a recall request (simulator.routing.axis: "B" + business type)


@dataclass(frozen=True)
class SeatProgress:
    """One seat of the class as its exchanges on the class's axis show it."""

    trainee: str
    unit: str                          # identifier code
    unit_name: str
    role: str
    sent: tuple[str, ...]              # DocumentIds it sent to other seats trainees hold
    delivered: tuple[str, ...]         # DocumentIds other seats sent to it
    not_taken: tuple[str, ...]         # delivered, no 01 reported yet
    not_registered: tuple[str, ...]    # 01 reported, neither 03 nor 02 yet (nor its recall agreed to)
    recalls: tuple[str, ...] = ()      # DocumentIds whose recall request other seats sent it
    recall_unanswered: tuple[str, ...] = ()  # recall requests delivered, neither 15 nor 16 reported yet
    statuses: dict[str, int] = field(default_factory=dict)  # status code -> how many it reported
    last_at: str | None = None         # its last action on the class axis (ISO 8601, Vietnam time)
    last_action: str | None = None     # "sent", "recall", "status:NN", "fetched", "fetched_recall",
    #                                    "read_statuses", "note", "handed", "leader_signed", "leader_assigned"
    handoffs: tuple[Handoff, ...] = ()  # a leader: what its clerk handed it; a clerk: what it handed its leader

    @property
    def waiting(self) -> tuple[Handoff, ...]:
        """Handed over and not answered yet: waiting for the leader (a leader's row: for this seat)."""
        return tuple(h for h in self.handoffs if h.answered_at is None)

    @property
    def waiting_since(self) -> datetime | None:
        """When the oldest of :attr:`waiting` was handed over (world time)."""
        return min((h.sent_at for h in self.waiting), default=None)

    @property
    def signed(self) -> tuple[Handoff, ...]:
        return tuple(h for h in self.handoffs if h.kind == "sign" and h.answered_at is not None and not h.returned)

    @property
    def assigned(self) -> tuple[Handoff, ...]:
        return tuple(h for h in self.handoffs if h.kind == "assign" and h.answered_at is not None)

    @property
    def stuck(self) -> tuple[str, ...]:
        mine = tuple(h.document_id or h.ref for h in self.waiting) if self.role == "leader" else ()
        return self.not_taken + self.not_registered + self.recall_unanswered + mine

    def as_dict(self) -> dict:
        since = self.waiting_since
        return dict(asdict(self), stuck=list(self.stuck), handoffs=[h.to_json() for h in self.handoffs],
                    waiting=[h.to_json() for h in self.waiting], waiting_since=since.isoformat() if since else None,
                    signed=len(self.signed), assigned=len(self.assigned))


def class_progress(class_folder: str | Path) -> list[SeatProgress]:
    """One :class:`SeatProgress` per seat the class handed out, in the order of the class's units.

    Raises :class:`simulator.errors.UserError` when ``class_folder`` holds no class. A class whose axis has
    never been served has exchanged nothing yet: every seat with empty figures."""
    from sqlalchemy import and_, create_engine, select

    from simulator.province import load_province
    from simulator.routing.axis_tables import deliveries, messages, traces_table
    from simulator.seat.classroom import ClassRoom

    room = ClassRoom.read(class_folder)
    province = load_province(room.province, room.structure)
    held = {code: room.seats[code] for code in sorted(room.seats, key=lambda c: (
        room.units.index(c) if c in room.units else len(room.units), c))}
    database = room.folder / "axis.sqlite"
    sent, statuses, traces, touched = [], [], [], []
    if database.is_file():
        engine = create_engine(f"sqlite:///file:{database.resolve()}?mode=ro&uri=true")
        try:
            with engine.connect() as conn:
                sent = conn.execute(  # new documents and recall requests, and whom the axis delivered them to
                    select(messages.c.doc_id, messages.c.sender, deliveries.c.org_id, messages.c.code)
                    .join(deliveries, deliveries.c.message_id == messages.c.id)
                    .where(and_(messages.c.kind == "edoc", messages.c.code.in_(("", RECALL_MESSAGE))))
                    .order_by(messages.c.id, deliveries.c.id)).all()
                statuses = conn.execute(select(messages.c.doc_id, messages.c.sender, messages.c.code)
                                        .where(messages.c.kind == "status").order_by(messages.c.id)).all()
                traces = conn.execute(select(traces_table.c.doc_id, traces_table.c.org_id, traces_table.c.code,
                                             traces_table.c.at)
                                      .order_by(traces_table.c.id)).all()
                touched = conn.execute(  # what a seat fetched, and status packages it read
                    select(deliveries.c.org_id, messages.c.kind, messages.c.code, deliveries.c.updated_at,
                           messages.c.created_at)
                    .join(messages, messages.c.id == deliveries.c.message_id)
                    .where(deliveries.c.state != "pending")).all()
        finally:
            engine.dispose()
    handed = _handoffs(room.folder)
    docs = [(d, sender, org) for d, sender, org, code in sent if code == ""]
    recall_requests = [(d, sender, org) for d, sender, org, code in sent if code == RECALL_MESSAGE]
    reported: dict[str, dict[str, set[str]]] = {}  # seat -> DocumentId -> codes it reported
    for doc_id, sender, code in statuses:
        reported.setdefault(sender, {}).setdefault(doc_id, set()).add(code)
    rows = []
    for code, seat in held.items():
        mine = reported.get(code, {})
        sent_docs = tuple(dict.fromkeys(d for d, sender, org in docs if sender == code and org in held and org != code))
        delivered = tuple(dict.fromkeys(d for d, sender, org in docs if org == code and sender in held))
        not_taken = tuple(d for d in delivered if not mine.get(d))
        not_registered = tuple(d for d in delivered  # a document withdrawn (15) is owed nothing more
                               if ARRIVED in mine.get(d, ()) and not {ACCEPTED, REFUSED, RECALL_AGREED} & mine[d])
        recalls = tuple(dict.fromkeys(d for d, sender, org in recall_requests if org == code and sender in held))
        recall_unanswered = tuple(d for d in recalls if not {RECALL_AGREED, RECALL_REFUSED} & mine.get(d, set()))
        counts = Counter(c for d, sender, c in statuses if sender == code)
        last_at, last_action = _last(code, traces, touched, {(d, s) for d, s, _org in docs},
                                     [(h.sent_at.isoformat(), "handed") for h in handed.get(code, ())])
        unit = province.get(code)
        name = unit.name if unit else code
        rows.append(SeatProgress(seat["trainee"], code, name, seat["role"], sent_docs,
                                 delivered, not_taken, not_registered, recalls=recalls,
                                 recall_unanswered=recall_unanswered, statuses=dict(sorted(counts.items())),
                                 last_at=last_at, last_action=last_action,
                                 handoffs=handed.get(code, ()) if code in room.leaders else ()))
        if code in room.leaders:
            rows.append(_leader_row(room.leaders[code], code, name, handed.get(code, ())))
    return rows


def _handoffs(folder: Path) -> dict[str, tuple[Handoff, ...]]:
    """Every unit's hand-offs from the class's store (read-only), by unit code, oldest first."""
    from simulator.routing.handoffs import read_only

    found: dict[str, list[Handoff]] = {}
    with read_only(folder) as store:
        for h in store.everything() if store else ():
            found.setdefault(h.unit, []).append(h)
    return {unit: tuple(items) for unit, items in found.items()}


def _leader_row(held: dict, code: str, name: str, handed: tuple[Handoff, ...]) -> SeatProgress:
    """A unit's leader seat: what its clerk handed it and what it answered (its last action: its last answer)."""
    answers = [(h.answered_at, "leader_returned" if h.returned else "leader_signed" if h.kind == "sign"
                else "leader_assigned") for h in handed if h.answered_at]
    last, last_action = max(answers, key=lambda m: m[0]) if answers else (None, None)
    last_at = last.isoformat() if last else None
    return SeatProgress(held["trainee"], code, name, "leader", (), (), (), (), last_at=last_at,
                        last_action=last_action, handoffs=handed)


def _last(code: str, traces, touched, sent: set, handed=()) -> tuple[str | None, str | None]:
    """The seat's latest moment on the class axis and what it did then (``sent``: (DocumentId, sender);
    ``handed``: (moment, "handed") of what it handed its leader)."""
    moments = [(t.at, "recall" if t.code == RECALL_REQUESTED else f"status:{t.code}" if t.code
                else "sent" if (t.doc_id, code) in sent else "note") for t in traces if t.org_id == code]
    moments += [(_taken_at(d), "read_statuses" if d.kind != "edoc" else "fetched_recall" if d.code == RECALL_MESSAGE
                 else "fetched") for d in touched if d.org_id == code]
    moments += list(handed)
    if not moments:
        return None, None
    at, action = max(moments, key=lambda m: datetime.fromisoformat(m[0]))
    return at, action


def _taken_at(delivery) -> str:
    """When a seat took what was delivered to it: a document is taken only once the seat's clock reaches the
    moment it was sent (simulator.lab.classroom), though the seat may have read it from the axis earlier (and
    left it until then): never before its sending."""
    if delivery.kind != "edoc":
        return delivery.updated_at
    return max(delivery.updated_at, delivery.created_at, key=datetime.fromisoformat)

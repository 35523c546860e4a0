"""Where each trainee of a live class stands, from the class's axis database (opened read-only).

The instructor cannot read the trainees' work folders on a hub, but every exchange between the seats of a
class passes through the class's axis (``axis.sqlite`` in the class folder, :mod:`simulator.seat.classroom`):
who sent which document to which seat, which statuses each seat reported, when each seat fetched a document
or read the statuses sent back to it. :func:`class_progress` reads those tables (no server needed) and gives
one row per seat trainees hold:

- the documents the seat sent to other seats trainees hold, and those delivered to it by them;
- where it is stuck: delivered documents it has not taken yet (no 01 reported) or taken but neither
  registered (no 03) nor returned (no 02);
- the statuses it reported, by code, and its last action on the class axis (world time: the clocks of
  the seats, which are the moments the axis records).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

ARRIVED, REFUSED, ACCEPTED, RECALL_REQUESTED = "01", "02", "03", "13"


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
    not_registered: tuple[str, ...]    # 01 reported, neither 03 nor 02 yet
    statuses: dict[str, int] = field(default_factory=dict)  # status code -> how many it reported
    last_at: str | None = None         # its last action on the class axis (ISO 8601, Vietnam time)
    last_action: str | None = None     # "sent", "recall", "status:NN", "fetched", "read_statuses", "note"

    @property
    def stuck(self) -> tuple[str, ...]:
        return self.not_taken + self.not_registered

    def as_dict(self) -> dict:
        return dict(asdict(self), stuck=list(self.stuck))


def class_progress(class_folder: str | Path) -> list[SeatProgress]:
    """One :class:`SeatProgress` per seat the class handed out, in the order of the class's units.

    Raises :class:`simulator.errors.UserError` when ``class_folder`` holds no class. A class whose axis has
    never been served has exchanged nothing yet: every seat with empty figures."""
    from sqlalchemy import and_, create_engine, select

    from simulator.province import load_province
    from simulator.routing.axis import deliveries, messages, traces_table
    from simulator.seat.classroom import ClassRoom

    room = ClassRoom.read(class_folder)
    province = load_province(room.province, room.structure)
    held = {code: room.seats[code] for code in sorted(room.seats, key=lambda c: (
        room.units.index(c) if c in room.units else len(room.units), c))}
    database = room.folder / "axis.sqlite"
    docs, statuses, traces, touched = [], [], [], []
    if database.is_file():
        engine = create_engine(f"sqlite:///file:{database.resolve()}?mode=ro&uri=true")
        try:
            with engine.connect() as conn:
                docs = conn.execute(  # new documents (not recalls or updates) and whom the axis delivered them to
                    select(messages.c.doc_id, messages.c.sender, deliveries.c.org_id)
                    .join(deliveries, deliveries.c.message_id == messages.c.id)
                    .where(and_(messages.c.kind == "edoc", messages.c.code == ""))
                    .order_by(messages.c.id, deliveries.c.id)).all()
                statuses = conn.execute(select(messages.c.doc_id, messages.c.sender, messages.c.code)
                                        .where(messages.c.kind == "status").order_by(messages.c.id)).all()
                traces = conn.execute(select(traces_table.c.doc_id, traces_table.c.org_id, traces_table.c.code,
                                             traces_table.c.at)
                                      .order_by(traces_table.c.id)).all()
                touched = conn.execute(  # what a seat fetched, and status packages it read
                    select(deliveries.c.org_id, messages.c.kind, deliveries.c.updated_at)
                    .join(messages, messages.c.id == deliveries.c.message_id)
                    .where(deliveries.c.state != "pending")).all()
        finally:
            engine.dispose()
    reported: dict[str, dict[str, set[str]]] = {}  # seat -> DocumentId -> codes it reported
    for doc_id, sender, code in statuses:
        reported.setdefault(sender, {}).setdefault(doc_id, set()).add(code)
    rows = []
    for code, seat in held.items():
        mine = reported.get(code, {})
        sent = tuple(dict.fromkeys(d for d, sender, org in docs if sender == code and org in held and org != code))
        delivered = tuple(dict.fromkeys(d for d, sender, org in docs if org == code and sender in held))
        not_taken = tuple(d for d in delivered if not mine.get(d))
        not_registered = tuple(d for d in delivered
                               if ARRIVED in mine.get(d, ()) and not {ACCEPTED, REFUSED} & mine[d])
        counts = Counter(c for d, sender, c in statuses if sender == code)
        last_at, last_action = _last(code, traces, touched, {(d, s) for d, s, _org in docs})
        unit = province.get(code)
        rows.append(SeatProgress(seat["trainee"], code, unit.name if unit else code, seat["role"], sent, delivered,
                                 not_taken, not_registered, dict(sorted(counts.items())), last_at, last_action))
    return rows


def _last(code: str, traces, touched, sent: set) -> tuple[str | None, str | None]:
    """The seat's latest moment on the class axis and what it did then (``sent``: (DocumentId, sender))."""
    moments = [(t.at, "recall" if t.code == RECALL_REQUESTED else f"status:{t.code}" if t.code
                else "sent" if (t.doc_id, code) in sent else "note") for t in traces if t.org_id == code]
    moments += [(d.updated_at, "fetched" if d.kind == "edoc" else "read_statuses") for d in touched
                if d.org_id == code]
    if not moments:
        return None, None
    at, action = max(moments, key=lambda m: datetime.fromisoformat(m[0]))
    return at, action

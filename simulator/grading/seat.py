"""Reading a trainee's work folder as the grader: whose it is, whether the journal
is intact, and what their world (recomputed from their id) sent them.

Nothing here trusts the trainee's files for what the answer should be: the
journal's decisions are replayed, once, through the trainee's world rebuilt
from the seed derived from their id (:class:`simulator.seat.SeatWorld`), which
says what arrived, which were traps and what the senders answered; the files
are only evidence of what the trainee did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from simulator.calendar import VN_TZ, WorkingCalendar, default_calendar
from simulator.grading.quiet import quiet
from simulator.grading.result import Result, zero
from simulator.i18n import translator

_ = translator("grading")
_c = translator("classroom")  # a class seat's messages (simulator.seat.classroom)

MIN_ARRIVALS = 4          # a world smaller than this is not the exercise
MIN_TRAP_SHARE = 0.3      # nor one with (almost) no traps in it


class NotTheirWork(Exception):
    """The folder cannot be graded for this trainee; the message says why (0 points)."""


def graded(max_points: float, body: Callable[[], Result]) -> Result:
    """What ``body`` grades, quietly (no library warnings in the feedback); 0 points with the reason when the
    folder is not the trainee's work."""
    with quiet():
        try:
            return body()
        except NotTheirWork as problem:
            return zero(max_points, str(problem))


@dataclass
class SeatView:
    folder: Path
    trainee: str
    config: Any                # simulator.seat.SeatConfig
    province: Any
    unit: Any
    arrivals: list             # simulator.seat.Arrival: what the trainee's world sent, with the senders' answers
    entries: list[dict]        # the journal, verified intact
    calendar: WorkingCalendar
    room: Any = None           # simulator.seat.classroom.ClassRoom: the class of a class seat (None: a seat alone)

    def actions(self, *names: str) -> list[dict]:
        return [e for e in self.entries if e["action"] in names]

    def received(self) -> dict[str, dict]:
        return {e["data"]["item"]: e["data"] for e in self.actions("receive")}

    def last(self, action: str, item: str, key: str = "item") -> dict | None:
        found = [e["data"] for e in self.actions(action) if e["data"].get(key) == item]
        return found[-1] if found else None

    def recalled(self) -> set[str]:
        """Items the sender takes back later (a recall arrival names them): not replied to, not filed."""
        return {f"{a.recalls:03d}" for a in self.arrivals if a.trap == "recall"}

    @property
    def leader_name(self) -> str:
        from simulator.documents import ContentGenerator

        return ContentGenerator(self.config.leader_seed).person_name()

    def expected_document(self, index: int):
        """The document arrival ``index`` carries (a recall the earlier one, a corrected copy the refused one's
        number and date)."""
        from simulator.seat import document_of

        return document_of(self.arrivals, index, self.unit, self.province)

    def due(self, index: int) -> datetime:
        """The registration deadline of arrival ``index``: the desk's own rule (one rule, one answer)."""
        from simulator.seat import registration_due

        return registration_due(self.arrivals[index], self.calendar)


def open_seat(folder: str | Path, trainee_id: Any, *, need_arrivals: bool = True,
              classroom: str | Path | None = None) -> SeatView:
    """The work folder as evidence for ``trainee_id``; raises :class:`NotTheirWork` with the reason.

    A class seat is checked against the class file (``classroom``: the class folder; default the one the
    seat names): the class must have handed this seat to this trainee, in the class's world."""
    from simulator.province import load_province
    from simulator.seat import ALLOWED_SCENARIOS, SEAT_FILE, Journal, SeatConfig, seed_for

    if type(trainee_id) is not str or not trainee_id.strip():
        raise NotTheirWork(_("The trainee id is missing; open the notebook from your own account."))
    folder = Path(folder)
    seat_file = folder / SEAT_FILE
    if not seat_file.is_file():
        raise NotTheirWork(_("No work folder at {folder}: run the first cell of the assignment to open your "
                             "desk, do the work, then submit.", folder=folder))
    try:
        config = SeatConfig.read(folder)
    except (ValueError, TypeError):
        raise NotTheirWork(_("The file {file} in the work folder is damaged; open a new desk and do the work "
                             "again.", file=SEAT_FILE)) from None
    room = _class_of(config, trainee_id, classroom) if config.classroom else None
    if config.trainee != trainee_id or (room is None and config.seed != seed_for(trainee_id)):
        raise NotTheirWork(_("This work folder belongs to another trainee ({other}), not to {me}: everyone works "
                             "in their own world, copied work gets no points.",
                             other=config.trainee or "?", me=trainee_id))
    journal = Journal(folder / "journal.jsonl")
    breaks = journal.verify()
    if breaks:
        first = breaks[0]
        raise NotTheirWork(_("The journal was changed by hand (line {line}: {reason}); a changed journal gets no "
                             "points. Open a new desk and do the work again in it.",
                             line=first.line, reason=_chain_reason(first.reason)))
    entries = list(journal.entries())
    if not entries or entries[0]["action"] != "open" or entries[0]["data"].get("seed") != config.seed:
        raise NotTheirWork(_("The journal does not start with opening this desk; open a new desk and do the "
                             "work again in it."))
    if getattr(config, "scenario", "plan-2020") not in ALLOWED_SCENARIOS:
        raise NotTheirWork(_("This desk was opened in another world than the assignment's; run the assignment's "
                             "first cell as it is."))
    if need_arrivals and (config.arrivals < MIN_ARRIVALS or config.trap_share < MIN_TRAP_SHARE):
        raise NotTheirWork(_("This desk was opened with fewer documents or traps than the assignment sets; run "
                             "the assignment's first cell as it is."))
    province = load_province(config.province, config.structure)
    unit = province.unit(config.unit_code)
    calendar = default_calendar()
    arrivals = replay_world(config, province, unit, calendar, entries).arrivals
    view = SeatView(folder, trainee_id, config, province, unit, arrivals, entries, calendar, room)
    # what was received must be what this trainee's world sent (not documents from someone else's folder)
    for item, data in view.received().items():
        index = int(item) if item.isdigit() else -1
        if not 0 <= index < len(arrivals) or data.get("document_id") != view.expected_document(index).document_id:
            raise NotTheirWork(_("Document {item} in the work folder is not one your world sent you; copied work "
                                 "gets no points.", item=item))
    return view


def _class_of(config, trainee_id: str, classroom):
    """The class a class seat belongs to, after checking the seat is this trainee's in the class's world."""
    from simulator.errors import UserError
    from simulator.seat.classroom import ClassRoom

    try:
        room = ClassRoom.read(classroom or config.classroom.get("class_folder") or "")
    except UserError as problem:
        raise NotTheirWork(str(problem)) from None
    world = (room.seed, room.start, room.scenario, room.structure, room.province, room.district)
    holder = (room.leaders.get(config.unit_code) or {}).get("trainee") if config.role == "leader" \
        else room.holder(config.unit_code)   # a unit's leader seat beside its clerk's, or the clerk's
    if holder != trainee_id or world != (
            config.seed, config.start, config.scenario, config.structure, config.province,
            config.classroom.get("district")):
        raise NotTheirWork(_c("This work folder is not the seat the class handed to {me}; work only in your own "
                             "seat.", me=trainee_id))
    return room


def _chain_reason(reason: str) -> str:
    return {
        "not UTF-8": _("not UTF-8 text"),
        "not JSON": _("not a JSON line"),
        "missing hash": _("the line has no hash"),
        "previous hash does not match": _("the link to the line before is broken"),
        "sequence number out of order": _("lines are missing or out of order"),
        "line changed after it was written": _("the line was changed after it was written"),
    }.get(reason, reason)


def replay_world(config, province, unit, calendar, entries: list[dict]):
    """The trainee's world with the journal's decisions replayed through it, once, up to the journal's
    last moment (the end of its last wait): what arrived, which were traps, what the senders answered."""
    from simulator.seat import SeatWorld

    world = SeatWorld(config, province, unit, calendar)
    last = None
    for entry in entries:
        at = vn_naive(datetime.fromisoformat(entry["at"]))
        world.follow(entry["action"], entry["data"], at)
        last = vn_naive(datetime.fromisoformat(entry["data"]["until"])) if entry["action"] == "wait" else at
    if last is not None:
        world.advance(last)
    return world


def vn_naive(moment: datetime) -> datetime:
    """A register time as Vietnam wall-clock time without tzinfo (the calendar's convention)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(VN_TZ)
    return moment.replace(tzinfo=None)


def class_exchange(view: SeatView) -> dict:
    """What a class seat exchanged with the other seats, from its journal checked against the class's axis
    database (opened read-only: the grader needs no running server):

    ``received``: item -> {"document_id", "sender", "status"} (and ``"recall": True`` for a sender's recall
    request): each document taken from the class axis, which must have been delivered there to this seat
    with the very envelope the journal's SHA-256 names;
    ``sent``: DocumentId -> {recipient: [status codes]}: what the seat dispatched to seats trainees hold, and
    the statuses those recipients reported on the class axis;
    ``recalls``: DocumentId -> {"reason", "answers": {recipient: "15" | "16" | None}}: what the seat recalled,
    the seats trainees hold answering on the class axis (which must hold the request), the units nobody holds
    as the world's automated desks answered (the journal's ``recall_answers``).
    Raises :class:`NotTheirWork` when the journal names a document the class axis never delivered here."""
    import hashlib

    from sqlalchemy import and_, create_engine, select

    from simulator.routing.axis_tables import deliveries, messages, traces_table

    if view.room is None:
        return {"received": {}, "sent": {}, "recalls": {}}
    database = view.room.folder / "axis.sqlite"
    if not database.is_file():
        raise NotTheirWork(_c("The class's axis database {file} is missing.", file=database))
    engine = create_engine(f"sqlite:///file:{database.resolve()}?mode=ro&uri=true")
    me, received, sent, recalls = view.config.unit_code, {}, {}, {}
    status_of = {}
    for entry in view.entries:  # the last status each item reached (the workflow's journal lines carry it)
        item = entry["data"].get("item")
        if item and "status" in entry["data"]:
            status_of[item] = entry["data"]["status"]
        if entry["action"] == "recall" and entry["data"].get("agree") and entry["data"].get("recalled"):
            status_of[entry["data"]["recalled"]] = "recalled"  # the recall agreed withdraws the earlier one
    try:
        with engine.connect() as conn:
            for line in view.actions("class_receive"):
                data = line["data"]
                payloads = conn.execute(
                    select(messages.c.payload).join(deliveries, deliveries.c.message_id == messages.c.id)
                    .where(and_(messages.c.kind == "edoc", messages.c.doc_id == data["document_id"],
                                deliveries.c.org_id == me))).scalars().all()
                if not any(hashlib.sha256(bytes(p)).hexdigest() == data.get("sha256") for p in payloads):
                    raise NotTheirWork(_c("Document {item} in the work folder did not come to your seat through the "
                                         "class's axis; copied work gets no points.", item=data["item"]))
                received[data["item"]] = {"document_id": data["document_id"], "sender": data["sender"],
                                          "status": status_of.get(data["item"]),
                                          **({"recall": True} if data.get("business") == 1 else {})}
            for line in view.actions("class_sent"):
                doc_id, held = line["data"]["document_id"], line["data"]["held"]
                rows = conn.execute(select(traces_table.c.org_id, traces_table.c.code)
                                    .where(traces_table.c.doc_id == doc_id).order_by(traces_table.c.id)).all()
                sent[doc_id] = {org: [code for o, code in rows if o == org and code] for org in held}
            world = {(line["data"]["document_id"], answer["org"]): answer["code"]
                     for line in view.actions("recall_answers") for answer in line["data"]["answers"]}
            for line in view.actions("recall_sent"):
                doc_id, data = line["data"]["document_id"], line["data"]
                held = next((s["data"]["held"] for s in view.actions("class_sent")
                             if s["data"]["document_id"] == doc_id), [])
                asked = conn.execute(select(messages.c.id).where(and_(
                    messages.c.kind == "edoc", messages.c.doc_id == doc_id, messages.c.sender == me,
                    messages.c.code == "B1"))).first()
                if held and asked is None:
                    raise NotTheirWork(_c("The recall of {doc_id} in the work folder never reached the class's "
                                         "axis.", doc_id=doc_id))
                codes = {org: code for org, code in conn.execute(
                    select(traces_table.c.org_id, traces_table.c.code).where(and_(
                        traces_table.c.doc_id == doc_id, traces_table.c.code.in_(("15", "16")))))}
                recalls[doc_id] = {"reason": data["reason"], "answers": {
                    org: codes.get(org) if org in held else world.get((doc_id, org)) for org in data["recipients"]}}
    finally:
        engine.dispose()
    return {"received": received, "sent": sent, "recalls": recalls}

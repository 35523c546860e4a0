"""The class assignment (can-bo-xa 08) for a unit's leader and for its clerk's hand-offs, checked against the
class's hand-off store (``handoffs.sqlite`` in the class folder, opened read-only: the journal alone is never
trusted).

A leader seat (``config.role == "leader"``) earns four points:

1. it signed a draft its clerk handed over: a ``leader_sign`` line whose SHA-256 is the stored signed PDF's;
2. that signature verifies against the class's PKI and is the unit's leader's personal signature;
3. it assigned a document its clerk handed over, with a handler and a due date the store holds;
4. it answered each hand-over by the next working day after it was handed (the calendar's one deadline rule).

A clerk whose leader seat a trainee holds signs and assigns through the leader: :func:`taken_from_leader` gives
the clerk's ``handoff_signed`` / ``handoff_assigned`` lines the store confirms, which the clerk's rubric
(:mod:`simulator.grading.class_work`) counts as the leader's signature and assignment.
"""

from __future__ import annotations

import hashlib
import tempfile
from datetime import datetime
from pathlib import Path

from simulator.grading.result import Marks, Result
from simulator.grading.seat import NotTheirWork, SeatView, vn_naive
from simulator.grading.values import same_text
from simulator.i18n import translator

_ = translator("grading")

HANDOFF_STORE = "handoffs.sqlite"   # in the class folder (simulator.seat.classroom)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def unit_handoffs(room, unit: str) -> list:
    """``unit``'s hand-offs as the class's store holds them (read-only; none when nothing was ever handed)."""
    from simulator.routing.handoffs import Handoffs

    path = Path(room.folder) / HANDOFF_STORE
    if not path.is_file():
        return []
    store = Handoffs(path, read_only=True)
    try:
        return store.of(unit)
    finally:
        store.close()


def signed_pdf(room, unit: str, handoff_id: int) -> bytes | None:
    """The signed PDF the leader of ``unit`` answered hand-off ``handoff_id`` with (None: none stored)."""
    from simulator.errors import UserError
    from simulator.routing.handoffs import Handoffs

    path = Path(room.folder) / HANDOFF_STORE
    if not path.is_file():
        return None
    store = Handoffs(path, read_only=True)
    try:
        return store.pdf(unit, handoff_id, answered=True)
    except UserError:
        return None
    finally:
        store.close()


def taken_from_leader(view: SeatView) -> dict[str, set[str]]:
    """What a clerk took from the unit's leader, as the store confirms it: ``{"signed": {out ids},
    "assigned": {item ids}}`` (a journal line naming a hand-off the store does not hold answered, for this
    unit and this item, counts for nothing)."""
    unit = view.config.unit_code
    handoffs = {h.id: h for h in unit_handoffs(view.room, unit) if h.answered}
    signed, assigned = set(), set()
    for line in view.actions("handoff_signed"):
        data = line["data"]
        h = handoffs.get(data.get("handoff"))
        if h is not None and h.kind == "sign" and h.ref == f"out:{data.get('out')}":
            pdf = signed_pdf(view.room, unit, h.id)
            if pdf is not None and _sha(pdf) == data.get("sha256"):
                signed.add(data["out"])
    for line in view.actions("handoff_assigned"):
        data = line["data"]
        h = handoffs.get(data.get("handoff"))
        if (h is not None and h.kind == "assign" and h.ref == data.get("item")
                and (h.answer or {}).get("handler") == data.get("handler")):
            assigned.add(data["item"])
    return {"signed": signed, "assigned": assigned}


def open_leader_seat(folder: str | Path, trainee_id: str) -> SeatView:
    """A leader seat's work folder as evidence for ``trainee_id``: the class handed this unit's leader seat to
    this trainee in the class's world, and the journal is intact from its opening. Raises
    :class:`NotTheirWork` with the reason.

    (:func:`simulator.grading.seat.open_seat` checks a class seat against the unit's clerk; a leader seat has no
    world of its own to replay.)"""
    from simulator.errors import UserError
    from simulator.calendar import default_calendar
    from simulator.grading.seat import _chain_reason
    from simulator.province import load_province
    from simulator.seat import Journal, SeatConfig
    from simulator.seat.classroom import ClassRoom

    folder = Path(folder)
    try:
        config = SeatConfig.read(folder)
        room = ClassRoom.read((config.classroom or {}).get("class_folder") or "")
    except (OSError, ValueError, TypeError, UserError):
        raise NotTheirWork(_("This work folder is not a seat of a class: open it from the seat the instructor "
                             "handed you (class_ticket).")) from None
    held = room.leaders.get(config.unit_code) or {}
    world = (room.seed, room.start, room.scenario, room.structure, room.province, room.district)
    if held.get("trainee") != trainee_id or config.trainee != trainee_id or world != (
            config.seed, config.start, config.scenario, config.structure, config.province,
            config.classroom.get("district")):
        raise NotTheirWork(_("This work folder belongs to another trainee ({other}), not to {me}: everyone works "
                             "in their own world, copied work gets no points.",
                             other=config.trainee or "?", me=trainee_id))
    journal = Journal(folder / "journal.jsonl")
    breaks = journal.verify()
    if breaks:
        raise NotTheirWork(_("The journal was changed by hand (line {line}: {reason}); a changed journal gets no "
                             "points. Open a new desk and do the work again in it.",
                             line=breaks[0].line, reason=_chain_reason(breaks[0].reason)))
    entries = list(journal.entries())
    if not entries or entries[0]["action"] != "open" or entries[0]["data"].get("seed") != config.seed:
        raise NotTheirWork(_("The journal does not start with opening this desk; open a new desk and do the "
                             "work again in it."))
    province = load_province(config.province, config.structure)
    return SeatView(folder, trainee_id, config, province, province.unit(config.unit_code), [], entries,
                    default_calendar(), room)


def _last_moment(view: SeatView) -> datetime | None:
    """The leader's clock at the journal's end (the end of its last wait)."""
    last = None
    for entry in view.entries:
        at = vn_naive(datetime.fromisoformat(entry["data"]["until"] if entry["action"] == "wait" else entry["at"]))
        last = max(last, at) if last else at
    return last


def _signature_of_leader(view: SeatView, pdf: bytes, at: datetime) -> bool:
    """``pdf`` carries one signature that verifies against the class's PKI: the personal signature of the
    unit's leader."""
    from simulator.calendar import VN_TZ
    from simulator.signing import TrainingPKI, verify

    pki = TrainingPKI.open(Path(view.room.folder) / "pki")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "signed.pdf"
        path.write_bytes(pdf)
        report = verify(path, pki, at=at.astimezone(VN_TZ) if at.tzinfo else at.replace(tzinfo=VN_TZ))
    sigs = report.signatures
    # the signature itself (the report as a whole waits for the agency seal a draft does not carry yet)
    return (len(sigs) == 1 and sigs[0].indication == "TOTAL_PASSED" and sigs[0].role == "person"
            and sigs[0].unit_code == view.unit.code and same_text(sigs[0].signer, view.leader_name, fold=True))


def grade_leader(view: SeatView) -> Result:
    """The leader's four checks (see the module docstring)."""
    unit = view.config.unit_code
    handoffs = {h.id: h for h in unit_handoffs(view.room, unit)}
    marks = Marks()

    signed = []   # (hand-off, signed PDF) the store confirms
    for line in view.actions("leader_sign"):
        h = handoffs.get(line["data"].get("handoff"))
        pdf = signed_pdf(view.room, unit, h.id) if h is not None and h.kind == "sign" and h.answered else None
        if pdf is not None and _sha(pdf) == line["data"].get("sha256"):
            signed.append((h, pdf))
    marks.check(bool(signed), 1, _("Sign a draft the clerk handed over: “Receive documents handed over”, read it, "
                                   "then “Sign”."))
    marks.check(any(_signature_of_leader(view, pdf, h.answered_at) for h, pdf in signed), 1,
                _("The signature on the draft you signed must be your own personal signature as the leader of "
                  "{unit} ({leader}), and it must verify against the class's certificates.",
                  unit=view.unit.name, leader=view.leader_name))

    assigned = []
    for line in view.actions("leader_assign"):
        data = line["data"]
        h = handoffs.get(data.get("handoff"))
        answer = (h.answer or {}) if h is not None else {}
        if (h is not None and h.kind == "assign" and h.answered and str(answer.get("handler") or "").strip()
                and answer.get("due") and (answer.get("handler"), answer.get("due")) == (data.get("handler"),
                                                                                       data.get("due"))):
            assigned.append(h)
    marks.check(bool(assigned), 1, _("Assign a document the clerk handed over: name who handles it and by when "
                                     "(“Assign for handling”)."))

    now = _last_moment(view)
    late = []
    for h in handoffs.values():
        handed = vn_naive(h.sent_at)
        due = view.calendar.due(handed)   # the same day, at the latest the close of the next working day
        if h.answered:
            if vn_naive(h.answered_at) > due:
                late.append((h, due))
        elif now is not None and now > due:
            late.append((h, due))
    answered = any(h.answered for h in handoffs.values())
    marks.check(answered and not late, 1,
                _("Answer each document the clerk hands over by the end of the next working day after it was "
                  "handed ({late}).", late="; ".join(
                      _("“{subject}” due {due}", subject=h.subject, due=due.strftime("%d/%m/%Y %H:%M"))
                      for h, due in late) or _("nothing answered yet")))
    return marks.result()

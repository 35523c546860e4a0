"""The class assignment (can-bo-xa 08): documents exchanged between seats trainees hold, through the class's axis.

Each trainee is graded on their own journal, checked against the class's axis database opened read-only
(:func:`simulator.grading.seat.class_exchange`): a document the axis never delivered to the seat, or someone
else's folder, earns nothing. The class's own unit (the district's or department's clerk) sends; the other
seats receive; a unit's leader seat signs and assigns what its clerk hands over
(:mod:`simulator.grading.class_leader`, checked against the class's hand-off store). Four checks each:

- the sender: the leader signed before the clerk numbered and sealed; dispatched to at least two seats trainees
  hold; took back statuses the recipients reported, and all of those they have reported by the time of grading
  (the sender is graded on taking them, not on the recipients' work);
- a receiver: took the document from the class's axis; verified it before anything else; registered it by the
  deadline (the next working day); submitted it to the leader and assigned a handler;
- a leader: see :mod:`simulator.grading.class_leader`.

A clerk whose unit's leader seat a trainee holds has the leader's signature and assignment taken through a
hand-off (``handoff_signed``, ``handoff_assigned``, confirmed by the store) where a clerk alone signs and assigns
at the desk (``sign``, ``assign``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from simulator.grading.class_leader import grade_leader, handed_to_leader, taken_from_leader
from simulator.grading.result import Marks, Result, zero
from simulator.grading.seat import SeatView, class_exchange, graded, open_seat
from simulator.i18n import translator

_ = translator("grading")

POINTS = 4
MIN_SEATS = 2   # the sender writes to at least two seats trainees hold


def grade_class_exchange(folder: str | Path, trainee_id: str) -> Result:
    """The class exchange of the seat in ``folder``, as the sender, as a receiver or as a unit's leader
    (4 checks)."""
    def body() -> Result:
        view = open_seat(folder, trainee_id, need_arrivals=False)
        if view.room is None:
            return zero(POINTS, _("This work folder is not a seat of a class: open it from the seat the instructor "
                                  "handed you (class_ticket)."))
        if view.config.role == "leader":
            return grade_leader(view)
        work = class_exchange(view)
        if view.config.unit_code == view.room.unit:
            return _as_sender(view, work)
        return _as_receiver(view, work)

    return graded(POINTS, body)


def _at(entry: dict) -> datetime:
    return datetime.fromisoformat(entry["at"])


def _as_sender(view: SeatView, work: dict) -> Result:
    marks = Marks()
    sent = [line["data"] for line in view.actions("class_sent")]
    wide = [s for s in sent if len(s["held"]) >= MIN_SEATS]
    out = wide[0]["out"] if wide else (sent[0]["out"] if sent else None)
    by_leader = taken_from_leader(view)["signed"]   # the leader's signature taken through a hand-off
    order = [e["action"] if e["action"] != "handoff_signed" else "sign" for e in view.entries
             if e["data"].get("out") == out and (e["action"] in ("sign", "seal") or
                                                 (e["action"] == "handoff_signed" and out in by_leader))]
    marks.check(order[:2] == ["sign", "seal"], 1,
                _("Draft a document to the other seats, have the leader sign it, then number and seal it (in that "
                  "order)."))
    marks.check(bool(wide), 1, _("Dispatch the document to at least {n} seats other trainees hold.", n=MIN_SEATS))
    doc_id = wide[0]["document_id"] if wide else None
    taken = {(s["org"], s["code"]) for line in view.actions("class_status") for s in line["data"]["statuses"]
             if s["document_id"] == doc_id}
    reported = {(org, code) for org, codes in work["sent"].get(doc_id, {}).items() for code in codes}
    marks.check(bool(taken & reported), 1,
                _("No status has come back yet: when the recipients have received and registered it, press “Get the "
                  "class's documents”."))
    marks.check(bool(reported) and reported <= taken, 1,
                _("Take back every status the recipients have reported ({missing}): press “Get the class's "
                  "documents”.", missing=", ".join(f"{org} {code}" for org, code in sorted(reported - taken)) or "-"))
    return marks.result()


def _as_receiver(view: SeatView, work: dict) -> Result:
    from simulator.lab.classroom import class_arrival
    from simulator.routing import edxml
    from simulator.seat import registration_due

    marks = Marks()
    received = [line["data"] for line in view.actions("class_receive")]
    marks.check(bool(work["received"]), 1, _("Take the document the class's sender dispatched to you (“Get new "
                                             "documents” once your clock has reached its sending time)."))
    item = received[0]["item"] if received else None
    steps = [e for e in view.entries if e["data"].get("item") == item and e["action"] not in ("class_receive",)]
    marks.check(bool(steps) and steps[0]["action"] == "verify", 1,
                _("Verify the signatures of the document before registering it."))
    register = next((e for e in steps if e["action"] == "register"), None)
    in_time = False
    if register is not None:   # the desk's deadline, from the envelope the class's axis delivered (checked above)
        envelope = edxml.parse((Path(view.folder) / "inbox" / item / "envelope.xml").read_bytes())
        due = registration_due(class_arrival(received[0], envelope), view.calendar)
        in_time = _at(register).replace(tzinfo=None) <= due
    marks.check(in_time, 1, _("Register the document by the end of the next working day after it arrived."))
    # with a leader trainee at the unit, handing the document over is the clerk's part; the assignment is theirs
    by_leader = item in taken_from_leader(view)["assigned"] or item in handed_to_leader(view)
    done = {e["action"] for e in steps} | ({"assign"} if by_leader else set())
    marks.check({"submit", "assign"} <= done, 1, _("Submit the document to the leader and assign a handler."))
    return marks.result()

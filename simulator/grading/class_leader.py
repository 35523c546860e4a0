"""The class assignment (can-bo-xa 08) for a unit's leader and for its clerk's hand-offs, checked against the
class's hand-off store (``handoffs.sqlite`` in the class folder, opened read-only: the journal alone is never
trusted).

A leader seat (``config.role == "leader"``) is graded on what its clerk handed over (a district's leader
signs the draft, a commune's leader assigns the district's document), four points:

1. it answered a hand-over: a ``leader_sign`` line whose SHA-256 is the stored signed PDF's, or a
   ``leader_assign`` line whose handler and due date are the store's;
2. each draft it signed verifies against the class's PKI and carries the unit's leader's personal signature;
3. each document it assigned names a handler and a due date, as the store holds them;
4. it answered each hand-over by the next working day after it was handed (the calendar's one deadline rule).

A clerk whose leader seat a trainee holds signs and assigns through the leader: :func:`taken_from_leader` gives
the clerk's ``handoff_signed`` / ``handoff_assigned`` lines the store confirms, and :func:`handed_to_leader`
what it handed over, which the clerk's rubric (:mod:`simulator.grading.class_work`) counts as its part.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from simulator.grading.result import Marks, Result
from simulator.grading.seat import SeatView, vn_naive
from simulator.grading.values import same_text
from simulator.i18n import translator

_ = translator("grading")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stored(view: SeatView) -> tuple[dict, dict[int, bytes]]:
    """The seat's unit's hand-offs as the class's store holds them (read once, read-only): by id, and the signed
    PDFs of the drafts its leader signed."""
    from simulator.routing.handoffs import read_only

    unit = view.config.unit_code
    with read_only(view.room.folder) as store:
        handoffs = {h.id: h for h in store.of(unit)} if store else {}
        signed = {h.id: store.pdf(unit, h.id, answered=True) for h in handoffs.values()
                  if h.kind == "sign" and h.answered and not h.returned}
    return handoffs, signed


def taken_from_leader(view: SeatView) -> dict[str, set[str]]:
    """What a clerk took from the unit's leader, as the store confirms it: ``{"signed": {out ids},
    "assigned": {item ids}}`` (a journal line naming a hand-off the store does not hold answered, for this
    unit and this item, counts for nothing)."""
    handoffs, pdfs = _stored(view)
    signed, assigned = set(), set()
    for line in view.actions("handoff_signed"):
        data = line["data"]
        h = handoffs.get(data.get("handoff"))
        if (h is not None and h.ref == f"out:{data.get('out')}" and h.id in pdfs
                and _sha(pdfs[h.id]) == data.get("sha256")):
            signed.add(data["out"])
    for line in view.actions("handoff_assigned"):
        data = line["data"]
        h = handoffs.get(data.get("handoff"))
        if (h is not None and h.kind == "assign" and h.answered and h.ref == data.get("item")
                and (h.answer or {}).get("handler") == data.get("handler")):
            assigned.add(data["item"])
    return {"signed": signed, "assigned": assigned}


def handed_to_leader(view: SeatView) -> set[str]:
    """The inbox items a clerk handed to the unit's leader trainee for assignment, as the store confirms it
    (answered or not: assigning them is the leader's work, graded on the leader)."""
    stored = {(h.id, h.ref) for h in _stored(view)[0].values() if h.kind == "assign"}
    return {line["data"].get("item") for line in view.actions("handoff_assign")
            if (line["data"].get("handoff"), line["data"].get("item")) in stored}


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
    from simulator.signing import TrainingPKI
    from simulator.signing.runner import run_sync
    from simulator.signing.verify import async_verify_bytes

    pki = TrainingPKI.open(Path(view.room.folder) / "pki")
    moment = at.astimezone(VN_TZ) if at.tzinfo else at.replace(tzinfo=VN_TZ)
    report = run_sync(lambda: async_verify_bytes(pdf, "signed.pdf", pki, moment))
    sigs = report.signatures
    # the signature itself (the report as a whole waits for the agency seal a draft does not carry yet)
    return (len(sigs) == 1 and sigs[0].indication == "TOTAL_PASSED" and sigs[0].role == "person"
            and sigs[0].unit_code == view.unit.code and same_text(sigs[0].signer, view.leader_name, fold=True))


def grade_leader(view: SeatView) -> Result:
    """The leader's four checks (see the module docstring)."""
    handoffs, pdfs = _stored(view)
    marks = Marks()

    signed = []   # (hand-off, signed PDF) the store confirms
    for line in view.actions("leader_sign"):
        h = handoffs.get(line["data"].get("handoff"))
        if h is not None and h.id in pdfs and _sha(pdfs[h.id]) == line["data"].get("sha256"):
            signed.append((h, pdfs[h.id]))
    assigned = []
    for line in view.actions("leader_assign"):
        data = line["data"]
        h = handoffs.get(data.get("handoff"))
        answer = (h.answer or {}) if h is not None else {}
        if (h is not None and h.kind == "assign" and h.answered and str(answer.get("handler") or "").strip()
                and answer.get("due") and (answer.get("handler"), answer.get("due")) == (data.get("handler"),
                                                                                       data.get("due"))):
            assigned.append(h)

    # what the clerk handed over decides what is asked: a draft to sign, a document to assign, or both
    answered_something = bool(signed or assigned)
    marks.check(answered_something, 1, _("Answer what the clerk hands over (“Receive documents handed over”): sign "
                                         "the draft, or assign the document."))
    marks.check(answered_something and all(_signature_of_leader(view, pdf, h.answered_at) for h, pdf in signed), 1,
                _("The signature on each draft you sign must be your own personal signature as the leader of "
                  "{unit} ({leader}), and it must verify against the class's certificates.",
                  unit=view.unit.name, leader=view.leader_name))
    to_assign = [h for h in handoffs.values() if h.kind == "assign" and h.answered]
    marks.check(answered_something and all(h in assigned for h in to_assign), 1,
                _("Each document you assign names who handles it and by when (“Assign for handling”)."))

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

"""The words of a class's views (the class panel, the instructor's live view, ``vbdt class status``): QCVN 102
status codes, roles, a seat's last action, a DocumentId as people read it, where a seat is stuck. No widgets
here: the command line and the desks say the same things."""

from __future__ import annotations

from simulator.calendar import vn_datetime
from simulator.i18n import translator

_ = translator("lab")
_c = translator("classroom")   # the words of a unit's leader seat (hand-offs)

EDXML_STATUS = {  # QCVN 102 status codes, as the sender reads them (msgids)
    "01": "arrived", "02": "refused", "03": "accepted", "04": "waiting for assignment",
    "05": "assigned, in handling", "06": "done", "13": "recall requested", "15": "recall agreed",
    "16": "recall refused", "": "sent",
}
ROLE_WORDS = {"clerk": "clerk", "leader": "leader"}  # msgids
ACTION_WORDS = {  # msgids; the actions of simulator.seat.class_progress
    "sent": "sent a document", "recall": "asked to recall a document", "fetched": "took a document",
    "fetched_recall": "took a recall request", "read_statuses": "read the statuses sent back",
    "note": "added a note to a trace",
}
HANDOFF_ACTION_WORDS = {  # msgids of the classroom domain: the hand-offs between a unit's clerk and leader
    "handed": "handed a document to the leader", "leader_signed": "signed a draft handed over",
    "leader_assigned": "assigned a document handed over", "leader_returned": "returned a draft to the clerk",
}
WAITING_WORDS = {"sign": "waiting for the leader to sign", "assign": "waiting for the leader to assign"}  # msgids


def role_words(role: str) -> str:
    return _(ROLE_WORDS[role]) if role in ROLE_WORDS else role


def status_words(code: str) -> str:
    """"03 đã tiếp nhận": the code and the words the desks use for it."""
    return f"{code} {_(EDXML_STATUS[code])}" if code in EDXML_STATUS else code


def action_words(action: str | None) -> str:
    if not action:
        return ""
    if action.startswith("status:"):
        return _("reported status {status}", status=status_words(action.split(":", 1)[1]))
    if action in HANDOFF_ACTION_WORDS:
        return _c(HANDOFF_ACTION_WORDS[action])
    return _(ACTION_WORDS[action]) if action in ACTION_WORDS else action


def short_id(doc_id: str) -> str:
    """A DocumentId as people read it: its number and notation with the day it was issued
    ("12/UBND-VP, 03/03/2025")."""
    parts = doc_id.split(",")
    if len(parts) < 3:
        return doc_id
    day = parts[1].split("/")
    return f"{parts[-1]}, {'/'.join(reversed(day))}" if len(day) == 3 else parts[-1]


def stuck_lines(row) -> list[str]:
    """Where a seat (:class:`simulator.seat.class_progress.SeatProgress`) is stuck: one line per document (a
    leader: one per hand-over waiting for it, with the moment it was handed, world time)."""
    waiting = row.waiting if row.role == "leader" else ()
    return ([f"{short_id(d)}: {_('not taken yet (no 01)')}" for d in row.not_taken]
            + [f"{short_id(d)}: {_('taken, not registered yet (no 03)')}" for d in row.not_registered]
            + [f"{short_id(d)}: {_('recall request not answered yet (no 15 or 16)')}" for d in row.recall_unanswered]
            + [f"{h.subject}: {_c(WAITING_WORDS[h.kind])} ({_c('handed {at}', at=vn_datetime(h.sent_at))})"
               for h in waiting])

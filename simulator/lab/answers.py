"""The world answers the seat (issue 12 item 3), on the seat's clock.

Everything here follows from the seed and the journal, so a re-opened folder
reaches the same state:

- the recipients of a dispatched reply answer with their status returns
  (QCVN 102): 01 arrived and 03 accepted :data:`ACK_AFTER` working minutes
  after dispatch, then 04 assigned, 05 in handling and 06 done as the
  recipient's desks take it on at the working times the world sets for that
  unit (:meth:`simulator.seat.SeatWorld.service_for`); they reach the axis
  trace only when the seat's clock gets there (released by
  :meth:`~simulator.lab.session.Session.receive` and the waits);
- the sender of a returned document answers the next morning
  (:func:`simulator.seat.arrivals.sender_answer`, put in the world's arrivals
  by :meth:`simulator.seat.SeatWorld.follow`): a forged or defective one
  corrected, a sound one unchanged, insisting it be registered;
- a document left unregistered past its deadline brings the leader's
  reminder, recorded in the journal when the trainee gets new documents;
  :meth:`WorldAnswers.late` lists the unit's late documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from simulator.calendar import VN_TZ, iso_vn
from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("lab")

ACK_AFTER = 20  # working minutes from dispatch until a recipient's desk reports 01 and 03
UNFINISHED = ("refused", "recalled", "recall_answered")  # states in which nothing is owed any more


@dataclass(frozen=True)
class Notice:
    """A line the desk shows: the leader's reminder, or a note on a corrected copy."""

    kind: str        # "reminder" | "corrected" | "insisted" | "returned" (a draft the leader returned)
    item_id: str
    at: datetime     # when the trainee saw it (the seat's clock)
    text: str


@dataclass(frozen=True)
class LateDocument:
    item_id: str
    number_code: str
    due: datetime
    late_minutes: int   # working minutes past the deadline (at registration, or now if not registered)
    registered: bool


class WorldAnswers:
    """Mixed into :class:`simulator.lab.session.Session`."""

    # -- the senders' answers to a return -------------------------------------------
    def _answer_note(self, item) -> Notice:
        original = self.inbox.get(f"{item.arrival.corrects:03d}")
        earlier = original.item_id if original else "?"
        if item.arrival.insists:
            text = _("Document {item} ({code}) is document {original} again: its sender maintains that it is valid "
                     "and asks you to register it. Check it again before you decide.", item=item.item_id,
                     code=item.document.number_code, original=earlier)
        else:
            text = _("Document {item} ({code}) is the corrected copy of document {original}, which was returned; "
                     "the sender re-sent it under the same number.", item=item.item_id,
                     code=item.document.number_code, original=earlier)
        return Notice("insisted" if item.arrival.insists else "corrected", item.item_id, self.clock, text)

    # -- status returns -----------------------------------------------------------
    def _status_times(self, dispatched_at: datetime, recipient: str) -> list[tuple[str, datetime]]:
        """When the recipient's desks report each status about a document dispatched at ``dispatched_at``."""
        from simulator.routing.envelope import StatusCode

        sv, cal = self.world.service_for(recipient), self.calendar
        accepted = cal.add_working_minutes(dispatched_at, ACK_AFTER)
        assigned = cal.add_working_minutes(accepted, sv.assign)
        handling = cal.add_working_minutes(assigned, sv.handle_wait_days * cal.minutes_per_day)
        done = cal.add_working_minutes(handling, sv.handle)
        return [(StatusCode.ARRIVED, accepted), (StatusCode.ACCEPTED, accepted),
                (StatusCode.WAITING_ASSIGNMENT, assigned), (StatusCode.IN_HANDLING, handling),
                (StatusCode.DONE, done)]

    def _release_statuses(self) -> None:
        """Put into the axis the recipients' statuses whose time the seat's clock has reached."""
        from simulator.routing.envelope import StatusCode

        for out in self.outbox.values():
            if out.dispatched_at is None:
                continue
            doc = out.document
            seen = None
            seated = self._seated(doc.document_id)  # in a class, the units trainees hold answer themselves
            for recipient in doc.recipients:
                code = recipient.code
                if not code or code == self.seat.code or code in out.refused or code in seated:
                    continue
                for status, moment in self._status_times(out.dispatched_at, code):
                    if moment > self.clock:
                        break
                    if seen is None:
                        seen = {(t.org_id, t.code) for t in self.axis.traces(doc.document_id)}
                    if (code, status) in seen:
                        continue
                    at = moment.replace(tzinfo=VN_TZ)
                    try:
                        if status == StatusCode.ARRIVED:
                            self.axis.get(doc.document_id, code, at=at)
                        self.axis.confirm(doc.document_id, code, status, close=status != StatusCode.ARRIVED, at=at)
                    except UserError:  # the recipient's link is down (an outage drill): it answers once it is back
                        break

    def _seated(self, doc_id: str) -> tuple[str, ...]:
        """Recipients of ``doc_id`` that answer for themselves (trainees of a class): none for a seat alone."""
        return ()

    # -- the leader's reminders and the late list -------------------------------------
    def _owed(self, item) -> bool:
        return not item.is_recall and item.flow.state not in UNFINISHED

    def _late_minutes(self, item) -> int:
        until = item.registered_at or self.clock
        return max(0, round(self.calendar.working_minutes_between(item.due, until)))

    def _remind(self) -> list[Notice]:
        """The leader's reminder for each document left unregistered past its deadline (once each)."""
        reminded = {n.item_id for n in self.notices if n.kind == "reminder"}
        new = []
        for item in self.inbox.values():
            if item.number is None and self._owed(item) and item.due < self.clock and item.item_id not in reminded:
                late = self._late_minutes(item)
                self._log("reminder", {"item": item.item_id, "due": iso_vn(item.due), "late_minutes": late,
                                       "leader": self.leader_name})
                new.append(self._reminder_notice(item.item_id, late))
        return new

    def _reminder_notice(self, item_id: str, late: int) -> Notice:
        item = self.inbox[item_id]
        due = item.due.strftime("%d/%m/%Y %H:%M")
        if late:
            text = _("Reminder from {leader}: document {item} ({code}) should have been registered by {due}; "
                     "it is {late} working minutes late.", leader=self.leader_name, item=item_id,
                     code=item.document.number_code, due=due, late=late)
        else:  # the office has just opened after the deadline passed
            text = _("Reminder from {leader}: document {item} ({code}) should have been registered by {due}; "
                     "it is overdue.", leader=self.leader_name, item=item_id, code=item.document.number_code, due=due)
        notice = Notice("reminder", item_id, self.clock, text)
        self.notices.append(notice)
        return notice

    def late(self) -> list[LateDocument]:
        """The unit's late documents: registered after their deadline, or still unregistered past it."""
        out = []
        for item in self.inbox.values():
            if not self._owed(item) and item.number is None:
                continue
            until = item.registered_at or self.clock
            if item.due < until and not item.is_recall:
                out.append(LateDocument(item.item_id, item.document.number_code, item.due, self._late_minutes(item),
                                        item.number is not None))
        return out

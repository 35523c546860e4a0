"""Recall (thu hồi) of a dispatched document: the outgoing desk's part (:class:`RecallDesk`, which
:class:`simulator.lab.outgoing.OutgoingDesk` inherits).

The seat sends the document's envelope again under the same DocumentId, with QCVN 102 business type 1 and
the reason (the axis traces 13, the outgoing register's notes keep it); each recipient answers 15 (agreed)
or 16 (refused). The world's automated desks agree, at the moment they would acknowledge a document, and
report nothing more on it; the seats trainees hold in a class answer themselves
(:mod:`simulator.lab.classroom`). Journal lines: ``recall_sent`` (the request), ``recall_answers`` (the
world's answers), replayed by :meth:`RecallDesk._replay_recall`. The request is kept in
``outbox/NNN/recall.xml`` before it is sent, so a retry sends the very same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from simulator.calendar import VN_TZ, iso_vn
from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("lab")


@dataclass
class OutgoingRecall:
    """A dispatched document the seat recalled: why, when (the seat's clock), the recipients the world's
    automated desks answer for, and whether their answers (15) are in the journal yet."""

    reason: str
    at: datetime
    recipients: tuple[str, ...]
    answered: bool = False


class RecallDesk:
    """The recall steps of the outgoing desk (mixed into :class:`simulator.lab.outgoing.OutgoingDesk`)."""

    def recall(self, out_id: str, reason: str):
        """Take back a dispatched document (thu hồi): its envelope again under the same DocumentId, with
        business type 1 and ``reason``, to every recipient, who answers 15 (agreed) or 16 (refused). The
        request is kept (``recall.xml``) before it is sent, so a retry sends the very same bytes."""
        from simulator.routing import edxml
        from simulator.routing.envelope import Business, BusinessDocType

        if out_id not in self.outbox and out_id in self.inbox:
            raise UserError(_("Document {item} was sent to this unit by {sender}: only its sender can recall it.",
                              item=out_id, sender=self.inbox[out_id].document.issuer_name), field="out")
        out = self.outgoing(out_id)
        if out.status not in ("dispatched", "acknowledged"):
            raise UserError(_("Document {item} has not been dispatched: there is nothing to recall.", item=out_id),
                            field="out")
        if out.recall is not None:
            raise UserError(_("Document {item} was already recalled.", item=out_id), field="out")
        if not reason.strip():
            raise UserError(_("Give the reason for the recall."), field="reason")
        kept = out.folder / "recall.xml"
        if not kept.exists():
            from simulator.lab.outgoing import _write

            env = edxml.parse((out.folder / "envelope.xml").read_bytes())
            env = replace(env, business=Business(BusinessDocType.RECALL, reason.strip()), traces=())
            _write(kept, edxml.build(env.with_trace(self.seat.code, self.clock.replace(tzinfo=VN_TZ))))
        data = kept.read_bytes()
        env = edxml.parse(data)  # a request kept before an interruption: its own reason and moment
        reason, at = env.business.reason, env.traces[0].timestamp
        result = self.axis.send(data, at=at)
        doc_id = out.document.document_id
        self.registers.note(doc_id, _("Recalled on {day}: {reason}", day=f"{at.astimezone(VN_TZ):%d/%m/%Y %H:%M}",
                                      reason=reason))
        line = {"out": out_id, "document_id": doc_id, "reason": reason, "recipients": list(result.accepted),
                "refused": dict(result.refused)}
        self._log("recall_sent", line)
        self._replay_recall("recall_sent", line)
        return result

    def _replay_recall(self, action: str, data: dict) -> None:
        """A journal line: a recall the seat sent (``recall_sent``), the world's answers (``recall_answers``)."""
        out = self.outgoing(data["out"])
        if action == "recall_sent":  # the world's desks answer for the recipients nobody holds
            held = self._seated(data["document_id"])
            out.recall = OutgoingRecall(data["reason"], self.clock,
                                        tuple(r for r in data["recipients"] if r not in held))
        else:
            out.recall.answered = True

    def _recall_answered_at(self, out) -> datetime:
        """When the world's automated recipients agree to a recall (15), on the seat's clock."""
        from simulator.lab.answers import ACK_AFTER  # as they acknowledge a document

        return self.calendar.add_working_minutes(out.recall.at, ACK_AFTER)

    def _seated(self, doc_id: str) -> tuple[str, ...]:
        """Recipients that no longer answer the world's way: none, until the world's desks have agreed to a
        recall of the document (they withdraw it and report nothing more on it)."""
        out = next((o for o in self.outbox.values() if o.recall and o.document.document_id == doc_id), None)
        withdrawn = out.recall.recipients if out is not None and out.recall.answered else ()
        return super()._seated(doc_id) + withdrawn

    def _release_statuses(self) -> None:
        """The world's statuses in time order: those of the documents up to the moment the automated desks
        answer a recall (the seat's clock is set there for it), then that answer (15), then the rest."""
        now, due = self.clock, [o for o in self.outbox.values() if o.recall and not o.recall.answered]
        try:
            for out in sorted(due, key=self._recall_answered_at):
                moment = self._recall_answered_at(out)
                if moment > now:
                    break
                self.clock = moment
                super()._release_statuses()
                answers = self._answer_recall_as_world(out, moment)
                self.clock = now
                if answers is None:  # a link is down: nothing later is told before this answer
                    return
                if answers:
                    self._log("recall_answers", {"out": out.item_id, "document_id": out.document.document_id,
                                                 "answers": answers})
                out.recall.answered = True  # with none owed (every recipient held) too
        finally:
            self.clock = now
        super()._release_statuses()

    def _answer_recall_as_world(self, out, moment: datetime) -> list[dict] | None:
        """The automated recipients agree (15) at ``moment``; None while a link is down (the next try)."""
        from simulator.routing.envelope import BusinessDocType, StatusCode

        doc_id, at = out.document.document_id, moment.replace(tzinfo=VN_TZ)
        answers = []
        for code in out.recall.recipients:
            try:
                self.axis.get(doc_id, code, code="B1", at=at)
                self.axis.confirm(doc_id, code, StatusCode.RECALL_AGREED, business=BusinessDocType.RECALL, at=at)
            except UserError:
                return None
            answers.append({"org": code, "code": StatusCode.RECALL_AGREED, "at": iso_vn(at)})
        return answers

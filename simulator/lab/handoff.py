"""An agency's clerk and leader as two trainees of a class (:mod:`simulator.routing.handoffs`).

When a trainee holds a unit's leader seat beside its clerk's, the two split the Decree-30 workflow the way the
agency does:

- outgoing: the clerk drafts and hands the draft to the leader (``submit_for_signature``, "Trình ký"); the
  leader reads it and signs it with the leader's own key (``sign_handoff``), or returns it with the reason
  (``return_handoff``, "Trả lại dự thảo"); the clerk takes the signed draft (on the next ``receive``, once the
  clerk's clock reaches the signing), then numbers, seals and dispatches it; a returned draft comes back with
  the reason as a notice and may be handed over again;
- incoming: the clerk registers and submits a document (``submit``, which hands it to the leader); the leader
  assigns it (``assign_handoff``: who handles it, by when, directions); the clerk takes the assignment, records
  it in the register and reports 05 to the sender.

The clerk's seat then holds the agency seal and not the leader's personal key, so it cannot sign for the
leader; the leader's seat holds the personal key only, takes no document from the world and dispatches
nothing (the class's server refuses its token anything but hand-offs). Each side journals its part: the
clerk ``handoff_sign``, ``handoff_assign`` (what was handed) and ``handoff_signed``, ``handoff_assigned``,
``handoff_returned`` (the answers taken, at the leader's time); the leader ``leader_sign``, ``leader_assign``
and ``leader_return``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from simulator.calendar import VN_TZ, iso_vn
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.seat import SEAT_PASSPHRASE

_ = translator("classroom")

HANDED = ("handoff_sign", "handoff_assign")        # the clerk hands the leader something
TAKEN = ("handoff_signed", "handoff_assigned", "handoff_returned")  # the leader's answers taken (no working time)
LEADER_LINES = ("leader_sign", "leader_assign", "leader_return")    # the leader's answers
HANDOFF_LINES = HANDED + TAKEN + LEADER_LINES


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(VN_TZ).replace(tzinfo=None) if moment.tzinfo else moment


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class UnitDesk:
    """Mixed into :class:`simulator.lab.session.Session` (first): the clerk's and the leader's hand-offs."""

    # -- whose seat --------------------------------------------------------------------------
    @property
    def is_leader_seat(self) -> bool:
        """A leader's seat beside the unit's clerk in a class."""
        return bool(self.classroom) and self.config.role == "leader"

    def leader_held(self) -> bool:
        """Whether another trainee holds this clerk's unit's leader seat (the class's server says; what was
        handed before says so too while it cannot be reached)."""
        from simulator.routing.handoffs import leader_org

        if not self.classroom or self.is_leader_seat:
            return False
        try:
            self._leader_known = leader_org(self.seat.code) in self.axis.remote.seats()
        except UserError:
            self._leader_known = self._leader_known or bool(self.handed)
        return self._leader_known

    def _new_draft(self, *args, **kwargs):
        # the one step a leader's seat could start on its own (it takes no documents, so it has nothing to
        # register, sign or dispatch): the drafts are the clerk's
        if self.is_leader_seat:
            raise UserError(_("The leader's seat signs and assigns what the clerk hands over; the clerk does the "
                              "rest."), field="role")
        return super()._new_draft(*args, **kwargs)

    # -- the clerk ---------------------------------------------------------------------------
    def sign(self, out_id: str, passphrase: str) -> Path:
        if self.leader_held():
            raise UserError(_("{leader}, the leader, signs {item}: hand it over with 'Hand over for signature'.",
                              leader=self.leader_name, item=out_id), field="out")
        return super().sign(out_id, passphrase)

    def submit_for_signature(self, out_id: str):
        """'Trình ký': hand the draft ``out_id`` to the trainee holding the unit's leader seat."""
        out = self.outgoing(out_id)
        if out.status not in ("drafted", "approved"):
            raise UserError(_("Document {item} is already signed.", item=out_id), field="out")
        if f"out:{out_id}" in self.handed:
            raise UserError(_("Document {item} is with the leader already.", item=out_id), field="out")
        if not self.leader_held():
            raise UserError(_("Nobody holds the leader's seat of {unit}: sign it at the desk.", unit=self.seat.name),
                            field="out")
        draft = (out.folder / "draft.pdf").read_bytes()
        handed = self.axis.remote.hand("sign", f"out:{out_id}", out.document.document_id, out.document.subject,
                                       self.clock.replace(tzinfo=VN_TZ), draft, {"out": out_id})
        self.handed[f"out:{out_id}"] = handed.id
        self._log("handoff_sign", {"out": out_id, "handoff": handed.id, "sha256": _sha(draft)})
        return handed

    def submit(self, item_id: str, leader: str | None = None) -> None:
        super().submit(item_id, leader)
        if self.leader_held():
            self._hand_for_assignment(item_id)

    def _hand_for_assignment(self, item_id: str) -> None:
        item = self.item(item_id)
        doc = item.document
        try:
            handed = self.axis.remote.hand(
                "assign", item_id, doc.document_id, doc.subject, self.clock.replace(tzinfo=VN_TZ),
                item.pdf.read_bytes(), {"number": item.number, "sender": doc.issuer_name, "code": doc.number_code,
                                        "urgent": int(doc.priority) > 0})
        except UserError as exc:  # the class's server is down: handed at the next receive
            self.class_problem = str(exc)
            return
        self.handed[item_id] = handed.id
        self._log("handoff_assign", {"item": item_id, "handoff": handed.id})

    def assign(self, item_id: str, handler: str, *, days: int = 5, directions: str = "") -> datetime:
        if item_id in self.handed or self.leader_held():
            raise UserError(_("{leader}, the leader, assigns {item}: it is handed over when it is submitted.",
                              leader=self.leader_name, item=item_id), field="item")
        return super().assign(item_id, handler, days=days, directions=directions)

    def receive(self):
        if self.is_leader_seat:  # the clerk takes the unit's documents; the leader reads what is handed
            self.handoffs()
            return []
        new = super().receive()
        if self.handed or self.leader_held():
            self._take_answers()
        return new

    def _take_answers(self) -> None:
        """The leader's answers this seat's clock has reached: the signed drafts, the assignments."""
        try:
            answers = [h for h in self.axis.remote.handoffs() if h.answered and h.id not in self.taken]
        except UserError as exc:
            self.class_problem = str(exc)
            return
        for item in self.inbox.values():  # submitted while the server was down
            if item.status == "submitted" and item.item_id not in self.handed:
                self._hand_for_assignment(item.item_id)
        for h in answers:
            at = _naive(h.answered_at)
            if at > self.clock:  # answered later on the leader's clock
                self.class_next = min(self.class_next or at, at)
                continue
            if h.returned:
                line = {"out": h.ref.removeprefix("out:"), "handoff": h.id, "at": iso_vn(at), "reason": h.returned}
                self._replay_handoff("handoff_returned", line)
                self._log("handoff_returned", line)
            elif h.kind == "sign":
                self._take_signature(h, at)
            else:
                self._take_assignment(h, at)

    def _take_signature(self, handoff, at: datetime) -> None:
        from simulator.signing import verify

        out = self.outgoing(handoff.ref.removeprefix("out:"))
        signed = self.axis.remote.handoff_pdf(handoff.id, signed=True)
        if not signed.startswith((out.folder / "draft.pdf").read_bytes()):
            self.class_problem = _("What came back for {item} is not the draft handed over.", item=out.item_id)
            return
        target = out.folder / "signed.pdf"
        target.write_bytes(signed)
        report = verify(target, self.pki, at=at.replace(tzinfo=VN_TZ))
        person = report.signatures[0] if report.signatures else None
        if person is None or person.indication != "TOTAL_PASSED" or person.unit_code != self.seat.code:
            target.unlink()
            self.class_problem = _("The leader's signature on {item} does not verify.", item=out.item_id)
            return
        line = {"out": out.item_id, "handoff": handoff.id, "at": iso_vn(at), "sha256": _sha(signed)}
        self._replay_handoff("handoff_signed", line)
        self._log("handoff_signed", {**line, "status": out.status})

    def _take_assignment(self, handoff, at: datetime) -> None:
        item = self.item(handoff.ref)
        answer = handoff.answer or {}
        due = _naive(datetime.fromisoformat(answer["due"]))
        directions = answer.get("directions", "")
        self._record_assignment(item, answer["handler"], due, directions, by="leader", at=at)  # 05, at its time
        self.taken.add(handoff.id)
        self._log("handoff_assigned", {"item": item.item_id, "handoff": handoff.id, "at": iso_vn(at),
                                       "handler": answer["handler"], "due": iso_vn(due), "directions": directions,
                                       "status": item.status})

    # -- the leader --------------------------------------------------------------------------
    def handoffs(self) -> list:
        """What the clerk handed the leader and the leader has not answered yet, as far as the leader's clock has
        got (later ones stop 'Đến hết buổi' when they come)."""
        if not self.is_leader_seat:
            raise UserError(_("Only the leader's seat answers hand-overs."), field="role")
        try:
            waiting = [h for h in self.axis.remote.handoffs() if not h.answered and h.id not in self.leader_done]
        except UserError as exc:
            self.class_problem = str(exc)
            return []
        self.class_problem = None
        later = [_naive(h.sent_at) for h in waiting if _naive(h.sent_at) > self.clock]
        self.class_next = min(later) if later else None
        return [h for h in waiting if _naive(h.sent_at) <= self.clock]

    def _handed_to_me(self, handoff_id: int, kind: str):
        handoff = next((h for h in self.handoffs() if h.id == handoff_id), None)
        if handoff is None:
            raise UserError(_("Nothing handed over under number {id} is waiting for you.", id=handoff_id),
                            field="handoff")
        if handoff.kind != kind:
            asks = (_("Hand-over {id} asks for a signature.", id=handoff_id) if handoff.kind == "sign" else
                    _("Hand-over {id} asks for an assignment.", id=handoff_id))
            raise UserError(asks, field="handoff")
        return handoff

    def handoff_pdf(self, handoff_id: int) -> Path:
        """The document handed over (kept in ``trinh/NNN/document.pdf`` of the leader's folder)."""
        path = self.folder / "trinh" / f"{int(handoff_id):03d}" / "document.pdf"
        if not path.is_file():
            data = self.axis.remote.handoff_pdf(int(handoff_id))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.with_name("document.pdf.part").write_bytes(data)
            path.with_name("document.pdf.part").replace(path)
        return path

    def sign_handoff(self, handoff_id: int, passphrase: str = SEAT_PASSPHRASE) -> Path:
        """The leader signs the draft handed over (the leader's personal signature) and hands it back."""
        from simulator.signing import sign_person

        handoff = self._handed_to_me(handoff_id, "sign")
        draft = self.handoff_pdf(handoff_id)
        target = draft.with_name("signed.pdf")
        sign_person(draft, target, self._cert("person"), passphrase, self.pki, at=self.clock.replace(tzinfo=VN_TZ))
        signed = target.read_bytes()
        self.axis.remote.answer_handoff(handoff.id, self.clock.replace(tzinfo=VN_TZ), {"signed": True}, signed)
        line = {"handoff": handoff.id, "out": handoff.ref, "document_id": handoff.document_id,
                "subject": handoff.subject, "sha256": _sha(signed)}
        self._log("leader_sign", line)
        self._replay_handoff("leader_sign", line)
        return target

    def return_handoff(self, handoff_id: int, reason: str) -> None:
        """The leader returns the draft handed over, unsigned, with the reason (trả lại dự thảo)."""
        handoff = self._handed_to_me(handoff_id, "sign")
        if not (reason or "").strip():
            raise UserError(_("Say why the draft goes back to the clerk."), field="reason")
        self.axis.remote.answer_handoff(handoff.id, self.clock.replace(tzinfo=VN_TZ), {"returned": reason.strip()})
        line = {"handoff": handoff.id, "out": handoff.ref, "document_id": handoff.document_id,
                "subject": handoff.subject, "returned": reason.strip()}
        self._log("leader_return", line)
        self._replay_handoff("leader_return", line)

    def assign_handoff(self, handoff_id: int, handler: str, *, days: int = 5, directions: str = "") -> datetime:
        """The leader assigns the document handed over: who handles it, within ``days`` working days."""
        handoff = self._handed_to_me(handoff_id, "assign")
        if not (handler or "").strip():
            raise UserError(_("Name who handles the document."), field="handler")
        due = self.calendar.due(self.clock, working_days=days)
        answer = {"handler": handler.strip(), "due": iso_vn(due), "directions": directions}
        self.axis.remote.answer_handoff(handoff.id, self.clock.replace(tzinfo=VN_TZ), answer)
        line = {"handoff": handoff.id, "item": handoff.ref, "document_id": handoff.document_id,
                "subject": handoff.subject, **answer}
        self._log("leader_assign", line)
        self._replay_handoff("leader_assign", line)
        return due

    # -- the journal -------------------------------------------------------------------------
    def _replay_handoff(self, action: str, data: dict) -> None:
        if action == "handoff_sign":
            self.handed[f"out:{data['out']}"] = data["handoff"]
        elif action == "handoff_assign":
            self.handed[data["item"]] = data["handoff"]
        elif action == "handoff_signed":
            out = self.outgoing(data["out"])
            out.flow.transition("sign", "leader", datetime.fromisoformat(data["at"]))
            self.taken.add(data["handoff"])
        elif action == "handoff_assigned":
            due = datetime.fromisoformat(data["due"])
            self.item(data["item"]).flow.transition("assign", "leader", datetime.fromisoformat(data["at"]),
                                                    handler=data["handler"], due_date=_naive(due).date(),
                                                    directions=data.get("directions", ""))
            self.taken.add(data["handoff"])
        elif action == "handoff_returned":   # the draft is the clerk's again, to correct and hand over anew
            from simulator.lab.answers import Notice

            self.handed.pop(f"out:{data['out']}", None)
            self.taken.add(data["handoff"])
            self.notices.append(Notice("returned", data["out"], self.clock, _(
                "The leader returned draft {item}: {reason}", item=data["out"], reason=data["reason"])))
        else:  # leader_sign, leader_assign, leader_return
            self.leader_done[data["handoff"]] = data

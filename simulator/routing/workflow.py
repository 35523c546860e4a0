"""The incoming and outgoing workflows of Decree 30/2020 (Art. 10-24) as state machines.

This is THE workflow: the trainee's desk (``simulator.lab``), the CLI and
the grader drive or read these flows; there is no other status vocabulary.
Each flow knows its state, refuses a step that the rules do not allow
from that state (no registering what failed the check unless the person
says so explicitly, no dispatching an unsigned document), records every
step with who and when, and knows the deadline of the step that is due
(from :meth:`simulator.calendar.WorkingCalendar.due`, the one rule):

- incoming: register and submit on the day of arrival, at the latest the
  next working day; urgent documents at once; handling by the due date;
- outgoing: dispatch on the day of signing, at the latest the next working
  day; urgent at once.

A step may carry the edXML status code (QCVN 102) that it sends back to
the sender: 01 arrived, 02 refused, 03 accepted, 04 waiting for
assignment, 05 in handling, 06 done, 15/16 recall agreed/refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType

from simulator.calendar import VN_TZ, WorkingCalendar, default_calendar
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.routing.envelope import StatusCode

_ = translator("routing")


@dataclass(frozen=True)
class Transition:
    action: str
    state: str          # the state after the step
    by: str
    at: datetime
    details: dict = field(default_factory=dict)
    status_code: str | None = None  # the status package this step sends, if any


@dataclass(frozen=True)
class Step:
    source: tuple[str, ...]   # states the action is allowed from
    target: str | None        # None: the state does not change
    status: str | None = None
    required: tuple[str, ...] = ()  # details that must be given


def state_label(state: str) -> str:
    """What people call a state (translated): the desks show these words."""
    labels = {
        "arrived": _("arrived"), "verified": _("verified"), "failed": _("check failed"), "refused": _("refused"),
        "registered": _("registered"), "submitted": _("submitted to the leader"),
        "assigned": _("assigned"), "in_handling": _("in handling"), "done": _("done"),
        "recalled": _("recalled"), "recall_answered": _("recall answered"),
        "drafted": _("drafted"), "approved": _("approved"), "signed": _("signed"),
        "issued": _("issued with a number"), "sealed": _("sealed with the agency signature"),
        "dispatched": _("dispatched"), "acknowledged": _("acknowledged by every recipient"),
    }
    return labels.get(state, state)


class FollowsFlow:
    """An item (a document on a desk) whose status is its workflow's state: never a copy of it."""

    flow: "_Flow"

    @property
    def status(self) -> str:
        return self.flow.state

    @property
    def status_label(self) -> str:
        return state_label(self.flow.state)


def action_label(action: str) -> str:
    """What people call a step (translated)."""
    labels = {
        "receive": _("receive"), "verify": _("verify"), "refuse": _("refuse"), "register": _("register"),
        "submit": _("submit"), "assign": _("assign"), "start": _("start handling"), "finish": _("finish"),
        "reply": _("reply"), "file": _("file"), "answer_recall": _("answer the recall"),
        "recall": _("recall"), "refuse_recall": _("refuse the recall"), "update": _("update"),
        "replace": _("replace"), "approve": _("approve"), "sign": _("sign"), "issue": _("issue"),
        "seal": _("seal"), "dispatch": _("dispatch"), "acknowledge": _("acknowledge"), "revise": _("revise"),
    }
    return labels.get(action, action)


def _moment(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


class _Flow:
    STEPS: MappingProxyType
    INITIAL: str
    FINAL: tuple[str, ...]

    def __init__(self, at: datetime, by: str = "system", *, priority: int = 0,
                 calendar: WorkingCalendar | None = None) -> None:
        self.calendar = calendar or default_calendar()
        self.priority = int(priority)
        self.state = self.INITIAL
        self.history: list[Transition] = []
        self._record(Transition("create", self.INITIAL, by, self._aware(at), {"priority": self.priority}))

    @staticmethod
    def _aware(at: datetime) -> datetime:
        if not isinstance(at, datetime):
            raise UserError(_("Expected a date and time, got {value!r}.", value=at), field="at")
        return at if at.tzinfo else at.replace(tzinfo=VN_TZ)

    def _record(self, transition: Transition) -> Transition:
        self.history.append(transition)
        return transition

    @property
    def started_at(self) -> datetime:
        return self.history[0].at

    @property
    def is_final(self) -> bool:
        return self.state in self.FINAL

    def allowed(self) -> list[str]:
        """The actions allowed from the current state."""
        return [name for name, step in self.STEPS.items() if self.state in step.source]

    def _allowed_text(self) -> str:
        labels = ((action_label(a), a) for a in self.allowed())
        return ", ".join(label if label == a else f"{label} ({a})" for label, a in labels) or "-"

    def transition(self, action: str, by: str, at: datetime, **details) -> Transition:
        """Take one step; raise :class:`UserError` (and change nothing) if the rules forbid it."""
        step, at = self._checked(action, by, at, details)
        target = self._target(action, details) or step.target or self.state
        transition = Transition(action, target, by.strip(), at, dict(details), step.status)
        self._apply(action, details)
        self.state = target
        return self._record(transition)

    def check(self, action: str, by: str, at: datetime, **details) -> None:
        """Raise :class:`UserError` if :meth:`transition` would refuse this step; change nothing.

        Desks call it before the step's side effects (a register number, a
        file in the archive), so a refused step leaves no trace anywhere."""
        self._checked(action, by, at, details)

    def _checked(self, action: str, by: str, at: datetime, details: dict) -> tuple[Step, datetime]:
        step = self.STEPS.get(action)
        if step is None:
            raise UserError(_("Unknown action {action!r}; allowed now: {allowed}.", action=action,
                              allowed=self._allowed_text()), field="action")
        if self.state not in step.source:
            raise UserError(_("Cannot {action} a document that is {state}; allowed now: {allowed}.",
                              action=action_label(action), state=state_label(self.state),
                              allowed=self._allowed_text()), field="action")
        if not isinstance(by, str) or not by.strip():
            raise UserError(_("Say who does this (a user name)."), field="by")
        at = self._aware(at)
        if at < self.history[-1].at:
            raise UserError(_("The step at {at} is earlier than the previous step ({previous}).",
                              at=at.isoformat(), previous=self.history[-1].at.isoformat()), field="at")
        for name in step.required:
            if not details.get(name):
                raise UserError(_("The action {action!r} needs {name}.", action=action, name=name), field=name)
        self._check(action, details)
        return step, at

    @classmethod
    def replay(cls, history: list[dict], calendar: WorkingCalendar | None = None):
        """Rebuild a flow from recorded steps (``action``, ``by``, ``at``, ``details``), re-checking each."""
        if not history or history[0]["action"] != "create":
            raise UserError(_("The recorded history does not start with the creation of the document."))
        first = history[0]
        details = dict(first.get("details") or {})
        kwargs = {"priority": details.get("priority", 0), "calendar": calendar}
        if "recipients" in details:
            kwargs["recipients"] = details["recipients"]
        flow = cls(_moment(first["at"]), first["by"], **kwargs)
        for step in history[1:]:
            extra = dict(step.get("details") or {})
            if isinstance(extra.get("due_date"), str):
                extra["due_date"] = date.fromisoformat(extra["due_date"])
            flow.transition(step["action"], step["by"], _moment(step["at"]), **extra)
        return flow

    def _check(self, action: str, details: dict) -> None:
        """Extra rules of a flow (raise UserError)."""

    def _target(self, action: str, details: dict) -> str | None:
        """The state after a step whose outcome decides it (None: the step's own target)."""
        return None

    def _apply(self, action: str, details: dict) -> None:
        """Side effects of a step on the flow's own fields."""

    def _first(self, action: str) -> Transition | None:
        return next((t for t in self.history if t.action == action), None)

    def overdue(self, at: datetime) -> bool:
        deadline = self.deadline
        return deadline is not None and self._aware(at) > deadline

    @property
    def status_codes(self) -> list[str]:
        """The status codes sent so far, in order."""
        return [t.status_code for t in self.history if t.status_code]

    @property
    def deadline(self) -> datetime | None:
        raise NotImplementedError

    def _due(self, start: datetime) -> datetime:
        """Decree 30: the same day, at the latest the next working day; urgent at once."""
        return self.calendar.due(self._aware(start), priority=self.priority)


class IncomingFlow(_Flow):
    """arrived → (check) verified | failed → registered → submitted → assigned → in_handling → done;
    or refused (returned to the sender, 02) from arrived, verified or failed.

    The check (``verify``) says whether the signatures and the Decree-30
    form passed (``passed``, True or False): its outcome decides the state.
    Registering needs a passed check; registering a document that failed the
    check or was never checked needs ``override=True``, which stays in the
    history (and in the trainee's journal) as the mistake it is.
    A recall request is its own arrival: ``answer_recall`` ends it, and the
    recalled document takes ``recall`` (agreed, 15) or ``refuse_recall`` (16).
    ``update`` and ``replace`` requests are recorded at any point before the end."""

    INITIAL = "arrived"
    FINAL = ("refused", "done", "recalled", "recall_answered")
    _UNCHECKED = ("arrived", "verified", "failed")
    _IN_HAND = ("registered", "submitted", "assigned", "in_handling")
    _OPEN = _UNCHECKED + _IN_HAND
    STEPS = MappingProxyType({
        "receive": Step(("arrived",), None, StatusCode.ARRIVED),
        "verify": Step(_UNCHECKED, "verified"),
        "refuse": Step(_UNCHECKED, "refused", StatusCode.REFUSED, ("reason",)),
        "register": Step(_UNCHECKED, "registered", StatusCode.ACCEPTED),
        "submit": Step(("registered",), "submitted", StatusCode.WAITING_ASSIGNMENT),
        "assign": Step(("submitted",), "assigned", StatusCode.IN_HANDLING, ("handler",)),
        "start": Step(("assigned",), "in_handling"),
        "finish": Step(("assigned", "in_handling"), "done", StatusCode.DONE),
        "reply": Step(_IN_HAND + ("done",), None, None, ("out",)),
        "file": Step(_IN_HAND + ("done",), None, None, ("record",)),
        "answer_recall": Step(_UNCHECKED, "recall_answered"),
        "recall": Step(_OPEN + ("done",), "recalled", StatusCode.RECALL_AGREED),
        "refuse_recall": Step(_OPEN + ("done",), None, StatusCode.RECALL_REFUSED, ("reason",)),
        "update": Step(_OPEN, None),
        "replace": Step(_OPEN, None),
    })

    def __init__(self, arrived_at: datetime, by: str = "system", *, priority: int = 0,
                 calendar: WorkingCalendar | None = None) -> None:
        super().__init__(arrived_at, by, priority=priority, calendar=calendar)
        self.handler: str | None = None
        self.due_date: date | None = None
        self.directions = ""
        self.number: int | None = None

    def _check(self, action: str, details: dict) -> None:
        due = details.get("due_date")
        if action == "assign" and due is not None and not isinstance(due, date):
            raise UserError(_("The handling due date must be a date, got {value!r}.", value=due), field="due_date")
        if action == "verify" and type(details.get("passed")) is not bool:
            raise UserError(_("Say whether the check passed (passed=True or passed=False)."), field="passed")
        if action == "register" and self.state != "verified" and details.get("override") is not True:
            if self.state == "failed":
                raise UserError(_("This document failed the signature check: a document that is not valid is "
                                  "returned to the sender, not registered. To register it all the same, confirm it "
                                  "explicitly (override); the journal records it as a mistake."), field="override")
            raise UserError(_("This document has not been checked yet: check its signatures before registering it. "
                              "To register it unchecked, confirm it explicitly (override); the journal records it "
                              "as a mistake."), field="override")

    def _target(self, action: str, details: dict) -> str | None:
        if action == "verify":
            return "verified" if details["passed"] else "failed"
        return None

    @property
    def overridden(self) -> bool:
        """Registered without a passed check, on the person's explicit say-so."""
        step = self._first("register")
        return step is not None and step.details.get("override") is True

    def _apply(self, action: str, details: dict) -> None:
        if action == "assign":
            self.handler = details["handler"]
            self.due_date = details.get("due_date")
            self.directions = details.get("directions", "")
        elif action == "register":
            self.number = details.get("number")

    @property
    def deadline(self) -> datetime | None:
        """When the step now due must be done (None once nothing is due)."""
        if self.state in ("arrived", "verified", "failed", "registered"):
            return self._due(self.started_at)  # register and submit from the day of arrival
        if self.state in ("assigned", "in_handling"):
            if self.due_date is None:
                return None
            due = self.calendar.close_of(self.due_date)
            return due.replace(tzinfo=VN_TZ)
        if self.state == "submitted":
            return None  # the leader assigns; Decree 30 sets no fixed time
        return None


class OutgoingFlow(_Flow):
    """drafted → (approved) → signed → issued → sealed → dispatched → acknowledged (by each recipient).

    Decree 30 (Art. 15): the clerk issues (gives the number and the date from
    the outgoing register) after the person with authority has signed, never
    at drafting; the agency seal comes after the number. Signing approves the
    draft: the person who signs is the one who approves it, so ``approve`` is
    a step of its own only where someone approves without signing."""

    INITIAL = "drafted"
    FINAL = ("acknowledged",)
    STEPS = MappingProxyType({
        "approve": Step(("drafted",), "approved"),
        "sign": Step(("drafted", "approved"), "signed"),
        "issue": Step(("signed",), "issued", None, ("number",)),
        "seal": Step(("issued",), "sealed"),
        "dispatch": Step(("sealed",), "dispatched"),
        "acknowledge": Step(("dispatched",), None, None, ("recipient",)),
        "file": Step(("dispatched", "acknowledged"), None, None, ("record",)),
        "revise": Step(("drafted", "approved"), "drafted"),
    })

    def __init__(self, drafted_at: datetime, by: str = "system", *, recipients=(), priority: int = 0,
                 calendar: WorkingCalendar | None = None) -> None:
        super().__init__(drafted_at, by, priority=priority, calendar=calendar)
        self.recipients = tuple(recipients)
        self.history[0].details["recipients"] = list(self.recipients)
        self.acknowledged: list[str] = []
        self.number: int | None = None

    def _check(self, action: str, details: dict) -> None:
        if action == "acknowledge":
            recipient = details["recipient"]
            if self.recipients and recipient not in self.recipients:
                raise UserError(_("{recipient} is not a recipient of this document.", recipient=recipient),
                                field="recipient")
            if recipient in self.acknowledged:
                raise UserError(_("{recipient} has already acknowledged this document.", recipient=recipient),
                                field="recipient")

    def _apply(self, action: str, details: dict) -> None:
        if action == "issue":
            self.number = details["number"]
        elif action == "acknowledge":
            self.acknowledged.append(details["recipient"])

    def transition(self, action: str, by: str, at: datetime, **details) -> Transition:
        step = super().transition(action, by, at, **details)
        if action == "acknowledge" and set(self.acknowledged) >= set(self.recipients):
            self.state = "acknowledged"
            step = Transition(step.action, "acknowledged", step.by, step.at, step.details, step.status_code)
            self.history[-1] = step
        return step

    @property
    def deadline(self) -> datetime | None:
        """Dispatch on the day of signing, at the latest the next working day; urgent at once."""
        signed = self._first("sign")
        if signed is None or self.state in ("dispatched", "acknowledged"):
            return None
        return self._due(signed.at)

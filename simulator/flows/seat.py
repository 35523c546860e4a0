"""The seat: one unit and role handed to an outside controller (a trainee).

The world runs with every desk automated except the seat. When a task
reaches the seat, :meth:`World.next_task` stops the world at that moment
and returns a :class:`SeatTask`; the controller looks at it (the Lab renders
a real PDF for it) and calls :meth:`World.decide` with a :class:`Decision`.
The seat is one person: the decision takes ``minutes`` of working time,
during which the next task waits.

A trainee's desk works differently (:mod:`simulator.seat.world`): documents
pile up on it while the trainee works on others, so :meth:`Seat.take` hands
over each task the moment it reaches the seat, up to a given time, and
:meth:`Seat.hand_over` gives a task back to the automated colleague.

:class:`Seat` is the world's side of it (the seat's queue, the task in
hand); :class:`SeatTask` and :class:`Decision` are the plain values that
cross between the world and the controller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from heapq import heappop, heappush

from simpy.core import StopSimulation

from simulator.errors import UserError
from simulator.flows import records as R
from simulator.flows.arrivals import TYPE_KEYS
from simulator.i18n import translator
from simulator.province import Role

_ = translator("flows")

ROLE_INDEX = {Role.CLERK: R.CLERK, Role.LEADER: R.LEADER, Role.SPECIALIST: R.SPECIALIST}
ROLE_OF_INDEX = {v: k for k, v in ROLE_INDEX.items()}

# The actions a seat may take at each stage; the first is the default. They are the steps of the one
# Decree-30 workflow (simulator.routing.workflow), except "submit": handing in a draft, before a
# document's workflow begins.
STAGE_ACTIONS: dict[str, tuple[str, ...]] = {
    "draft": ("submit",),
    "sign": ("sign", "revise"),          # revise: back to the drafter
    "dispatch": ("dispatch",),
    "register": ("register", "refuse"),  # refuse: invalid or misaddressed, back to the sender (02)
    "assign": ("assign", "file"),        # assign for handling, or read and file
    "handle": ("finish", "reply"),       # reply: a new outgoing document to the sender
}


@dataclass(frozen=True)
class SeatTask:
    """What lands on the seat's desk; plain values, enough to render the document."""

    task_id: int
    stage: str                 # draft, sign, dispatch, register, assign, handle
    unit_code: str             # the seat's unit
    role: str                  # Role value (van_thu, lanh_dao, chuyen_vien)
    document: int              # document index in the world (stable for a scenario + seed)
    delivery: int | None       # delivery index for incoming work, None for outgoing
    doc_type: str              # key of DOCUMENT_TYPES
    issuer_code: str | None    # None: a citizen or business
    recipient_codes: tuple[str, ...]
    flow: str                  # internal, down, up, lateral, citizens_out, citizens_in, reply
    urgent: bool
    secret: bool
    pages: int
    channel: str | None        # how it arrived (incoming work)
    mode: str                  # electronic, electronic_with_paper, paper
    signed: str                # digital, scanned, paper
    created: datetime
    arrived: datetime          # when it reached the seat
    due: datetime | None       # handling or registration deadline
    seed: int                  # seed for content generation (stable per document)
    actions: tuple[str, ...] = field(default=())
    # At registration: what is wrong with an electronic arrival, if anything ("forged_signature",
    # "expired_certificate", "misaddressed"); the Lab builds the artefact accordingly and the
    # right decision is "refuse". None: a sound document.
    defect: str | None = None

    @property
    def default_action(self) -> str:
        return self.actions[0]


@dataclass(frozen=True)
class Decision:
    """The controller's answer; ``minutes`` of working time spent (None: the stage's mean)."""

    action: str
    minutes: float | None = None
    note: str = ""


class _Stop:
    """Stops :meth:`simpy.Environment.run` when work reaches the seat or at a set time, whichever is first."""

    def __init__(self) -> None:
        self.active = True

    def __call__(self, _value) -> None:
        if self.active:
            self.active = False
            raise StopSimulation(None)


class Seat:
    """The seat's side of a world: its queue, the task in hand, and the controller's decisions.

    Work for the seat's pool is queued here by priority (``put``) instead of
    being started; :meth:`next_task` runs the world until a task waits and
    the seat is free, :meth:`decide` finishes it after the decision's
    working minutes and hands it back to the desks' workflow."""

    def __init__(self, world, unit_code: str, role: Role) -> None:
        role = Role(role)
        topo = world.topology
        if unit_code not in topo.index:
            unit_code = topo.province.find(unit_code).code
            if unit_code not in topo.index:
                raise UserError(_("the seat's unit {unit} is not simulated in this scenario", unit=unit_code),
                                field="seat")
        i = topo.index[unit_code]
        pools = world.staff_pools.pools[i]
        if role not in ROLE_INDEX or pools is None:
            raise UserError(_("no seat for role {role} at {unit}", role=role.value, unit=unit_code), field="seat")
        self.pool = pools[ROLE_INDEX[role]]
        self.pool.seat = True
        self.unit_code, self.role = unit_code, role
        self.world = world
        self.env = world.engine
        self.queue: list = []
        self.in_hand: dict[int, object] = {}      # task id -> the world's task
        self._views: dict[int, SeatTask] = {}      # task id -> what the controller was shown
        self._busy_until = -1.0
        self._stop = None

    def put(self, item) -> None:
        """Work reaches the seat: queue it, and stop the run that waits for it (after the events of this moment
        already scheduled, as SimPy orders them)."""
        heappush(self.queue, (item.prio, next(self.world.seq), item))
        if self._stop is not None and self._stop.active:
            self.env.call_at(self.env.now, None, self._stop)

    def _run(self, end: float) -> None:
        """Run the world until work reaches the seat, or up to ``end``: the events of that very moment wait,
        as with ``run(until=end)``, so a decision taken at ``end`` comes before them (replays stop alike)."""
        env = self.env
        stop = self._stop = _Stop()
        env.call_first_at(end, stop)
        try:
            env.run()
        finally:
            stop.active = False
            self._stop = None

    def next_task(self) -> SeatTask | None:
        if self.in_hand:
            return self._views[next(iter(self.in_hand))]
        env, horizon = self.env, self.world.horizon
        while not (self.queue and env.now >= self._busy_until):
            if env.now >= horizon:
                return None
            # Stop when a task reaches the seat, when the seat is free again, or at the horizon.
            self._run(min(horizon, self._busy_until) if self.queue else horizon)
        return self._hand(heappop(self.queue)[2])

    def take(self, until: float) -> SeatTask | None:
        """The next task to reach the seat before ``until`` (world minutes), the moment it arrives, whatever
        else is on the desk; None when nothing more arrives before then (the world is then at ``until``)."""
        end = min(until, self.world.horizon)
        while not self.queue:
            if self.env.now >= end:
                return None
            self._run(end)
        return self._hand(heappop(self.queue)[2])

    def _hand(self, item) -> SeatTask:
        task = self._task_for(item)
        self.in_hand[task.task_id] = item
        self._views[task.task_id] = task
        return task

    def hand_over(self, task: SeatTask) -> None:
        """The task goes to the unit's automated colleague, who decides it as any automated desk would."""
        item = self.in_hand.pop(task.task_id, None)
        if item is None:
            raise UserError(_("task {task} is not on the seat's desk", task=task.task_id), field="task")
        del self._views[task.task_id]
        item.pool.minutes += item.base
        complete = self.world.desks.complete
        self.env.call_at(self.world.calendar.add_working_minutes(self.env.now, item.base), item,
                         lambda task: complete(task, None))

    def decide(self, task: SeatTask, decision: Decision | str) -> None:
        if isinstance(decision, str):
            decision = Decision(decision)
        item = self.in_hand.get(task.task_id)
        if item is None:
            raise UserError(_("task {task} is not on the seat's desk", task=task.task_id), field="task")
        if decision.action not in task.actions:
            raise UserError(_("action {action!r} is not possible here; choose one of {actions}",
                              action=decision.action, actions=", ".join(task.actions)), field="action")
        minutes = item.base if decision.minutes is None else float(decision.minutes)
        if minutes < 0:
            raise UserError(_("minutes must not be negative"), field="minutes")
        del self.in_hand[task.task_id]
        del self._views[task.task_id]
        env, cal = self.env, self.world.calendar
        end = cal.add_working_minutes(env.now, minutes) if minutes > 0 else env.now
        self._busy_until = end
        item.pool.minutes += minutes
        ev = env.timeout(max(0.0, end - env.now), item)
        complete = self.world.desks.complete
        ev.callbacks.append(lambda e, a=decision.action: complete(e.value, a))

    def _task_for(self, item) -> SeatTask:
        w = self.world
        d, dl, cal, units = w.docs, w.deliveries, w.calendar, w.units
        stage = item.stage
        if stage >= R.REGISTER:
            v = item.ref
            doc = dl.doc[v]
            channel = R.CHANNEL_KEYS[dl.channel[v]]
            arrived = dl.arrived[v]
            if stage == R.REGISTER:  # Decree 30: the same or the next working day; urgent at once
                due = cal.due(arrived, priority=1 if d.urgent[doc] else 0)
            else:
                sv = w.scenario.service
                due = cal.due(arrived, working_days=sv.urgent_due_working_days if d.urgent[doc]
                              else sv.handle_due_working_days)
            recipients = (units[dl.unit[v]].code,)
        else:
            v, doc, channel, due = None, item.ref, None, None
            recipients = tuple(units[r].code for r in self._peek_recipients(doc))
        issuer = d.issuer[doc]
        return SeatTask(
            task_id=next(w.seq), stage=R.STAGE_KEYS[stage], unit_code=units[item.unit].code,
            role=ROLE_OF_INDEX[item.pool.role].value, document=doc, delivery=v,
            doc_type=TYPE_KEYS[d.kind[doc]], issuer_code=units[issuer].code if issuer >= 0 else None,
            recipient_codes=recipients, flow=R.FLOW_KEYS[d.flow[doc]], urgent=bool(d.urgent[doc]),
            secret=bool(d.secret[doc]), pages=d.pages[doc], channel=channel, mode=R.MODE_KEYS[d.mode[doc]],
            signed=("paper", "digital", "scanned")[d.signed[doc]], created=cal.to_datetime(d.created[doc]),
            arrived=cal.to_datetime(item.since), due=cal.to_datetime(due) if due is not None else None,
            seed=(w.seed * 1_000_003 + w.replication * 7919 + d.key[doc]) % (2 ** 32),
            defect=w.desks.defect(v, item.key) if stage == R.REGISTER else None,
            actions=STAGE_ACTIONS[R.STAGE_KEYS[stage]])

    def _peek_recipients(self, doc: int) -> list[int]:
        """Recipients shown on an outgoing task: known for replies and internal papers, else the usual ones."""
        w = self.world
        topo = w.topology
        d = w.docs
        u, flow = d.issuer[doc], d.flow[doc]
        if flow == R.INTERNAL:
            return [u]
        if flow == R.REPLY:
            t = w.targets[doc]
            return [t] if t >= 0 else []
        if flow == R.DOWN:
            return topo.down_all[u] or topo.down_one[u][:1]
        if flow == R.UP:
            return topo.up_to[u][:1]
        if flow == R.LATERAL:
            return topo.lateral_to[u][:1]
        return []

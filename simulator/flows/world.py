"""The world: every unit of a province, its staff and channels, in one SimPy environment.

``World`` composes the parts, each in its own module:

- :mod:`~simulator.flows.engine`: SimPy's environment with a fast path for
  plain callbacks (one event per task or message);
- :mod:`~simulator.flows.topology`: the units, their settings, equipment
  and recipients;
- :mod:`~simulator.flows.streams`: random streams and keyed tables (common
  random numbers across scenarios);
- :mod:`~simulator.flows.staff`: staff pools and working time;
- :mod:`~simulator.flows.arrivals`: the documents units start, and petitions;
- :mod:`~simulator.flows.desks`: what follows each stage of work;
- :mod:`~simulator.flows.channels`: dispatch, transit, outages, postage,
  deliveries;
- :mod:`~simulator.flows.seat`: one unit and role handed to a controller;
- :mod:`~simulator.flows.rollout`: investments by quarter (equipment grows) and their costs;
- :mod:`~simulator.flows.census`: where every document is (conservation).

Documents and deliveries are rows of typed arrays (:mod:`records`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count

from simulator.calendar import WorkingCalendar, default_calendar
from simulator.errors import UserError
from simulator.flows import records as R
from simulator.flows.arrivals import TYPE_KEYS, Arrivals
from simulator.flows.census import ConservationError, census
from simulator.flows.channels import Channels
from simulator.flows.desks import Desks
from simulator.flows.engine import Engine
from simulator.flows.rollout import Rollout
from simulator.flows.scenario import Scenario
from simulator.flows.seat import Decision, Seat, SeatTask
from simulator.flows.staff import StaffPools
from simulator.flows.streams import S_EQUIPMENT, Streams
from simulator.flows.topology import Topology
from simulator.i18n import translator
from simulator.province import Role

_ = translator("flows")

__all__ = ["TYPE_KEYS", "ConservationError", "World"]


class World:
    """One replication of a scenario: ``World(scenario, seed, replication=0, seat=None)``.

    ``run(until=None)`` simulates the scenario's period (or ``until`` days
    from its start); results are read with :func:`simulator.flows.indicators`.
    With a ``seat`` (unit code, role), :meth:`next_task` and :meth:`decide`
    hand that desk to the caller (``seat_traps``: the share of the seat's
    electronic arrivals that are traps, :mod:`simulator.flows.traps`).
    """

    def __init__(self, scenario: Scenario, seed: int = 0, *, replication: int = 0,
                 seat: tuple[str, Role] | None = None, seat_traps: float | None = None,
                 record_events: bool = False, calendar: WorkingCalendar | None = None) -> None:
        self.scenario = scenario
        self.seed = int(seed)
        self.replication = int(replication)
        self.calendar = cal = calendar or default_calendar()
        self.start = start = cal.to_minutes(scenario.period.start)
        self.horizon = horizon = start + scenario.period.days * 1440.0
        try:
            cal.is_working_day((cal.to_datetime(horizon) + timedelta(days=40)).date())
        except ValueError:
            raise UserError(_("period: the period is outside the working calendar"), field="period") from None
        self.engine = env = Engine(initial_time=start)
        self.docs = docs = R.DocumentTable()
        self.deliveries = dl = R.DeliveryTable()
        self.log = log = R.EventLog() if record_events else None
        self.seq = count()                    # tie-breaks in queues, task ids
        self.targets: dict[int, int] = {}     # recipient of each reply
        self.streams = streams = Streams(self.seed, self.replication, scenario.service.cv,
                                         scenario.volumes.pages_mean)
        self.topology = topo = Topology(scenario, streams.rng[S_EQUIPMENT])
        self.staff_pools = staff = StaffPools(env, cal, topo, streams, dl, log, self.seq)
        self.channels = channels = Channels(scenario, env, cal, topo, streams, staff, docs, dl, log, self.targets,
                                            start, horizon)
        self.arrivals = arrivals = Arrivals(env, cal, topo, streams, staff, channels, docs, log, self.targets,
                                            start, horizon)
        self.desks = Desks(env, cal, topo, streams, staff, channels, arrivals, docs, dl, log)
        staff.complete = self.desks.complete
        self.rollout = Rollout(scenario, env, cal, topo, start, horizon, self._operating)
        self.seat: Seat | None = None
        if seat is not None:
            self.seat = Seat(self, *seat)
            staff.to_seat = self.seat.put
            if seat_traps is not None:  # a training seat: this share of its electronic arrivals are traps
                self.desks.trap_share[topo.index[self.seat.unit_code]] = float(seat_traps)
        env.process(arrivals.days())

    # ------------------------------------------------------------------ the units (read by indicators)
    province = property(lambda self: self.topology.province)
    units = property(lambda self: self.topology.units)
    passive = property(lambda self: self.topology.passive)
    index = property(lambda self: self.topology.index)
    district_of = property(lambda self: self.topology.district_of)
    adoption = property(lambda self: self.topology.adoption)
    staff = property(lambda self: self.topology.staff)   # people per unit: clerks, leaders, specialists
    connected = property(lambda self: self.topology.connected)
    has_system = property(lambda self: self.topology.has_system)
    cert_share = property(lambda self: self.topology.cert_share)
    mailbox_share = property(lambda self: self.topology.mailbox_share)
    computer_share = property(lambda self: self.topology.computer_share)
    trained_share = property(lambda self: self.topology.trained_share)
    down_all = property(lambda self: self.topology.down_all)
    pools = property(lambda self: self.staff_pools.pools)

    # ------------------------------------------------------------------ counters
    @property
    def activities(self) -> int:
        """Activities as the event log counts them (start and complete of each step)."""
        return self.staff_pools.activities + self.channels.activities + self.arrivals.activities + self.desks.activities

    @property
    def tasks(self) -> int:
        """Staff tasks started (a step of one document at one desk)."""
        return self.staff_pools.tasks

    pages_printed = property(lambda self: self.channels.pages_printed)
    pages_scanned = property(lambda self: self.channels.pages_scanned)
    postage = property(lambda self: self.channels.postage)

    def _operating(self) -> tuple[float, float, float]:
        """Running operating counters: pages printed, postage (VND), staff minutes."""
        return (float(self.channels.pages_printed), float(self.channels.postage),
                sum(sum(m) for m in self.staff_pools.minutes()))

    # ------------------------------------------------------------------ running
    def run(self, until: float | None = None) -> "World":
        """Simulate to the end of the period, or ``until`` days from its start."""
        end = self.horizon if until is None else min(self.horizon, self.start + float(until) * 1440.0)
        if end > self.engine.now:
            if self.seat is not None and self.seat.queue:
                raise UserError(_("the seat has tasks waiting; use next_task() and decide()"), field="seat")
            self.engine.run(until=end)
        return self

    @property
    def clock(self) -> float:
        """Simulated time in minutes since the calendar's epoch."""
        return self.engine.now

    @property
    def now(self) -> datetime:
        return self.calendar.to_datetime(self.engine.now)

    # ------------------------------------------------------------------ the seat
    def _seat(self) -> Seat:
        if self.seat is None:
            raise UserError(_("this world has no seat"), field="seat")
        return self.seat

    def next_task(self) -> SeatTask | None:
        """Run the world until a task is on the seat's desk and the seat is free; None at the end."""
        return self._seat().next_task()

    def decide(self, task: SeatTask, decision: Decision | str) -> None:
        """Apply the seat's decision; the stage finishes after ``decision.minutes`` of working time."""
        self._seat().decide(task, decision)

    # ------------------------------------------------------------------ results
    def census(self) -> dict[str, int]:
        """Where every document and delivery is now; raises :class:`ConservationError` if any is lost."""
        return census(self)

    def staff_minutes(self) -> list[list[float]]:
        """Working minutes spent per unit and role (clerk, leader, specialist)."""
        return self.staff_pools.minutes()

    @property
    def events_processed(self) -> int:
        """SimPy events scheduled so far (the environment's event counter)."""
        return self.engine.events_scheduled

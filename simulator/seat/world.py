"""The running world under one seat.

The province's SimPy world (:class:`simulator.flows.World`) keeps running
under the trainee: every other desk is automated, and the seat's unit's
clerk desk is the trainee's. :meth:`SeatWorld.advance` runs it up to the
seat's clock and collects what reaches the desk; the trainee's decisions go
back in at the moment they are taken (:meth:`SeatWorld.follow`, one journal
line at a time), so the world goes on with them: a registered document goes
to the leader, a returned one back to its sender, who answers the next
morning. The journal holds every decision with its time, so replaying it
through a new world from the seed reaches the same state, bit for bit; that
is how the Lab re-opens a work folder and how the grader reads one.

What the world chose for each arrival, sound or which trap
(:mod:`simulator.flows.traps`), is what arrives: the desk makes the
artefact accordingly and the grader marks against the same choice.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from simulator.flows import Decision, Scenario, World
from simulator.flows.records import V_LIVE
from simulator.flows.scenario import scenario_path
from simulator.flows.traps import RECALL
from simulator.province import Province, Role, Unit
from simulator.seat.arrivals import Arrival, sender_answer
from simulator.seat.settings import SeatConfig

WORLD_DAYS = 120  # how far the world runs from the seat's first day (a course's span, with room)
# The journal lines whose decision goes back into the world, and what it is there.
WORLD_DECISIONS = {"register": "register", "refuse": "refuse", "recall": "refuse"}


def whole_second(moment: datetime) -> datetime:
    """``moment`` rounded up to the second: the seat's clock is kept in whole seconds (the journal's), and
    never falls behind the world."""
    return moment if not moment.microsecond else moment.replace(microsecond=0) + timedelta(seconds=1)


class SeatWorld:
    """The world of one seat: ``SeatWorld(config, province, unit, calendar)``."""

    def __init__(self, config: SeatConfig, province: Province, unit: Unit, calendar) -> None:
        start = config.start_time
        overrides = {"period.start": start.date().isoformat(), "period.days": WORLD_DAYS,
                     "structure": config.structure}
        if config.classroom:  # a class: every seat in the same world (the class's district, or the province)
            if config.classroom.get("district"):
                overrides["only_district"] = config.classroom["district"]
        elif unit.district:  # a 3-level seat: its district is enough of the world
            overrides["only_district"] = unit.district
        scenario = Scenario.load(scenario_path(config.scenario)).override(overrides)
        self.world = World(scenario, config.seed, seat=(unit.code, Role.CLERK), seat_traps=config.trap_share,
                           calendar=calendar)
        self.config, self.province, self.unit, self.calendar = config, province, unit, calendar
        self.start = start
        self.arrivals: list[Arrival] = []       # what reached the desk, in order, with the senders' answers
        self._tasks: dict[int, object] = {}     # arrival index -> the world's task in the trainee's hands
        self.delivery_of: dict[int, int] = {}   # arrival index -> the world's delivery (what became of it)
        self._from_world = 0                    # arrivals the world sent (the senders' answers not counted)
        self._units = {u.code for u in province.units}

    @property
    def now(self) -> datetime:
        return self.world.now

    @property
    def desk_full(self) -> bool:
        """Whether the world has sent the seat all the documents its settings give it (or its period is over)."""
        return self._from_world >= self.config.arrivals or self.world.clock >= self.world.horizon

    # -- the world runs on ---------------------------------------------------------
    def advance(self, until: datetime, *, first: bool = False) -> list[Arrival]:
        """Run the world up to ``until`` (events of that very moment wait); returns what reached the desk.
        ``first``: stop at the first arrival (the world then stands at its time)."""
        end = self.calendar.to_minutes(until)
        seat = self.world.seat
        new: list[Arrival] = []
        while (task := seat.take(end)) is not None:
            if not self._for_the_trainee(task):
                seat.hand_over(task)  # the unit's colleague takes it, as the automated desks do
                continue
            new.append(self._arrival(task))
            if first:
                break
        return new

    def _for_the_trainee(self, task) -> bool:
        """A digitally signed document from a unit of the province, for registration, while the desk takes any."""
        return (self._from_world < self.config.arrivals and task.stage == "register" and task.signed == "digital"
                and task.issuer_code in self._units and task.issuer_code != self.unit.code
                and self.world.calendar.to_minutes(task.arrived) >= self.world.start)

    def _arrival(self, task) -> Arrival:
        index = len(self.arrivals)
        trap, recalls = task.defect, None
        if trap == RECALL:  # the sender takes back one earlier sound document it sent, once
            taken = {a.recalls for a in self.arrivals}
            earlier = [a.index for a in self.arrivals if a.trap is None and a.corrects is None and a.index not in taken]
            recalls = earlier[task.seed % len(earlier)] if earlier else None
            trap = RECALL if earlier else None  # nothing sent before to take back: the document itself is sound
        arrival = Arrival(index, task.seed % 2**31, task.issuer_code, task.doc_type, whole_second(task.arrived),
                          trap, recalls, task.urgent)
        self.arrivals.append(arrival)
        self._tasks[index] = task
        self.delivery_of[index] = task.delivery
        self._from_world += 1
        return arrival

    def next_arrival(self, until: datetime) -> Arrival | None:
        """The first document to reach the desk after its clock and by ``until``, if any: a sender's answer
        already due, or the world's next (the world runs on to it, never past ``until``)."""
        answers = [a for a in self.arrivals if a.corrects is not None and self.now < a.arrived <= until]
        bound = min([until] + [a.arrived for a in answers])
        new = self.advance(bound, first=True)
        if new:
            return new[0]
        return min(answers, key=lambda a: a.arrived) if answers else None

    def service_for(self, unit_code: str):
        """The working times of a unit's desks in this world (the scenario's, with its overrides)."""
        i = self.world.index.get(unit_code)
        return self.world.topology.service_of[i] if i is not None else self.world.scenario.service

    # -- the trainee's decisions go back in ----------------------------------------------
    def follow(self, action: str, data: dict, at: datetime) -> None:
        """One journal line: the world runs to its time, then takes the trainee's decision, if it is one."""
        self.advance(at)
        if action not in WORLD_DECISIONS or not str(data.get("item", "")).isdigit():
            return
        index = int(data["item"])
        task = self._tasks.pop(index, None)
        if task is not None:
            self.world.seat.decide(task, Decision(WORLD_DECISIONS[action], minutes=0))
        if action == "refuse" and not any(a.corrects == index for a in self.arrivals):
            answer = sender_answer(self.arrivals[index], len(self.arrivals), at, self.calendar)
            if answer is not None:
                self.arrivals.append(answer)

    def unit_figures(self) -> dict:
        """The seat unit's registration figures, counted as the planners' ``registered_on_time`` counts them
        (the one deadline rule, :meth:`simulator.calendar.WorkingCalendar.due`): the trainee's delays show."""
        w, cal = self.world, self.calendar
        i, dl, docs, now = w.index[self.unit.code], w.deliveries, w.docs, w.clock
        arrived = registered = on_time = late_open = 0
        for v in range(len(dl)):
            if dl.unit[v] != i or math.isnan(dl.arrived[v]) or dl.arrived[v] > now:
                continue
            arrived += 1
            due = cal.to_minutes(cal.due(cal.to_datetime(dl.arrived[v]), priority=int(docs.urgent[dl.doc[v]])))
            if not math.isnan(dl.registered[v]):
                registered += 1
                on_time += dl.registered[v] <= due
            elif dl.state[v] == V_LIVE and due < now:
                late_open += 1
        share = on_time / (registered + late_open) if registered + late_open else math.nan
        return {"arrived": arrived, "registered": registered, "late_unregistered": late_open,
                "registered_on_time": share}

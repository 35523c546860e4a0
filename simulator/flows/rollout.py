"""Investments over time: a rollout schedule by quarter, what it puts in place, and what it costs.

A scenario's ``rollout`` lists steps::

    rollout:
      - quarter: 2019Q2
        where: {districts: [Vinh, Cửa Lò]}     # or {level: commune}, or {all: true}
        set: {connected: 1.0, certificates: 1.0, training: 1.0, computers: 0.9}

From the first day of its quarter, every unit the step names has at least
the shares it sets (a share never falls). Units and people keep the
uniform draw they got at the world's start (:mod:`~simulator.flows.topology`),
so equipment only grows and common random numbers hold: a unit equipped at
0.6 stays equipped at 0.8. A connection needs a document system: a step
that connects units gives them one too.

Quarters are calendar quarters; the world measures the plan's rows and
costs per quarter of its period (``X@Qn``: the n-th calendar quarter the
period touches, ``quarter.year@Qn`` and ``quarter.q@Qn`` say which).
Steps dated before the period's first quarter are the history the period
starts from (in place, not costed); steps in a quarter of the period are
costed in it (``investment_costs``); later steps are not reached.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from simulator.flows.settings import Rate, Share, Strict
from simulator.i18n import translator

_ = translator("flows")

QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
# What a step can set: the equipment rows IV and the staff's training.
ITEMS = ("document_system", "connected", "certificates", "mailbox", "computers", "training")


def quarter_start(label: str) -> date:
    """``"2019Q2"`` -> 1 April 2019."""
    year, q = QUARTER.match(label).groups()
    return date(int(year), 3 * int(q) - 2, 1)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def next_quarter(year: int, q: int) -> tuple[int, int]:
    return (year + 1, 1) if q == 4 else (year, q + 1)


class Where(Strict):
    """The units a step equips: every unit, or a level, or districts (their committee and communes), or a level
    within districts."""

    all: bool = False
    level: Literal["province", "district", "commune"] | None = None
    districts: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one(self):
        if self.all == bool(self.level or self.districts):
            raise ValueError(_("a rollout step names 'all: true', or a 'level' and/or 'districts'"))
        return self


class Equipment(Strict):
    """The shares a step brings its units up to (unset: unchanged)."""

    document_system: Share | None = None
    connected: Share | None = None
    certificates: Share | None = None
    mailbox: Share | None = None
    computers: Share | None = None
    training: Share | None = None

    @model_validator(mode="after")
    def _some(self):
        if all(getattr(self, k) is None for k in ITEMS):
            raise ValueError(_("a rollout step sets at least one of {items}", items=", ".join(ITEMS)))
        return self

    def shares(self) -> dict[str, float]:
        return {k: v for k in ITEMS if (v := getattr(self, k)) is not None}


class RolloutStep(Strict):
    quarter: str = Field(description="The calendar quarter the step takes effect, e.g. 2019Q2 (from its first day).")
    where: Where
    set: Equipment

    @field_validator("quarter", mode="before")
    @classmethod
    def _quarter(cls, value):
        if not isinstance(value, str) or not QUARTER.match(value.strip()):
            raise ValueError(_("a quarter is written like 2019Q2, got {value!r}", value=value))
        return value.strip()

    @property
    def start(self) -> date:
        return quarter_start(self.quarter)


class InvestmentCosts(Strict):
    """Unit costs of investments, VND. The defaults are orders of magnitude; a scenario states its own, each
    with its source or reason."""

    document_system_per_unit: Rate = Field(50_000_000, description="Deploying the document and operations system "
                                                                   "in one unit (licence share, setup, data).")
    connection_per_unit: Rate = Field(20_000_000, description="Connecting one unit's system to the axis (LGSP "
                                                              "integration, configuration, line).")
    certificate_per_year: Rate = Field(500_000, description="One signer's certificate and token per year (the "
                                                            "certificate is issued free to agencies; the token and "
                                                            "its renewal are not).")
    mailbox_per_year: Rate = Field(100_000, description="One official mailbox per year (hosting, storage).")
    computer: Rate = Field(15_000_000, description="One desktop computer for a staff member.")
    training_per_person_day: Rate = Field(500_000, description="One person-day of training (trainer, room, "
                                                               "allowances).")
    training_days: Annotated[float, Field(ge=0.0)] = Field(2.0, description="Days of training per person trained.")


def quarters(calendar, start: float, end: float) -> list[tuple[int, int, float, float]]:
    """The calendar quarters of [start, end) minutes: (year, quarter, from, to), clipped to the span."""
    out = []
    year, q = quarter_of(calendar.to_datetime(start).date())
    t0 = start
    while t0 < end:
        ny, nq = next_quarter(year, q)
        t1 = min(end, calendar.to_minutes(date(ny, 3 * nq - 2, 1)))
        out.append((year, q, t0, t1))
        year, q, t0 = ny, nq, t1
    return out


def equipment_shares(topology) -> dict[str, float]:
    """Rows IV.1-IV.5 of the simulated (staffed) units as they stand."""
    t = topology
    active = [i for i in range(len(t.units)) if t.staffed(i)]
    staff = [t.staff[i] for i in active]
    people = sum(sum(s) for s in staff)
    return {
        "IV.1": sum(t.connected[i] for i in active) / len(active),
        "IV.2": sum(t.has_system[i] for i in active) / len(active),
        "IV.3": sum(t.cert_share[i] * s[1] for i, s in zip(active, staff)) / sum(s[1] for s in staff),
        "IV.4": sum(t.mailbox_share[i] * sum(s) for i, s in zip(active, staff)) / people,
        "IV.5": sum(t.computer_share[i] * sum(s) for i, s in zip(active, staff)) / people,
    }


class Rollout:
    """Applies a scenario's rollout in a world and books its costs per quarter.

    ``probe()`` returns the world's running operating counters (pages printed, postage VND, staff minutes),
    read at each quarter's start so that operating costs split by quarter."""

    def __init__(self, scenario, engine, calendar, topology, start: float, horizon: float, probe) -> None:
        self.topology = topology
        self.costs = scenario.investment_costs
        self.probe = probe
        self.quarters = quarters(calendar, start, horizon)
        n = len(self.quarters)
        self.capital = [0.0] * n     # new equipment and training bought in the quarter
        self.equipment: list[dict | None] = [None] * n   # rows IV as they stand in the quarter
        self.marks: list[tuple | None] = [None] * n      # operating counters at the quarter's start
        self._held: list[tuple[int, int]] = [(0, 0)] * n   # certificates and mailboxes held in the quarter
        first = self.quarters[0][:2]
        by_quarter: dict[int, list] = {}
        for step in scenario.rollout:
            where = (quarter_of(step.start) > first) - (quarter_of(step.start) < first)
            if where < 0:
                self._apply(step, None)   # history: in place at the start, not costed
            else:
                k = next((k for k, (y, q, _a, _b) in enumerate(self.quarters) if (y, q) == quarter_of(step.start)),
                         None)
                if k is not None:
                    by_quarter.setdefault(k, []).append(step)
        self._steps = by_quarter
        self._enter(0)
        for k in range(1, n):
            engine.call_at(self.quarters[k][2], k, self._enter)

    def _enter(self, k: int) -> None:
        self.marks[k] = self.probe()
        for step in self._steps.get(k, ()):
            self._apply(step, k)
        self.equipment[k] = equipment_shares(self.topology)
        t = self.topology
        active = [i for i in range(len(t.units)) if t.staffed(i)]
        self._held[k] = (sum(round(t.cert_share[i] * t.staff[i][1]) for i in active),
                         sum(round(t.mailbox_share[i] * sum(t.staff[i])) for i in active))

    def units(self, where: Where) -> list[int]:
        """Indices of the staffed units a step names."""
        from simulator.flows.scenario import find_district

        t = self.topology
        codes = set()
        for name in where.districts:
            unit = find_district(t.province, name)
            if unit is not None:
                codes.add(unit.code)
        out = []
        for i, u in enumerate(t.units):
            if not t.staffed(i):
                continue
            level = {"committee": "province", "department": "province"}.get(t.kind_key[i], t.kind_key[i])
            if where.level and level != where.level:
                continue
            if where.districts and (t.district_of[i] < 0 or t.units[t.district_of[i]].code not in codes):
                continue
            out.append(i)
        return out

    def _apply(self, step: RolloutStep, k: int | None) -> None:
        t, c = self.topology, self.costs
        shares = step.set.shares()
        if "connected" in shares:   # a connection needs a document system
            shares["document_system"] = max(shares.get("document_system", 0.0), shares["connected"])
        spent = 0.0
        for i in self.units(step.where):
            people = sum(t.staff[i])
            before = (t.has_system[i], t.connected[i], t.computer_share[i] * people, t.trained_share[i] * people)
            held = t.shares[i]
            for key, value in shares.items():
                held[key] = max(held[key], value)
            t.equip(i)
            spent += (t.has_system[i] - before[0]) * c.document_system_per_unit
            spent += (t.connected[i] - before[1]) * c.connection_per_unit
            spent += round(t.computer_share[i] * people - before[2]) * c.computer
            spent += round(t.trained_share[i] * people - before[3]) * c.training_days * c.training_per_person_day
        if k is not None:
            self.capital[k] += spent

    def quarter_costs(self, k: int, operating_now: tuple, end: float) -> dict[str, float]:
        """Investment and the counters' growth in quarter ``k`` up to ``end`` minutes (the run's end)."""
        year, q, t0, t1 = self.quarters[k]
        t1 = min(t1, end)
        c = self.costs
        certs, boxes = self._held[k]
        year_share = max(0.0, t1 - t0) / (365.0 * 1440.0)
        recurring = (certs * c.certificate_per_year + boxes * c.mailbox_per_year) * year_share
        after = self.marks[k + 1] if k + 1 < len(self.marks) and self.marks[k + 1] is not None else operating_now
        return {"capital": self.capital[k], "recurring": recurring,
                "counters": tuple(b - a for a, b in zip(self.marks[k], after))}

"""The cheapest rollout: when each step of a scenario's rollout should come, or whether at all.

The search space is the scenario's own ``rollout``: each step (a group of
units and what they get) is placed in one of the simulated period's
calendar quarters, or dropped. A schedule is *feasible* when every
required row of the plan's table is **met** (its whole interval at the
stated confidence clears the plan year's target, :func:`indicators.verdict`)
in the last quarter simulated; its cost is the mean over replications of
the investments and operating costs of the whole period
(``cost.investment`` + ``cost.operating``). The required rows are the ones
named, or else those the *everything-first* schedule (every step in the
first quarter) meets: what the rollout can reach at all.

The search, in the order it runs (every evaluation uses the same seeds:
common random numbers, so two schedules differ by their effect, not by
noise; the candidates of one round run together, on local processes or
on a Dask cluster):

1. **Bounds.** Evaluate everything-first, the scenario's own schedule and
   nothing at all.
2. **Greedy, one step at a time.** Steps are taken in the order of
   documents per investment VND, lowest first (the steps that buy least
   work per VND are the first candidates for later or never). For the
   step at hand every placement (dropped, each quarter) is evaluated with
   the other steps as they stand; the cheapest feasible one is kept.
3. **Local search.** Move each step one quarter earlier or later, or
   drop or restore it; take the cheapest feasible improvement; repeat
   until none improves or the evaluation budget is spent.

The frontier lists, for each number of the plan's rows met, the cheapest
schedule evaluated that meets that many.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from simulator.flows.indicators import INDICATOR_IDS, MET, indicator_rows
from simulator.flows.replications import run_tasks
from simulator.flows.scenario import Scenario
from simulator.i18n import translator

_ = translator("flows")

DROPPED = None


@dataclass(frozen=True)
class Evaluation:
    schedule: tuple            # per step: its quarter label ("2019Q3") or None (dropped)
    cost: float                # mean total cost over replications, VND
    investment: float
    operating: float
    verdicts: dict             # row id -> met / not_met / uncertain, in the last quarter
    values: dict               # row id -> mean value in the last quarter
    feasible: bool

    @property
    def met(self) -> int:
        return sum(v == MET for v in self.verdicts.values())


@dataclass
class Search:
    scenario: Scenario
    required: list[str]
    confidence: float
    replications: int
    quarters: list[str]
    order: list[int]                                  # steps in the greedy's order
    value: list[float]                                # documents per day per million VND, per step
    evaluations: list[Evaluation] = field(default_factory=list)
    best: Evaluation | None = None
    seconds: float = 0.0

    def frontier(self) -> list[Evaluation]:
        """For each number of rows met, the cheapest schedule; dominated ones left out."""
        best: dict[int, Evaluation] = {}
        for e in self.evaluations:
            if e.met not in best or e.cost < best[e.met].cost:
                best[e.met] = e
        out, cheapest = [], math.inf
        for met in sorted(best, reverse=True):
            if best[met].cost < cheapest:
                out.append(best[met])
                cheapest = best[met].cost
        return out[::-1]


def scheduled(scenario: Scenario, schedule: tuple) -> Scenario:
    """The scenario with its rollout steps placed as ``schedule`` says (None: dropped)."""
    steps = [dict(step.model_dump(mode="json"), quarter=q) for step, q in zip(scenario.rollout, schedule)
             if q is not DROPPED]
    return scenario.override({"rollout": steps})


def _period_quarters(scenario: Scenario, days: float | None) -> list[str]:
    from simulator.calendar import default_calendar
    from simulator.flows.rollout import quarters

    cal = default_calendar()
    start = cal.to_minutes(scenario.period.start)
    span = scenario.period.days if days is None else min(days, scenario.period.days)
    return [f"{y}Q{q}" for y, q, _a, _b in quarters(cal, start, start + span * 1440.0)]


def step_values(scenario: Scenario) -> list[float]:
    """Per step: documents its units start per working day, per million VND it buys alone on day one
    (infinite for a step that buys nothing, e.g. naming units outside the simulated district)."""
    from simulator.flows.world import World

    world = World(scenario.override({"rollout": []}), 0)
    topo, rollout = world.topology, world.rollout
    out = []
    for step in scenario.rollout:
        units = rollout.units(step.where)
        saved = [(dict(topo.shares[i]), topo.has_system[i], topo.connected[i], topo.cert_share[i],
                  topo.mailbox_share[i], topo.computer_share[i], topo.trained_share[i]) for i in units]
        rollout.capital[0] = 0.0
        rollout._apply(step, 0)
        c = scenario.investment_costs
        certs = sum(topo.cert_share[i] * topo.staff[i][1] for i in units)
        boxes = sum(topo.mailbox_share[i] * sum(topo.staff[i]) for i in units)
        spent = rollout.capital[0] + certs * c.certificate_per_year + boxes * c.mailbox_per_year
        for i, s in zip(units, saved):
            (topo.shares[i], topo.has_system[i], topo.connected[i], topo.cert_share[i], topo.mailbox_share[i],
             topo.computer_share[i], topo.trained_share[i]) = s
        docs = sum(getattr(lr, topo.kind_key[i]) for i in units
                   for lr in (topo.volumes_of[i].internal, topo.volumes_of[i].up, topo.volumes_of[i].down,
                              topo.volumes_of[i].lateral, topo.volumes_of[i].citizens_out))
        out.append(docs / (spent / 1e6) if spent > 0 else math.inf)
    return out


class Optimizer:
    """Evaluates schedules in batches (one batch per round) and keeps every evaluation."""

    def __init__(self, scenario: Scenario, *, rows: list[str] | None = None, confidence: float = 0.95,
                 replications: int = 2, seed: int = 0, days: float | None = None, workers: int = 1,
                 scheduler=None, budget: int = 200, progress: Callable | None = None) -> None:
        self.scenario = scenario
        self.rows = rows
        self.confidence = confidence
        self.n, self.seed, self.days = replications, seed, days
        self.workers, self.scheduler = workers, scheduler
        self.budget = budget
        self.progress = progress
        self.cache: dict[tuple, Evaluation] = {}
        self.required: list[str] = list(rows or [])

    def evaluate(self, schedules: list[tuple]) -> list[Evaluation]:
        """Evaluate the schedules not seen yet together; every schedule's evaluation, in order."""
        fresh = list(dict.fromkeys(s for s in schedules if s not in self.cache))
        fresh = fresh[:max(0, self.budget - len(self.cache))]
        tasks = [(scheduled(self.scenario, s).to_dict(), self.seed, k, self.days) for s in fresh for k in range(self.n)]
        tick = None
        if self.progress:
            count = [0]

            def tick():
                count[0] += 1
                if count[0] % self.n == 0:
                    self.progress()
        runs = run_tasks(tasks, self.workers, self.scheduler, tick) if tasks else []
        for j, s in enumerate(fresh):
            self.cache[s] = self._judge(s, [r["kpis"] for r in runs[j * self.n:(j + 1) * self.n]])
        return [self.cache[s] for s in schedules if s in self.cache]

    def _judge(self, schedule: tuple, kpis: list[dict]) -> Evaluation:
        last = max(int(k.split("@Q")[1]) for k in kpis[0] if k.startswith("quarter.year@Q"))
        rows = indicator_rows(kpis, self.scenario.plan_year, suffix=f"@Q{last}", confidence=self.confidence)
        verdicts = {r.id: r.verdict for r in rows}
        investment = float(np.mean([k["cost.investment"] for k in kpis]))
        operating = float(np.mean([k["cost.operating"] for k in kpis]))
        feasible = all(verdicts[rid] == MET for rid in self.required)
        return Evaluation(schedule, investment + operating, investment, operating, verdicts,
                          {r.id: r.value for r in rows}, feasible)

    @staticmethod
    def _cheapest(evaluations: list[Evaluation]) -> Evaluation | None:
        """The cheapest feasible one; of equal costs, the one doing fewest steps."""
        feasible = [e for e in evaluations if e.feasible]
        return min(feasible, key=lambda e: (round(e.cost), sum(q is not DROPPED for q in e.schedule))) \
            if feasible else None

    def run(self) -> Search:
        t0 = time.perf_counter()
        sc = self.scenario
        quarters = _period_quarters(sc, self.days)
        # steps dated before the period are its history (fixed); steps after it are never reached
        history = [s.quarter < quarters[0] for s in sc.rollout]
        movable = [i for i, h in enumerate(history) if not h]
        own = tuple(s.quarter if s.quarter in quarters or h else DROPPED for s, h in zip(sc.rollout, history))
        first = tuple(s.quarter if h else quarters[0] for s, h in zip(sc.rollout, history))
        none = tuple(s.quarter if h else DROPPED for s, h in zip(sc.rollout, history))
        values = step_values(sc)
        order = sorted(movable, key=lambda i: values[i])
        search = Search(sc, self.required, self.confidence, self.n, quarters, order, values)
        top, mine, _nothing = self.evaluate([first, own, none])
        if not self.rows:   # what the rollout can reach at all
            self.required = search.required = [rid for rid in INDICATOR_IDS if top.verdicts[rid] == MET]
            self.cache = {s: self._rejudge(e) for s, e in self.cache.items()}
        current = self._cheapest([self.cache[first], self.cache[own]])
        if current is not None:
            options = [DROPPED, *reversed(quarters)]
            for i in order:                                       # 2. greedy
                candidates = [current.schedule[:i] + (q,) + current.schedule[i + 1:] for q in options]
                current = self._cheapest([current, *self.evaluate(candidates)]) or current
            improved = True
            while improved and len(self.cache) < self.budget:     # 3. local search
                neighbours = []
                for i in movable:
                    q = current.schedule[i]
                    if q is DROPPED:
                        moves = [quarters[-1]]
                    else:
                        k = quarters.index(q)
                        moves = [DROPPED] + [quarters[j] for j in (k - 1, k + 1) if 0 <= j < len(quarters)]
                    neighbours += [current.schedule[:i] + (m,) + current.schedule[i + 1:] for m in moves]
                best = self._cheapest(self.evaluate(neighbours))
                improved = best is not None and best.cost < current.cost - 1e-6
                if improved:
                    current = best
        search.evaluations = list(self.cache.values())
        search.best = current
        search.seconds = time.perf_counter() - t0
        return search

    def _rejudge(self, e: Evaluation) -> Evaluation:
        feasible = all(e.verdicts[rid] == MET for rid in self.required)
        return Evaluation(e.schedule, e.cost, e.investment, e.operating, e.verdicts, e.values, feasible)


def optimize(scenario: Scenario, **options) -> Search:
    """Search the cheapest schedule of ``scenario.rollout`` (see the module's text and :class:`Optimizer`)."""
    return Optimizer(scenario, **options).run()


# ---------------------------------------------------------------------- what a planner reads
def _where_text(where) -> str:
    if where.all:
        return _("every unit")
    level = {"province": _("province level"), "district": _("district committees"),
             "commune": _("communes")}.get(where.level or "", "")
    if where.districts:
        places = ", ".join(where.districts)
        return _("{level} of {places}", level=level, places=places) if level else places
    return level


def _set_text(step) -> str:
    from simulator.flows.report import pct

    names = {"document_system": _("document system"), "connected": _("connection"),
             "certificates": _("certificates"), "mailbox": _("mailboxes"), "computers": _("computers"),
             "training": _("training")}
    return ", ".join(f"{names[k]} {pct(v)}" for k, v in step.set.shares().items())


def _quarter_text(q) -> str:
    return _("not done") if q is DROPPED else q


def optimize_payload(search: Search) -> dict:
    """The search as plain data (JSON, CSV)."""
    def clean(x):
        return None if x is None or not math.isfinite(x) else round(float(x), 6)

    def flat(e: Evaluation) -> dict:
        return {"schedule": " ".join(_quarter_text(q).replace(" ", "_") for q in e.schedule),
                "rows_met": e.met, "feasible": e.feasible, "cost_vnd": round(e.cost),
                "investment_vnd": round(e.investment), "operating_vnd": round(e.operating)}

    steps = search.scenario.rollout
    chosen = None
    if search.best is not None:
        chosen = {**flat(search.best), "steps": [
            {"step": i + 1, "quarter": q, "where": _where_text(s.where), "set": s.set.shares(),
             "documents_per_day_per_million_vnd": clean(search.value[i])}
            for i, (s, q) in enumerate(zip(steps, search.best.schedule))],
            "rows": {rid: {"value": clean(search.best.values[rid]), "verdict": v}
                     for rid, v in search.best.verdicts.items()}}
    return {"scenario": search.scenario.name, "plan_year": search.scenario.plan_year, "required": search.required,
            "confidence": search.confidence, "replications": search.replications, "quarters": search.quarters,
            "evaluated": len(search.evaluations), "seconds": round(search.seconds, 1), "chosen": chosen,
            "frontier": [flat(e) for e in search.frontier()],
            "evaluations": [flat(e) for e in sorted(search.evaluations, key=lambda e: e.cost)]}


def optimize_report(search: Search):
    """The frontier and the chosen schedule, as a report (Markdown and HTML)."""
    from simulator.flows.indicators import target_for, verdict_text
    from simulator.flows.report import Report, num, pct

    sc = search.scenario
    report = Report(_("The cheapest rollout: {name}", name=sc.name))
    report.para(_("Schedules of the scenario's {steps} rollout steps over the quarters {first}-{last} (or not done), "
                  "{n} evaluated, {reps} replications each with common random numbers, {seconds:.0f} s. A schedule "
                  "qualifies when every required row ({rows}) is met in the last quarter: its {conf:.0%} interval "
                  "clears the {year} target. Cost: investments and operating costs of the whole period.",
                  steps=len(sc.rollout), first=search.quarters[0], last=search.quarters[-1],
                  n=len(search.evaluations), reps=search.replications, seconds=search.seconds,
                  rows=", ".join(search.required) or "—", conf=search.confidence, year=sc.plan_year))
    report.para(_("Method: greedy, then local search. Steps are taken in the order of documents per investment "
                  "VND, lowest first; for each, every placement (not done, each quarter) is tried with the others "
                  "as they stand and the cheapest qualifying one kept; then each step is moved one quarter earlier "
                  "or later, dropped or restored, while that lowers the cost."))
    best = search.best
    report.heading(_("Chosen schedule"))
    if best is None:
        report.para(_("No schedule evaluated meets the required rows."))
    else:
        report.para(_("Cost {cost} VND (investments {inv}, operating {op}); {met} of the plan's rows met.",
                      cost=num(best.cost, 0), inv=num(best.investment, 0), op=num(best.operating, 0), met=best.met))
        order = sorted(range(len(sc.rollout)), key=lambda i: (best.schedule[i] is DROPPED, best.schedule[i] or ""))
        report.table([_("Step"), _("Quarter"), _("Where"), _("What"), _("Documents a day per million VND")],
                     [[str(i + 1), _quarter_text(best.schedule[i]), _where_text(sc.rollout[i].where),
                       _set_text(sc.rollout[i]), num(search.value[i], 2) if math.isfinite(search.value[i]) else "—"]
                      for i in order])
        report.table([_("Row"), _("Target"), _("Last quarter"), _("Verdict")],
                     [[rid, ("≥ " if target_for(rid, sc.plan_year)[1] == ">=" else "≤ ")
                       + pct(target_for(rid, sc.plan_year)[0]), pct(best.values[rid]), verdict_text(v)]
                      for rid, v in best.verdicts.items()])
    report.heading(_("Frontier: cost against rows met"))
    report.table([_("Rows met"), _("Cost (VND)"), _("Investments (VND)"), _("Operating (VND)"), _("Schedule")],
                 [[str(e.met), num(e.cost, 0), num(e.investment, 0), num(e.operating, 0),
                   " · ".join(_quarter_text(q) for q in e.schedule)] for e in search.frontier()])
    return report

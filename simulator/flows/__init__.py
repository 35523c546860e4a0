"""The world: a SimPy model of a province's document flows, its scenarios and indicators.

Planners::

    sc = Scenario.load("scenarios/plan-2020.yaml").override({"only_district": "Kỳ Sơn"})
    results = run_replications(sc, n=5, seed=1, workers=2)      # or scheduler="tcp://..."
    for row in indicators(results):                             # I.1 ... IV.5
        print(row.id, row.target, row.value, row.low, row.high, row.met)
    quarterly_report(results)                                   # the plan's table by quarter
    compare(sc, sc.override({"adoption.interagency.electronic": 0.9, ...}), n=5, seed=1)

One seat handed to a controller (the Lab's live seat is :class:`simulator.seat.SeatWorld`)::

    world = World(sc, seed=7, seat=(commune_code, Role.CLERK))
    while (task := world.next_task()) is not None:   # the world runs until work reaches the seat
        world.decide(task, Decision("register", minutes=6))   # or "refuse"; the world goes on
    world.census()                                   # where every document is now

SimPy stays inside this package: nothing here returns a SimPy object.
"""

from simulator.flows.eventlog import event_frame, write_event_log, write_xes
from simulator.flows.indicators import INDICATOR_IDS, PLAN_ROWS, IndicatorRow, by_district, measure
from simulator.flows.replications import Difference, Results, compare, run_one, run_replications
from simulator.flows.report import quarterly_report
from simulator.flows.scenario import Scenario
from simulator.flows.seat import Decision, SeatTask
from simulator.flows.stats import Interval, mean_interval, mser5, paired_interval, welch_interval
from simulator.flows.world import World


def indicators(results) -> list[IndicatorRow]:
    """The plan's table (I.1–IV.5): target, value, 95% interval, met / not met.

    ``results`` is a :class:`Results`, a finished :class:`World`, or a list of KPI dicts."""
    from simulator.flows.indicators import indicator_rows

    if isinstance(results, Results):
        return results.indicators()
    if isinstance(results, World):
        return indicator_rows([measure(results)], results.scenario.plan_year)
    return indicator_rows(list(results), 2020)


__all__ = [
    "Decision", "Difference", "INDICATOR_IDS", "IndicatorRow", "Interval", "PLAN_ROWS", "Results", "Scenario",
    "SeatTask", "World", "by_district", "compare", "event_frame", "indicators", "mean_interval", "measure",
    "mser5", "paired_interval", "quarterly_report", "run_one", "run_replications", "welch_interval",
    "write_event_log", "write_xes",
]

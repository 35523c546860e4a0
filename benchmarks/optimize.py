"""Benchmark of ``vbdt optimize`` (simulator.flows.optimize): a search over rollout schedules.

The case: the whole province (Nghệ An, 3 levels, 455 units) over the turn of a quarter (2019Q2 -> 2019Q3,
``DAYS`` days), with the plan's habits of 2018 and its 2018 equipment (rollout-2019-2020.yaml); the rollout
is one step for the province level, one for the district committees and one for each district's communes
(connection, document system, certificates, training, computers): which districts first.

1. The search on 2 local worker processes: schedules evaluated, wall and CPU time.
2. The same search on a Dask LocalCluster with 2 workers and with 1 (one thread each): the ratio.

Run: ``.venv/bin/python -m benchmarks.optimize [DAYS] [BUDGET] [DASK_BUDGET] [split]`` (defaults 28, 60, 24;
a Dask budget of 0 skips the Dask runs; ``split``: two steps per district, 42 in all).
"""

from __future__ import annotations

import resource
import sys
import time

from simulator.flows.optimize import Optimizer
from simulator.flows.scenario import Scenario, scenario_path

PACKAGE = {"document_system": 1.0, "connected": 1.0, "certificates": 1.0, "training": 1.0, "computers": 0.95}


def case(days: int, split: bool = False) -> Scenario:
    """The case; ``split``: two steps per district's communes (the network and system; certificates, training,
    computers), 42 steps in all."""
    base = Scenario.load(scenario_path("rollout-2019-2020"))
    province = base.load_province()
    steps = [{"quarter": "2019Q2", "where": {"level": "province"}, "set": PACKAGE},
             {"quarter": "2019Q2", "where": {"level": "district"}, "set": PACKAGE}]
    parts = [PACKAGE] if not split else [{k: PACKAGE[k] for k in ("document_system", "connected")},
                                         {k: PACKAGE[k] for k in ("certificates", "training", "computers")}]
    steps += [{"quarter": "2019Q3", "where": {"level": "commune", "districts": [d.short_name]}, "set": part}
              for d in province.districts for part in parts]
    return base.override({"name": "bench-optimize", "period": {"start": "2019-06-17", "days": days},
                          "rollout": steps})


def cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def search(sc: Scenario, budget: int, **options):
    t0, c0 = time.perf_counter(), cpu()
    result = Optimizer(sc, replications=2, budget=budget, **options).run()
    return result, time.perf_counter() - t0, cpu() - c0


def main() -> None:
    days = int(sys.argv[1]) if len(sys.argv) > 1 else 28
    budget = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    dask_budget = int(sys.argv[3]) if len(sys.argv) > 3 else 24
    sc = case(days, split="split" in sys.argv[4:])
    print(f"case: whole province, {days} days from 2019-06-17, {len(sc.rollout)} rollout steps, 2 replications")
    result, wall, cpu_s = search(sc, budget, workers=2)
    best = result.best
    print(f"local, 2 processes: {len(result.evaluations)} schedules in {wall:.0f} s wall, {cpu_s:.0f} s CPU "
          f"(this process and its workers); required rows {result.required}; "
          f"best cost {best.cost / 1e9:.2f} bn VND" if best else "no feasible schedule")
    if best:
        dropped = sum(q is None for q in best.schedule)
        print(f"  chosen: {dropped} steps not done, quarters {sorted(set(q for q in best.schedule if q))}")
    if not dask_budget:
        return
    from distributed import Client, LocalCluster

    times = {}
    for n in (1, 2):
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            r, wall, _c = search(sc, dask_budget, scheduler=client)
            times[n] = wall
            print(f"dask, {n} worker(s): {len(r.evaluations)} schedules in {wall:.0f} s wall")
    print(f"dask 1 -> 2 workers: {times[1] / times[2]:.2f}x")


if __name__ == "__main__":
    main()

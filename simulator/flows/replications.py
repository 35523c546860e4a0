"""Replications on local processes or a Dask cluster, and paired comparisons.

Replication ``k`` of root seed ``s`` draws from ``SeedSequence(s,
spawn_key=(k, purpose))``: the same ``k`` gives the same streams in every
scenario (common random numbers). A SimPy environment cannot be pickled,
so workers receive (scenario as a dict, seed, k) and send back plain dicts.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

from simulator.flows.indicators import IndicatorRow, by_district, indicator_rows, measure
from simulator.flows.scenario import Scenario
from simulator.flows.stats import Interval, mean_interval, paired_interval, welch_interval


def run_one(scenario: dict | Scenario, seed: int, replication: int, days: float | None = None) -> dict:
    """One replication; returns picklable results (the unit of work sent to workers)."""
    from simulator.flows.world import World

    if not isinstance(scenario, Scenario):
        scenario = Scenario.model_validate(scenario)
    world = World(scenario, seed, replication=replication)
    world.run(until=days)
    return summarise(world)


def summarise(world) -> dict:
    """A finished world as the plain dict replications return."""
    return {"replication": world.replication, "kpis": measure(world), "districts": by_district(world),
            "events": world.events_processed}


@dataclass
class Results:
    """Replications of one scenario: ``kpis`` (one dict per replication), summaries on demand."""

    scenario: Scenario
    seed: int
    runs: list[dict] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.runs)

    @property
    def kpis(self) -> list[dict]:
        return [r["kpis"] for r in self.runs]

    def values(self, key: str) -> list[float]:
        return [k.get(key, math.nan) for k in self.kpis]

    def interval(self, key: str) -> Interval:
        return mean_interval(self.values(key))

    def summary(self, keys: list[str] | None = None) -> dict[str, Interval]:
        keys = keys or sorted({k for kp in self.kpis for k in kp if "@" not in k})
        return {k: self.interval(k) for k in keys}

    def indicators(self) -> list[IndicatorRow]:
        return indicator_rows(self.kpis, self.scenario.plan_year)

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame(self.kpis, index=[r["replication"] for r in self.runs]).rename_axis("replication")

    def districts_frame(self):
        import pandas as pd

        rows = [dict(row, replication=r["replication"]) for r in self.runs for row in r["districts"]]
        return pd.DataFrame(rows)


def _local(tasks, workers: int, progress: Callable | None):
    if workers <= 1:
        for args in tasks:
            result = run_one(*args)
            if progress:
                progress()
            yield result
        return
    import multiprocessing

    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for result in pool.map(run_one, *zip(*tasks)):
            if progress:
                progress()
            yield result


def _dask(tasks, scheduler, progress: Callable | None):
    from distributed import Client, as_completed

    if isinstance(scheduler, Client):
        client = scheduler
    else:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            from simulator.errors import UserError
            from simulator.i18n import translator

            _ = translator("flows")
            raise UserError(_("cannot reach the Dask scheduler {address}: {error}", address=scheduler,
                              error=str(exc).splitlines()[0] if str(exc) else type(exc).__name__),
                            field="scheduler") from None
    try:
        # pure=False: identical-looking calls must not be merged (PITFALLS.md).
        futures = client.map(run_one, *zip(*tasks), pure=False)
        for _future in as_completed(futures):
            if progress:
                progress()
        return [future.result() for future in futures]   # in the tasks' order
    finally:
        if client is not scheduler:
            client.close()


def run_tasks(tasks: list[tuple], workers: int = 1, scheduler=None, progress: Callable | None = None) -> list[dict]:
    """Results of ``run_one(*task)`` for every task, in the tasks' order, on local processes or Dask.

    Tasks of several scenarios go in one batch (a search evaluates its candidates together)."""
    if scheduler is not None:
        return _dask(tasks, scheduler, progress)
    workers = max(1, min(workers, len(tasks), os.cpu_count() or 1)) if workers > 1 else 1
    return list(_local(tasks, workers, progress))


def run_replications(scenario: Scenario, n: int, seed: int = 0, workers: int = 1, scheduler=None, *,
                     days: float | None = None, progress: Callable | None = None, first: int = 0,
                     extra: list[dict] | None = None) -> Results:
    """Run ``n`` replications (child seeds by index) locally or on a Dask scheduler (address or Client).

    ``first`` skips replications already run (``extra`` holds their results, e.g. replication 0 run
    in-process with its event log)."""
    tasks = [(scenario.to_dict(), seed, k, days) for k in range(first, n)]
    # the results describe the period actually simulated (reports print it)
    described = scenario.override({"period.days": max(1, round(days))}) if days and days < scenario.period.days else scenario
    if not tasks:
        return Results(described, seed, sorted(extra or [], key=lambda r: r["replication"]))
    runs = run_tasks(tasks, workers, scheduler, progress)
    return Results(described, seed, sorted(runs + list(extra or []), key=lambda r: r["replication"]))


@dataclass(frozen=True)
class Difference:
    key: str
    a: Interval
    b: Interval
    paired: Interval      # b − a over common random numbers
    unpaired: Interval    # b − a as if independent (for contrast)


def compare(a: Scenario | Results, b: Scenario | Results, n: int = 5, seed: int = 0, *, workers: int = 1,
            scheduler=None, days: float | None = None, keys: list[str] | None = None,
            progress: Callable | None = None) -> list[Difference]:
    """Paired differences b − a with 95% intervals (same seeds: common random numbers)."""
    ra = a if isinstance(a, Results) else run_replications(a, n, seed, workers, scheduler, days=days,
                                                           progress=progress)
    rb = b if isinstance(b, Results) else run_replications(b, n, seed, workers, scheduler, days=days,
                                                           progress=progress)
    if ra.seed != rb.seed:
        raise ValueError("paired comparison needs the same root seed on both sides")
    keys = keys or sorted({k for kp in ra.kpis for k in kp if "@" not in k} & {k for kp in rb.kpis for k in kp})
    out = []
    for key in keys:
        va, vb = ra.values(key), rb.values(key)
        out.append(Difference(key, mean_interval(va), mean_interval(vb), paired_interval(va, vb),
                              welch_interval(va, vb)))
    return out

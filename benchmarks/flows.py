"""Benchmark of the world (simulator.flows).

1. A full year of Nghệ An's 3-level structure (455 units) at the default
   volumes: wall and CPU time, document deliveries, SimPy events, peak memory
   (measured in a child process so that nothing else counts).
2. A bare SimPy M/M/c queue (Resource-based) in the same process: the
   model's events per second as a ratio to it.
3. Replications per minute with 1 and 2 local worker processes.
4. A planner's interactive run: one district for one month.

Run: ``.venv/bin/python -m benchmarks.flows`` (about two to three minutes).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import resource
import sys
import time

import simpy

from simulator.flows.engine import Engine


def bare_mmc(n_customers: int = 200_000, servers: int = 3, lam: float = 2.5, mu: float = 1.0) -> tuple[int, float]:
    """A textbook M/M/c queue on simpy.Resource; returns (events, CPU seconds) for ``n_customers``."""
    rng = random.Random(1)
    env = Engine()
    server = simpy.Resource(env, capacity=servers)

    def customer():
        with server.request() as req:
            yield req
            yield env.timeout(rng.expovariate(mu))

    def source():
        for _ in range(n_customers):
            yield env.timeout(rng.expovariate(lam))
            env.process(customer())

    env.process(source())
    start = time.process_time()  # CPU time, like the model's figure: fair on a busy machine
    env.run()
    return env.events_scheduled, time.process_time() - start


def full_year(queue) -> None:
    """Child process: one full year of the province, then the bare queue in the same process."""
    from simulator.flows import Scenario, World, measure

    scenario = Scenario(name="default", period={"start": "2019-01-01", "days": 365})
    wall0, cpu0 = time.perf_counter(), time.process_time()
    world = World(scenario, seed=1)
    world.run()
    run_wall, run_cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    kpis = measure(world)
    total_wall, total_cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    events = world.events_processed
    census = world.census()
    mmc_events, mmc_seconds = bare_mmc()
    queue.put({
        "units": len(world.units), "communes": sum(u.kind.value == "commune_committee" for u in world.units),
        "documents": len(world.docs), "deliveries": len(world.deliveries), "events": events,
        "run_wall": run_wall, "run_cpu": run_cpu, "total_wall": total_wall, "total_cpu": total_cpu,
        "model_events_per_s": events / run_cpu, "mmc_events_per_s": mmc_events / mmc_seconds,
        "activities_per_s": world.activities / run_cpu, "activities": world.activities,
        "tasks_per_s": world.tasks / run_cpu, "tasks": world.tasks, "mmc_customers_per_s": 200_000 / mmc_seconds,
        "filed": census.get("filed", 0), "backlog": kpis["backlog_end"],
        "on_time": kpis["handled_on_time"],
    })


def _child(target, *args):
    queue = multiprocessing.get_context("fork").Queue()
    process = multiprocessing.get_context("fork").Process(target=target, args=(queue, *args))
    process.start()
    result = queue.get()
    process.join()
    return result


def replications_per_minute(workers: int, n: int) -> float:
    from simulator.flows import Scenario, run_replications

    scenario = Scenario(name="rpm", only_district="Huyện Diễn Châu", period={"start": "2019-01-01", "days": 90})
    start = time.perf_counter()
    run_replications(scenario, n, seed=3, workers=workers)
    return n / (time.perf_counter() - start) * 60.0


def district_month() -> tuple[float, int]:
    from simulator.flows import Scenario, World, measure

    scenario = Scenario(name="district", only_district="Huyện Diễn Châu", period={"start": "2019-03-01", "days": 31})
    start = time.perf_counter()
    world = World(scenario, seed=2)
    world.run()
    measure(world)
    return time.perf_counter() - start, len(world.deliveries)


def main() -> int:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"python {sys.version.split()[0]}, simpy {simpy.__version__}, {os.cpu_count()} cores, load average {load}")
    print("1. full year, Nghệ An 2024 structure, default volumes (child process)...", flush=True)
    r = _child(full_year)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"   units {r['units']} (communes {r['communes']}), documents {r['documents']:,}, "
          f"deliveries {r['deliveries']:,}, SimPy events {r['events']:,}")
    print(f"   run: wall {r['run_wall']:.1f} s, CPU {r['run_cpu']:.1f} s; with indicators: wall "
          f"{r['total_wall']:.1f} s, CPU {r['total_cpu']:.1f} s; peak memory {peak_mb:.0f} MB")
    print(f"   deliveries per CPU second {r['deliveries'] / r['run_cpu']:,.0f}; handled on time {r['on_time']:.1%}")
    ratio = r["model_events_per_s"] / r["mmc_events_per_s"]
    print(f"2. model {r['model_events_per_s']:,.0f} SimPy events/s vs bare SimPy M/M/c {r['mmc_events_per_s']:,.0f} "
          f"events/s (CPU time): ratio {ratio:.2f}")
    print(f"   model activities (event-log rows: start and complete of each step, {r['activities']:,} in all) "
          f"{r['activities_per_s']:,.0f}/s: ratio {r['activities_per_s'] / r['mmc_events_per_s']:.2f}")
    print(f"   staff tasks served ({r['tasks']:,}) {r['tasks_per_s']:,.0f}/s vs M/M/c customers served "
          f"{r['mmc_customers_per_s']:,.0f}/s: ratio {r['tasks_per_s'] / r['mmc_customers_per_s']:.2f}")
    print("3. replications per minute (one district, 90 days)...", flush=True)
    n = 6
    one = replications_per_minute(1, n)
    two = replications_per_minute(2, n)
    print(f"   1 worker {one:.1f}/min, 2 workers {two:.1f}/min: speed-up {two / one:.2f}x "
          f"(load average now {os.getloadavg()[0]:.1f}: a busy machine has no second core to give)")
    seconds, deliveries = district_month()
    print(f"4. one district (Diễn Châu), one month: {seconds:.2f} s ({deliveries:,} deliveries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Event-log export: OCEL 2.0 (JSON and SQLite) for one district-month and for the province year.

Times cover building the OCEL rows from the world and writing both files
(the simulation and the event frame, shared with Parquet/CSV/XES, are timed
apart). ``python -m benchmarks.eventlog [--skip-year]``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def export(world, documents, out: Path) -> dict:
    from simulator.flows import event_frame
    from simulator.flows.ocel import build_ocel, write_ocel_json, write_ocel_sqlite

    frame, fw, fc = _timed(lambda: event_frame(world))
    log, bw, bc = _timed(lambda: build_ocel(world, frame, documents))
    _, jw, jc = _timed(lambda: write_ocel_json(log, out / "events.jsonocel"))
    _, sw, sc = _timed(lambda: write_ocel_sqlite(log, out / "events.sqlite"))
    return {"rows": len(frame), "frame": (fw, fc), "events": len(log.events), "objects": len(log.objects),
            "build": (bw, bc), "json": (jw, jc), "sqlite": (sw, sc),
            "json_mb": (out / "events.jsonocel").stat().st_size / 1e6,
            "sqlite_mb": (out / "events.sqlite").stat().st_size / 1e6}


def _print(label: str, r: dict) -> None:
    total_cpu = r["build"][1] + r["json"][1] + r["sqlite"][1]
    total_wall = r["build"][0] + r["json"][0] + r["sqlite"][0]
    print(f"{label}: {r['events']:,} events, {r['objects']:,} objects (log {r['rows']:,} rows; "
          f"event frame {r['frame'][1]:.2f} s CPU)")
    print(f"   build {r['build'][1]:.2f} s, JSON {r['json'][1]:.2f} s ({r['json_mb']:.1f} MB), "
          f"SQLite {r['sqlite'][1]:.2f} s ({r['sqlite_mb']:.1f} MB): OCEL total {total_cpu:.2f} s CPU, "
          f"{total_wall:.2f} s wall", flush=True)


def main(argv=None) -> int:
    from simulator.flows import Scenario, World

    skip_year = "--skip-year" in (argv if argv is not None else sys.argv[1:])
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {load}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        scenario = Scenario(name="district", only_district="Huyện Diễn Châu",
                            period={"start": "2019-03-01", "days": 31})
        world = World(scenario, seed=2, record_events=True).run()
        _print("1. one district (Diễn Châu), one month, every document", export(world, None, out))
        _print("2. the same, the simulate sample (500 documents and those they answer)",
               export(world, _sample(world), out))
        if not skip_year:
            print("3. province year (Nghệ An, 2019) with the event log recorded...", flush=True)
            year = Scenario(name="default", period={"start": "2019-01-01", "days": 365})
            world, run_wall, run_cpu = _timed(lambda: World(year, seed=1, record_events=True).run())
            print(f"   simulation {run_cpu:.1f} s CPU, {len(world.docs):,} documents, "
                  f"{len(world.deliveries):,} deliveries", flush=True)
            _print("3. province year, the simulate sample (500 documents and those they answer)",
                   export(world, _sample(world), out))
    return 0


def _sample(world, n: int = 500, seed: int = 0):
    """The documents ``write_event_log`` samples for XES and OCEL."""
    import numpy as np

    cases = np.unique(np.frombuffer(world.log.doc, dtype=np.int32))
    return np.sort(np.random.default_rng(seed).choice(cases, n, replace=False)) if len(cases) > n else cases


if __name__ == "__main__":
    sys.exit(main())

"""Courses benchmark: building every course, and autograding a class of submissions.

Run: ``python -m benchmarks.courses [--submissions 30] [--assignment 03-van-ban-den] [--workers 2]``.

- Build: ``generate_assignment`` for every assignment of the three courses
  (gradebook creation included), from a fresh copy of ``courses/``.
- Autograde: N trainees each work their own seat in Python (the desks'
  calls, prepared in parallel and not timed), then
  ``simulator.grading.instructor.autograde`` grades all N submissions on
  local processes (nbgrader's notebook run, the checks, the gradebook, the
  redacted feedback). Reports wall time, submissions per minute, and the
  scores (every submission is a correct piece of work, so every score must
  be full marks).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNIT, ARRIVALS, TRAP_SHARE = "Xã Hải Châu", 5, 0.5


def _seat(args: tuple[str, str, str]) -> str | None:
    """One trainee's work; ``None`` when the lab cannot build this trainee's world (reported, skipped)."""
    folder, trainee, assignment = args
    try:
        _work(folder, trainee, assignment)
        return trainee
    except Exception as error:  # noqa: BLE001 - a benchmark reports and goes on
        print(f"seat {trainee}: {error}", file=sys.stderr)
        shutil.rmtree(folder, ignore_errors=True)
        return None


def _work(folder: str, trainee: str, assignment: str) -> None:
    logging.getLogger("pyhanko").setLevel(logging.ERROR)
    from simulator.grading import practice
    from simulator.lab import SEAT_PASSPHRASE, Session

    session = Session.open(folder, unit=UNIT, trainee_id=trainee, arrivals=ARRIVALS, trap_share=TRAP_SHARE)
    work = {"03-van-ban-den": practice.handle_incoming,
            "04-van-ban-di": lambda s: practice.handle_outgoing(s, SEAT_PASSPHRASE),
            "05-ho-so-luu-tru": lambda s: practice.keep_records(s, SEAT_PASSPHRASE)}[assignment]
    work(session)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=30)
    parser.add_argument("--assignment", default="03-van-ban-den")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")

    from simulator.grading.instructor import autograde, build

    with tempfile.TemporaryDirectory(prefix="vbdt-courses-") as tmp:
        tmp = Path(tmp)
        ignore = shutil.ignore_patterns("release", "submitted", "autograded", "feedback", "gradebook.db")
        for course in ("can-bo-xa", "quan-tri", "ke-hoach"):
            shutil.copytree(ROOT / "courses" / course, tmp / course, ignore=ignore)
        started = time.perf_counter()
        counts = {course: len(build(tmp / course)) for course in ("can-bo-xa", "quan-tri", "ke-hoach")}
        build_s = time.perf_counter() - started
        print(f"build all courses: {sum(counts.values())} assignments in {build_s:.1f} s {counts}")

        root, assignment = tmp / "can-bo-xa", args.assignment
        started, ready, n = time.perf_counter(), [], 0
        with ProcessPoolExecutor(max_workers=args.workers) as pool:
            while len(ready) < args.submissions and n < 3 * args.submissions:
                jobs = []
                for _ in range(args.submissions - len(ready)):
                    n += 1
                    jobs.append((str(root / "seats" / f"hv{n:03d}"), f"hv{n:03d}", assignment))
                ready += [t for t in pool.map(_seat, jobs) if t]
        for trainee in ready:
            target = root / "submitted" / trainee / assignment
            shutil.copytree(root / "release" / assignment, target)
            shutil.move(str(root / "seats" / trainee), target / "lam-viec")
            (target / "timestamp.txt").write_text("2026-03-09 10:00:00.000000 UTC")
        print(f"prepared {len(ready)} trainees' seats in {time.perf_counter() - started:.1f} s "
              f"({n - len(ready)} worlds the lab could not build; not part of the figure)")

        started = time.perf_counter()
        cpu0 = os.times()
        results = autograde(root, assignment, workers=args.workers, progress=True)
        wall = time.perf_counter() - started
        cpu1 = os.times()
        cpu = (cpu1.children_user + cpu1.children_system + cpu1.user + cpu1.system
               - cpu0.children_user - cpu0.children_system - cpu0.user - cpu0.system)
        full = sum(1 for r in results if r.ok and r.score == r.max_score > 0)
        print(f"autograde {len(results)} submissions of {assignment} on {args.workers} processes: {wall:.1f} s wall, "
              f"{len(results) / wall * 60:.1f} submissions/min, {cpu:.0f} CPU s; full marks {full}/{len(results)}")
        if full != len(results):
            bad = [r for r in results if not (r.ok and r.score == r.max_score)]
            print("not full marks:", bad[:3])
            sys.exit(1)


if __name__ == "__main__":
    main()

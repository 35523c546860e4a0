"""Classroom benchmark: a class world with thirty seats, the class's axis served over real HTTP.

Run: ``python -m benchmarks.classroom [--seats 30]``. In one process: the
instructor opens a class for the first district with enough communes, hands
out ``--seats`` seats (the district's clerk and commune clerks) and serves the
class's axis on 127.0.0.1 (a thread); every trainee's desk is opened from its
ticket; the district clerk drafts a document to every commune, the leader
signs, the clerk seals and dispatches it (one envelope, every commune held by
a trainee); each commune clerk gets it from the class's axis (waiting until
their clock reaches the moment it was sent), verifies, registers, submits and
assigns it, each step reported back to the district through the server; the
district moves on to the next working day and takes every status (four per
commune) from the class's axis: timed apart from its ``receive`` of the
world's documents (rendered, signed and sealed by their automated senders,
the seat benchmark's cost).

Printed: the time of each desk action (wall and CPU seconds; median, p95,
max over every call), the first opening of a seat, and the district's receive
of all the statuses. Target (issue 15): each desk action ≤ 1 s. Figures, not
assertions.

The thirty seats share this one process, where on a hub each trainee's
kernel holds one seat: Python's full garbage collections then walk thirty
seats' objects (0.5–0.7 s each here, one every few verifications) and land
on whichever action runs. Once the seats are open their objects are frozen
(``gc.freeze()``: left out of collections, as another kernel's objects
would be); ``--no-freeze`` measures without it. The full collections during
the timed actions are printed either way.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

TARGET = 1.0
START = datetime(2025, 3, 3, 7, 30)


class _FullCollections:
    """Count and CPU time of the garbage collector's full (generation 2) collections while installed."""

    def __init__(self) -> None:
        self.count, self.cpu, self._start = 0, 0.0, 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._start = time.process_time()
        else:
            self.count += 1
            self.cpu += time.process_time() - self._start


def _timed(figures: dict, name: str, call, *args, **kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    result = call(*args, **kwargs)
    figures[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    return result


def _line(name: str, values: list[tuple[float, float]]) -> str:
    walls = sorted(w for w, _ in values)
    cpus = sorted(c for _, c in values)

    def p95(xs):
        return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]

    return (f"{name:<28} n={len(values):>3}  wall median {statistics.median(walls):6.3f} p95 {p95(walls):6.3f} "
            f"max {walls[-1]:6.3f}  cpu median {statistics.median(cpus):6.3f} p95 {p95(cpus):6.3f} "
            f"max {cpus[-1]:6.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seats", type=int, default=30)
    parser.add_argument("--no-freeze", action="store_true",
                        help="keep the open seats' objects in the garbage collector's full collections")
    args = parser.parse_args()
    logging.getLogger("pyhanko").setLevel(logging.ERROR)
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.ERROR)

    from simulator.lab import SEAT_PASSPHRASE, Session
    from simulator.province import load_province
    from simulator.province.history import structure_on
    from simulator.seat.classroom import ClassRoom, class_server

    province = load_province("Nghệ An", structure_on(START))
    district = next(d for d in province.districts if len(province.children(d.code)) >= args.seats - 1)
    figures: dict[str, list] = defaultdict(list)
    print(f"load average at the start {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-class-") as tmp:
        base = Path(tmp)
        wall = time.perf_counter()
        room = ClassRoom.open(base / "class", unit=district.code, start=START, scenario="plan-2020", port=0)
        units = room.units[:args.seats]
        tickets = [room.seat(f"hv{i:02d}", code) for i, code in enumerate(units)]
        print(f"class of {district.short_name}: {len(units)} seats opened and handed out in "
              f"{time.perf_counter() - wall:.1f} s", flush=True)
        server = class_server(base / "class", port=0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}"
        for ticket in tickets:
            ticket["url"] = url
        seats = [_timed(figures, "first opening", Session.open, base / t["trainee"], classroom=t) for t in tickets]
        if not args.no_freeze:
            gc.collect()
            gc.freeze()
        full = _FullCollections()
        gc.callbacks.append(full)
        head, communes = seats[0], seats[1:]
        out = _timed(figures, "draft", head.draft, [c.seat.code for c in communes], "V/v báo cáo kết quả quý I",
                     "Đề nghị Ủy ban nhân dân các xã, phường báo cáo kết quả thực hiện quý I năm 2025.")
        _timed(figures, "sign", head.sign, out.item_id, SEAT_PASSPHRASE)
        _timed(figures, "seal", head.seal, out.item_id, SEAT_PASSPHRASE)
        _timed(figures, "dispatch", head.dispatch, out.item_id)
        for seat in communes:
            for _ in range(6):
                new = [i for i in _timed(figures, "receive", seat.receive) if i.item_id.startswith("L")]
                if new:
                    break
                _timed(figures, "wait_until_end_of_session", seat.wait_until_end_of_session)
            item = new[0].item_id
            _timed(figures, "verify", seat.verify, item)
            _timed(figures, "register", seat.register, item)
            _timed(figures, "submit", seat.submit, item)
            _timed(figures, "assign", seat.assign, item, "Nguyễn Văn Bình")
        head.next_working_day()  # every commune's steps are in the district's past now
        _timed(figures, "district: class statuses", head._receive_class)
        gc.callbacks.remove(full)
        _timed(figures, "district: receive (world)", head.receive)
        statuses = len(head.class_statuses)
        server.shutdown()
        server.server_close()
    print(f"statuses back at the district: {statuses} (expected {4 * len(communes)})")
    print(f"load average at the end {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"full garbage collections during the class actions: {full.count}, {full.cpu:.2f} s CPU "
          f"({'without' if args.no_freeze else 'with'} the open seats frozen)")
    for name, values in figures.items():
        print(_line(name, values))
    actions = [v for name, values in figures.items() if name not in ("first opening", "district: receive (world)")
               for v in values]
    worst = max(c for _, c in actions)
    print(f"each desk action on the class ≤ {TARGET:.0f} s (CPU, worst call): {'yes' if worst <= TARGET else 'no'} "
          f"({worst:.3f} s)")


if __name__ == "__main__":
    main()

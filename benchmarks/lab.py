"""Lab benchmark: opening a seat, a trainee's actions, the planner's re-run, all notebooks.

    python -m benchmarks.lab [--notebooks]

Targets (issue 7): opening a seat ≤ 3 s; a trainee action, signing included,
≤ 1 s; the planner dashboard's re-run ≤ 2 s; all notebooks together ≤ 5 min.
Wall times on this machine; CPU times too, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path


def _timed(fn, *args, **kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def seat_figures(folder: Path) -> dict:
    from simulator.lab import SEAT_PASSPHRASE, Session

    figures = {}
    session, figures["open a new seat (PKI, certificates)"], _c = _timed(
        Session.open, folder / "seat", trainee_id="bench", arrivals=6, trap_share=0.0)
    _s, figures["reopen the seat from its folder"], _c = _timed(Session.open, folder / "seat")
    receive = []
    while len(session.inbox) < 6:
        new, wall, _c = _timed(session.receive)
        receive.append(wall / max(1, len(new)))
    figures["world delivers one document (render, sign, envelope, axis)"] = statistics.median(receive)
    actions = {"verify": [], "register": [], "submit": [], "assign": []}
    for item_id in list(session.inbox):
        for name in actions:
            args = (item_id, "Nguyễn Văn Hùng") if name == "assign" else (item_id,)
            _r, wall, _c = _timed(getattr(session, name), *args)
            actions[name].append(wall)
    for name, values in actions.items():
        figures[f"action: {name} (median)"] = statistics.median(values)
    out, figures["action: reply (draft + render)"], _c = _timed(session.reply, "000")
    _r, figures["action: sign (leader, B-LT)"], _c = _timed(session.sign, out.item_id, SEAT_PASSPHRASE)
    _r, figures["action: seal (clerk)"], _c = _timed(session.seal, out.item_id, SEAT_PASSPHRASE)
    _r, figures["action: dispatch"], _c = _timed(session.dispatch, out.item_id)
    record = session.create_record("Hồ sơ thử", "cong_van_trao_doi")
    session.file(record, "000")
    _r, figures["action: archive a record"], _c = _timed(session.archive_record, record)
    _r, figures["action: search"], _c = _timed(session.search, "tra loi")
    return figures


def dashboard_figures() -> dict:
    from simulator.lab.widgets import PlannerDashboard

    desk = PlannerDashboard()
    _r, first, _c = _timed(desk.simulate)
    desk.sliders["signature"].value = 0.5
    _r, again, _c = _timed(desk.simulate)
    return {"planner dashboard: first run": first, "planner dashboard: re-run": again}


def notebook_figures(folder: Path) -> dict:
    import nbformat
    from nbclient import NotebookClient

    root = Path(__file__).resolve().parents[1] / "notebooks"
    os.environ["VBDT_WORK"] = str(folder / "work")
    total, figures = 0.0, {}
    for path in sorted(root.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=120, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        _r, wall, _c = _timed(client.execute)
        figures[f"notebook {path.relative_to(root)}"] = wall
        total += wall
    figures["all notebooks"] = total
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notebooks", action="store_true", help="also execute every notebook")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        figures = seat_figures(Path(tmp))
        figures.update(dashboard_figures())
        if args.notebooks:
            figures.update(notebook_figures(Path(tmp)))
    width = max(len(k) for k in figures)
    for name, seconds in figures.items():
        print(f"{name:<{width}}  {seconds:8.3f} s")


if __name__ == "__main__":
    main()

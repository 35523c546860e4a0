"""Kill test: SIGKILL the ingesting process at random points, then finish; nothing half-written."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import bagit
from sqlalchemy import select

from simulator.archiving import Archive
from simulator.archiving.catalogue import package_files, packages

WORKER = Path(__file__).with_name("kill_worker.py")
RECORDS = 30


def _start(folder: Path, pdfs: list[Path]) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    return subprocess.Popen([sys.executable, str(WORKER), str(folder), str(RECORDS), *map(str, pdfs)],
                            stdout=subprocess.PIPE, text=True, env=env)


def test_sigkill_at_random_points_leaves_only_complete_packages(tmp_path, pdfs):
    rng = random.Random(20260301)
    folder = tmp_path / "luu-tru"
    sources = [pdfs["cong_van"], pdfs["plain"]]
    kills = attempts = 0
    while kills < 10 and attempts < 40:
        attempts += 1
        proc = _start(folder, sources)
        assert proc.stdout.readline().strip() == "READY"
        time.sleep(rng.uniform(0.0, 0.25))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        proc.stdout.close()
    assert kills >= 10
    proc = _start(folder, sources)
    out, _err = proc.communicate(timeout=300)
    assert proc.returncode == 0 and "DONE" in out

    with Archive(folder) as arc:
        records = arc.records()
        assert len(records) == RECORDS and all(r.state == "archived" for r in records)
        with arc.engine.connect() as conn:
            stored = conn.execute(select(packages).where(packages.c.state == "stored")).all()
            assert sorted(p.record_id for p in stored) == sorted(r.id for r in records)  # one package each
            for p in stored:
                bag = bagit.Bag(str(arc.folder / p.path))
                bag.validate(fast=False)
                files = conn.execute(select(package_files.c.path).where(package_files.c.package_id == p.id))
                assert {"data/originals/001.pdf", "data/originals/002.pdf"} <= {f.path for f in files}
        for r in records:
            docs = arc.documents(r.id)
            assert [d["ordinal"] for d in docs] == [1, 2]  # no duplicate or lost filing
        report = arc.audit()
        assert report.changed == [] and report.missing == []
        assert all(u.startswith("packages/") for u in report.untracked)  # only orphans from kills
        assert arc.store.staging_files() == set()
        leftovers = [p for p in (arc.folder / "tmp").iterdir() if p != arc.store.session]
        assert leftovers == []
        assert len(arc.search("ve viec thu", limit=100)) == 2 * RECORDS

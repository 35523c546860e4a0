"""Kill test: the axis process is killed at random points (SIGKILL), then finishes.

Afterwards every document is in each commune's register exactly once, the
numbers run 1..N without a gap, and each receipt (01) and acceptance (03)
went back to the sender once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from simulator.routing import Axis, Registers

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("kill_worker.py")
DOCS = 48


def _start(args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, str(WORKER), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, text=True)


def test_killed_axis_loses_nothing_and_duplicates_nothing(db, district, communes):
    axis_db, reg_db = db("axis"), db("registers")
    codes = [c.code for c in communes]
    args = [str(axis_db), str(reg_db), district.code, *codes, "--docs", str(DOCS)]
    rng = random.Random(7)
    kills = 0
    for _ in range(40):
        proc = _start(args)
        assert proc.stdout.readline().strip() == "READY", proc.stderr.read()
        for _step in range(rng.randint(0, 5)):  # let it take a few steps (the machine's speed does not matter)
            if not proc.stdout.readline():
                break
        time.sleep(rng.uniform(0.0, 0.03))  # and then a random moment inside the next one
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
        else:
            proc.wait()
            break
        if kills >= 12:
            break
    assert kills >= 10
    proc = _start(args)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    lines = out.split("\n")
    assert lines[0] == "READY" and lines[-2] == "DONE"

    axis = Axis(axis_db)
    doc_ids = [f"{district.code},2026/03/02,{n:02d}/UBND-VP" for n in range(1, DOCS + 1)]
    for code in codes:
        entries = Registers(reg_db, code).incoming()
        assert sorted(e.document_id for e in entries) == sorted(doc_ids)
        assert [e.number for e in entries] == list(range(1, DOCS + 1))
        assert axis.pending(code) == []
    for doc_id in doc_ids:
        codes_back = sorted((t.org_id, t.code) for t in axis.traces(doc_id) if t.code)
        assert codes_back == sorted([(c, "01") for c in codes] + [(c, "03") for c in codes])
        assert sum(1 for t in axis.traces(doc_id) if t.code == "") == 1  # sent once
    statuses = axis.pending(district.code, kind="status")
    assert len(statuses) == DOCS * len(codes) * 2

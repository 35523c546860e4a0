"""Kill tests: SIGKILL real ingest processes at random points, run the same ingest again, check everything.

After each kill the archive is inspected as the crash left it (``repair=False``): where the ingest was hit
(journal state, package folder on disk) and that the audit reports the stuck ingest and the orphan folder.
After the rerun: exactly one archived record and one stored package per ingested file, no record open and
empty, no pending journal row, no orphan, a clean audit, and a PREMIS repair event for each interrupted ingest
and each orphan folder.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import bagit
import pytest
from sqlalchemy import func, select

from simulator.archiving import Archive
from simulator.archiving.catalogue import documents, package_files, packages, records
from simulator.archiving.journal import journal
from simulator.archiving.store import package_path

from .helpers import doc_meta

WORKER = Path(__file__).with_name("kill_worker.py")
RECORDS = 30
KILLS = 36
_ENV = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]), VBDT_LANG="en")


def _start(*args: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, str(WORKER), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=_ENV)
    assert proc.stdout.readline().strip() == "READY"
    return proc


def _size(folder: Path) -> int:
    total = 0
    for dirpath, _dirs, names in os.walk(folder):
        for n in names:
            try:
                total += os.lstat(os.path.join(dirpath, n)).st_size
            except FileNotFoundError:
                pass
    return total


def _kill_at(proc: subprocess.Popen, folder: Path, mode: str, point: float) -> bool:
    """SIGKILL ``proc`` once ``point`` seconds have passed (time) or bytes were written (bytes). False if it ended
    first."""
    if mode == "time":
        try:
            proc.wait(timeout=point)
            return False
        except subprocess.TimeoutExpired:
            pass
    else:
        base = _size(folder) if folder.exists() else 0
        while proc.poll() is None and (_size(folder) if folder.exists() else 0) - base < point:
            time.sleep(0.0005)
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return True


def _finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out, err


def _spec(tmp_path: Path, pdfs, n: int) -> tuple[Path, str]:
    code = f"000.01.40.H41.2026.C{n:03d}"
    docs = [{"path": str(pdfs["cong_van"]), "metadata": doc_meta(f"Về việc thử số {n}-1", code_number=str(n))},
            {"path": str(pdfs["plain"]), "metadata": doc_meta(f"Về việc thử số {n}-2", code_number=str(n + 500))}]
    data = {"record": {"FileCode": code, "Title": f"Hồ sơ thử dừng đột ngột số {n}", "Maintenance":
                       "cong_van_trao_doi", "Creator": "UBND xã Diễn Kim", "StartDate": "2026-01-01"},
            "documents": docs, "agent": "Kiểm thử"}
    path = tmp_path / f"spec-{n:03d}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path, code


def _inspect(folder: Path, code: str) -> tuple[str, set[str]]:
    """Where the killed ingest stood, and the package ids a repair must account for; checks the audit sees them."""
    with Archive(folder, repair=False) as arc:
        with arc.engine.connect() as conn:
            rows = conn.execute(select(journal).where(journal.c.file_code == code)).all()
            known = {r.path for r in conn.execute(select(packages.c.path))}
        orphans = arc.store.package_dirs() - known
        pending = [r for r in rows if r.state in ("open", "built")]
        report = arc.audit()
    assert sorted(report.untracked) == sorted(orphans)  # the audit reports every orphan folder ...
    assert len(report.stuck) == len(pending)             # ... and every interrupted ingest
    assert report.success == (not orphans and not pending)
    accounted = {r.id for r in pending} | {o.rsplit("/", 1)[-1] for o in orphans}
    if any(r.state == "done" for r in rows):
        point = "after the commit"
    elif pending and pending[-1].state == "built":
        placed = package_path(pending[-1].id) in orphans
        point = "package placed, not committed" if placed else "package built, not placed"
    elif pending:
        point = "intent written, package being built"
    elif orphans:
        point = "during a repair (orphan left)"
    else:
        point = "before the intent"
    return point, accounted


def _check(folder: Path, ingested: dict[str, str], repairs_due: set[str]) -> None:
    with Archive(folder) as arc:
        with arc.engine.connect() as conn:
            recs = conn.execute(select(records.c.id, records.c.file_code, records.c.state)).all()
            assert sorted(r.file_code for r in recs) == sorted(ingested)  # exactly one record per ingest
            assert all(r.state == "archived" for r in recs)
            per_record = Counter(p.record_id for p in conn.execute(select(packages.c.record_id)
                                                                 .where(packages.c.state == "stored")))
            assert per_record == Counter({r.id: 1 for r in recs})      # exactly one package each
            for r in recs:
                assert ingested[r.file_code] == r.id
                ords = [d.ordinal for d in conn.execute(select(documents.c.ordinal)
                                                        .where(documents.c.record_id == r.id)
                                                        .order_by(documents.c.ordinal))]
                assert ords == [1, 2]                                   # none lost, none twice
            empty_open = conn.execute(select(func.count()).select_from(records).where(
                records.c.state == "open", ~records.c.id.in_(select(documents.c.record_id)))).scalar_one()
            assert empty_open == 0
            assert conn.execute(select(func.count()).select_from(journal)
                                .where(journal.c.state.in_(("open", "built")))).scalar_one() == 0
            n_files = conn.execute(select(func.count()).select_from(package_files)).scalar_one()
            assert n_files >= 4 * len(recs)
        report = arc.audit()
        assert report.success and (report.untracked, report.stuck, report.changed, report.missing) == ([],) * 4
        assert arc.store.staging_files() == set()
        repaired = {e["object_id"] for e in arc.events() if (e["detail"] or "").startswith("repair:")}
        assert repairs_due <= repaired                                  # a PREMIS event for each repair
        assert arc.repaired is not None and not arc.repaired.acted     # nothing left for the next start


@pytest.mark.slow
def test_sigkill_cli_ingest_at_random_time_and_byte_points(tmp_path, pdfs):
    rng = random.Random(20260311)
    folder = tmp_path / "luu-tru"
    # calibration: two uninterrupted ingests (the first also makes the catalogue); the second says how long
    # (after the imports) and how many bytes an ingest takes
    ingested = {}
    for n in (0, 1):
        spec, code = _spec(tmp_path, pdfs, n)
        before = _size(folder) if folder.exists() else 0
        proc = _start("cli", str(folder), str(spec))
        start = time.monotonic()
        rc, out, err = _finish(proc)
        duration, written = time.monotonic() - start, _size(folder) - before
        assert rc == 0, err
        ingested[code] = json.loads(out)["record"]
    repairs_due: set[str] = set()
    points: Counter = Counter()
    outcomes: Counter = Counter()
    kills = 0
    while kills < KILLS and n < 80:
        n += 1
        spec, code = _spec(tmp_path, pdfs, n)
        killed_here = False
        while True:
            mode = rng.choice(("time", "bytes"))
            limit = duration * 1.2 if mode == "time" else written * 1.2
            proc = _start("cli", str(folder), str(spec))
            if not (kills < KILLS and rng.random() < (0.9 if not killed_here else 0.35)):
                break
            if not _kill_at(proc, folder, mode, rng.uniform(0, limit)):
                rc, _out, err = _finish(proc)
                assert rc == 0, err
                outcomes["ended before the kill"] += 1
                proc = None
                break
            kills += 1
            killed_here = True
            point, accounted = _inspect(folder, code)
            points[f"{mode}: {point}"] += 1
            repairs_due |= accounted
        if proc is not None:
            rc, out, err = _finish(proc)
            assert rc == 0, err
            result = json.loads(out)
            outcomes["rerun: repeated (already committed or adopted)" if result["repeated"] else
                     "rerun: ingested"] += killed_here
            ingested[code] = result["record"]
        else:  # the run ended by itself; running the same ingest again must change nothing
            rc, out, err = _finish(_start("cli", str(folder), str(spec)))
            assert rc == 0 and json.loads(out)["repeated"] is True, err
            ingested[code] = json.loads(out)["record"]
        _check(folder, ingested, repairs_due)
    print(f"\nkills: {kills} in {n} ingests; points hit: {dict(points)}; outcomes: {dict(outcomes)}; "
          f"repairs with a PREMIS event: {len(repairs_due)}")
    assert kills >= 30
    hit = {p.split(": ", 1)[1] for p in points}
    assert {"before the intent", "intent written, package being built", "after the commit"} <= hit


STEP_RUNS = [  # kill at these steps, one run after the other, then run the same ingest to its end
    (["intent"], ["before the intent"], False),
    (["build"], ["intent written, package being built"], False),
    (["set_built"], ["intent written, package being built"], False),
    (["put_dir"], ["package built, not placed"], False),
    (["commit"], ["package placed, not committed"], True),        # the repair adopts the package
    (["finish"], ["package placed, not committed"], True),
    (["output"], ["after the commit"], True),
    (["commit", "adopt"], ["package placed, not committed"] * 2, True),
]


@pytest.mark.slow
def test_sigkill_at_each_step_of_the_journaled_ingest(tmp_path, pdfs):
    """The narrow windows random kills rarely hit (placed but not committed: adoption), each hit on purpose."""
    folder = tmp_path / "luu-tru"
    ingested: dict[str, str] = {}
    repairs_due: set[str] = set()
    for n, (steps, expected, repeated) in enumerate(STEP_RUNS):
        spec, code = _spec(tmp_path, pdfs, 100 + n)
        seen = []
        for step in steps:
            rc, _out, _err = _finish(_start("cli", str(folder), str(spec), step))
            assert rc == -signal.SIGKILL
            point, accounted = _inspect(folder, code)
            seen.append(point)
            repairs_due |= accounted
        assert seen == expected, steps
        rc, out, err = _finish(_start("cli", str(folder), str(spec)))
        assert rc == 0, err
        result = json.loads(out)
        assert result["repeated"] is repeated, steps
        ingested[code] = result["record"]
        _check(folder, ingested, repairs_due)
        if repeated and steps[0] != "output":  # adopted: the package the killed run built, with a recovery event
            with Archive(folder) as arc:
                kinds = [e["event_type"] for e in arc.events(result["package"]) if e["detail"].startswith("repair:")]
            assert kinds == ["recovery"], steps


@pytest.mark.slow
def test_sigkill_api_filing_and_ingest_leaves_only_complete_packages(tmp_path, pdfs):
    rng = random.Random(20260301)
    folder = tmp_path / "luu-tru"
    sources = [str(pdfs["cong_van"]), str(pdfs["plain"])]
    kills = attempts = 0
    while kills < 10 and attempts < 40:
        attempts += 1
        proc = _start("api", str(folder), str(RECORDS), *sources)
        kills += _kill_at(proc, folder, "time", rng.uniform(0.0, 0.25))
        _finish(proc)
    assert kills >= 10
    rc, out, err = _finish(_start("api", str(folder), str(RECORDS), *sources))
    assert rc == 0 and "DONE" in out, err

    with Archive(folder) as arc:
        recs = arc.records()
        assert len(recs) == RECORDS and all(r.state == "archived" for r in recs)
        with arc.engine.connect() as conn:
            stored = conn.execute(select(packages).where(packages.c.state == "stored")).all()
            assert sorted(p.record_id for p in stored) == sorted(r.id for r in recs)  # one package each
            for p in stored:
                bagit.Bag(str(arc.folder / p.path)).validate(fast=False)
        for r in recs:
            assert [d["ordinal"] for d in arc.documents(r.id)] == [1, 2]  # no duplicate or lost filing
        report = arc.audit()
        assert report.success and report.untracked == [] and report.stuck == []  # orphans adopted or removed
        assert arc.store.staging_files() == set()
        assert [p for p in (arc.folder / "tmp").iterdir() if p != arc.store.session] == []
        assert len(arc.search("ve viec thu", limit=100)) == 2 * RECORDS

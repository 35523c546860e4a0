"""The grader leaves a work folder exactly as it found it, even a folder it may not write to.

nbgrader hands submissions in read-only; the registers and the archive catalogue are SQLite files in WAL
mode, whose ordinary opening writes ``-wal``/``-shm`` files, creates tables, takes locks, repairs, and
whose audit logs events. Graded here in a separate process that cannot write (files 0444, folders 0555;
as root, without the capabilities that bypass file modes), with a hash of every file before and after.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

GRADE = """
import json, logging, sys, warnings
logging.disable(logging.WARNING)
warnings.simplefilter("ignore")
from simulator.grading import grade_incoming, grade_outgoing, grade_records, grade_verification
folder, who = sys.argv[1], sys.argv[2]
out = {}
for check in (grade_incoming, grade_outgoing, grade_records):
    r = check(folder, who)
    out[check.__name__] = [r.points, r.max_points, r.messages]
r = grade_verification(folder, who, [])
out["grade_verification"] = [r.points, r.max_points, r.messages]
print(json.dumps(out, ensure_ascii=False))
"""


def tree(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder`` (and the folder's own entries): path -> sha256 (folders: 'dir')."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def lock_down(root: Path, mode_files: int = 0o444, mode_dirs: int = 0o555) -> None:
    for path in sorted(root.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        path.chmod(mode_dirs if path.is_dir() else mode_files)
    root.chmod(mode_dirs)


def unlock(root: Path) -> None:
    lock_down(root, 0o644, 0o755)


def cannot_write(argv: list[str]) -> list[str]:
    """``argv`` run so that file modes bind (root otherwise writes through 0444)."""
    if os.geteuid() != 0:
        return argv
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner,-chown,-linux_immutable"] + argv


def grade_in_a_process(folder: Path, who: str) -> dict:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=str(ROOT))
    env.pop("VBDT_TRUST_ANCHORS", None)
    done = subprocess.run(cannot_write([sys.executable, "-c", GRADE, str(folder), who]), capture_output=True,
                          text=True, env=env, cwd=str(ROOT), timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def close_databases(folder: Path) -> None:
    """The folder as a desk leaves it when its kernel stops: each SQLite log copied into its file and removed."""
    for wal in folder.rglob("*.sqlite-wal"):
        db = wal.with_name(wal.name.removesuffix("-wal"))
        connection = sqlite3.connect(db)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()   # the last connection of a WAL database removes -wal and -shm
    assert not list(folder.rglob("*.sqlite-wal")) and not list(folder.rglob("*.sqlite-shm"))


@pytest.mark.parametrize("state", ["closed", "kernel-running"])
@pytest.mark.parametrize("role", ["good", "mistakes"])
def test_grading_a_read_only_work_folder_changes_nothing(seats, ids, tmp_path, role, state):
    """``closed``: the databases as a stopped kernel leaves them; ``kernel-running``: copied while the desk
    still had them open (committed rows still in the ``-wal`` files)."""
    parent = tmp_path / "submitted"
    folder = parent / role
    shutil.copytree(seats[role], folder)
    if state == "closed":
        close_databases(folder)
    else:
        assert (folder / "registers.sqlite-wal").is_file()
    before = tree(folder)
    assert {"registers.sqlite", "archive/catalogue.sqlite", "journal.jsonl"} <= set(before)
    lock_down(parent)
    try:
        # the process really cannot write there (else this test would prove nothing)
        probe = subprocess.run(cannot_write(["touch", str(folder / "probe")]), capture_output=True)
        assert probe.returncode != 0 and not (folder / "probe").exists()
        grades = grade_in_a_process(folder, ids[role])
    finally:
        unlock(parent)
    after = tree(folder)
    assert after == before, sorted(set(after.items()) ^ set(before.items()))[:10]
    if state == "closed":
        assert not [p for p in after if p.endswith(("-wal", "-shm", "-journal"))]
    if role == "good":
        for name in ("grade_incoming", "grade_outgoing", "grade_records"):
            points, most, messages = grades[name]
            assert points == most and most > 0, (name, messages)
    else:
        assert 0 < grades["grade_incoming"][0] < grades["grade_incoming"][1]
        assert 0 < grades["grade_records"][0] < grades["grade_records"][1]


def test_a_register_with_a_live_write_ahead_log_is_read_without_touching_it(tmp_path):
    """Committed rows still in the ``-wal`` (the desk's database open elsewhere) are read; nothing beside it
    changes, and nothing is written."""
    from simulator.routing import Registers
    from simulator.routing.registers_readonly import read_only_engine
    from simulator.routing.registers import incoming_table

    source = tmp_path / "live"
    Registers(source / "registers.sqlite", "000.00.75.H41")   # the schema, as the desk makes it
    writer = sqlite3.connect(source / "registers.sqlite")
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("INSERT INTO register_counters VALUES ('000.00.75.H41', 'in', 2026, 7)")
    writer.commit()
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("registers.sqlite", "registers.sqlite-wal", "registers.sqlite-shm"):
        shutil.copyfile(source / name, copy / name)
    writer.close()
    assert (copy / "registers.sqlite-wal").stat().st_size > 0
    before = tree(copy)
    books = Registers(copy / "registers.sqlite", "000.00.75.H41", read_only=True)
    assert books.next_number("in", 2026) == 8         # the row that lives only in the log
    assert books.incoming() == []
    with pytest.raises(Exception):
        with books.engine.begin() as conn:
            conn.execute(incoming_table.delete())
    books.close()
    assert tree(copy) == before
    engine = read_only_engine(copy / "registers.sqlite")
    engine.dispose()
    assert tree(copy) == before


def test_a_missing_register_or_archive_reads_as_empty_and_is_not_created(tmp_path):
    from simulator.archiving import Archive
    from simulator.routing import Registers

    books = Registers(tmp_path / "registers.sqlite", "000.00.75.H41", read_only=True)
    assert books.incoming() == [] and books.outgoing() == []
    books.close()
    with Archive(tmp_path / "archive", read_only=True) as arc:
        assert arc.records() == []
        assert arc.audit().success
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_archive_refuses_to_write(seats, tmp_path):
    from simulator.archiving import Archive

    folder = tmp_path / "archive"
    shutil.copytree(seats["good"] / "archive", folder)
    before = tree(folder)
    with Archive(folder, read_only=True) as arc:
        record = arc.records()[0]
        with pytest.raises(Exception):
            arc.create_record(file_code="000.00.75.H41.2026.99", title="Thử", maintenance="cong_van_trao_doi",
                              creator="UBND", start_date="2026-03-02")
        with pytest.raises(PermissionError):
            arc.store.put_file(seats["good"] / "seat.json", "staging/xx/x.pdf")
        assert arc.audit(agent="grader").success
        assert arc.package(record.id) is not None
    assert tree(folder) == before


def test_read_only_registers_on_sqlite_and_postgresql(db):
    """The same read-only open on a server: the transaction is read-only, a write is refused there."""
    from sqlalchemy import insert

    from simulator.routing import Registers
    from simulator.routing.registers import counters

    url = db("registers")
    writable = Registers(url, "000.00.75.H41")
    with writable.engine.begin() as conn:
        conn.execute(insert(counters).values(unit="000.00.75.H41", book="out", year=2026, last=4))
    books = Registers(url, "000.00.75.H41", read_only=True)
    try:
        assert books.next_number("out", 2026) == 5
        with pytest.raises(Exception, match="(?i)read.?only|readonly"):
            with books.engine.begin() as conn:
                conn.execute(insert(counters).values(unit="000.00.75.H41", book="in", year=2026, last=1))
    finally:
        books.close()
    assert writable.next_number("in", 2026) == 1

"""Several processes open the same new shared database at once (clerks starting in the morning):
every one of them gets its tables, on SQLite and on PostgreSQL."""

from __future__ import annotations

import multiprocessing

import pytest

from simulator.archiving import Archive
from simulator.routing import Axis, Registers

PROCESSES = 5


def _open(kind: str, url: str, folder: str, barrier, out) -> None:
    try:
        barrier.wait(timeout=60)  # forked after the imports: the processes reach the database together
        if kind == "registers":
            Registers(url, "000.00.31.H41")
            Axis(url)
        else:
            Archive(folder, url).close()
        out.put("ok")
    except Exception as error:  # reported to the test, which shows it
        out.put(f"{type(error).__name__}: {error}".splitlines()[0])


@pytest.mark.parametrize("kind", ["registers", "archive"])
def test_many_processes_create_the_tables_at_once(db, tmp_path, kind):
    url = db(kind)
    if kind == "archive" and not db.postgresql:
        url = None  # the catalogue's own SQLite file in the archive folder
    ctx = multiprocessing.get_context("fork")
    barrier, out = ctx.Barrier(PROCESSES), ctx.Queue()
    procs = [ctx.Process(target=_open, args=(kind, url, str(tmp_path / "kho"), barrier, out))
             for _ in range(PROCESSES)]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert results == ["ok"] * PROCESSES



def test_a_plain_postgresql_url_uses_the_driver_we_install(request, tmp_path):
    """``postgresql://…`` as administrators write it (SQLAlchemy alone would look for psycopg2)."""
    from tests.pg import database

    with database(request, "postgresql", "plain") as url:
        plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
        assert plain.startswith("postgresql://")
        registers = Registers(plain, "000.00.31.H41")
        assert registers.engine.dialect.driver == "psycopg"
        registers.engine.dispose()
        archive = Archive(tmp_path / "kho", plain)
        assert archive.engine.dialect.driver == "psycopg"
        archive.close()

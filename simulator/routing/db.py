"""Database engines for the registers and the axis (SQLAlchemy Core).

A plain path means a SQLite file in WAL mode with a busy timeout, so
several processes can write and a killed process loses at most its open
transaction. Every SQLite transaction starts with
``BEGIN IMMEDIATE``: the write lock is taken at the start, so two writers
queue instead of deadlocking when both read a counter and then write it.
Anything containing ``://`` is an SQLAlchemy URL (PostgreSQL at scale).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from sqlalchemy import MetaData, create_engine, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.pool import StaticPool

from simulator.dburl import with_driver

BUSY_TIMEOUT_MS = 60_000
# WAL + NORMAL survives a killed process without losing a committed transaction
# (the WAL is in the OS cache); only a power cut may drop the last commits.
# Set FULL where power cuts matter more than ~5x write throughput.
SYNCHRONOUS = "NORMAL"
_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def url_of(url_or_path) -> str:
    text = str(url_or_path)
    if "://" in text:
        return with_driver(text)
    if text == ":memory:":
        return "sqlite://"
    path = Path(text).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path.resolve()}"


def _sqlite_setup(engine: Engine, memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def engine_for(url_or_path) -> Engine:
    """One shared engine per database in this process (a forked child builds its own)."""
    url = url_of(url_or_path)
    key = f"{os.getpid()}:{url}"
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            if url.startswith("sqlite"):
                memory = url in ("sqlite://", "sqlite:///:memory:")
                kwargs = {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}}
                if memory:
                    kwargs["poolclass"] = StaticPool
                engine = create_engine(url, **kwargs)
                _sqlite_setup(engine, memory)
            else:
                engine = create_engine(url, pool_pre_ping=True)
            _engines[key] = engine
        return engine


def dispose(url_or_path) -> None:
    """Close and forget this process's engine for a database (before it is dropped or moved)."""
    with _lock:
        engine = _engines.pop(f"{os.getpid()}:{url_of(url_or_path)}", None)
    if engine is not None:
        engine.dispose()


SCHEMA_LOCK = 0x76626474  # "vbdt": the PostgreSQL advisory lock held while tables are created


def create_tables(engine: Engine, metadata: MetaData) -> None:
    """``create_all`` that tolerates other processes creating the same tables at once.

    On PostgreSQL creators queue on an advisory lock (concurrent ``CREATE TABLE``
    fails there with a duplicate pg_type key); on SQLite a locked database is retried."""
    for attempt in range(5):
        try:
            with engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    connection.execute(select(func.pg_advisory_xact_lock(SCHEMA_LOCK)))
                metadata.create_all(connection)
            return
        except (OperationalError, IntegrityError):
            if attempt == 4:
                raise
            time.sleep(0.05 * (attempt + 1))


def retrying(engine: Engine, work, attempts: int = 8):
    """Run ``work(connection)`` in one transaction, retrying on a lost race.

    SQLite serialises writers with BEGIN IMMEDIATE; other databases may
    report a unique-constraint race or a serialisation failure instead."""
    for attempt in range(attempts):
        try:
            with engine.begin() as connection:
                return work(connection)
        except (IntegrityError, OperationalError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.01 * (attempt + 1))

"""Opening a database to read it only: a trainee's registers or archive catalogue as evidence.

The grader reads a work folder that may be read-only (nbgrader hands in
submissions that way) and must leave it byte for byte as it found it: no
``-wal``/``-shm``/journal files, no schema created, no lock taken.

- **SQLite** (a path, or a ``sqlite:///`` URL): when the file has no
  write-ahead log beside it, it is opened ``mode=ro&immutable=1``: SQLite
  then reads the file and nothing else (no shared-memory file, no locks).
  A non-empty ``-wal`` holds committed transactions not yet copied into
  the file; SQLite can only read it through a ``-shm`` it may create or
  update, so the file and its log are copied into a private temporary
  folder and read there. Every connection also sets ``query_only``.
- **PostgreSQL** (any other URL): every transaction is read-only on the
  server (``default_transaction_read_only``), which refuses any write.

A missing SQLite file is not created: the caller decides what an absent
database means (for a work folder: nothing was registered).
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import weakref
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool

from simulator.dburl import with_driver


def sqlite_path(url_or_path) -> Path | None:
    """The file behind a path or ``sqlite:///`` URL (None: another database)."""
    text = str(url_or_path)
    if "://" not in text:
        return Path(text).expanduser().resolve()
    url = make_url(text)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).expanduser().resolve()


def read_only_engine(url_or_path) -> Engine:
    """An engine that can only read ``url_or_path`` and writes nothing beside it.

    Raises :class:`FileNotFoundError` for a missing SQLite file."""
    path = sqlite_path(url_or_path)
    if path is None:
        return create_engine(with_driver(str(url_or_path)), pool_pre_ping=True,
                             connect_args={"options": "-c default_transaction_read_only=on"})
    if not path.is_file():
        raise FileNotFoundError(path)
    wal = path.with_name(path.name + "-wal")
    snapshot = None
    if wal.is_file() and wal.stat().st_size > 0:
        snapshot = tempfile.TemporaryDirectory(prefix="vbdt-readonly-")
        copy = Path(snapshot.name) / path.name
        shutil.copyfile(path, copy)
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        uri = copy.as_uri() + "?mode=ro"
    else:
        uri = path.as_uri() + "?mode=ro&immutable=1"

    def connect():
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        connection.execute("PRAGMA query_only=ON")
        return connection

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)
    if snapshot is not None:
        weakref.finalize(engine, snapshot.cleanup)
    return engine

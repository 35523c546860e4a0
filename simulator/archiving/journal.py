"""The ingest journal: one row per ingest, written before any file (intent → blob → commit).

An ingest is three steps, each durable before the next starts:

1. *intent*: one transaction writes the journal row: the package id the
   ingest will produce, the catalogue rows it will commit (record,
   documents) and the work session that runs it (state ``open``);
2. *blob*: the package is built in the session's work area, its catalogue
   rows (files, PREMIS events) are written into the journal row (state
   ``built``), and the folder is moved into place (``store.put_dir``);
3. *commit*: one transaction inserts everything from the journal row and
   marks it ``done``.

A SIGKILL between two steps leaves an ``open`` or ``built`` row whose
session is dead (its lock is free). The repair step (``repair.py``) then
adopts the package (a ``built`` row whose folder is complete and valid:
step 3 from the row) or removes what is there and marks the row
``abandoned``; running the same ingest again then does it once.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column, DateTime, MetaData, String, Table, insert, select, update
from sqlalchemy.engine import Connection, Engine

metadata = MetaData()

journal = Table(
    "ingest_journal", metadata,
    Column("id", String(40), primary_key=True),          # = the package id the ingest produces
    Column("kind", String(10), nullable=False),          # new (record made at commit), record (an open record)
    Column("record_id", String(40), nullable=False, index=True),
    Column("file_code", String(60), nullable=False, index=True),
    Column("session", String(40), nullable=False),       # work area (tmp/<session>) whose lock says it is alive
    Column("state", String(12), nullable=False, index=True),  # open, built, done, abandoned
    Column("started", DateTime(timezone=True), nullable=False),
    Column("finished", DateTime(timezone=True)),
    Column("intent", JSON, nullable=False),              # catalogue rows to commit (JSON-safe)
    Column("built", JSON),                               # package rows: files, events, payload_oxum, signed
)

PENDING = ("open", "built")


def create(engine: Engine) -> None:
    metadata.create_all(engine)


def json_safe(value: Any) -> Any:
    """Dates as ISO strings, so that what the commit reads back is what the intent wrote."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=_iso))


def _iso(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def open_intent(conn: Connection, package_id: str, kind: str, record_id: str, file_code: str, session: str,
                intent: dict) -> None:
    conn.execute(insert(journal).values(id=package_id, kind=kind, record_id=record_id, file_code=file_code,
                                        session=session, state="open", started=_now(), intent=json_safe(intent)))


def set_built(conn: Connection, package_id: str, built: dict) -> None:
    conn.execute(update(journal).where(journal.c.id == package_id, journal.c.state == "open")
                 .values(state="built", built=json_safe(built)))


def finish(conn: Connection, package_id: str, state: str) -> int:
    """Close a pending row (``done`` or ``abandoned``); returns 1 if this call closed it."""
    return conn.execute(update(journal).where(journal.c.id == package_id, journal.c.state.in_(PENDING))
                        .values(state=state, finished=_now())).rowcount


def row(conn: Connection, package_id: str):
    return conn.execute(select(journal).where(journal.c.id == package_id)).first()


def pending(conn: Connection) -> list:
    return conn.execute(select(journal).where(journal.c.state.in_(PENDING)).order_by(journal.c.started)).all()


def states(conn: Connection) -> dict[str, str]:
    return {r.id: r.state for r in conn.execute(select(journal.c.id, journal.c.state))}

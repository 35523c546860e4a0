"""Ingest as one journaled operation: intent row → package folder → commit (see ``journal.py``).

Two kinds: ``record`` hands over an open record whose documents are already
filed (staged); ``new`` ingests a record and its documents straight from
the caller's files, and the record first appears in the catalogue at the
commit, archived, so that no crash can leave it open and empty.
Both commit from the journal row, the same way a repair adopts a package.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from simulator.archiving import journal
from simulator.archiving.catalogue import documents, events, package_files, packages, records
from simulator.archiving.filing import dates_back, insert_document
from simulator.archiving.package import BuiltPackage, build
from simulator.archiving.premis import Agent, Event
from simulator.archiving.store import Store, package_path
from simulator.archiving.validation import Validator
from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("archiving")


class Conflict(Exception):
    """The catalogue moved on since the intent (record taken or changed): the package cannot be committed."""


@dataclass
class Outcome:
    package_id: str
    record_id: str
    path: Path
    built: BuiltPackage


def _now() -> datetime:
    return datetime.now(timezone.utc)


def seq() -> int:
    """Order of PREMIS events (nanoseconds; callers add an index within one batch)."""
    return time.time_ns()


def new_package_id() -> str:
    return uuid.uuid4().hex


def run(engine: Engine, store: Store, *, kind: str, record_id: str, file_code: str, intent: dict,
        record_meta: dict, docs: list[dict], sources: dict[Any, Path], person: Agent, validator: Validator,
        derivatives: bool) -> Outcome:
    """Intent, build and place the package, commit. On an error, undo what this run placed."""
    package_id = new_package_id()
    rel = package_path(package_id)
    with engine.begin() as conn:
        journal.open_intent(conn, package_id, kind, record_id, file_code, store.session.name, intent)
    placed = False
    try:
        built = build(store.temp_dir(), package_id, record_meta, docs, sources, person=person,
                      validator=validator, derivatives=derivatives)
        by_path = {f["path"]: f["sha256"] for f in built.files}
        for d in docs:  # the caller's file must not have changed since it was checked and hashed
            if by_path.get(f"data/originals/{d['ordinal']:03d}.pdf") != d["sha256"]:
                raise UserError(_("Document {n} changed while it was being ingested; run the ingest again.",
                                  n=d["ordinal"]), field="documents")
        with engine.begin() as conn:
            journal.set_built(conn, package_id, built_rows(built, docs))
        store.put_dir(built.path, rel)
        placed = True
        with engine.begin() as conn:
            commit(conn, package_id)
    except Exception:
        if placed:
            store.remove_dir(rel)
        with engine.begin() as conn:
            journal.finish(conn, package_id, "abandoned")
        raise
    return Outcome(package_id, record_id, store.root / rel, built)


def built_rows(built: BuiltPackage, docs: list[dict]) -> dict:
    """What the commit needs from the package, written into the journal before the folder is placed."""
    return {"files": built.files, "payload_oxum": built.payload_oxum,
            "events": [{k: v for k, v in e.row(0).items() if k != "seq"} for e in built.events],
            "signed": {str(d["ordinal"]): bool(built.verdicts[d["id"]].signed) for d in docs}}


def commit(conn: Connection, package_id: str, extra_events: list[Event] = ()) -> None:
    """Insert everything the journal row holds, in the caller's transaction; ``Conflict`` if it cannot."""
    row = journal.row(conn, package_id)
    if row is None or row.state != "built":
        raise Conflict(f"ingest {package_id} is not built")
    intent, built = row.intent, row.built
    now = _now()
    signed = built["signed"]
    if row.kind == "new":
        try:  # a failed insert ends the whole transaction: the caller's ``begin()`` rolls it back
            conn.execute(insert(records).values(**dates_back(intent["record"]), state="archived",
                                                created_at=now, archived_at=now))
        except IntegrityError:
            raise Conflict(f"a record with file code {row.file_code} already exists") from None
        for d in intent["documents"]:
            insert_document(conn, dict(d["values"], staging=None, signed=signed[str(d["values"]["ordinal"])]),
                            d["search"])
    else:
        update_values = dates_back({"end_date": intent["end_date"]})
        claimed = conn.execute(update(records).where(records.c.id == row.record_id, records.c.state == "open")
                               .values(state="archived", archived_at=now, metadata=intent["metadata"],
                                       **update_values))
        if claimed.rowcount != 1:
            raise Conflict(f"record {row.record_id} is no longer open")
        have = {(r.id, r.sha256) for r in conn.execute(select(documents.c.id, documents.c.sha256)
                                                        .where(documents.c.record_id == row.record_id))}
        if have != {(d["id"], d["sha256"]) for d in intent["documents"]}:
            raise Conflict(f"the documents of record {row.record_id} changed")
        for d in intent["documents"]:
            conn.execute(update(documents).where(documents.c.id == d["id"])
                         .values(staging=None, signed=signed[str(d["ordinal"])]))
    conn.execute(insert(packages).values(id=package_id, record_id=row.record_id, path=package_path(package_id),
                                         created_at=now, payload_oxum=built["payload_oxum"], state="stored"))
    conn.execute(insert(package_files), [dict(f, package_id=package_id) for f in built["files"]])
    rows = [dict(e, seq=seq() + i, event_datetime=datetime.fromisoformat(e["event_datetime"]))
            for i, e in enumerate(built["events"])]
    base = seq() + len(rows)
    rows += [e.row(base + i) for i, e in enumerate(extra_events)]
    conn.execute(insert(events), rows)
    if journal.finish(conn, package_id, "done") != 1:
        raise Conflict(f"ingest {package_id} was closed meanwhile")


def staging_of(intent: dict) -> set[str]:
    return {d["staging"] for d in intent.get("documents", []) if d.get("staging")}


def drop_staging(engine: Engine, store: Store, rels: set[str]) -> None:
    """Remove staging copies no document points to any more."""
    if not rels:
        return
    with engine.connect() as conn:
        still = {r.staging for r in conn.execute(select(documents.c.staging).where(documents.c.staging.in_(rels)))}
    for rel in rels - still:
        store.remove_file(rel)

"""Repair after a crash: finish or undo interrupted ingests, adopt or remove orphan packages.

Runs when an archive is opened and as ``vbdt archive repair``. Safe while
other processes use the archive: an ingest is interrupted only when the
work session named in its journal row is dead (its lock is free), and the
folders on disk are listed *before* the catalogue is read, so a package
placed meanwhile is never mistaken for an orphan.

- an interrupted ingest whose package folder is in place, complete and
  valid (full BagIt validation, the hashes its journal row recorded) is
  adopted: committed from the journal row, with a PREMIS ``recovery`` event;
- any other interrupted ingest is abandoned (PREMIS ``deletion`` of its
  folder if there is one, else a failed ``ingestion``), then its folder is
  removed; running the same ingest again does it once;
- a package folder the catalogue does not know (an older crash) is removed
  with a PREMIS ``deletion`` event when its record is in the catalogue
  (whose documents or package still hold everything); a folder of a record
  the catalogue does not know is kept and reported: it is the only copy.

Each event is committed before the folder is touched, so a crash during the
repair leaves at worst a folder the next repair removes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import bagit
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from simulator.archiving import journal
from simulator.archiving.catalogue import events, packages, records
from simulator.archiving.ingest import Conflict, commit, drop_staging, seq, staging_of
from simulator.archiving.premis import Agent, Event, software
from simulator.archiving.store import Store, package_path


@dataclass
class RepairReport:
    adopted: list[str] = field(default_factory=list)     # package ids committed from their journal row
    abandoned: list[str] = field(default_factory=list)   # interrupted ingests undone
    removed: list[str] = field(default_factory=list)     # package folders removed (relative paths)
    kept: list[str] = field(default_factory=list)        # orphan folders left alone: no catalogue record
    events: list[str] = field(default_factory=list)      # ids of the PREMIS events written

    @property
    def acted(self) -> bool:
        return bool(self.adopted or self.abandoned or self.removed)

    def as_json(self) -> dict:
        return {"adopted": list(self.adopted), "abandoned": list(self.abandoned), "removed": list(self.removed),
                "kept": list(self.kept), "events": list(self.events)}


def interrupted(store: Store, pending: list) -> tuple[list, set[str]]:
    """(journal rows of dead sessions, package paths of ingests still running)."""
    dead, live = [], set()
    for row in pending:
        if store.session_alive(row.session):
            live.add(package_path(row.id))
        else:
            dead.append(row)
    return dead, live


def bag_matches(folder: Path, built: dict | None) -> bool:
    """The folder is the complete, valid bag whose hashes the journal row recorded."""
    if not built or not folder.is_dir():
        return False
    try:
        bag = bagit.Bag(str(folder))
        bag.validate(processes=1, fast=False)
    except (bagit.BagError, OSError):
        return False
    listed = {p: h.get("sha256") for p, h in bag.entries.items() if p.startswith("data/")}
    return listed == {f["path"]: f["sha256"] for f in built["files"]}


def _record_of(folder: Path) -> str | None:
    try:
        return bagit.Bag(str(folder)).info.get("Bag-Group-Identifier")
    except (bagit.BagError, OSError):
        return None


def repair(engine: Engine, store: Store, person: Agent | None = None) -> RepairReport:
    report = RepairReport()
    agents = [a for a in (person, software()) if a]
    on_disk = store.package_dirs()  # first the disk, then the catalogue (see the module's note)
    with engine.connect() as conn:
        known = {r.path for r in conn.execute(select(packages.c.path))}
        dead, live = interrupted(store, journal.pending(conn))
        states = journal.states(conn)
    for row in dead:
        rel = package_path(row.id)
        here = rel in on_disk
        what = f"record {row.file_code}"
        if row.state == "built" and here and bag_matches(store.root / rel, row.built):
            ev = Event("recovery", row.id, detail=f"repair: adopted the package of an interrupted ingest of {what}",
                       outcome_detail="complete and valid (full BagIt validation, journal hashes)", agents=agents)
            try:
                with engine.begin() as conn:
                    commit(conn, row.id, [ev])
            except Conflict:
                pass  # the catalogue moved on: undo below
            else:
                report.adopted.append(row.id)
                report.events.append(ev.id)
                drop_staging(engine, store, staging_of(row.intent))
                continue
        if here:
            ev = Event("deletion", row.id, detail=f"repair: removed the incomplete package of an interrupted ingest "
                                                  f"of {what}", outcome_detail=rel, agents=agents)
        else:
            ev = Event("ingestion", row.id, "failure", f"repair: interrupted ingest of {what} abandoned",
                       "nothing was stored; run the ingest again", agents)
        with engine.begin() as conn:
            closed = journal.finish(conn, row.id, "abandoned")
            if closed:
                conn.execute(insert(events).values(ev.row(seq())))
        if closed:
            report.abandoned.append(row.id)
            report.events.append(ev.id)
        if here:
            store.remove_dir(rel)
            report.removed.append(rel)
    handled = {package_path(r.id) for r in dead}
    orphans = sorted(on_disk - known - live - handled)
    if orphans:
        with engine.connect() as conn:
            ids = {r.id for r in conn.execute(select(records.c.id))}
        for rel in orphans:
            pid = rel.rsplit("/", 1)[-1]
            record_id = _record_of(store.root / rel)
            if states.get(pid) != "abandoned" and record_id not in ids:
                report.kept.append(rel)
                continue
            ev = Event("deletion", pid, detail="repair: removed an orphan package folder the catalogue does not "
                                               f"hold (record {record_id or 'unknown'})", outcome_detail=rel,
                       agents=agents)
            with engine.begin() as conn:
                conn.execute(insert(events).values(ev.row(seq())))
            store.remove_dir(rel)
            report.removed.append(rel)
            report.events.append(ev.id)
    return report


def stuck(store: Store, engine: Engine) -> tuple[list[str], set[str]]:
    """For the audit: (interrupted ingests, package paths of ingests still running)."""
    with engine.connect() as conn:
        dead, live = interrupted(store, journal.pending(conn))
    return [f"ingest {r.id} of record {r.file_code} ({r.state})" for r in dead], live

"""Preservation upkeep of an archive: fixity audits, PREMIS events, backups, retention and disposal.

A mixin of :class:`simulator.archiving.archive.Archive` (which gives
``engine``, ``store``, ``folder``, ``url``, ``schedule`` and ``db_path``).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, insert, select, update

from simulator.archiving import audit as audit_mod
from simulator.archiving import backup as backup_mod
from simulator.archiving import disposal, journal
from simulator.archiving import repair as repair_mod
from simulator.archiving.catalogue import (documents, events, fixity_log, holds, make_engine, package_files,
                                           packages, records, tombstones)
from simulator.archiving.ingest import seq as _seq
from simulator.archiving.premis import Agent, Event, agent as as_agent, software, to_xml
from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("archiving")


class Upkeep:
    """Audit, events, backup and restore, holds and disposal of one archive."""

    # -- audit ----------------------------------------------------------
    def audit(self, agent: Agent | str | None = None) -> audit_mod.AuditReport:
        """Full fixity audit, orphans and interrupted ingests; logs the run and one PREMIS fixity event per package
        (a read-only archive is checked the same way and nothing is logged)."""
        report, results = self._fixity()
        if not getattr(self, "read_only", False):
            self._log_audit(report, results, agent)
        return report

    def _fixity(self) -> tuple[audit_mod.AuditReport, list[audit_mod.PackageResult]]:
        on_disk, staging_on_disk = self.store.package_dirs(), self.store.staging_files()  # disk first
        with self.engine.connect() as conn:
            pk = conn.execute(select(packages.c.id, packages.c.path).where(packages.c.state == "stored")).all()
            recorded: dict[str, dict[str, str]] = {p.id: {} for p in pk}
            for f in conn.execute(select(package_files.c.package_id, package_files.c.path, package_files.c.sha256)
                                  .join(packages, packages.c.id == package_files.c.package_id)
                                  .where(packages.c.state == "stored")):
                recorded[f.package_id][f.path] = f.sha256
            staged = {r.staging: r.sha256 for r in conn.execute(
                select(documents.c.staging, documents.c.sha256).where(documents.c.staging.is_not(None)))}
        stored = [(p.id, p.path, recorded[p.id]) for p in pk]
        stuck, live = repair_mod.stuck(self.store, self.engine)  # interrupted ingests; ingests still running
        return audit_mod.run(self.folder, stored, on_disk - live, staged, staging_on_disk, stuck)

    def _log_audit(self, report: audit_mod.AuditReport, results: list[audit_mod.PackageResult], agent) -> None:
        tool = software()
        who = [a for a in (as_agent(agent) if agent else None, tool) if a]
        with self.engine.begin() as conn:
            conn.execute(insert(fixity_log).values(
                started=report.started, finished=report.finished, success=report.success,
                packages=report.packages, bytes=report.bytes, changed=report.changed, missing=report.missing,
                untracked=report.untracked, message=report.message))
            rows = []
            for i, r in enumerate(results):
                detail = "full BagIt validation (sha256, sha512) and catalogue comparison"
                note = "; ".join(r.changed + r.missing + r.untracked)
                rows.append(Event("fixity check", r.package_id, "success" if r.ok else "failure", detail, note,
                                  who, report.finished).row(_seq() + i))
            if rows:
                conn.execute(insert(events), rows)

    def fixity_history(self, limit: int = 20) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(fixity_log).order_by(fixity_log.c.id.desc()).limit(limit)).all()
        return [dict(r._mapping) for r in rows]

    def events(self, object_id: str | None = None) -> list[dict]:
        with self.engine.connect() as conn:
            q = select(events).order_by(events.c.seq)
            if object_id:
                q = q.where(events.c.object_id.like(object_id + "%"))
            return [dict(r._mapping) for r in conn.execute(q)]

    def premis_xml(self, record_id: str) -> bytes:
        """Every PREMIS event of the record's packages (including later fixity checks and deletion)."""
        with self.engine.connect() as conn:
            ids = [r.id for r in conn.execute(select(packages.c.id).where(packages.c.record_id == record_id))]
        evs = [e for pid in ids for e in self.events(pid)] + self.events(record_id)
        return to_xml(evs)

    # -- backup ---------------------------------------------------------
    def backup(self, dest: str | Path, full: bool = True) -> backup_mod.BackupSet:
        with self.engine.connect() as conn:
            stored = {r.id: r.path for r in conn.execute(select(packages.c.id, packages.c.path)
                                                         .where(packages.c.state == "stored"))}
            staged = sorted({r.staging for r in conn.execute(select(documents.c.staging)
                                                             .where(documents.c.staging.is_not(None)))})
        result = backup_mod.make_backup(self.folder, self.db_path, stored, staged, dest, full)
        with self.engine.begin() as conn:
            conn.execute(insert(events).values(Event(
                "replication", "archive", detail=f"{result.kind} backup {result.id}",
                outcome_detail=f"{result.packages} packages, {result.bytes} bytes",
                agents=[software()]).row(_seq())))
        return result

    def restore(self, src: str | Path, *, force: bool = False) -> dict:
        """Return to the newest backup set in ``src``: its catalogue, and checked copies of its packages.

        Records created since that set would leave the catalogue (their
        packages would stay on disk as untracked files): refused unless ``force``.
        """
        db = self.db_path
        if db is None:
            raise UserError(_("Backups here copy an SQLite catalogue; back up another database with its own tools."),
                            field="url")
        if not force:
            newer = backup_mod.records_missing_from(db, src)
            if newer:
                raise UserError(_("{n} records are newer than the backup; restoring would drop them from the "
                                  "catalogue. Take a new backup first, or force the restore.", n=len(newer)),
                                field="src")
        self.engine.dispose()
        try:
            result = backup_mod.restore_files(self.folder, db, src, session=self.store.temp_dir())
        finally:
            self.engine = make_engine(self.url)
            journal.create(self.engine)
        with self.engine.begin() as conn:
            conn.execute(insert(events).values(Event(
                "recovery", "archive", detail=f"restore from backup set {result['set']}",
                outcome="success" if not result["failed"] else "failure",
                outcome_detail=f"{len(result['restored'])} restored, {len(result['kept'])} kept, "
                               f"{len(result['failed'])} failed", agents=[software()]).row(_seq())))
        return result

    def restore_drill(self, src: str | Path) -> dict:
        """Restore the newest backup into an empty folder and audit it; this archive is not touched."""
        import tempfile

        with tempfile.TemporaryDirectory(prefix="restore-drill-") as tmp:
            with type(self)(tmp, schedule=self.schedule) as drill:
                result = drill.restore(src)
                report = drill.audit()
                with drill.engine.connect() as conn:
                    counts = {"records": conn.execute(select(func.count()).select_from(records)).scalar_one(),
                              "documents": conn.execute(select(func.count()).select_from(documents)).scalar_one()}
        ok = report.success and not result["failed"]
        with self.engine.begin() as conn:
            conn.execute(insert(events).values(Event(
                "recovery", "archive", "success" if ok else "failure", f"restore drill from {result['set']}",
                report.message, [software()]).row(_seq())))
        return {"success": ok, "set": result["set"], "packages": len(result["restored"]) + len(result["kept"]),
                "failed": result["failed"], "audit": report.as_json(), **counts}

    # -- retention and disposal -----------------------------------------
    def expired(self, at=None) -> list[disposal.ExpiredRecord]:
        with self.engine.connect() as conn:
            return disposal.expired(conn, self.schedule, at)

    def place_hold(self, record_id: str, reason: str, placed_by: str = "") -> int:
        with self.engine.begin() as conn:
            return disposal.place_hold(conn, record_id, reason, placed_by)

    def release_hold(self, record_id: str) -> int:
        with self.engine.begin() as conn:
            return disposal.release_hold(conn, record_id)

    def request_disposal(self, record_ids: list[str] | str, reason: str, requested_by: str, at=None) -> str:
        ids = [record_ids] if isinstance(record_ids, str) else list(record_ids)
        with self.engine.begin() as conn:
            return disposal.request(conn, self.schedule, ids, reason, requested_by, at)

    def approve_disposal(self, request_id: str, approved_by: str, approval_ref: str, council: str = "") -> None:
        with self.engine.begin() as conn:
            disposal.approve(conn, request_id, approved_by, approval_ref, council)

    def dispose(self, request_id: str, agent: Agent | str | None = None, at=None) -> list[disposal.Tombstone]:
        """Carry out an approved request: tombstones and deletion events committed, then payload removed."""
        person = as_agent(agent)
        out, to_remove = [], []
        with self.engine.begin() as conn:
            req, recs = disposal.prepare(conn, self.schedule, request_id, at)
            staged = []
            for rec in recs:
                tomb, paths = disposal.tombstone_rows(conn, req, rec)
                staged += [r.staging for r in conn.execute(select(documents.c.staging).where(
                    documents.c.record_id == rec.id, documents.c.staging.is_not(None)))]
                disposal.apply(conn, req, rec, tomb)
                ev_rows = []
                pids = [p.split("/")[-1] for p in paths]
                for i, pid in enumerate(pids or [rec.id]):
                    ev_rows.append(Event("deletion", pid, detail=f"destruction of record {rec.file_code}",
                                         outcome_detail=f"approved by {req.approved_by}, {req.approval_ref}; "
                                                        f"request {req.id}",
                                         agents=[person, software()]).row(_seq() + i))
                conn.execute(insert(events), ev_rows)
                out.append(disposal.Tombstone(**tomb))
                to_remove += paths
            conn.execute(update(disposal.disposal_requests).where(disposal.disposal_requests.c.id == request_id)
                         .values(status="done"))
        for p in to_remove:
            self.store.remove_dir(p)
        self._drop_staging(set(staged))
        return out

    def tombstone(self, record_id: str) -> disposal.Tombstone | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(tombstones).where(tombstones.c.record_id == record_id)).first()
        return disposal.Tombstone(**row._mapping) if row else None

    def holds(self, record_id: str) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(holds).where(holds.c.record_id == record_id))]

"""The Archive: one folder (files) plus one catalogue (SQLAlchemy), and every operation on them.

    arc = Archive("work/luu-tru")                  # SQLite catalogue in the folder
    rec = arc.create_record(file_code="000.00.00.H41.2026.01", title="...", maintenance="cong_van_trao_doi",
                            creator="UBND xã Diễn Kim", start_date="2026-01-05")
    arc.file_document(rec.id, "cv-05.pdf", {"type_name": "Công văn", ...})
    pkg = arc.ingest(rec.id, agent="Nguyễn Thị Lan")
    arc.search("quyet dinh dau tu"); arc.audit(); arc.backup("/mnt/dia-2")

Each write is one catalogue transaction committed after its files are
durably in place (``store.py``); opening an archive nobody else has open
cleans up after a crash.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from simulator.archiving import audit as audit_mod
from simulator.archiving import backup as backup_mod
from simulator.archiving import disposal
from simulator.archiving.catalogue import (documents, events, fixity_log, holds, is_sqlite, make_engine,
                                           package_files, packages, records, tombstones)
from simulator.archiving.formats import identify
from simulator.archiving.metadata import DocumentMetadata, RecordMetadata, parse_document, parse_record
from simulator.archiving.package import build
from simulator.archiving.premis import Agent, Event, agent as as_agent, software, to_xml
from simulator.archiving.retention import RETENTION_SCHEDULE, SOURCE, handover_due, retention_rule
from simulator.archiving.scan import check_scan
from simulator.archiving.search import Hit, index, search, search_fields, search_row
from simulator.archiving.store import Store, package_path, staging_path
from simulator.archiving.validation import Validator, detect_only, signing_validator
from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("archiving")


@dataclass(frozen=True)
class Record:
    id: str
    file_code: str
    title: str
    state: str                 # open, archived, disposed
    maintenance: str
    retention: str             # "Vĩnh viễn" or "N năm"
    start_date: date
    end_date: date | None
    metadata: dict
    handover_due: date | None = None


@dataclass(frozen=True)
class FiledDocument:
    id: int
    record_id: str
    ordinal: int
    sha256: str
    size: int
    pages: int
    signed: bool
    code: str
    subject: str


@dataclass(frozen=True)
class Package:
    id: str
    record_id: str
    path: Path
    files: list[dict]
    events: list[Event] = field(default_factory=list)
    verdicts: dict = field(default_factory=dict)


def _state_label(state: str) -> str:
    return {"open": _("open"), "archived": _("archived"), "disposed": _("disposed")}.get(state, state)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _sha256(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


def _seq() -> int:
    return time.time_ns()


class Archive:
    """An archive folder and its catalogue. ``url``: any SQLAlchemy URL (default: SQLite in the folder)."""

    def __init__(self, folder: str | Path, url: str | None = None, *, schedule=RETENTION_SCHEDULE,
                 validator: Validator | None = None) -> None:
        self.store = Store(folder)
        self.folder = self.store.root
        self.url = url or f"sqlite:///{self.folder / 'catalogue.sqlite'}"
        self.engine = make_engine(self.url)
        self.schedule = schedule
        self.validator = validator
        if self.store.recovering:
            self.recovered = self._recover()
        else:
            self.recovered = {}
        self.store.done_recovering()

    # -- life cycle -----------------------------------------------------
    def close(self) -> None:
        self.engine.dispose()
        self.store.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def db_path(self) -> Path | None:
        if not is_sqlite(self.engine) or not self.engine.url.database:
            return None
        return Path(self.engine.url.database)

    def _recover(self) -> dict:
        """After a crash: drop work areas, finish interrupted destructions, drop unreferenced staging files."""
        removed_tmp = self.store.clean_temporary()
        with self.engine.connect() as conn:
            disposed = [r.path for r in conn.execute(select(packages.c.path).where(packages.c.state == "disposed"))]
            referenced = {r.staging for r in conn.execute(select(documents.c.staging)
                                                          .where(documents.c.staging.is_not(None)))}
        finished = [p for p in disposed if (self.folder / p).exists()]
        for p in finished:
            self.store.remove_dir(p)
        stray = sorted(self.store.staging_files() - referenced)
        for rel in stray:
            self.store.remove_file(rel)
        return {"temporary": removed_tmp, "disposals_finished": finished, "staging_removed": stray}

    # -- records --------------------------------------------------------
    def create_record(self, data: RecordMetadata | dict | None = None, **fields: Any) -> Record:
        meta = parse_record(data, **fields)
        rule = retention_rule(meta.maintenance, self.schedule)
        rid = "HS-" + uuid.uuid4().hex[:12]
        stored = meta.model_dump(mode="json")
        stored["retention"] = rule.label
        stored["retention_source"] = SOURCE
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(records).values(
                    id=rid, file_code=str(meta.file_code), title=meta.title, maintenance=meta.maintenance,
                    retention_years=rule.years, rights=meta.rights, creator=meta.creator, language=meta.language,
                    start_date=meta.start_date, end_date=meta.end_date, description=meta.description,
                    state="open", created_at=_now(), metadata=stored))
        except IntegrityError:
            raise UserError(_("A record with file code {code} already exists.", code=str(meta.file_code)),
                            field="file_code") from None
        return self.record(rid)

    def record(self, record_id: str) -> Record:
        with self.engine.connect() as conn:
            row = conn.execute(select(records).where(records.c.id == record_id)).first()
        if row is None:
            raise UserError(_("No record {id} in the catalogue.", id=record_id), field="record_id")
        rule = retention_rule(row.maintenance, self.schedule)
        return Record(row.id, row.file_code, row.title, row.state, row.maintenance, rule.label, row.start_date,
                      row.end_date, row.metadata, handover_due(row.end_date) if row.end_date else None)

    def records(self, state: str | None = None) -> list[Record]:
        with self.engine.connect() as conn:
            q = select(records.c.id).order_by(records.c.created_at)
            if state:
                q = q.where(records.c.state == state)
            ids = [r.id for r in conn.execute(q)]
        return [self.record(i) for i in ids]

    def find_record(self, file_code: str) -> Record | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(records.c.id).where(records.c.file_code == file_code)).first()
        return self.record(row.id) if row else None

    def handover_overdue(self, at=None) -> list[Record]:
        """Open records whose work ended more than a year ago (hand-over rule)."""
        day = disposal._as_date(at)
        return [r for r in self.records("open") if r.end_date and handover_due(r.end_date) < day]

    # -- filing ---------------------------------------------------------
    def file_document(self, record_id: str, pdf_path: str | Path, metadata: DocumentMetadata | dict) -> FiledDocument:
        """File one PDF into an open record: checked, copied to staging, catalogued and indexed."""
        return self.file_documents(record_id, [(pdf_path, metadata)])[0]

    def file_documents(self, record_id: str, items: list[tuple[str | Path, DocumentMetadata | dict]]
                       ) -> list[FiledDocument]:
        """File several PDFs at once: all are checked first (one bad item stores nothing), one transaction."""
        rec = self.record(record_id)
        if rec.state != "open":
            raise UserError(_("Record {id} is {state}; documents can only be filed into an open record.",
                              id=record_id, state=_state_label(rec.state)), field="record_id")
        checked = []
        for pdf_path, metadata in items:
            meta = parse_document(metadata)
            pdf_path = Path(pdf_path)
            if not pdf_path.is_file():
                raise UserError(_("File {path} does not exist.", path=str(pdf_path)), field="pdf_path")
            facts = identify(pdf_path, extract_text=not meta.body)  # text only when the caller gave none
            if meta.scanned:
                check = check_scan(pdf_path)
                if not check.ok:
                    raise UserError(_("The scan does not meet the digitisation rule: {problems}",
                                      problems=" ".join(check.problems)), field="pdf_path")
            checked.append((pdf_path, meta, facts, *_sha256(pdf_path)))
        self.store.put_files([(path, staging_path(sha)) for path, _m, _f, sha, _s in checked])
        out = []
        with self.engine.begin() as conn:
            used = {r[0] for r in conn.execute(select(documents.c.ordinal).where(documents.c.record_id == record_id))}
            for pdf_path, meta, facts, sha, size in checked:
                ordinal = meta.doc_ordinal or max(used, default=0) + 1
                if ordinal in used:
                    raise UserError(_("Record {id} already has a document number {n}.", id=record_id, n=ordinal),
                                    field="doc_ordinal")
                used.add(ordinal)
                out.append(self._catalogue_document(conn, record_id, ordinal, pdf_path, meta, facts, sha, size))
        return out

    def _catalogue_document(self, conn, record_id, ordinal, pdf_path, meta, facts, sha, size) -> FiledDocument:
        pages = meta.page_amount if "page_amount" in meta.model_fields_set else facts.pages
        stored = meta.model_dump(mode="json", exclude={"body"})
        stored.update(page_amount=pages, original_name=pdf_path.name, code=meta.number_code, doc_ordinal=ordinal)
        parts = search_fields(stored, meta.body or facts.text)
        result = conn.execute(insert(documents).values(
            record_id=record_id, ordinal=ordinal, filename=f"{ordinal:03d}.pdf", sha256=sha, size=size,
            staging=staging_path(sha), signed=facts.signed, type_name=meta.type_name, code=meta.number_code,
            issued_date=meta.issued_date, organ_name=meta.organ_name, subject=meta.subject,
            signer=meta.signer_full_name, pages=pages,
            metadata=stored))
        doc_id = result.inserted_primary_key[0]
        index(conn, doc_id, search_row(parts, meta.type_name, meta.organ_name, meta.organ_id, meta.issued_date,
                                       record_id))
        return FiledDocument(doc_id, record_id, ordinal, sha, size, pages, facts.signed, meta.number_code,
                             meta.subject)

    def documents(self, record_id: str) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(documents).where(documents.c.record_id == record_id)
                                .order_by(documents.c.ordinal)).all()
        return [dict(r._mapping) for r in rows]

    # -- ingest ---------------------------------------------------------
    def ingest(self, record_id: str, agent: Agent | str | None = None, *, validator: Validator | None = None,
               pki: Any = None, at: Any = None, derivatives: bool = False) -> Package:
        """Make the record's preservation package and hand the record over to the archive."""
        rec = self.record(record_id)
        if rec.state != "open":
            raise UserError(_("Record {id} is {state}; only an open record can be ingested.",
                              id=record_id, state=_state_label(rec.state)), field="record_id")
        docs = self.documents(record_id)
        if not docs:
            raise UserError(_("Record {id} has no documents to ingest.", id=record_id), field="record_id")
        person = as_agent(agent)
        if validator is None:
            validator = signing_validator(pki, at) if pki is not None else (self.validator or detect_only)
        sources = {}
        for d in docs:
            src = self.folder / d["staging"]
            if not src.is_file() or _sha256(src)[0] != d["sha256"]:
                raise UserError(_("The filed copy of document {n} in record {id} is missing or damaged; "
                                  "file it again.", n=d["ordinal"], id=record_id), field="record_id")
            sources[d["id"]] = src
        end = rec.end_date or max(d["issued_date"] for d in docs)
        record_meta = dict(rec.metadata, id=rec.id, file_code=rec.file_code, end_date=end.isoformat(),
                           doc_total=len(docs), page_total=sum(d["pages"] or 0 for d in docs))
        package_id = uuid.uuid4().hex
        built = build(self.store.temp_dir(), package_id, record_meta, docs, sources, person=person,
                      validator=validator, derivatives=derivatives)
        rel = package_path(package_id)
        self.store.put_dir(built.path, rel)
        now = _now()
        with self.engine.begin() as conn:
            claimed = conn.execute(update(records).where(records.c.id == record_id, records.c.state == "open").values(
                state="archived", archived_at=now, end_date=end,
                metadata=dict(rec.metadata, doc_total=len(docs), page_total=record_meta["page_total"],
                              end_date=end.isoformat())))
            if claimed.rowcount != 1:  # another process ingested it meanwhile; our folder stays an orphan
                raise UserError(_("Record {id} is {state}; only an open record can be ingested.",
                                  id=record_id, state=_state_label("archived")), field="record_id")
            conn.execute(insert(packages).values(id=package_id, record_id=record_id, path=rel, created_at=now,
                                                 payload_oxum=built.payload_oxum, state="stored"))
            conn.execute(insert(package_files), [dict(f, package_id=package_id) for f in built.files])
            conn.execute(insert(events), [e.row(_seq() + i) for i, e in enumerate(built.events)])
            for d in docs:
                conn.execute(update(documents).where(documents.c.id == d["id"]).values(
                    staging=None, signed=built.verdicts[d["id"]].signed))
        self._drop_staging({d["staging"] for d in docs})
        return Package(package_id, record_id, self.folder / rel, built.files, built.events, built.verdicts)

    def _drop_staging(self, rels: set[str]) -> None:
        with self.engine.connect() as conn:
            still = {r.staging for r in conn.execute(select(documents.c.staging).where(documents.c.staging.in_(rels)))}
        for rel in rels - still:
            self.store.remove_file(rel)

    def package(self, record_id: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(packages).where(packages.c.record_id == record_id)
                               .order_by(packages.c.created_at.desc())).first()
        return dict(row._mapping) if row else None

    # -- search ---------------------------------------------------------
    def search(self, query: str, **filters: Any) -> list[Hit]:
        """Folded Vietnamese full-text search; filters: date_from, date_to, issuer, doc_type, record, limit."""
        allowed = {"date_from", "date_to", "issuer", "doc_type", "record", "limit"}
        unknown = set(filters) - allowed
        if unknown:
            raise UserError(_("Unknown search filter {name}.", name=sorted(unknown)[0]), field=sorted(unknown)[0])
        with self.engine.connect() as conn:
            return search(conn, query, **filters)

    # -- audit ----------------------------------------------------------
    def audit(self, agent: Agent | str | None = None) -> audit_mod.AuditReport:
        """Full fixity audit; logs the run and one PREMIS fixity event per package."""
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
        report, results = audit_mod.run(self.folder, stored, self.store.package_dirs(), staged,
                                        self.store.staging_files())
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
        return report

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
            with Archive(tmp, schedule=self.schedule) as drill:
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

    def stats(self) -> dict:
        """What planners count: records by state, documents, pages, signed and digitised (scanned) documents."""
        with self.engine.connect() as conn:
            by_state = dict(conn.execute(select(records.c.state, func.count()).group_by(records.c.state)).all())
            d = documents.c
            row = conn.execute(select(func.count(), func.coalesce(func.sum(d.pages), 0),
                                      func.coalesce(func.sum(case((d.signed, 1), else_=0)), 0),
                                      func.coalesce(func.sum(case((d.metadata["scanned"].as_boolean(), 1),
                                                                  else_=0)), 0),
                                      func.coalesce(func.sum(case((d.staging.is_(None), 1), else_=0)), 0))).one()
            destroyed = conn.execute(select(func.count()).select_from(tombstones)).scalar_one()
        return {"records": {k: by_state.get(k, 0) for k in ("open", "archived", "disposed")},
                "documents": row[0], "pages": row[1], "signed": row[2], "scanned": row[3], "archived": row[4],
                "tombstones": destroyed}

    # -- show -----------------------------------------------------------
    def show(self, record_id: str) -> dict:
        rec = self.record(record_id)
        package = self.package(record_id)
        tomb = self.tombstone(record_id)
        return {"record": rec.__dict__, "documents": self.documents(record_id), "package": package,
                "events": self.events(package["id"]) if package else [], "holds": self.holds(record_id),
                "tombstone": tomb.__dict__ if tomb else None}

"""The publication store: what the province has published on its portal.

A folder holds the catalogue (``cong-bo.sqlite``: one row per published
document, WAL, ``synchronous=FULL``) and the signed files, kept byte for byte
as they were published (``van-ban/<sha256>.pdf``; a signed file is never
rewritten, PITFALLS.md). Publishing reads the facts from what the signatures
cover (:mod:`simulator.portal.metadata`), verifies every signature against
the training PKI (:func:`simulator.signing.verify`) and keeps the verdict
with the row; a document that is unsigned, fails verification, lacks what
the portal shows or repeats a number already published by the same issuer
in the same year (Decree 30: the number and code are unique within the
year) is refused and nothing is written.

The file is written first (temporary name, fsync, rename, fsync of the
folder), then the row is committed in one transaction: a crash leaves at
worst an orphan file, never a row without its file.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from simulator.errors import UserError
from simulator.i18n import translator
from simulator.portal.addresses import eli_path
from simulator.portal.metadata import PortalMetadata
from simulator.portal.status import LABELS, RECORDED
from simulator.signing.report import PASSED

_ = translator("portal")

CATALOGUE = "cong-bo.sqlite"
FILES = "van-ban"
PROVINCE = "Nghệ An"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS publications (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    number_code TEXT NOT NULL, issued TEXT NOT NULL, year INTEGER NOT NULL,
    type_key TEXT NOT NULL, type_name TEXT NOT NULL,
    issuer_code TEXT NOT NULL, issuer_name TEXT NOT NULL, signer TEXT NOT NULL,
    effective TEXT NOT NULL, field TEXT NOT NULL, subject TEXT NOT NULL, document_id TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL, size INTEGER NOT NULL, published_at TEXT NOT NULL,
    verification TEXT NOT NULL,
    status TEXT, status_note TEXT NOT NULL DEFAULT '', status_changed TEXT,
    UNIQUE (issuer_code, year, number_code)
);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

COLUMNS = ("id", "path", "number_code", "issued", "year", "type_key", "type_name", "issuer_code", "issuer_name",
           "signer", "effective", "field", "subject", "document_id", "text", "sha256", "size", "published_at",
           "verification", "status", "status_note", "status_changed")


@dataclass(frozen=True)
class Verification:
    """The verdict kept with a publication: what the portal tells people who download the file."""

    passed: bool
    indication: str
    explanation: str
    signatures: tuple[dict, ...]     # {"signer", "role", "signed_at"}
    checked_at: str                  # ISO 8601, when the portal verified it

    @classmethod
    def of(cls, report) -> "Verification":
        from simulator.signing.report import vn_time

        return cls(passed=report.passed, indication=report.indication, explanation=report.explain(),
                   signatures=tuple({"signer": s.signer, "role": s.role, "signed_at": vn_time(s.signed_at)}
                                    for s in report.signatures),
                   checked_at=vn_time(report.validated_at) or "")

    def to_json(self) -> str:
        return json.dumps({"passed": self.passed, "indication": self.indication, "explanation": self.explanation,
                           "signatures": list(self.signatures), "checked_at": self.checked_at}, ensure_ascii=False)


def checked(pdf: str | os.PathLike, pki, portal: "Portal | None" = None,
            at: datetime | None = None) -> tuple[PortalMetadata, bytes, Verification]:
    """What publishing ``pdf`` would record, or the UserError refusing it; nothing is written. ``at``: the
    moment the signatures are judged at (a seat's world time; None: now)."""
    from simulator.portal.metadata import read_metadata
    from simulator.signing.pdfread import read_pdf
    from simulator.signing.verify import verify

    name = Path(pdf).name
    data = read_pdf(pdf)
    meta = read_metadata(data, name)
    if portal is not None:
        portal._refuse_duplicate(meta, name)
    report = verify(pdf, pki, at)
    if not report.passed:
        problems = [p.message for p in report.decree30.problems]
        signatures_pass = all(s.indication == PASSED for s in report.signatures)
        reason = problems[0] if problems and signatures_pass else report.explain().splitlines()[0]
        raise UserError(_("{path} does not pass signature verification, it is not published: {reason}",
                          path=name, reason=reason), field="pdf")
    return meta, data, Verification.of(report)


def publish_file(folder: str | os.PathLike, pdf: str | os.PathLike, pki, *, at: datetime | None = None) -> dict:
    """Publish the signed PDF at ``pdf`` in the portal at ``folder``: the one path of ``vbdt portal publish``
    and of the outgoing desk's "Đăng cổng thông tin". Everything is checked before the portal folder is
    created or written (a refusal leaves nothing behind); ``at`` (the world's time at a seat) is when the
    signatures are judged and the publication is dated. The published row."""
    folder = Path(folder)
    existing = Portal(folder) if (folder / CATALOGUE).is_file() else None
    try:
        meta, data, verification = checked(pdf, pki, existing, at)
    finally:
        if existing is not None:
            existing.close()
    with Portal(folder, create=True) as site:
        return site.add(meta, data, verification, published_at=at)


class Portal:
    """The published documents of one province's portal, in ``folder``."""

    def __init__(self, folder: str | os.PathLike, *, province: str | None = None, create: bool = False,
                 read_only: bool = False) -> None:
        """``read_only``: read the catalogue as it lies, writing nothing beside it (no ``-wal``: a grader
        leaves a handed-in folder byte for byte as it found it)."""
        self.folder = Path(folder)
        catalogue = self.folder / CATALOGUE
        if not catalogue.is_file():
            if not create or read_only:
                raise UserError(_("--folder: nothing has been published in {folder} yet.", folder=self.folder),
                                field="--folder")
            (self.folder / FILES).mkdir(parents=True, exist_ok=True)
        self._readonly = None
        if read_only:  # the registers' way (a log not yet copied into the file is read from a private copy)
            from simulator.routing.registers_readonly import read_only_engine

            self._readonly = read_only_engine(catalogue)
            self._raw = self._readonly.raw_connection()
            self._db = self._raw.driver_connection
            self._db.row_factory = sqlite3.Row
            row = self._db.execute("SELECT value FROM settings WHERE key='province'").fetchone()
            self.province = row[0] if row else PROVINCE
            return
        self._db = sqlite3.connect(catalogue, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        if province:
            self._db.execute("INSERT OR IGNORE INTO settings VALUES ('province', ?)", (province,))
        row = self._db.execute("SELECT value FROM settings WHERE key='province'").fetchone()
        self.province = row[0] if row else PROVINCE

    def close(self) -> None:
        if self._readonly is not None:
            self._raw.close()
            self._readonly.dispose()
            return
        self._db.close()

    def __enter__(self) -> "Portal":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- publishing ------------------------------------------------------------------------------------
    def publish(self, pdf: str | os.PathLike, pki) -> dict:
        """Publish the signed PDF at ``pdf`` after verifying it against ``pki``; the published row."""
        meta, data, verification = checked(pdf, pki, self)
        return self.add(meta, data, verification)

    def _refuse_duplicate(self, meta: PortalMetadata, name: str) -> None:
        found = self._db.execute(
            "SELECT path FROM publications WHERE issuer_code=? AND year=? AND number_code=?",
            (meta.issuer_code, meta.issued.year, meta.number_code)).fetchone()
        if found:
            raise UserError(_("{path}: {issuer} already published number {code} in {year} ({address}); a number "
                              "is unique within the year.", path=name, issuer=meta.issuer_name,
                              code=meta.number_code, year=meta.issued.year, address=found[0]), field="pdf")

    def add(self, meta: PortalMetadata, data: bytes, verification: Verification,
            published_at: datetime | None = None) -> dict:
        """Record a publication already verified (``publish`` is the front door; benchmarks seed with this)."""
        self._refuse_duplicate(meta, meta.number_code)
        digest = hashlib.sha256(data).hexdigest()
        self._keep(digest, data)
        moment = (published_at or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        row = {**meta.as_row(), "path": eli_path(self.province, meta), "year": meta.issued.year, "sha256": digest,
               "size": len(data), "published_at": moment, "verification": verification.to_json()}
        names = [c for c in COLUMNS if c in row]
        cursor = self._db.execute(f"INSERT INTO publications ({', '.join(names)}) VALUES "
                                  f"({', '.join('?' * len(names))})", [row[c] for c in names])
        return self.get(cursor.lastrowid)

    def add_many(self, items) -> int:
        """Record many (meta, data, verification) in one transaction (a bulk import; a benchmark's seed)."""
        self._db.execute("BEGIN")
        try:
            count = sum(1 for meta, data, verification in items if self.add(meta, data, verification))
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return count

    def _keep(self, digest: str, data: bytes) -> None:
        target = self.folder / FILES / f"{digest}.pdf"
        if target.exists():
            return
        tmp = target.with_name(target.name + ".part")
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    # -- the status in force ---------------------------------------------------------------------------
    def record_status(self, number_code: str, status: str, *, issuer: str | None = None, note: str = "",
                      on: date | None = None) -> dict:
        """An editor records that a later act amended, suspended or repealed a published document."""
        if status not in RECORDED:
            raise UserError(_("--set: {value!r} is not one of: {choices}.", value=status,
                              choices=", ".join(RECORDED)), field="--set")
        row = self.find(number_code, issuer=issuer)
        with closing(self._db.cursor()) as cur:
            cur.execute("UPDATE publications SET status=?, status_note=?, status_changed=? WHERE id=?",
                        (status, note, (on or date.today()).isoformat(), row["id"]))
        return self.get(row["id"])

    # -- reading ---------------------------------------------------------------------------------------
    def get(self, pub_id: int) -> dict:
        row = self._db.execute("SELECT * FROM publications WHERE id=?", (pub_id,)).fetchone()
        return _row(row)

    def rows(self) -> list[dict]:
        """Every publication, newest first (date of issue, then publication)."""
        return [_row(r) for r in self._db.execute("SELECT * FROM publications ORDER BY issued DESC, id DESC")]

    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM publications").fetchone()[0]

    def find(self, number_code: str, *, issuer: str | None = None) -> dict:
        """The publication with this number and code (and issuer code, when several issuers used it)."""
        from simulator.text import nfc

        wanted = nfc(number_code.strip())
        rows = [r for r in self._db.execute("SELECT * FROM publications WHERE number_code=? ORDER BY id", (wanted,))
                if issuer is None or r["issuer_code"] == issuer]
        if not rows:
            raise UserError(_("No published document has the number {code}.", code=number_code), field="number")
        if len(rows) > 1:
            raise UserError(_("Several issuers published {code}; name the issuer's code with --issuer: {codes}.",
                              code=number_code, codes=", ".join(r["issuer_code"] for r in rows)), field="--issuer")
        return _row(rows[0])

    def file_of(self, row: dict) -> Path:
        return self.folder / FILES / f"{row['sha256']}.pdf"


def _row(row) -> dict:
    out = {key: row[key] for key in row.keys()}
    out["verification"] = json.loads(out["verification"])
    out["status_label"] = LABELS.get(out["status"] or "", "")
    return out

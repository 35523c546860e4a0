"""Retention and lawful disposal: expiry, holds, approval, destruction with a tombstone.

The procedure (Archives Law; DOMAIN.md §6): expired records are listed with
a reasoned note; a disposal request goes to the appraisal council, and the
head of the agency decides (the approval reference is the decision's number);
a hold (an inspection, a complaint, a lawsuit) blocks destruction. Destroying
removes the payload and keeps a tombstone for ever: identifier, hashes, a
metadata summary and the approval reference, plus a PREMIS deletion event.
Nothing is destroyed without an approval on record.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from simulator.archiving.catalogue import (disposal_requests, documents, holds, package_files, packages, records,
                                           tombstones)
from simulator.archiving.retention import retention_rule
from simulator.archiving.search import unindex
from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("archiving")


@dataclass(frozen=True)
class ExpiredRecord:
    record_id: str
    file_code: str
    title: str
    maintenance: str
    retention: str
    end_date: date
    expired_on: date
    reason: str

    def as_json(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class Tombstone:
    record_id: str
    file_code: str
    title: str
    disposed_at: datetime
    request_id: str
    approval_ref: str
    approved_by: str
    hashes: dict
    summary: dict


def _status_label(status: str) -> str:
    return {"pending": _("pending"), "approved": _("approved"), "done": _("carried out")}.get(status, status)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _as_date(at) -> date:
    if at is None:
        return date.today()
    if isinstance(at, datetime):
        return at.date()
    if isinstance(at, date):
        return at
    try:
        return date.fromisoformat(str(at))
    except ValueError:
        raise UserError(_("The field {field} must be a date (YYYY-MM-DD).", field="at"), field="at") from None


def active_holds(conn: Connection, record_id: str) -> list:
    return conn.execute(select(holds).where(holds.c.record_id == record_id, holds.c.released_at.is_(None))).all()


def expired(conn: Connection, schedule, at=None) -> list[ExpiredRecord]:
    """Archived records whose retention ended on or before ``at``, not held, with the reason."""
    day = _as_date(at)
    out = []
    rows = conn.execute(select(records).where(records.c.state == "archived",
                                              records.c.retention_years.is_not(None))).all()
    for row in rows:
        rule = retention_rule(row.maintenance, schedule)
        end = row.end_date or row.start_date
        expires = rule.expires(end)
        if expires is None or expires > day or active_holds(conn, row.id):
            continue
        reason = _("Retention {label} ({title}) counted from the end of {year} ended on {expires}; source: {source}.",
                   label=rule.label, title=rule.title, year=end.year, expires=expires.strftime("%d/%m/%Y"),
                   source="Thông tư 10/2022/TT-BNV")
        out.append(ExpiredRecord(row.id, row.file_code, row.title, row.maintenance, rule.label, end, expires, reason))
    return out


def request(conn: Connection, schedule, record_ids: list[str], reason: str, requested_by: str, at=None) -> str:
    if not record_ids:
        raise UserError(_("A disposal request needs at least one record."), field="record_ids")
    if not (reason or "").strip():
        raise UserError(_("A disposal request needs a reason."), field="reason")
    if not (requested_by or "").strip():
        raise UserError(_("Say who requests the disposal."), field="requested_by")
    eligible = {e.record_id for e in expired(conn, schedule, at)}
    for rid in record_ids:
        _check_disposable(conn, rid, eligible)
    req_id = "TH-" + uuid.uuid4().hex[:10]
    conn.execute(insert(disposal_requests).values(
        id=req_id, record_ids=list(record_ids), reason=reason.strip(), requested_by=requested_by.strip(),
        requested_at=_now(), status="pending"))
    return req_id


def _check_disposable(conn: Connection, rid: str, eligible: set[str]) -> None:
    row = conn.execute(select(records.c.state).where(records.c.id == rid)).first()
    if row is None:
        raise UserError(_("No record {id} in the catalogue.", id=rid), field="record_id")
    if row.state == "disposed":
        raise UserError(_("Record {id} has already been destroyed.", id=rid), field="record_id")
    if active_holds(conn, rid):
        raise UserError(_("Record {id} is on hold; it cannot be destroyed.", id=rid), field="record_id")
    if row.state != "archived" or rid not in eligible:
        raise UserError(_("Record {id} has not reached the end of its retention period.", id=rid),
                        field="record_id")


def _request_row(conn: Connection, req_id: str):
    row = conn.execute(select(disposal_requests).where(disposal_requests.c.id == req_id)).first()
    if row is None:
        raise UserError(_("No disposal request {id}.", id=req_id), field="request_id")
    return row


def approve(conn: Connection, req_id: str, approved_by: str, approval_ref: str, council: str = "") -> None:
    row = _request_row(conn, req_id)
    if row.status != "pending":
        raise UserError(_("Disposal request {id} is {status}; only a pending request can be approved.",
                          id=req_id, status=_status_label(row.status)), field="request_id")
    if not (approved_by or "").strip() or not (approval_ref or "").strip():
        raise UserError(_("An approval needs the head of the agency's name and the decision's reference."),
                        field="approval_ref")
    conn.execute(update(disposal_requests).where(disposal_requests.c.id == req_id).values(
        status="approved", approved_by=approved_by.strip(), approval_ref=approval_ref.strip(),
        council=council.strip(), approved_at=_now()))


def prepare(conn: Connection, schedule, req_id: str, at=None) -> tuple[object, list]:
    """Check a request can be carried out now; returns the request and the records' rows."""
    row = _request_row(conn, req_id)
    if row.status == "done":
        raise UserError(_("Disposal request {id} has already been carried out.", id=req_id), field="request_id")
    if row.status != "approved" or not row.approval_ref:
        raise UserError(_("Disposal request {id} has no approval on record; nothing was destroyed.", id=req_id),
                        field="request_id")
    eligible = {e.record_id for e in expired(conn, schedule, at)}
    for rid in row.record_ids:
        _check_disposable(conn, rid, eligible)
    recs = conn.execute(select(records).where(records.c.id.in_(row.record_ids))).all()
    return row, recs


def tombstone_rows(conn: Connection, req, rec) -> tuple[dict, list[str]]:
    """The tombstone for one record, and the package folders to remove after the commit."""
    pkgs = conn.execute(select(packages).where(packages.c.record_id == rec.id, packages.c.state == "stored")).all()
    hashes = {}
    for p in pkgs:
        for f in conn.execute(select(package_files).where(package_files.c.package_id == p.id)):
            hashes[f"{p.id}/{f.path}"] = {"sha256": f.sha256, "sha512": f.sha512, "size": f.size}
    docs = conn.execute(select(documents.c.ordinal, documents.c.code, documents.c.subject, documents.c.issued_date,
                               documents.c.sha256).where(documents.c.record_id == rec.id)
                        .order_by(documents.c.ordinal)).all()
    summary = {"record": rec.metadata, "documents": [
        {"ordinal": d.ordinal, "code": d.code, "subject": d.subject,
         "issued_date": d.issued_date.isoformat() if d.issued_date else None, "sha256": d.sha256} for d in docs]}
    row = {"record_id": rec.id, "file_code": rec.file_code, "title": rec.title, "disposed_at": _now(),
           "request_id": req.id, "approval_ref": req.approval_ref, "approved_by": req.approved_by,
           "hashes": hashes, "summary": summary}
    return row, [p.path for p in pkgs]


def apply(conn: Connection, req, rec, tomb: dict) -> None:
    """Catalogue side of a destruction (in the caller's transaction)."""
    ids = [r.id for r in conn.execute(select(documents.c.id).where(documents.c.record_id == rec.id))]
    unindex(conn, ids)
    conn.execute(delete(documents).where(documents.c.record_id == rec.id))
    conn.execute(update(packages).where(packages.c.record_id == rec.id).values(state="disposed"))
    conn.execute(update(records).where(records.c.id == rec.id).values(state="disposed"))
    conn.execute(insert(tombstones).values(**tomb))


def place_hold(conn: Connection, record_id: str, reason: str, placed_by: str) -> int:
    if conn.execute(select(records.c.id).where(records.c.id == record_id)).first() is None:
        raise UserError(_("No record {id} in the catalogue.", id=record_id), field="record_id")
    if not (reason or "").strip():
        raise UserError(_("A hold needs a reason."), field="reason")
    result = conn.execute(insert(holds).values(record_id=record_id, reason=reason.strip(),
                                               placed_by=placed_by or "", placed_at=_now()))
    return result.inserted_primary_key[0]


def release_hold(conn: Connection, record_id: str) -> int:
    result = conn.execute(update(holds).where(holds.c.record_id == record_id, holds.c.released_at.is_(None))
                          .values(released_at=_now()))
    if not result.rowcount:
        raise UserError(_("Record {id} has no hold to release.", id=record_id), field="record_id")
    return result.rowcount

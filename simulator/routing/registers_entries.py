"""The lines of the two register books (Decree 30, Appendix VI): what a reader gets back."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.documents.model import Document


@dataclass(frozen=True)
class IncomingEntry:
    """One line of the incoming register (sổ văn bản đến)."""

    unit: str
    year: int
    number: int                 # số đến
    document_id: str
    arrival_at: datetime
    by: str
    issuer_code: str
    issuer_name: str
    code_number: str
    code_notation: str
    type_name: str
    issued_date: date
    subject: str
    signer_position: str
    signer_name: str
    priority: int
    due_date: date | None
    page_amount: int
    to_places: tuple[str, ...]
    traces: tuple[tuple[str, str], ...]
    recipient: str = ""                 # đơn vị hoặc người nhận: who the leader handed it to
    receipt: str = ""                   # ký nhận: who took it, and when (the electronic receipt)
    notes: str = ""                     # ghi chú: the handling deadline and the leader's directions
    handling_due: date | None = None
    new: bool = field(default=True, compare=False)  # False when this call found an existing entry

    @property
    def arrival_number(self) -> int:
        return self.number

    @property
    def number_code(self) -> str:
        return f"{self.code_number}/{self.code_notation}"


@dataclass(frozen=True)
class OutgoingEntry:
    """One line of the outgoing register (sổ văn bản đi)."""

    unit: str
    year: int
    number: int
    document_id: str
    registered_at: datetime
    by: str
    issuer_code: str
    issuer_name: str
    code_number: str
    code_notation: str
    type_name: str
    issued_date: date
    subject: str
    signer_position: str
    signer_name: str
    priority: int
    due_date: date | None
    page_amount: int
    recipients: tuple[tuple[str, str], ...]
    copies: int
    kept_by: str = ""                   # đơn vị, người nhận bản lưu
    sent_at: datetime | None = None     # ngày chuyển
    receipt: str = ""                   # ký nhận
    notes: str = ""                     # ghi chú
    document: "Document | None" = field(default=None, compare=False)  # the numbered document

    @property
    def number_code(self) -> str:
        return f"{self.code_number}/{self.code_notation}"


def _incoming(row) -> IncomingEntry:
    return IncomingEntry(
        unit=row.unit, year=row.year, number=row.number, document_id=row.document_id,
        arrival_at=datetime.fromisoformat(row.arrival_at), by=row.by, issuer_code=row.issuer_code,
        issuer_name=row.issuer_name, code_number=row.code_number, code_notation=row.code_notation,
        type_name=row.type_name, issued_date=row.issued_date, subject=row.subject,
        signer_position=row.signer_position, signer_name=row.signer_name, priority=row.priority,
        due_date=row.due_date, page_amount=row.page_amount, to_places=tuple(json.loads(row.to_places)),
        traces=tuple(tuple(t) for t in json.loads(row.traces)), recipient=getattr(row, "recipient", None) or "",
        receipt=getattr(row, "receipt", None) or "", notes=getattr(row, "notes", None) or "",
        handling_due=getattr(row, "handling_due", None))


def _outgoing(row) -> OutgoingEntry:
    return OutgoingEntry(
        unit=row.unit, year=row.year, number=row.number, document_id=row.document_id,
        registered_at=datetime.fromisoformat(row.registered_at), by=row.by, issuer_code=row.issuer_code,
        issuer_name=row.issuer_name, code_number=row.code_number, code_notation=row.code_notation,
        type_name=row.type_name, issued_date=row.issued_date, subject=row.subject,
        signer_position=row.signer_position, signer_name=row.signer_name, priority=row.priority,
        due_date=row.due_date, page_amount=row.page_amount,
        recipients=tuple(tuple(r) for r in json.loads(row.recipients)), copies=row.copies,
        kept_by=getattr(row, "kept_by", None) or "", receipt=getattr(row, "receipt", None) or "",
        sent_at=datetime.fromisoformat(row.sent_at) if getattr(row, "sent_at", None) else None,
        notes=getattr(row, "notes", None) or "")

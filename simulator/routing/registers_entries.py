"""The lines of the two register books (Decree 30, Appendix VI): what a reader gets back."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.documents.model import Document


@dataclass(frozen=True)
class _Entry:
    """What both books keep of a document (Decree 30, Appendix VI)."""

    unit: str
    year: int
    number: int                 # số đến (incoming) or the document's number (outgoing)
    document_id: str
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

    @property
    def number_code(self) -> str:
        return f"{self.code_number}/{self.code_notation}"


@dataclass(frozen=True)
class IncomingEntry(_Entry):
    """One line of the incoming register (sổ văn bản đến)."""

    arrival_at: datetime
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


@dataclass(frozen=True)
class OutgoingEntry(_Entry):
    """One line of the outgoing register (sổ văn bản đi)."""

    registered_at: datetime
    recipients: tuple[tuple[str, str], ...]
    copies: int
    kept_by: str = ""                   # đơn vị, người nhận bản lưu
    sent_at: datetime | None = None     # ngày chuyển
    receipt: str = ""                   # ký nhận
    notes: str = ""                     # ghi chú
    document: "Document | None" = field(default=None, compare=False)  # the numbered document


def _shared(row) -> dict:
    """The columns both books have, from a row."""
    return {name: getattr(row, name) for name in (
        "unit", "year", "number", "document_id", "by", "issuer_code", "issuer_name", "code_number",
        "code_notation", "type_name", "issued_date", "subject", "signer_position", "signer_name", "priority",
        "due_date", "page_amount")}


def _incoming(row) -> IncomingEntry:
    return IncomingEntry(
        **_shared(row), arrival_at=datetime.fromisoformat(row.arrival_at),
        to_places=tuple(json.loads(row.to_places)), traces=tuple(tuple(t) for t in json.loads(row.traces)),
        recipient=getattr(row, "recipient", None) or "", receipt=getattr(row, "receipt", None) or "",
        notes=getattr(row, "notes", None) or "", handling_due=getattr(row, "handling_due", None))


def _outgoing(row) -> OutgoingEntry:
    return OutgoingEntry(
        **_shared(row), registered_at=datetime.fromisoformat(row.registered_at),
        recipients=tuple(tuple(r) for r in json.loads(row.recipients)), copies=row.copies,
        kept_by=getattr(row, "kept_by", None) or "", receipt=getattr(row, "receipt", None) or "",
        sent_at=datetime.fromisoformat(row.sent_at) if getattr(row, "sent_at", None) else None,
        notes=getattr(row, "notes", None) or "")

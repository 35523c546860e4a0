"""The incoming and outgoing registers of a unit (sổ văn bản đến / sổ văn bản đi).

Fields follow Decree 30/2020, Appendix VI. Numbers run per unit per year:
they restart at 1 on 1 January, with no gaps and no duplicates even with
several writers, because the counter and the entry change in one
transaction (SQLite: ``BEGIN IMMEDIATE``; elsewhere a unique constraint
and a retry). Registering an incoming document is idempotent on its
``DocumentId``: a second delivery of the same envelope returns the first
entry and takes no number. The workflow of each registered document is
kept beside the books (:mod:`simulator.routing.registers_flows`).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING

from sqlalchemy import and_, bindparam, create_engine, insert, select, update
from sqlalchemy.pool import StaticPool

from simulator.calendar import VN_TZ, iso_vn
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.province.codes import validate as validate_code
from simulator.routing import edxml, registers_flows
from simulator.routing.db import create_tables, engine_for, retrying
from simulator.routing.envelope import Envelope, envelope_from_document
from simulator.routing.registers_entries import IncomingEntry, OutgoingEntry, _incoming, _outgoing
from simulator.routing.registers_readonly import read_only_engine
from simulator.routing.registers_tables import (  # noqa: F401 - the tables are part of this module's API
    _add_new_columns, counters, flow_events, incoming_table, metadata, outgoing_table,
)
from simulator.text import fold, nfc

if TYPE_CHECKING:
    from simulator.documents.model import Document

_ = translator("routing")

# Statements of the hot path, built once.
_COUNTER_KEY = and_(counters.c.unit == bindparam("k_unit"), counters.c.book == bindparam("k_book"),
                    counters.c.year == bindparam("k_year"))
_BUMP = update(counters).where(_COUNTER_KEY).values(last=counters.c.last + 1).returning(counters.c.last)
_NEW_COUNTER = insert(counters)
_FIND_INCOMING = select(incoming_table).where(and_(incoming_table.c.unit == bindparam("unit"),
                                                   incoming_table.c.document_id == bindparam("document_id")))
_INSERT_INCOMING = insert(incoming_table)


def _aware(moment: datetime) -> datetime:
    if not isinstance(moment, datetime):
        raise UserError(_("Expected a date and time, got {value!r}.", value=moment), field="at")
    return moment if moment.tzinfo else moment.replace(tzinfo=VN_TZ)


def _who(by: str) -> str:
    if not isinstance(by, str) or not by.strip():
        raise UserError(_("Say who does this (a user name)."), field="by")
    return nfc(by.strip())


def _copies(doc: "Document") -> int:
    """Số lượng bản: as the document states it, else one for each recipient and each copy kept ("Lưu: VT, VP")."""
    kept = [part for part in (doc.filed_copies or "").replace(".", "").split(",") if part.strip()]
    return doc.copies or len(doc.recipients) + len(kept)


class Registers:
    """The two registers of one unit, in a database shared with other units.

    ``Registers("work/so.sqlite", "001.01.01.H41")`` or any SQLAlchemy URL.
    ``known_senders`` (optional): a callable or collection telling which
    identifier codes may send to this unit; others are refused.
    """

    def __init__(self, url_or_path, unit_code: str, *, known_senders=None, read_only: bool = False) -> None:
        """``read_only``: read the registers as evidence (the grader): nothing is created or written, not
        even beside the file (:mod:`simulator.routing.registers_readonly`); a missing file reads as empty."""
        validate_code(unit_code)
        self.unit = unit_code
        self.read_only = read_only
        self._known = known_senders
        if not read_only:
            self.engine = engine_for(url_or_path)
            create_tables(self.engine, metadata)
            _add_new_columns(self.engine)
            return
        try:
            self.engine = read_only_engine(url_or_path)
        except FileNotFoundError:  # never registered anything: empty registers, in memory
            self.engine = create_engine("sqlite://", poolclass=StaticPool)
            metadata.create_all(self.engine)

    def close(self) -> None:
        """Let go of a read-only database (a shared writable engine stays open for the process)."""
        if self.read_only:
            self.engine.dispose()

    def __enter__(self) -> "Registers":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- numbering ---------------------------------------------------------
    def _next_number(self, conn, book: str, year: int) -> int:
        last = conn.execute(_BUMP, {"k_unit": self.unit, "k_book": book, "k_year": year}).scalar()
        if last is None:
            conn.execute(_NEW_COUNTER, {"unit": self.unit, "book": book, "year": year, "last": 1})
            return 1
        return last

    def next_number(self, book: str = "in", year: int | None = None) -> int:
        """The number the next entry would get (nothing is taken)."""
        year = year or datetime.now(VN_TZ).year
        with self.engine.connect() as conn:
            last = conn.execute(select(counters.c.last).where(and_(
                counters.c.unit == self.unit, counters.c.book == book, counters.c.year == year))).scalar()
        return (last or 0) + 1

    # -- incoming ----------------------------------------------------------
    def _as_envelope(self, item) -> tuple[Envelope, bytes | None]:
        if isinstance(item, (bytes, bytearray, str)):
            data = item.encode() if isinstance(item, str) else bytes(item)
            return edxml.parse(data), data
        if isinstance(item, Envelope):
            return item, None
        from simulator.documents.model import Document

        if isinstance(item, Document):
            if item.number is None:
                raise UserError(_("The document has no number yet; only numbered documents are received."),
                                field="number")
            return envelope_from_document(item), None
        raise UserError(_("Expected an edXML envelope or a document, got {kind}.", kind=type(item).__name__))

    def _check_sender(self, env: Envelope) -> None:
        sender = env.sender.organ_id
        known = self._known
        if known is None:
            return
        ok = known(sender) if callable(known) else sender in known
        if not ok:
            raise UserError(_("The sender {code} is not in the identifier registry; the document is refused.",
                              code=sender), field="From/OrganId")

    def register_incoming(self, envelope_or_doc, received_at: datetime, by: str) -> IncomingEntry:
        """Enter a received document in the incoming register with the next số đến.

        Idempotent on the DocumentId: the same document again returns the
        existing entry (``entry.new`` is False) and takes no number."""
        return self.register_incoming_many([envelope_or_doc], received_at, by)[0]

    def register_incoming_many(self, items, received_at: datetime, by: str) -> list[IncomingEntry]:
        """Register several received documents in one transaction (all or none), in the order given.

        Every item is checked before anything is written, so one bad item
        changes nothing."""
        prepared = [self._prepare(item) for item in items]
        received_at = _aware(received_at)
        by = _who(by)
        year = received_at.astimezone(VN_TZ).year
        arrival = iso_vn(received_at)

        def work(conn):
            entries = []
            for env, source in prepared:
                found = conn.execute(_FIND_INCOMING, {"unit": self.unit, "document_id": env.document_id}).first()
                if found is not None:
                    entries.append(replace(_incoming(found), new=False))
                    continue
                values = dict(
                    unit=self.unit, year=year, number=self._next_number(conn, "in", year),
                    document_id=env.document_id, issuer_code=env.sender.organ_id,
                    issuer_name=env.sender.organ_name, code_number=env.code_number,
                    code_notation=env.code_notation, type_name=env.type_name, issued_date=env.promulgation_date,
                    subject=env.subject, subject_folded=fold(env.subject), signer_position=env.signer_position,
                    signer_name=env.signer_full_name, priority=int(env.priority), due_date=env.due_date,
                    page_amount=env.page_amount, by=by, arrival_at=arrival,
                    to_places=json.dumps(list(env.to_places), ensure_ascii=False),
                    traces=json.dumps([[h.organ_id, iso_vn(h.timestamp)] for h in env.traces]),
                    source=source)
                conn.execute(_INSERT_INCOMING, values)
                entries.append(_incoming(SimpleNamespace(**values)))
            return entries

        return retrying(self.engine, work)

    def _prepare(self, item) -> tuple[Envelope, bytes | None]:
        env, source = self._as_envelope(item)
        self._check_sender(env)
        if env.recipients and self.unit not in env.recipient_ids:
            raise UserError(_("The document is addressed to {to}, not to this unit ({unit}); return it to the "
                              "sender.", to=", ".join(env.recipient_ids), unit=self.unit), field="To/OrganId")
        return env, source

    # -- outgoing ----------------------------------------------------------
    def issue(self, doc: "Document", by: str, at: datetime, pages: int = 0) -> OutgoingEntry:
        """Issue a signed draft (Decree 30, Art. 15): the clerk gives it the next number of the year of
        ``at``, dated that day, and enters it in the outgoing register, in one transaction.

        ``entry.document`` is the numbered document. A document that already
        has a number is refused: numbers are given once, at issuance, never at
        drafting."""
        if getattr(doc, "number", None) is not None:
            raise UserError(_("Document {code} already has its number; a document is numbered only once, when "
                              "it is issued.", code=doc.number_code), field="number")
        at = _aware(at)
        return self.register_outgoing(replace(doc, issued_date=at.astimezone(VN_TZ).date()), by, at, pages)

    def register_outgoing(self, doc: "Document", by: str, at: datetime, pages: int = 0) -> OutgoingEntry:
        """Give ``doc`` the next outgoing number of its year and enter it in the register (``pages``: the
        signed document's page count)."""
        from simulator.documents.model import Document

        if not isinstance(doc, Document):
            raise UserError(_("Expected a document, got {kind}.", kind=type(doc).__name__))
        if doc.issuer_code != self.unit:
            raise UserError(_("The document is issued by {issuer}, not by this unit ({unit}).",
                              issuer=doc.issuer_code, unit=self.unit), field="issuer_code")
        at = _aware(at)
        by = _who(by)
        year = doc.issued_date.year
        t = outgoing_table
        if not isinstance(pages, int) or pages < 0:
            raise UserError(_("The page count must be a whole number, 0 or more."), field="pages")

        def work(conn):
            number = self._next_number(conn, "out", year)
            numbered = doc.with_number(number)
            values = dict(
                unit=self.unit, year=year, number=number, document_id=numbered.document_id,
                issuer_code=doc.issuer_code, issuer_name=doc.issuer_name, code_number=numbered.number_text,
                code_notation=doc.code_notation, type_name=doc.type.name, issued_date=doc.issued_date,
                subject=doc.subject, subject_folded=fold(doc.subject), signer_position=doc.signer.position,
                signer_name=doc.signer.full_name, priority=int(doc.priority), due_date=doc.due_date,
                page_amount=pages, by=by, registered_at=iso_vn(at), copies=_copies(doc),
                kept_by=doc.filed_copies or "",
                recipients=json.dumps([[r.code, r.name] for r in doc.recipients], ensure_ascii=False))
            conn.execute(insert(t).values(**values))
            return replace(_outgoing(SimpleNamespace(**values)), document=numbered)

        return retrying(self.engine, work)

    # -- what the form keeps after registering -------------------------------------
    def assign(self, document_id: str, recipient: str, *, at: datetime, due: date | None = None,
               directions: str = "") -> IncomingEntry:
        """The leader hands a registered document to a unit or person: the incoming book keeps who
        received it (đơn vị hoặc người nhận), their receipt (ký nhận) and, in its notes, the deadline and
        the directions (Decree 30, Art. 24 and Appendix VI)."""
        recipient = _who(recipient)
        at = _aware(at)
        notes = "; ".join(part for part in (
            _("handling due {day}", day=due.strftime("%d/%m/%Y")) if due else "", nfc(directions.strip())) if part)
        receipt = _("{who}, {moment}", who=recipient, moment=at.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M"))
        t = incoming_table
        key = and_(t.c.unit == self.unit, t.c.document_id == document_id)
        with self.engine.begin() as conn:
            done = conn.execute(update(t).where(key).values(recipient=recipient, receipt=receipt, notes=notes,
                                                            handling_due=due))
            if not done.rowcount:
                raise UserError(_("No document {doc_id} in the incoming register.", doc_id=document_id),
                                field="document_id")
            return _incoming(conn.execute(select(t).where(key)).one())

    def dispatched(self, document_id: str, *, at: datetime, receipt: str = "") -> OutgoingEntry:
        """The issued document leaves: the outgoing book keeps the day it was sent (ngày chuyển) and the
        receipt (ký nhận: for electronic sending, the system that took it)."""
        at = _aware(at)
        t = outgoing_table
        key = and_(t.c.unit == self.unit, t.c.document_id == document_id)
        with self.engine.begin() as conn:
            done = conn.execute(update(t).where(key).values(sent_at=iso_vn(at), receipt=nfc(receipt.strip())))
            if not done.rowcount:
                raise UserError(_("No document {doc_id} in the outgoing register.", doc_id=document_id),
                                field="document_id")
            return _outgoing(conn.execute(select(t).where(key)).one())

    def note(self, document_id: str, text: str) -> None:
        """Add ``text`` to the notes (ghi chú) of an outgoing entry, once (a recall, for one)."""
        t, text = outgoing_table, nfc(text.strip())
        key = and_(t.c.unit == self.unit, t.c.document_id == document_id)
        with self.engine.begin() as conn:
            notes = conn.execute(select(t.c.notes).where(key)).scalar() or ""
            if text not in notes:
                conn.execute(update(t).where(key).values(notes="; ".join(p for p in (notes, text) if p)))

    # -- reading -----------------------------------------------------------
    def incoming(self, year: int | None = None) -> list[IncomingEntry]:
        return [_incoming(r) for r in self._rows(incoming_table, year)]

    def outgoing(self, year: int | None = None) -> list[OutgoingEntry]:
        return [_outgoing(r) for r in self._rows(outgoing_table, year)]

    def _rows(self, t, year):
        query = select(t).where(t.c.unit == self.unit)
        if year is not None:
            query = query.where(t.c.year == year)
        with self.engine.connect() as conn:
            return conn.execute(query.order_by(t.c.year, t.c.number)).all()

    def get_incoming(self, document_id: str) -> IncomingEntry | None:
        t = incoming_table
        with self.engine.connect() as conn:
            row = conn.execute(select(t).where(and_(t.c.unit == self.unit, t.c.document_id == document_id))).first()
        return _incoming(row) if row else None

    def incoming_source(self, document_id: str) -> bytes | None:
        """The edXML of an incoming document as it was received (None when it was not edXML)."""
        t = incoming_table
        with self.engine.connect() as conn:
            return conn.execute(select(t.c.source).where(and_(
                t.c.unit == self.unit, t.c.document_id == document_id))).scalar()

    def search(self, text: str | None = None, *, book: str = "in", number: int | None = None,
               code: str | None = None, issuer: str | None = None, date_from: date | None = None,
               date_to: date | None = None, year: int | None = None) -> list:
        """Entries matching every criterion given.

        ``text`` searches the subject without regard to tone marks or đ
        ("quyet dinh" finds "quyết định"); entries whose subject contains the
        exact form come first. ``number`` is the register number (số đến or
        số đi); ``code`` matches the number and code ("05/QĐ-UBND") or the
        code notation; ``issuer`` an identifier code or part of a name;
        the dates bound the issue date."""
        if book not in ("in", "out"):
            raise UserError(_("The register is 'in' (incoming) or 'out' (outgoing), not {value!r}.", value=book),
                            field="book")
        t = incoming_table if book == "in" else outgoing_table
        query = select(t).where(t.c.unit == self.unit)
        if text:
            query = query.where(t.c.subject_folded.contains(fold(nfc(text)), autoescape=True))
        if number is not None:
            query = query.where(t.c.number == number)
        if year is not None:
            query = query.where(t.c.year == year)
        if code:
            code = nfc(code.strip())
            if "/" in code:
                number_part, notation = code.split("/", 1)
                query = query.where(and_(t.c.code_notation == notation,
                                         t.c.code_number.in_({number_part, number_part.lstrip("0"),
                                                              f"{int(number_part):02d}" if number_part.isdigit()
                                                              else number_part})))
            else:
                query = query.where(t.c.code_notation == code)
        if issuer:
            issuer = nfc(issuer.strip())
            query = query.where((t.c.issuer_code == issuer) | t.c.issuer_name.contains(issuer, autoescape=True))
        if date_from is not None:
            query = query.where(t.c.issued_date >= date_from)
        if date_to is not None:
            query = query.where(t.c.issued_date <= date_to)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(t.c.year, t.c.number)).all()
        entries = [(_incoming if book == "in" else _outgoing)(r) for r in rows]
        if text:
            exact = nfc(text).lower()
            entries.sort(key=lambda e: exact not in e.subject.lower())  # stable: keeps number order within
        return entries

    # -- workflow events (simulator.routing.registers_flows) ---------------
    def record(self, book: str, document_id: str, transition) -> None:
        """Keep one workflow transition (who, when, what) with the register."""
        registers_flows.record(self.engine, self.unit, book, document_id, transition)

    def save_flow(self, document_id: str, flow) -> int:
        """Record the steps of ``flow`` not yet recorded (create included); returns how many were added."""
        return registers_flows.save_flow(self.engine, self.unit, document_id, flow)

    def load_flow(self, document_id: str, book: str = "in", calendar=None):
        """The workflow of a document rebuilt from its recorded steps (None if nothing was recorded)."""
        return registers_flows.load_flow(self.engine, self.unit, document_id, book, calendar)

    def events(self, document_id: str, book: str | None = None) -> list[dict]:
        return registers_flows.events(self.engine, self.unit, document_id, book)

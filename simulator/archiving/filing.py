"""The catalogue rows of one filed document: its ``documents`` row and its search row.

Shared by filing into an open record (``Archive.file_documents``) and by
the ingest of a new record, whose rows are prepared into the ingest journal
first (JSON-safe values) and inserted at commit (``ingest.py``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from simulator.archiving.catalogue import documents
from simulator.archiving.formats import PdfFacts
from simulator.archiving.metadata import DocumentMetadata
from simulator.archiving.search import index, search_fields, search_row

_DATE_COLUMNS = ("issued_date", "start_date", "end_date")


def document_rows(record_id: str, ordinal: int, pdf_path: Path, meta: DocumentMetadata, facts: PdfFacts,
                  sha: str, size: int, staging: str | None) -> tuple[dict, dict]:
    """(values of the ``documents`` row, values of its ``doc_search`` row); both JSON-safe but for dates."""
    pages = meta.page_amount if "page_amount" in meta.model_fields_set else facts.pages
    stored = meta.model_dump(mode="json", exclude={"body"})
    stored.update(page_amount=pages, original_name=pdf_path.name, code=meta.number_code, doc_ordinal=ordinal)
    parts = search_fields(stored, meta.body or facts.text)
    values = dict(record_id=record_id, ordinal=ordinal, filename=f"{ordinal:03d}.pdf", sha256=sha, size=size,
                  staging=staging, signed=facts.signed, type_name=meta.type_name, code=meta.number_code,
                  issued_date=meta.issued_date, organ_name=meta.organ_name, subject=meta.subject,
                  signer=meta.signer_full_name, pages=pages, metadata=stored)
    return values, search_row(parts, meta.type_name, meta.organ_name, meta.organ_id, meta.issued_date, record_id)


def dates_back(values: dict) -> dict:
    """Undo the JSON round trip of the journal for the date columns."""
    out = dict(values)
    for key in _DATE_COLUMNS:
        if isinstance(out.get(key), str):
            out[key] = date.fromisoformat(out[key])
    return out


def insert_document(conn: Connection, values: dict, search: dict) -> int:
    doc_id = conn.execute(insert(documents).values(**dates_back(values))).inserted_primary_key[0]
    index(conn, doc_id, search)
    return doc_id

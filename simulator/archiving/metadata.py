"""Descriptive metadata of records (hồ sơ) and of the documents filed into them.

Field sets follow Decree 30/2020/NĐ-CP, Appendix VI: a record carries
FileCode, Title, Maintenance, Rights, Creator, Language, StartDate, EndDate,
DocTotal, PageTotal and Description; a document carries its own entry
metadata (outgoing: DocOrdinal, TypeName, CodeNumber, CodeNotation,
IssuedDate, OrganName, Subject, ... ; incoming adds ArrivalDate,
ArrivalNumber, ToPlaces, TraceHeaderList). Both models accept the Python
names and the Appendix VI names (``Title`` or ``title``). All text is NFC.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from simulator.errors import UserError
from simulator.i18n import translator
from simulator.text import nfc

_ = translator("archiving")

_CONFIG = ConfigDict(populate_by_name=True, extra="forbid", str_strip_whitespace=True, frozen=True)


def _nfc_strings(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [_nfc_strings(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc_strings(v) for k, v in value.items()}
    return value


class FileCode(BaseModel):
    """Mã hồ sơ: the agency's identifier code, the year of the file catalogue, the file's notation."""

    model_config = _CONFIG
    organ_id: str = Field(alias="OrganId", min_length=1, max_length=13)
    file_catalog: int = Field(alias="FileCatalog", ge=1945, le=2200)
    file_notation: str = Field(alias="FileNotation", min_length=1, max_length=20)

    def __str__(self) -> str:
        return f"{self.organ_id}.{self.file_catalog}.{self.file_notation}"


class RecordMetadata(BaseModel):
    """A record (hồ sơ), Appendix VI. ``maintenance`` is a key of the retention schedule."""

    model_config = _CONFIG
    file_code: FileCode = Field(alias="FileCode")
    title: str = Field(alias="Title", min_length=1, max_length=1000)
    maintenance: str = Field(alias="Maintenance", min_length=1)
    rights: str = Field(alias="Rights", default="Công khai")
    creator: str = Field(alias="Creator", min_length=1)
    language: str = Field(alias="Language", default="Tiếng Việt")
    start_date: date = Field(alias="StartDate")
    end_date: date | None = Field(alias="EndDate", default=None)
    description: str = Field(alias="Description", default="")

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data: Any) -> Any:
        data = _nfc_strings(data)
        if isinstance(data, dict) and isinstance(data.get("file_code", data.get("FileCode")), str):
            key = "file_code" if "file_code" in data else "FileCode"
            data = dict(data)
            data[key] = _parse_file_code(data[key])
        return data

    @model_validator(mode="after")
    def _dates_in_order(self) -> "RecordMetadata":
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("dates_out_of_order")
        return self


def _parse_file_code(text: str) -> dict:
    """'000.00.00.H41.2026.01' -> organ id (13 characters), year, notation."""
    organ, _sep, rest = text[:13], text[13:14], text[14:]
    year, _sep2, notation = rest.partition(".")
    if _sep != "." or not year.isdigit() or not notation:
        raise ValueError("bad_file_code")
    return {"organ_id": organ, "file_catalog": int(year), "file_notation": notation}


class DocumentMetadata(BaseModel):
    """Entry metadata of one document filed into a record (Appendix VI)."""

    model_config = _CONFIG
    direction: Literal["outgoing", "incoming", "internal"] = "outgoing"
    doc_ordinal: int | None = Field(alias="DocOrdinal", default=None, ge=1)
    type_name: str = Field(alias="TypeName", min_length=1)
    code_number: str = Field(alias="CodeNumber", default="", max_length=11)
    code_notation: str = Field(alias="CodeNotation", default="", max_length=30)
    issued_date: date = Field(alias="IssuedDate")
    organ_name: str = Field(alias="OrganName", min_length=1)
    organ_id: str = Field(alias="OrganId", default="")
    subject: str = Field(alias="Subject", min_length=1, max_length=500)
    language: str = Field(alias="Language", default="Tiếng Việt")
    page_amount: int = Field(alias="PageAmount", default=1, ge=1)
    description: str = Field(alias="Description", default="")
    signer_position: str = Field(alias="SignerPosition", default="")
    signer_full_name: str = Field(alias="SignerFullName", default="")
    to: list[str] = Field(alias="To", default_factory=list)
    priority: int = Field(alias="Priority", default=0, ge=0, le=4)
    issued_amount: int | None = Field(alias="IssuedAmount", default=None, ge=0)
    due_date: date | None = Field(alias="DueDate", default=None)
    # incoming only
    arrival_date: date | None = Field(alias="ArrivalDate", default=None)
    arrival_number: int | None = Field(alias="ArrivalNumber", default=None, ge=1)
    to_places: list[str] = Field(alias="ToPlaces", default_factory=list)
    trace_header_list: list[dict] = Field(alias="TraceHeaderList", default_factory=list)
    # not Appendix VI: full text for search, and the digitisation flag (DOMAIN.md §3)
    body: str = ""
    scanned: bool = False

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data: Any) -> Any:
        return _nfc_strings(data)

    @field_validator("code_number", mode="before")
    @classmethod
    def _number_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @model_validator(mode="after")
    def _incoming_fields(self) -> "DocumentMetadata":
        if self.direction == "incoming" and (self.arrival_date is None or self.arrival_number is None):
            raise ValueError("incoming_needs_arrival")
        return self

    @property
    def number_code(self) -> str:
        """'05/QĐ-UBND' from CodeNumber and CodeNotation."""
        if self.code_number and self.code_notation:
            return f"{self.code_number}/{self.code_notation}"
        return self.code_number or self.code_notation


def _names(model: type[BaseModel], loc: tuple) -> tuple[str, str]:
    """(python name, Appendix VI name) of the field an error points at."""
    if not loc:
        return "metadata", "metadata"
    first = str(loc[0])
    for name, info in model.model_fields.items():
        if first in (name, info.alias):
            shown = info.alias or name
            rest = "".join(f".{p}" for p in loc[1:])
            return name + rest, shown + rest
    return first, first


def _user_error(exc: ValidationError, what: str, model: type[BaseModel]) -> UserError:
    """The first problem of a pydantic error, in the user's language."""
    err = exc.errors()[0]
    field, shown = _names(model, tuple(err.get("loc", ())))
    kind = err.get("type", "")
    message = str(err.get("msg", ""))
    if kind == "missing":
        text = _("The {what} is missing the required field {field}.", what=what, field=shown)
    elif kind == "extra_forbidden":
        text = _("The {what} has an unknown field {field}.", what=what, field=shown)
    elif "dates_out_of_order" in message:
        text = _("The record's end date is before its start date.")
        field = "end_date"
    elif "incoming_needs_arrival" in message:
        text = _("An incoming document needs ArrivalDate and ArrivalNumber.")
        field = "arrival_date"
    elif "bad_file_code" in message:
        text = _("The file code must look like 000.00.00.H41.2026.01 (agency code, year, notation).")
        field = "file_code"
    elif kind.startswith("date"):
        text = _("The field {field} must be a date (YYYY-MM-DD).", field=shown)
    elif kind in ("string_too_long",):
        text = _("The field {field} is too long (at most {n} characters).", field=shown,
                 n=err.get("ctx", {}).get("max_length", "?"))
    elif kind in ("string_too_short",):
        text = _("The field {field} must not be empty.", field=shown)
    else:
        text = _("The field {field} has an invalid value.", field=shown)
    return UserError(text, field=field)


def parse_record(data: RecordMetadata | dict | None = None, **fields: Any) -> RecordMetadata:
    if isinstance(data, RecordMetadata) and not fields:
        return data
    payload = dict(data.model_dump() if isinstance(data, RecordMetadata) else (data or {}))
    payload.update(fields)
    try:
        return RecordMetadata.model_validate(payload)
    except ValidationError as exc:
        raise _user_error(exc, _("record"), RecordMetadata) from None


def parse_document(data: DocumentMetadata | dict | None = None, **fields: Any) -> DocumentMetadata:
    if isinstance(data, DocumentMetadata) and not fields:
        return data
    payload = dict(data.model_dump() if isinstance(data, DocumentMetadata) else (data or {}))
    payload.update(fields)
    try:
        return DocumentMetadata.model_validate(payload)
    except ValidationError as exc:
        raise _user_error(exc, _("document metadata"), DocumentMetadata) from None


def from_document(doc: Any, *, pages: int = 1, body: str | None = None, **extra: Any) -> dict:
    """Appendix VI metadata of a ``simulator.documents.Document``.

    Outgoing by default; for an incoming one pass ``direction="incoming"``,
    ``arrival_date`` and ``arrival_number`` (and ``to_places``) in ``extra``.
    """
    return {
        "direction": "outgoing",
        "type_name": doc.type.name,
        "code_number": doc.number_text,
        "code_notation": doc.code_notation,
        "issued_date": doc.issued_date,
        "organ_name": doc.issuer_name,
        "organ_id": doc.issuer_code,
        "subject": doc.subject,
        "page_amount": pages,
        "signer_position": doc.signer.position,
        "signer_full_name": doc.signer.full_name,
        "to": [r.name for r in doc.recipients],
        "priority": int(doc.priority),
        "issued_amount": doc.copies or None,
        "due_date": doc.due_date,
        "body": body if body is not None else "\n".join(p.lstrip("#") for p in doc.body),
    } | extra

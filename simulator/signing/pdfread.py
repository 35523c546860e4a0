"""Reading signed PDFs: the bytes, the reader, and what the signatures cover.

The document information dictionary (``/Info``) of the latest revision is
not covered by any signature: an incremental update can rewrite it without
a key (PITFALLS.md). So the identity of a document (issuer, number and
code, date), an attachment's binding to its main document and the name
printed in the signature block are read here **as of the revision the last
signature covers** (pyHanko's ``signed_revision`` and historical
resolver), and compared with the latest revision: every difference is
reported in :attr:`SignedIdentity.changed_after_signing`.

The clerk writes the outgoing number and date after the person's signature
and before the agency seal, as the values of the form fields
``vbdt_so_ky_hieu`` ("12/UBND-VP") and ``vbdt_ngay`` ("2026-03-05") with
``/VbdtDocumentId`` updated in the same revision; when those fields carry
values they must agree with it (:attr:`SignedIdentity.field_mismatch`).
"""

from __future__ import annotations

import io
import os
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader

from simulator.documents.fields import DATE_FIELD, NUMBER_FIELD
from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("signing")

MAX_PDF_BYTES = 200 * 1024 * 1024

IDENTITY_KEYS = ("/VbdtDocumentId", "/VbdtAttachmentOf", "/VbdtMainDocumentId", "/VbdtSignatureBox")
IDENTITY_FIELDS = (NUMBER_FIELD, DATE_FIELD)
_NAME_BAND = 20.0  # points below the signature box where the signer's name is printed


def read_pdf(path: str | os.PathLike) -> bytes:
    """The bytes of a PDF, or a UserError saying it is not one (devices, FIFOs and folders are refused
    before anything is read)."""
    from simulator.inputs import read_file

    data = read_file(path, max_bytes=MAX_PDF_BYTES, field="pdf")
    if b"%PDF-" not in data[:1024]:
        raise UserError(_("{path} is not a PDF file.", path=Path(path).name), field="pdf")
    return data


def open_reader(data: bytes, name: str = "") -> PdfFileReader:
    if b"%PDF-" not in data[:1024]:
        raise UserError(_("{path} is not a PDF file.", path=name or "?"), field="pdf")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        reader.root  # forces the catalogue to be read
        return reader
    except Exception:
        raise UserError(_("{path} is not a readable PDF file.", path=name or "?"), field="pdf") from None


def _info(handler):
    """The ``/Info`` dictionary of a reader (latest revision) or of a historical resolver's revision.

    A historical trailer's references still resolve in the latest revision (only the catalogue
    is rebound by pyHanko), so the reference is resolved explicitly in the revision asked for.
    """
    from pyhanko.pdf_utils import generic

    revision = getattr(handler, "revision", None)
    if revision is None:
        return handler.trailer["/Info"].get_object()
    raw = handler.reader.trailer.raw_get("/Info", revision=revision)
    if isinstance(raw, generic.IndirectObject):
        return handler.get_object(raw.reference)
    return raw


def info_value(handler, key: str) -> str | None:
    """``key`` of the ``/Info`` dictionary of a reader (latest) or a historical resolver."""
    try:
        value = _info(handler).get(key)
        return str(value) if value is not None else None
    except Exception:
        return None


def text_fields(root) -> dict[str, str]:
    """Fully qualified form field name -> value, for fields that carry a text value."""
    out: dict[str, str] = {}

    def walk(refs, prefix: str, depth: int) -> None:
        if depth > 20:
            return
        for ref in refs or ():
            try:
                node = ref.get_object()
                part = node.get("/T")
                name = f"{prefix}.{part}" if prefix and part is not None else str(part or prefix)
                value = node.get("/V")
                if value is not None and not hasattr(value, "keys"):
                    out[name] = str(value)
                walk(node.get("/Kids"), name, depth + 1)
            except Exception:
                continue

    try:
        walk(root["/AcroForm"].get_object().get("/Fields"), "", 0)
    except Exception:
        pass
    return out


def _norm(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split()).casefold()


def same_name(a: str | None, b: str | None) -> bool:
    """Names equal up to Unicode form, case and spacing (never a fold of tone marks)."""
    return bool(_norm(a)) and _norm(a) == _norm(b)


def split_document_id(doc_id: str | None) -> tuple[str | None, date | None, str | None]:
    """'000.00.00.H41,2026/03/05,12/UBND-VP' -> (issuer code, date, number and code)."""
    if not doc_id or "," not in doc_id:
        return None, None, None
    parts = [p.strip() for p in doc_id.split(",")]
    issuer = parts[0] or None
    number = parts[-1] or None if len(parts) >= 2 else None
    issued = None
    if len(parts) >= 3:
        try:
            issued = date(*map(int, parts[1].replace("-", "/").split("/")))
        except (TypeError, ValueError):
            issued = None
    return issuer, issued, number


@dataclass(frozen=True)
class SignedIdentity:
    """What the last signature of a PDF covers about the document's identity."""

    issuer_code: str | None
    number_code: str | None           # "12/UBND-VP"
    date: date | None
    attachment_of: str | None         # the main document's number and code, for an attachment
    person_name: str | None           # the name printed under the signature box
    revision: int | None              # the revision the last signature covers; None: not signed
    document_id: str | None = None
    main_document_id: str | None = None
    changed_after_signing: tuple[str, ...] = ()  # identity entries rewritten after the last signature
    field_mismatch: tuple[str, ...] = ()         # number/date fields that disagree with the DocumentId

    @property
    def signed(self) -> bool:
        return self.revision is not None


def last_signature(reader):
    """The regular signature covering the latest revision (document time stamps do not count)."""
    best = None
    for emb in reader.embedded_regular_signatures:
        try:
            if best is None or emb.signed_revision > best.signed_revision:
                best = emb
        except Exception:
            continue
    return best


def _printed_name(data: bytes, page: int, box: tuple[float, float, float, float]) -> str | None:
    """The text printed just under the signature box, read from the signed bytes."""
    try:
        import pypdfium2 as pdfium
    except ImportError:  # pragma: no cover - a dependency of the project
        return None
    pdf = None
    try:
        pdf = pdfium.PdfDocument(data)
        if not 0 <= page < len(pdf):
            return None
        text = pdf[page].get_textpage().get_text_bounded(
            left=box[0], bottom=box[1] - _NAME_BAND, right=box[2], top=box[1] + 1)
        lines = [" ".join(line.split()) for line in text.splitlines()]
        return " ".join(line for line in lines if line) or None
    except Exception:
        return None
    finally:
        if pdf is not None:
            pdf.close()


def _signature_box(value: str | None) -> tuple[int, tuple[float, float, float, float]] | None:
    try:
        page, x1, y1, x2, y2 = (value or "").split()
        return int(page), (float(x1), float(y1), float(x2), float(y2))
    except ValueError:
        return None


def _field_mismatch(fields: dict[str, str], number: str | None, issued: date | None) -> tuple[str, ...]:
    bad = []
    value = fields.get(NUMBER_FIELD, "").strip()
    if value and value != (number or ""):
        bad.append(NUMBER_FIELD)
    value = fields.get(DATE_FIELD, "").strip()
    if value:
        try:
            if date.fromisoformat(value) != issued:
                bad.append(DATE_FIELD)
        except ValueError:
            bad.append(DATE_FIELD)
    return tuple(bad)


def identity_of(reader, data: bytes, *, read_name: bool = True) -> SignedIdentity:
    """The signed identity of the PDF ``data`` read by ``reader`` (``read_name``: the printed signer too)."""
    emb = last_signature(reader)
    if emb is None:
        return SignedIdentity(None, None, None, None, None, None)
    revision = emb.signed_revision
    past = reader.get_historical_resolver(revision)
    values = {key: info_value(past, key) for key in IDENTITY_KEYS}
    latest = {key: info_value(reader, key) for key in IDENTITY_KEYS}
    try:
        past_fields = text_fields(past.root)
    except Exception:
        past_fields = {}
    now_fields = text_fields(reader.root)
    changed = [key.lstrip("/") for key in IDENTITY_KEYS if values[key] != latest[key]]
    changed += [name for name in IDENTITY_FIELDS if past_fields.get(name) != now_fields.get(name)]
    issuer, issued, number = split_document_id(values["/VbdtDocumentId"])
    person = None
    box = _signature_box(values["/VbdtSignatureBox"])
    if box is not None and read_name:
        try:
            start, length_a, start_b, length_b = (int(v) for v in emb.byte_range)
            person = _printed_name(data[:start_b + length_b], *box)
        except Exception:
            person = None
    return SignedIdentity(
        issuer_code=issuer, number_code=number, date=issued, attachment_of=values["/VbdtAttachmentOf"],
        person_name=person, revision=revision, document_id=values["/VbdtDocumentId"],
        main_document_id=values["/VbdtMainDocumentId"], changed_after_signing=tuple(changed),
        field_mismatch=_field_mismatch(past_fields, number, issued))


def signed_identity(data: bytes, name: str = "", *, read_name: bool = True) -> SignedIdentity:
    """The identity of a signed PDF as its last signature covers it (UserError if not a PDF).

    This reads, it does not judge trust: :func:`simulator.signing.verify`
    says whether the signatures themselves are valid.
    """
    reader = open_reader(data, name)
    try:
        return identity_of(reader, data, read_name=read_name)
    except Exception:  # a hostile structure: nothing signed can be read from it
        return SignedIdentity(None, None, None, None, None, None)

"""Issuance: the clerk writes the register's number and date into a signed draft.

Decree 30 (Art. 15): the clerk gives the number and the date of issue after
the person with authority has signed. On an electronic document the draft
carries two empty text fields (``simulator.documents.fields``) created
before the person signed; issuing fills them (value and appearance, Noto
Serif embedded, 13 pt) and updates the document information (``/Info``:
``/VbdtDocumentId``, ``/Subject``) in ONE incremental update, which an
approval signature permits as form filling. The result is checked with
pyHanko's difference analysis before it is written: anything beyond
FORM_FILLING is refused. The agency seal then covers the number.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from simulator.documents.fields import DATE_FIELD, NUMBER_FIELD, text_appearance
from simulator.documents.model import Document
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.signing.pdfread import open_reader, read_pdf
from simulator.signing.sign import PERSON_FIELD, SEAL_FIELD

_ = translator("issuance")


def issued_values(doc: Document) -> dict[str, tuple[str, str]]:
    """Field name -> (value, what the page shows) for a numbered document."""
    if doc.number is None:
        raise UserError(_("The document has no number yet: the register gives it at issuance."), field="number")
    return {NUMBER_FIELD: (doc.number_code, doc.number_code),
            DATE_FIELD: (doc.issued_date.isoformat(), doc.date_line)}


def number_fields(reader) -> dict[str, object]:
    """The draft's number and date fields by name (field dictionaries)."""
    found = {}
    try:
        form = reader.root.get("/AcroForm")
        for ref in (form.get_object().get("/Fields", ()) if form is not None else ()):
            field = ref.get_object()
            name = str(field.get("/T", ""))
            if name in (NUMBER_FIELD, DATE_FIELD):
                found[name] = field
    except Exception:
        return {}
    return found


def _signature_fields(reader) -> dict[str, bool]:
    """Signature field name -> signed?"""
    from pyhanko.sign.fields import enumerate_sig_fields

    try:
        return {str(n): v is not None for n, v, _ref in enumerate_sig_fields(reader, filled_status=None)}
    except Exception:
        return {}


def check_issuable(data: bytes, name: str = "") -> None:
    """Refuse (UserError) a file that cannot be issued: not signed by the person, sealed, no blank fields."""
    reader = open_reader(data, name)
    signed = _signature_fields(reader)
    if not signed.get(PERSON_FIELD):
        raise UserError(_("The person with authority has not signed {path} yet: the number is given after the "
                          "signature.", path=name), field="pdf")
    if signed.get(SEAL_FIELD):
        raise UserError(_("{path} is already sealed: the number must be written before the agency seal.",
                          path=name), field="pdf")
    fields = number_fields(reader)
    if set(fields) != {NUMBER_FIELD, DATE_FIELD}:
        raise UserError(_("{path} has no blank number and date fields; render the draft again with this "
                          "program.", path=name), field="pdf")
    if any(str(f.get("/V", "")).strip() for f in fields.values()):
        raise UserError(_("{path} already carries a number: a document is numbered only once.", path=name),
                        field="pdf")


def fill_issue(data: bytes, doc: Document, name: str = "") -> bytes:
    """``data`` (a signed draft) with the number and date of ``doc`` filled in: one incremental update."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    check_issuable(data, name)
    values = issued_values(doc)
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    for field in number_fields(writer).values():
        value, shown = values[str(field["/T"])]
        x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
        quadding = int(field.get("/Q", 0))
        style = "I" if str(field["/T"]) == DATE_FIELD else ""
        field[generic.NameObject("/V")] = generic.TextStringObject(value)
        field[generic.NameObject("/AP")] = generic.DictionaryObject({generic.NameObject("/N"): text_appearance(
            writer, shown, x2 - x1, y2 - y1, style=style, align="center" if quadding == 1 else "left")})
        writer.update_container(field)
    info = writer.trailer["/Info"].get_object()
    info[generic.NameObject("/VbdtDocumentId")] = generic.TextStringObject(doc.document_id)
    info[generic.NameObject("/Subject")] = generic.TextStringObject(f"{doc.number_code} - {doc.type.name}")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    result = out.getvalue()
    _require_form_filling(result, name)
    return result


def _require_form_filling(data: bytes, name: str) -> None:
    """pyHanko's difference analysis of the update against the person's signed revision."""
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel, SuspiciousModification

    reader = open_reader(data, name)
    person = next(s for s in reader.embedded_regular_signatures if s.field_name == PERSON_FIELD)
    result = DEFAULT_DIFF_POLICY.review_file(reader, person.signed_revision)
    if isinstance(result, SuspiciousModification) or result.modification_level > ModificationLevel.FORM_FILLING:
        raise UserError(_("Writing the number into {path} would change more than its form fields; nothing was "
                          "written.", path=name), field="pdf")


def issue_pdf(in_pdf: str | os.PathLike, out_pdf: str | os.PathLike, doc: Document) -> Path:
    """Write ``out_pdf``: ``in_pdf`` (signed by the person) with the number and date ``doc`` holds."""
    name = Path(in_pdf).name
    data = fill_issue(read_pdf(in_pdf), doc, name)
    out = Path(out_pdf)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, out)
    return out

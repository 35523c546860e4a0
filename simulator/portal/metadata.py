"""What the portal shows about a published document, read from what its signatures cover.

People look for số ký hiệu, ngày ban hành, loại văn bản, cơ quan ban hành,
người ký, ngày có hiệu lực, tình trạng hiệu lực, lĩnh vực and trích yếu
(DOMAIN.md §10). Everything here comes from the revision the last signature
covers, never from the latest ``/Info`` dictionary, which anyone can rewrite
without a key (PITFALLS.md):

- number and code, date of issue and issuer code: ``/VbdtDocumentId`` of the
  signed revision (:func:`simulator.signing.signed_identity`, the same the
  Decree-30 checks use);
- the type: the abbreviation in the code (Decree 30, Appendix III:
  ``05/QĐ-UBND`` is a Quyết định); only legal and directive types
  (``DocumentType.legal``) belong on the portal (plan II.5/III.5);
- issuer name and trích yếu: ``/Author`` and ``/Title`` of the signed
  revision, as the renderer writes them;
- the effective date and the field: the signed text itself ("có hiệu lực kể
  từ ngày ký", "... từ ngày 15 tháng 3 năm 2026"; "lĩnh vực đất đai"); a text
  that names no effective date takes effect on the date of issue.

The status in force (còn / chưa có / hết hiệu lực) is not in the document:
the portal derives it from the effective date, and an editor records later
amendments or repeal (:mod:`simulator.portal.store`).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date

from simulator.documents.content import FIELDS
from simulator.documents.types import DocumentType, document_type
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.signing.pdfread import info_value, last_signature, open_reader, signed_identity
from simulator.text import fold, nfc

_ = translator("portal")

_SIGNED_ON = re.compile(r"có hiệu lực(?: thi hành)?(?: kể)? từ ngày ký", re.I)
_EFFECTIVE = re.compile(r"có hiệu lực(?: thi hành)?(?: kể)? từ ngày (\d{1,2})(?: tháng |/)(\d{1,2})(?: năm |/)(\d{4})",
                        re.I)
_FIELD = re.compile(r"lĩnh vực ([^.,;:()]+)", re.I)
UNCLASSIFIED = "khác"


@dataclass(frozen=True, kw_only=True)
class PortalMetadata:
    """The published facts of one document, as its signatures cover them."""

    number_code: str          # số ký hiệu: "05/QĐ-UBND"
    issued: date              # ngày ban hành
    type_key: str             # "quyet_dinh"
    type_name: str            # loại văn bản: "Quyết định"
    issuer_code: str          # mã định danh of the issuer (QCVN 102)
    issuer_name: str          # cơ quan ban hành
    signer: str               # người ký
    effective: date           # ngày có hiệu lực
    field: str                # lĩnh vực ("khác" when the text names none the province uses)
    subject: str              # trích yếu
    document_id: str          # "000.00.00.H41,2026/03/05,05/QĐ-UBND"
    text: str = ""            # the full text as the signed revision shows it, line by line

    @property
    def doc_type(self) -> DocumentType:
        return document_type(self.type_key)

    def as_row(self) -> dict:
        row = asdict(self)
        row["issued"], row["effective"] = self.issued.isoformat(), self.effective.isoformat()
        return row


def type_of_code(number_code: str) -> DocumentType | None:
    """The type an abbreviation in the code names: '05/QĐ-UBND', '08/2018/QĐ-UBND' -> Quyết định; a
    công văn ('12/UBND-VX') has none."""
    notation = number_code.rsplit("/", 1)[-1]
    abbreviation = notation.split("-", 1)[0] if "-" in notation else ""
    try:
        kind = document_type(abbreviation) if abbreviation else None
    except UserError:
        return None
    return kind if kind is not None and kind.abbreviation == abbreviation else None


def signed_text(data: bytes, end: int) -> str:
    """The text of the pages as the signed revision (``data[:end]``) shows them, line by line."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data[:end])
    try:
        parts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()
    lines = (" ".join(line.replace("\ufffe", "").split()) for line in nfc("\n".join(parts)).splitlines())
    return "\n".join(line for line in lines if line)


def effective_date(text: str, issued: date) -> date:
    """The date the text says it takes effect; the date of issue if it says 'from signing' or nothing."""
    if _SIGNED_ON.search(text):
        return issued
    found = _EFFECTIVE.search(text)
    if found:
        day, month, year = (int(v) for v in found.groups())
        try:
            return max(date(year, month, day), issued)
        except ValueError:
            return issued
    return issued


def field_of(text: str) -> str:
    """The province's field the text names ('... lĩnh vực đất đai'), or 'khác'."""
    known = sorted(FIELDS, key=len, reverse=True)
    for found in _FIELD.finditer(text):
        said = fold(found.group(1))
        for name in known:
            if said.startswith(fold(name)):
                return name
    return UNCLASSIFIED


def read_metadata(data: bytes, name: str = "") -> PortalMetadata:
    """The portal's facts about the signed PDF ``data``, or a UserError naming what the portal misses."""
    identity = signed_identity(data, name)
    if not identity.signed:
        raise UserError(_("{path} carries no digital signature: only signed documents are published.", path=name),
                        field="pdf")
    if identity.attachment_of:
        raise UserError(_("{path} is an attachment of {main}: publish the main document.", path=name,
                          main=identity.attachment_of), field="pdf")
    if not identity.number_code or identity.date is None or not identity.issuer_code:
        raise UserError(_("{path} has no signed number, date and issuer (the document identifier): it cannot be "
                          "published.", path=name), field="pdf")
    kind = type_of_code(identity.number_code)
    if kind is None or not kind.legal:
        raise UserError(_("{path} ({code}) is not a legal or directive document: the portal publishes those only.",
                          path=name, code=identity.number_code), field="pdf")
    reader = open_reader(data, name)
    signature = last_signature(reader)
    past = reader.get_historical_resolver(signature.signed_revision)
    subject = nfc(info_value(past, "/Title") or "").strip()
    issuer = nfc(info_value(past, "/Author") or "").strip()
    if not subject or not issuer:
        raise UserError(_("{path} has no signed subject or issuer name: it cannot be published.",
                          path=name), field="pdf")
    if not identity.person_name:
        raise UserError(_("{path} shows no signer's name under the signature: it cannot be published.", path=name),
                        field="pdf")
    _start, _length, start_b, length_b = (int(v) for v in signature.byte_range)
    text = signed_text(data, start_b + length_b)
    flat = " ".join(text.split())
    return PortalMetadata(
        number_code=identity.number_code, issued=identity.date, type_key=kind.key, type_name=kind.name,
        issuer_code=identity.issuer_code, issuer_name=issuer, signer=identity.person_name,
        effective=effective_date(flat, identity.date), field=field_of(flat), subject=subject,
        document_id=identity.document_id or "", text=text)

"""Checks that an envelope's attachments are what its header says they are.

:mod:`simulator.routing.edxml` checks the shape of an envelope; this module
checks its contents against the header (QCVN 102: the attached file is the
document the header describes):

- an attachment has content (an empty ``Value`` carries no document);
- each Manifest ``Reference`` names a content id once;
- an attached PDF that carries a signed identity is the document of the
  header (issuer's identifier code, number and code, date of issue) or one
  of its attachments (bound to that number and code). The identity is read
  from what the PDF's signatures cover (:func:`simulator.signing.pdfread.signed_identity`),
  never from its unsigned latest ``/Info``.

Every function returns ``(path, message)`` pairs; ``edxml`` turns them into
its located validation errors.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import date

from simulator.i18n import translator

_ = translator("routing")

_DOC_ID = re.compile(r"^(?P<org>[^,]*),(?P<date>\d{4}/\d{2}/\d{2}),(?P<code>\d+/\S+)$")
ATTACHMENTS = "/edXMLEnvelope/AttachmentEncoded/Attachment"
MANIFEST = "/edXMLEnvelope/edXMLBody/Manifest/Reference"


def _header(root, q) -> tuple[str, str, date | None]:
    """(issuer code, number and code, date of issue) the header's DocumentId gives."""
    mh = root.find(f"{q('edXMLHeader')}/{q('MessageHeader')}")
    match = _DOC_ID.match((mh.findtext(q("DocumentId")) if mh is not None else "") or "")
    if not match:
        return "", "", None
    try:
        issued = date(*map(int, match["date"].split("/")))
    except ValueError:
        issued = None
    return match["org"], match["code"], issued


def _content(value: str) -> bytes | None:
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        return None  # the shape check already reported it


def _pdf_problems(path: str, content: bytes, header: tuple[str, str, date | None]) -> list[tuple[str, str]]:
    from simulator.errors import UserError
    from simulator.signing.pdfread import signed_identity

    try:
        identity = signed_identity(content, read_name=False)
    except UserError:
        return []  # not a readable PDF: nothing signed to compare
    if not identity.signed or not (identity.document_id or identity.attachment_of):
        return []
    issuer, number, issued = header
    problems = []
    if identity.changed_after_signing:
        problems.append((path, _("the attached PDF's identity ({entries}) was changed after it was signed",
                                 entries=", ".join(identity.changed_after_signing))))
    if identity.attachment_of is not None:
        if identity.attachment_of != number:
            problems.append((path, _("the attached PDF is an attachment of document no. {named}, not of "
                                     "no. {number} the header describes", named=identity.attachment_of,
                                     number=number)))
        return problems
    if identity.issuer_code != issuer:
        problems.append((path, _("the attached PDF was issued by {got}, but the header names {expected}",
                                 got=identity.issuer_code or "?", expected=issuer)))
    if identity.number_code != number:
        problems.append((path, _("the attached PDF is no. {got}, but the header describes no. {expected}",
                                 got=identity.number_code or "?", expected=number)))
    if identity.date != issued:
        problems.append((path, _("the attached PDF is dated {got}, but the header says {expected}",
                                 got=identity.date.isoformat() if identity.date else "?",
                                 expected=issued.isoformat() if issued else "?")))
    return problems


def attachment_problems(root, q) -> list[tuple[str, str]]:
    """Every problem of an envelope's attachments (``q``: the edXML namespace qualifier)."""
    problems: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for i, ref in enumerate(root.iterfind(f"{q('edXMLBody')}/{q('Manifest')}/{q('Reference')}"), 1):
        cid = ref.findtext(q("ContentId")) or ""
        if cid in seen:
            problems.append((f"{MANIFEST}[{i}]/ContentId",
                             _("the content id {cid!r} is already listed in Reference[{first}]",
                               cid=cid, first=seen[cid])))
        else:
            seen[cid] = i
    header = _header(root, q)
    for i, att in enumerate(root.iterfind(f"{q('AttachmentEncoded')}/{q('Attachment')}"), 1):
        path = f"{ATTACHMENTS}[{i}]/Value"
        content = _content(att.findtext(q("Value")) or "")
        if content is None:
            continue
        if not content:
            problems.append((path, _("the attachment is empty")))
        elif b"%PDF-" in content[:1024] and header[1]:
            problems.extend(_pdf_problems(path, content, header))
    return problems

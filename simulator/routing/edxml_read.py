"""Reading edXML (QCVN 102:2016): validated bytes back to an :class:`Envelope` or :class:`StatusPackage`.

Everything read is validated first; invalid bytes raise
:class:`~simulator.routing.edxml_schema.EdxmlError` listing every problem.
Text from outside is NFC-normalised on the way in. :func:`response_for`
and :func:`response_for_id` give the ``ResponseFor`` block that points at
a document (QCVN 102: its issuer, number and code, date and DocumentId).
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from functools import lru_cache

from simulator.i18n import translator
from simulator.routing.edxml_schema import DOC_ID, EdxmlError, Error, document_id_problem, q
from simulator.routing.edxml_validate import is_status_root, load, validate_root
from simulator.routing.envelope import (
    Attachment, Business, Envelope, Organization, ResponseFor, StatusPackage, TraceHeader,
)
from simulator.text import nfc

_ = translator("routing")


@lru_cache(maxsize=256)
def _qpath(path: str) -> str:
    return "/".join(q(p) for p in path.split("/"))


def _t(node, path: str, default: str = "") -> str:
    """Text of a child element, NFC-normalised (text from outside may arrive decomposed)."""
    found = node.find(_qpath(path))
    return default if found is None or found.text is None else nfc(found.text)


def _org_of(node) -> Organization:
    return Organization(
        organ_id=_t(node, "OrganId"), organ_name=_t(node, "OrganName"),
        organization_in_charge=_t(node, "OrganizationInCharge"), organ_add=_t(node, "OrganAdd"),
        email=_t(node, "Email"), telephone=_t(node, "Telephone"), fax=_t(node, "Fax"),
        website=_t(node, "Website"))


def _response_for_of(node) -> ResponseFor:
    return ResponseFor(_t(node, "OrganId"), _t(node, "Code"), date.fromisoformat(_t(node, "PromulgationDate")),
                       _t(node, "DocumentId"))


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _valid_root(data: bytes, *, want_status: bool):
    root, errors = load(data)
    if root is not None:
        if is_status_root(root) != want_status:
            expected = "Status" if want_status else "MessageHeader"
            errors = [Error("/edXMLEnvelope/edXMLHeader", _("expected a {name} here", name=expected))]
        else:
            errors = validate_root(root)
    if errors:
        raise EdxmlError(errors)
    return root


def parse(data: bytes) -> Envelope:
    """The :class:`Envelope` in ``data``; raises :class:`EdxmlError` listing every problem."""
    return _envelope_of(_valid_root(data, want_status=False))


def _envelope_of(root) -> Envelope:
    mh = root.find(f"{q('edXMLHeader')}/{q('MessageHeader')}")
    due = _t(mh, "DueDate")
    other = mh.find(q("OtherInfo"))
    traces = root.find(f"{q('edXMLHeader')}/{q('TraceHeaderList')}")
    business = traces.find(q("Business"))
    contents = {a.findtext(q("ContentId")): a for a in root.iterfind(
        f"{q('AttachmentEncoded')}/{q('Attachment')}")}
    attachments = []
    for ref in root.iterfind(f"{q('edXMLBody')}/{q('Manifest')}/{q('Reference')}"):
        att = contents[_t(ref, "ContentId")]
        attachments.append(Attachment(
            name=_t(ref, "AttachmentName"),
            content=base64.b64decode("".join(_t(att, "Value").split())),
            content_type=_t(ref, "ContentType"),
            description=_t(ref, "Description")))
    return Envelope(
        sender=_org_of(mh.find(q("From"))),
        recipients=tuple(_org_of(n) for n in mh.iterfind(q("To"))),
        document_id=_t(mh, "DocumentId"),
        code_number=_t(mh, "Code/CodeNumber"),
        code_notation=_t(mh, "Code/CodeNotation"),
        place=_t(mh, "PromulgationInfo/Place"),
        promulgation_date=date.fromisoformat(_t(mh, "PromulgationInfo/PromulgationDate")),
        type=int(_t(mh, "DocumentType/Type")),
        type_name=_t(mh, "DocumentType/TypeName"),
        subject=_t(mh, "Subject"),
        content=_t(mh, "Content"),
        signer_full_name=_t(mh, "SignerInfo/FullName"),
        signer_position=_t(mh, "SignerInfo/Position"),
        signer_competence=_t(mh, "SignerInfo/Competence"),
        due_date=date.fromisoformat(due) if due else None,
        to_places=tuple(nfc(p.text or "") for p in mh.iterfind(f"{q('ToPlaces')}/{q('Place')}")),
        priority=int(_t(other, "Priority")),
        sphere_of_promulgation=_t(other, "SphereOfPromulgation"),
        typer_notation=_t(other, "TyperNotation"),
        promulgation_amount=int(_t(other, "PromulgationAmount", "0")),
        page_amount=int(_t(other, "PageAmount", "0")),
        appendixes=tuple(nfc(a.text or "") for a in other.iterfind(f"{q('Appendixes')}/{q('Appendix')}")),
        response_for=tuple(_response_for_of(n) for n in mh.iterfind(q("ResponseFor"))),
        steering_type=int(_t(mh, "SteeringType")),
        traces=tuple(TraceHeader(_t(n, "OrganId"), _time(_t(n, "Timestamp")))
                     for n in traces.iterfind(q("TraceHeader"))),
        business=Business(int(_t(business, "BusinessDocType")), _t(business, "BusinessDocReason"),
                          int(_t(business, "Paper", "0"))) if business is not None else Business(),
        attachments=tuple(attachments),
    )


def parse_status(data: bytes) -> StatusPackage:
    """The :class:`StatusPackage` in ``data``; raises :class:`EdxmlError` if invalid."""
    return _status_of(_valid_root(data, want_status=True))


def _status_of(root) -> StatusPackage:
    node = root.find(f"{q('edXMLHeader')}/{q('Status')}")
    return StatusPackage(
        response_for=_response_for_of(node.find(q("ResponseFor"))),
        sender=_org_of(node.find(q("From"))),
        code=_t(node, "StatusCode"),
        timestamp=_time(_t(node, "Timestamp")),
        description=_t(node, "Description"),
        department=_t(node, "StaffInfo/Department"),
        staff=_t(node, "StaffInfo/Staff"),
        mobile=_t(node, "StaffInfo/Mobile"),
        email=_t(node, "StaffInfo/Email"),
    )


def read(data: bytes) -> Envelope | StatusPackage:
    """An envelope or a status package, whichever ``data`` holds (validated once)."""
    root, errors = load(data)
    if root is not None:
        errors = validate_root(root)
    if errors:
        raise EdxmlError(errors)
    return _status_of(root) if is_status_root(root) else _envelope_of(root)


def is_status(data: bytes) -> bool:
    """True when ``data`` is a well-formed status package (it may still be invalid)."""
    root, errors = load(data)
    return root is not None and is_status_root(root)


def response_for(envelope: Envelope) -> ResponseFor:
    """The ``ResponseFor`` block that points at ``envelope``'s document."""
    return ResponseFor(envelope.sender.organ_id, f"{envelope.code_number}/{envelope.code_notation}",
                       envelope.promulgation_date, envelope.document_id)


def response_for_id(document_id: str) -> ResponseFor:
    """The ``ResponseFor`` block read from a DocumentId alone (issuer, date, number/code)."""
    match = DOC_ID.match(document_id)
    if not match:
        raise EdxmlError([Error("DocumentId", document_id_problem(document_id) or document_id)])
    issued = date(*map(int, match["date"].split("/")))
    return ResponseFor(match["org"], match["code"], issued, document_id)

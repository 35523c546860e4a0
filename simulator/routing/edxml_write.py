"""Writing edXML (QCVN 102:2016): an :class:`Envelope` or a :class:`StatusPackage` to bytes.

Every text is NFC-normalised; the tree is validated before it is
serialised, so :func:`build` and :func:`status_package` never produce an
invalid envelope (they raise :class:`~simulator.routing.edxml_schema.EdxmlError`).
"""

from __future__ import annotations

import base64
from datetime import datetime

from lxml import etree

from simulator.calendar import VN_TZ
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.routing.edxml_schema import NS, PREFIX, EdxmlError, q
from simulator.routing.edxml_validate import validate_root
from simulator.routing.envelope import Envelope, Organization, ResponseFor, StatusPackage
from simulator.text import nfc

_ = translator("routing")


def _el(parent, name: str, text: str | None = None):
    node = etree.SubElement(parent, q(name))
    if text is not None:
        node.text = text
    return node


def _opt(parent, name: str, text: str) -> None:
    if text:
        _el(parent, name, text)


def _org_xml(parent, name: str, org: Organization) -> None:
    node = _el(parent, name)
    _el(node, "OrganId", org.organ_id)
    for tag, value in (("OrganizationInCharge", org.organization_in_charge), ("OrganName", org.organ_name),
                       ("OrganAdd", org.organ_add), ("Email", org.email), ("Telephone", org.telephone),
                       ("Fax", org.fax), ("Website", org.website)):
        _opt(node, tag, nfc(value))


def _response_for_xml(node, rf: ResponseFor) -> None:
    _el(node, "OrganId", rf.organ_id)
    _el(node, "Code", nfc(rf.code))
    _el(node, "PromulgationDate", rf.promulgation_date.isoformat())
    _el(node, "DocumentId", nfc(rf.document_id))


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VN_TZ)
    return moment.isoformat(timespec="seconds")


def _root():
    return etree.Element(q("edXMLEnvelope"), nsmap={PREFIX: NS})


def _serialise(root) -> bytes:
    errors = validate_root(root)
    if errors:
        raise EdxmlError(errors)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _guard(build):
    """lxml refuses text that XML cannot hold (control characters): say so in the user's words."""
    def wrapper(*args, **kwargs):
        try:
            return build(*args, **kwargs)
        except (ValueError, TypeError) as exc:
            if isinstance(exc, UserError):
                raise
            raise UserError(_("A field holds characters XML cannot carry: {reason}", reason=str(exc))) from None
    wrapper.__doc__ = build.__doc__
    wrapper.__name__ = build.__name__
    return wrapper


@_guard
def build(envelope: Envelope) -> bytes:
    """The edXML bytes of ``envelope`` (UTF-8, with declaration); raises :class:`EdxmlError` if invalid."""
    e = envelope
    root = _root()
    header = _el(root, "edXMLHeader")
    mh = _el(header, "MessageHeader")
    _org_xml(mh, "From", e.sender)
    for org in e.recipients:
        _org_xml(mh, "To", org)
    _el(mh, "DocumentId", nfc(e.document_id))
    code = _el(mh, "Code")
    _el(code, "CodeNumber", e.code_number)
    _el(code, "CodeNotation", nfc(e.code_notation))
    info = _el(mh, "PromulgationInfo")
    _el(info, "Place", nfc(e.place))
    _el(info, "PromulgationDate", e.promulgation_date.isoformat())
    dtype = _el(mh, "DocumentType")
    _el(dtype, "Type", str(int(e.type)))
    _el(dtype, "TypeName", nfc(e.type_name))
    _el(mh, "Subject", nfc(e.subject))
    _opt(mh, "Content", nfc(e.content))
    signer = _el(mh, "SignerInfo")
    _opt(signer, "Competence", nfc(e.signer_competence))
    _opt(signer, "Position", nfc(e.signer_position))
    _el(signer, "FullName", nfc(e.signer_full_name))
    if e.due_date is not None:
        _el(mh, "DueDate", e.due_date.isoformat())
    if e.to_places:
        places = _el(mh, "ToPlaces")
        for place in e.to_places:
            _el(places, "Place", nfc(place))
    other = _el(mh, "OtherInfo")
    _el(other, "Priority", str(int(e.priority)))
    _opt(other, "SphereOfPromulgation", nfc(e.sphere_of_promulgation))
    _opt(other, "TyperNotation", nfc(e.typer_notation))
    _el(other, "PromulgationAmount", str(int(e.promulgation_amount)))
    _el(other, "PageAmount", str(int(e.page_amount)))
    if e.appendixes:
        appendixes = _el(other, "Appendixes")
        for item in e.appendixes:
            _el(appendixes, "Appendix", nfc(item))
    for rf in e.response_for:
        _response_for_xml(_el(mh, "ResponseFor"), rf)
    _el(mh, "SteeringType", str(int(e.steering_type)))
    traces = _el(header, "TraceHeaderList")
    for hop in e.traces:
        node = _el(traces, "TraceHeader")
        _el(node, "OrganId", hop.organ_id)
        _el(node, "Timestamp", _stamp(hop.timestamp))
    business = _el(traces, "Business")
    _el(business, "BusinessDocType", str(int(e.business.doc_type)))
    _opt(business, "BusinessDocReason", nfc(e.business.reason))
    _el(business, "Paper", str(int(e.business.paper)))
    body = _el(root, "edXMLBody")
    manifest = _el(body, "Manifest")
    for i, att in enumerate(e.attachments, 1):
        ref = _el(manifest, "Reference")
        _el(ref, "ContentId", f"cid:{i}")
        _el(ref, "ContentType", att.content_type)
        _opt(ref, "Description", nfc(att.description))
        _el(ref, "AttachmentName", nfc(att.name))
    if e.attachments:
        encoded = _el(root, "AttachmentEncoded")
        for i, att in enumerate(e.attachments, 1):
            node = _el(encoded, "Attachment")
            _el(node, "ContentId", f"cid:{i}")
            _el(node, "AttachmentName", nfc(att.name))
            _el(node, "ContentType", att.content_type)
            _el(node, "ContentTransferEncoded", "base64")
            _el(node, "Value", base64.b64encode(att.content).decode("ascii"))
    return _serialise(root)


@_guard
def status_package(status: StatusPackage | None = None, /, **fields) -> bytes:
    """The edXML bytes of a status package; pass a ``StatusPackage`` or its fields."""
    s = status if status is not None else StatusPackage(**fields)
    root = _root()
    header = _el(root, "edXMLHeader")
    node = _el(header, "Status")
    _response_for_xml(_el(node, "ResponseFor"), s.response_for)
    _org_xml(node, "From", s.sender)
    _el(node, "StatusCode", s.code)
    _opt(node, "Description", nfc(s.description))
    _el(node, "Timestamp", _stamp(s.timestamp))
    if any((s.department, s.staff, s.mobile, s.email)):
        staff = _el(node, "StaffInfo")
        for tag, value in (("Department", s.department), ("Staff", s.staff), ("Mobile", s.mobile),
                           ("Email", s.email)):
            _opt(staff, tag, nfc(value))
    return _serialise(root)

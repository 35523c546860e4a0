"""edXML envelopes and status packages (QCVN 102:2016/BTTTT): build, parse, validate.

Namespace ``http://www.e-doc.vn/Schema/``. An ``edXMLEnvelope`` holds an
``edXMLHeader`` (``MessageHeader``, ``TraceHeaderList``, ``Signature``),
an ``edXMLBody`` (a ``Manifest`` of ``Reference``s) and the base64
``AttachmentEncoded``. A status package is an envelope whose header holds
a ``Status`` instead.

Validation walks the tree against the element table below and reports
every problem with the path of the element and what was expected, in the
user's language. ``parse`` validates first and refuses anything invalid;
``build`` refuses to produce an invalid envelope. Dates are ISO
``YYYY-MM-DD``; timestamps ISO 8601 with an offset (Vietnam time,
``2026-03-02T09:15:30+07:00``).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Callable

from lxml import etree

from simulator.calendar import VN_TZ
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.province.codes import validate as validate_code
from simulator.routing.envelope import (
    Attachment, Business, Envelope, Organization, ResponseFor, StatusCode, StatusPackage, TraceHeader,
)
from simulator.text import nfc

_ = translator("routing")

NS = "http://www.e-doc.vn/Schema/"
PREFIX = "edXML"
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024   # per attachment, decoded (a setting of the axis)
MAX_MESSAGE_BYTES = 64 * 1024 * 1024      # a whole message, before parsing
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False)


@dataclass(frozen=True)
class Error:
    """One validation problem: where (an element path) and what was expected."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class EdxmlError(UserError):
    """An invalid envelope; ``errors`` lists every problem found."""

    def __init__(self, errors: list[Error]) -> None:
        first = errors[0]
        text = str(first)
        if len(errors) > 1:
            text += " " + _("(and {n} more problems)", n=len(errors) - 1)
        super().__init__(text, field=first.path)
        self.errors = errors


# -- value checks: each returns None when fine, else what was expected ------------

Check = Callable[[str], "str | None"]
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")
_DOC_ID = re.compile(r"^(?P<org>[^,]*),(?P<date>\d{4}/\d{2}/\d{2}),(?P<code>\d+/\S+)$")
_CODE_NUMBER = re.compile(r"^\d{1,10}$")
_NOTATION = re.compile(r"^[^\s/]+$")


_CODE_SHAPE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[GH][0-9]{2}$")


def _organ_id(text: str) -> str | None:
    if _CODE_SHAPE.match(text):  # fast path for the common, valid case; the rules on levels below
        v, z, y = text[0:3], text[4:6], text[7:9]
        if not ((z != "00" and y == "00") or (v != "000" and z == "00")):
            return None
    try:
        validate_code(text)
    except UserError as exc:
        return str(exc)
    return None


def _text(max_len: int, required: bool = True) -> Check:
    def check(text: str) -> str | None:
        if required and not text.strip():
            return _("must not be empty")
        if len(text) > max_len:
            return _("has {n} characters; at most {max} are allowed", n=len(text), max=max_len)
        return None
    return check


def _date(text: str) -> str | None:
    if not _DATE.match(text):
        return _("expected a date as YYYY-MM-DD, got {value!r}", value=text[:40])
    try:
        date.fromisoformat(text)
    except ValueError:
        return _("{value!r} is not a real calendar date", value=text)
    return None


def _datetime(text: str) -> str | None:
    if not _DATETIME.match(text):
        return _("expected a time as YYYY-MM-DDThh:mm:ss+07:00, got {value!r}", value=text[:40])
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return _("{value!r} is not a real date and time", value=text)
    return None


def _choice(values: tuple[str, ...]) -> Check:
    def check(text: str) -> str | None:
        if text not in values:
            return _("expected one of {values}, got {value!r}", values=", ".join(values), value=text[:40])
        return None
    return check


def _int(low: int, high: int) -> Check:
    def check(text: str) -> str | None:
        if not re.fullmatch(r"\d{1,9}", text) or not low <= int(text) <= high:
            return _("expected a whole number from {low} to {high}, got {value!r}", low=low, high=high,
                     value=text[:40])
        return None
    return check


def _code_number(text: str) -> str | None:
    if not _CODE_NUMBER.match(text):
        return _("expected the document number in Arabic digits, got {value!r}", value=text[:40])
    return None


def _notation(text: str) -> str | None:
    if not text or not _NOTATION.match(text) or len(text) > 100:
        return _("expected a code notation without spaces or '/', such as QĐ-UBND, got {value!r}",
                 value=text[:40])
    return None


def _document_id(text: str) -> str | None:
    match = _DOC_ID.match(text)
    if not match:
        return _("expected a DocumentId shaped 000.00.00.H41,2026/03/02,05/QĐ-UBND, got {value!r}",
                 value=text[:60])
    problem = _organ_id(match["org"])
    if problem:
        return problem
    try:
        date(*map(int, match["date"].split("/")))
    except ValueError:
        return _("{value!r} is not a real calendar date", value=match["date"])
    return None


def _base64(text: str) -> str | None:
    compact = "".join(text.split())
    if len(compact) * 3 // 4 > MAX_ATTACHMENT_BYTES + 3:
        return _("the attachment is larger than {mb} MB", mb=MAX_ATTACHMENT_BYTES // (1024 * 1024))
    try:
        base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return _("expected base64-encoded content")
    return None


def _any(_text: str) -> str | None:
    return None


# -- the element table ----------------------------------------------------------

@dataclass(frozen=True)
class El:
    name: str
    min: int = 1
    max: int | None = 1          # None: unbounded
    check: Check | None = None   # a leaf holding text
    children: tuple["El", ...] = ()
    free: bool = False           # any content (Signature)

    def __post_init__(self) -> None:
        # name -> (position, spec) of the children, looked up once per element checked
        object.__setattr__(self, "index", {c.name: (i, c) for i, c in enumerate(self.children)})


def _org(name: str, max_: int | None = 1) -> El:
    return El(name, 1, max_, children=(
        El("OrganId", check=_organ_id),
        El("OrganizationInCharge", 0, check=_text(500, False)),
        El("OrganName", 0, check=_text(500, False)),
        El("OrganAdd", 0, check=_text(500, False)),
        El("Email", 0, check=_text(200, False)),
        El("Telephone", 0, check=_text(50, False)),
        El("Fax", 0, check=_text(50, False)),
        El("Website", 0, check=_text(200, False)),
    ))


_RESPONSE_FOR = (
    El("OrganId", check=_organ_id),
    El("Code", check=_text(200)),
    El("PromulgationDate", check=_date),
    El("DocumentId", check=_document_id),
)

MESSAGE_HEADER = El("MessageHeader", children=(
    _org("From"),
    _org("To", None),
    El("DocumentId", check=_document_id),
    El("Code", children=(El("CodeNumber", check=_code_number), El("CodeNotation", check=_notation))),
    El("PromulgationInfo", children=(El("Place", check=_text(200)), El("PromulgationDate", check=_date))),
    El("DocumentType", children=(El("Type", check=_choice(("1", "2"))), El("TypeName", check=_text(100)))),
    El("Subject", check=_text(500)),
    El("Content", 0, check=_text(100_000, False)),
    El("SignerInfo", children=(El("Competence", 0, check=_text(200, False)),
                               El("Position", 0, check=_text(200, False)),
                               El("FullName", check=_text(200)))),
    El("DueDate", 0, check=_date),
    El("ToPlaces", 0, children=(El("Place", 1, None, check=_text(500)),)),
    El("OtherInfo", children=(
        El("Priority", check=_choice(("0", "1", "2", "3", "4"))),
        El("SphereOfPromulgation", 0, check=_text(500, False)),
        El("TyperNotation", 0, check=_text(50, False)),
        El("PromulgationAmount", 0, check=_int(0, 100_000)),
        El("PageAmount", 0, check=_int(0, 100_000)),
        El("Appendixes", 0, children=(El("Appendix", 1, None, check=_text(500)),)),
    )),
    El("ResponseFor", 0, None, children=_RESPONSE_FOR),
    El("SteeringType", check=_choice(("1", "2", "3"))),
))

TRACE_LIST = El("TraceHeaderList", children=(
    El("TraceHeader", 0, None, children=(El("OrganId", check=_organ_id), El("Timestamp", check=_datetime))),
    El("Business", 0, children=(
        El("BusinessDocType", check=_choice(("0", "1", "2", "3"))),
        El("BusinessDocReason", 0, check=_text(1000, False)),
        El("Paper", 0, check=_choice(("0", "1"))),
    )),
))

ENVELOPE = El("edXMLEnvelope", children=(
    El("edXMLHeader", children=(MESSAGE_HEADER, TRACE_LIST, El("Signature", 0, free=True))),
    El("edXMLBody", children=(
        El("Manifest", children=(El("Reference", 0, None, children=(
            El("ContentId", check=_text(200)),
            El("ContentType", check=_text(200)),
            El("Description", 0, check=_text(1000, False)),
            El("AttachmentName", check=_text(255)),
        )),)),
    )),
    El("AttachmentEncoded", 0, children=(El("Attachment", 0, None, children=(
        El("ContentId", check=_text(200)),
        El("AttachmentName", check=_text(255)),
        El("ContentType", check=_text(200)),
        El("ContentTransferEncoded", check=_choice(("base64",))),
        El("Value", check=_base64),
    )),)),
))

STATUS = El("edXMLEnvelope", children=(
    El("edXMLHeader", children=(
        El("Status", children=(
            El("ResponseFor", children=_RESPONSE_FOR),
            _org("From"),
            El("StatusCode", check=_choice(StatusCode.ALL)),
            El("Description", 0, check=_text(2000, False)),
            El("Timestamp", check=_datetime),
            El("StaffInfo", 0, children=(El("Department", 0, check=_text(200, False)),
                                         El("Staff", 0, check=_text(200, False)),
                                         El("Mobile", 0, check=_text(50, False)),
                                         El("Email", 0, check=_text(200, False)))),
        )),
        El("Signature", 0, free=True),
    )),
))


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


_NS_PREFIX = "{" + NS + "}"


def _check_children(elem, spec: El, path: str, errors: list[Error]) -> None:
    index = spec.index
    counts: dict[str, int] = {}
    last, last_name = -1, ""
    if elem.text and elem.text.strip():
        errors.append(Error(path, _("must hold elements, not text")))
    for kid in elem:
        tag = kid.tag
        if not isinstance(tag, str):  # comments, processing instructions
            continue
        if kid.tail and kid.tail.strip():
            errors.append(Error(path, _("must hold elements, not text")))
        if not tag.startswith(_NS_PREFIX):
            name = etree.QName(kid).localname
            errors.append(Error(f"{path}/{name}", _("the element is not in the edXML namespace {ns}", ns=NS)))
            continue
        name = tag[len(_NS_PREFIX):]
        found = index.get(name)
        if found is None:
            expected = ", ".join(index) or "-"
            errors.append(Error(f"{path}/{name}", _("unexpected element; expected one of: {names}", names=expected)))
            continue
        position, child = found
        k = counts[name] = counts.get(name, 0) + 1
        kid_path = f"{path}/{name}" if child.max == 1 else f"{path}/{name}[{k}]"
        if position < last:
            errors.append(Error(kid_path, _("out of order: {name} must come before {previous}",
                                            name=name, previous=last_name)))
        elif position > last:
            last, last_name = position, name
        if child.max is not None and k > child.max:
            errors.append(Error(kid_path, _("{name} may appear at most {max} time(s)", name=name, max=child.max)))
            continue
        _check_element(kid, child, kid_path, errors)
    for child in spec.children:
        if child.min and counts.get(child.name, 0) < child.min:
            errors.append(Error(f"{path}/{child.name}", _("the required element is missing")))


def _check_element(elem, spec: El, path: str, errors: list[Error]) -> None:
    if spec.free:
        return
    if spec.children:
        _check_children(elem, spec, path, errors)
        return
    if len(elem):
        errors.append(Error(path, _("must hold text, not elements")))
        return
    problem = spec.check(elem.text or "") if spec.check else None
    if problem:
        errors.append(Error(path, problem))


def _load(data: bytes) -> tuple[etree._Element | None, list[Error]]:
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, (bytes, bytearray)):
        return None, [Error("/", _("expected the bytes of an XML file"))]
    if len(data) > MAX_MESSAGE_BYTES:
        return None, [Error("/", _("the message is larger than {mb} MB", mb=MAX_MESSAGE_BYTES // (1024 * 1024)))]
    try:
        root = etree.fromstring(bytes(data), _PARSER)
    except etree.XMLSyntaxError as exc:
        line, column = (exc.position if exc.position else (0, 0))
        return None, [Error("/", _("not well-formed XML at line {line}, column {column}: {reason}",
                                   line=line, column=column, reason=exc.msg))]
    except ValueError as exc:  # e.g. an encoding declaration lxml refuses
        return None, [Error("/", _("not readable XML: {reason}", reason=str(exc)))]
    if root.getroottree().docinfo.doctype:
        return None, [Error("/", _("a DOCTYPE declaration is not allowed in edXML"))]
    qname = etree.QName(root)
    if qname.namespace != NS or qname.localname != "edXMLEnvelope":
        return None, [Error(f"/{qname.localname}",
                            _("expected the root element edXMLEnvelope in the namespace {ns}", ns=NS))]
    return root, []


def _is_status(root) -> bool:
    header = root.find(_q("edXMLHeader"))
    return header is not None and header.find(_q("Status")) is not None


def _cross_checks(root, errors: list[Error]) -> None:
    """Agreement between parts: DocumentId and Code, Manifest and attachments, the attached documents."""
    header = root.find(f"{_q('edXMLHeader')}/{_q('MessageHeader')}")
    doc_id = header.findtext(_q("DocumentId"))
    match = _DOC_ID.match(doc_id or "")
    if match:
        number = header.findtext(f"{_q('Code')}/{_q('CodeNumber')}") or ""
        notation = header.findtext(f"{_q('Code')}/{_q('CodeNotation')}") or ""
        issued = header.findtext(f"{_q('PromulgationInfo')}/{_q('PromulgationDate')}") or ""
        path = "/edXMLEnvelope/edXMLHeader/MessageHeader/DocumentId"
        if match["code"] != f"{number}/{notation}":
            errors.append(Error(path, _("the number and code {got!r} differ from Code {expected!r}",
                                        got=match["code"], expected=f"{number}/{notation}")))
        if match["date"] != issued.replace("-", "/"):
            errors.append(Error(path, _("the date {got!r} differs from PromulgationDate {expected!r}",
                                        got=match["date"], expected=issued)))
    references = [r.findtext(_q("ContentId")) for r in root.iterfind(
        f"{_q('edXMLBody')}/{_q('Manifest')}/{_q('Reference')}")]
    attached = [a.findtext(_q("ContentId")) for a in root.iterfind(
        f"{_q('AttachmentEncoded')}/{_q('Attachment')}")]
    for i, cid in enumerate(references, 1):
        if cid not in attached:
            errors.append(Error(f"/edXMLEnvelope/edXMLBody/Manifest/Reference[{i}]/ContentId",
                                _("no attachment carries the content id {cid!r}", cid=cid)))
    for i, cid in enumerate(attached, 1):
        if cid not in references:
            errors.append(Error(f"/edXMLEnvelope/AttachmentEncoded/Attachment[{i}]/ContentId",
                                _("the attachment {cid!r} is not listed in the Manifest", cid=cid)))
    if len(set(attached)) != len(attached):
        errors.append(Error("/edXMLEnvelope/AttachmentEncoded", _("two attachments share one content id")))
    from simulator.routing.attachments_check import attachment_problems

    errors.extend(Error(path, message) for path, message in attachment_problems(root, _q))


def _validate_root(root) -> list[Error]:
    errors: list[Error] = []
    status = _is_status(root)
    _check_children(root, STATUS if status else ENVELOPE, "/edXMLEnvelope", errors)
    if not errors and not status:
        _cross_checks(root, errors)
    return errors


def validate(data: bytes) -> list[Error]:
    """Every problem in an envelope or status package; an empty list when it is valid."""
    root, errors = _load(data)
    if root is None:
        return errors
    return _validate_root(root)


# -- building ---------------------------------------------------------------------

def _el(parent, name: str, text: str | None = None):
    node = etree.SubElement(parent, _q(name))
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
    return etree.Element(_q("edXMLEnvelope"), nsmap={PREFIX: NS})


def _serialise(root) -> bytes:
    errors = _validate_root(root)
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


# -- parsing ----------------------------------------------------------------------

@lru_cache(maxsize=256)
def _qpath(path: str) -> str:
    return "/".join(_q(p) for p in path.split("/"))


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
    root, errors = _load(data)
    if root is not None:
        if _is_status(root) != want_status:
            expected = "Status" if want_status else "MessageHeader"
            errors = [Error("/edXMLEnvelope/edXMLHeader", _("expected a {name} here", name=expected))]
        else:
            errors = _validate_root(root)
    if errors:
        raise EdxmlError(errors)
    return root


def parse(data: bytes) -> Envelope:
    """The :class:`Envelope` in ``data``; raises :class:`EdxmlError` listing every problem."""
    return _envelope_of(_valid_root(data, want_status=False))


def _envelope_of(root) -> Envelope:
    mh = root.find(f"{_q('edXMLHeader')}/{_q('MessageHeader')}")
    due = _t(mh, "DueDate")
    other = mh.find(_q("OtherInfo"))
    traces = root.find(f"{_q('edXMLHeader')}/{_q('TraceHeaderList')}")
    business = traces.find(_q("Business"))
    contents = {a.findtext(_q("ContentId")): a for a in root.iterfind(
        f"{_q('AttachmentEncoded')}/{_q('Attachment')}")}
    attachments = []
    for ref in root.iterfind(f"{_q('edXMLBody')}/{_q('Manifest')}/{_q('Reference')}"):
        att = contents[_t(ref, "ContentId")]
        attachments.append(Attachment(
            name=_t(ref, "AttachmentName"),
            content=base64.b64decode("".join(_t(att, "Value").split())),
            content_type=_t(ref, "ContentType"),
            description=_t(ref, "Description")))
    return Envelope(
        sender=_org_of(mh.find(_q("From"))),
        recipients=tuple(_org_of(n) for n in mh.iterfind(_q("To"))),
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
        to_places=tuple(nfc(p.text or "") for p in mh.iterfind(f"{_q('ToPlaces')}/{_q('Place')}")),
        priority=int(_t(other, "Priority")),
        sphere_of_promulgation=_t(other, "SphereOfPromulgation"),
        typer_notation=_t(other, "TyperNotation"),
        promulgation_amount=int(_t(other, "PromulgationAmount", "0")),
        page_amount=int(_t(other, "PageAmount", "0")),
        appendixes=tuple(nfc(a.text or "") for a in other.iterfind(f"{_q('Appendixes')}/{_q('Appendix')}")),
        response_for=tuple(_response_for_of(n) for n in mh.iterfind(_q("ResponseFor"))),
        steering_type=int(_t(mh, "SteeringType")),
        traces=tuple(TraceHeader(_t(n, "OrganId"), _time(_t(n, "Timestamp")))
                     for n in traces.iterfind(_q("TraceHeader"))),
        business=Business(int(_t(business, "BusinessDocType")), _t(business, "BusinessDocReason"),
                          int(_t(business, "Paper", "0"))) if business is not None else Business(),
        attachments=tuple(attachments),
    )


def parse_status(data: bytes) -> StatusPackage:
    """The :class:`StatusPackage` in ``data``; raises :class:`EdxmlError` if invalid."""
    return _status_of(_valid_root(data, want_status=True))


def _status_of(root) -> StatusPackage:
    node = root.find(f"{_q('edXMLHeader')}/{_q('Status')}")
    return StatusPackage(
        response_for=_response_for_of(node.find(_q("ResponseFor"))),
        sender=_org_of(node.find(_q("From"))),
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
    root, errors = _load(data)
    if root is not None:
        errors = _validate_root(root)
    if errors:
        raise EdxmlError(errors)
    return _status_of(root) if _is_status(root) else _envelope_of(root)


def is_status(data: bytes) -> bool:
    """True when ``data`` is a well-formed status package (it may still be invalid)."""
    root, errors = _load(data)
    return root is not None and _is_status(root)


def add_trace(data: bytes, organ_id: str, timestamp: datetime) -> bytes:
    """The same envelope with one more ``TraceHeader`` (one hop)."""
    return build(parse(data).with_trace(organ_id, timestamp))


def response_for(envelope: Envelope) -> ResponseFor:
    """The ``ResponseFor`` block that points at ``envelope``'s document."""
    return ResponseFor(envelope.sender.organ_id, f"{envelope.code_number}/{envelope.code_notation}",
                       envelope.promulgation_date, envelope.document_id)


def response_for_id(document_id: str) -> ResponseFor:
    """The ``ResponseFor`` block read from a DocumentId alone (issuer, date, number/code)."""
    match = _DOC_ID.match(document_id)
    if not match:
        raise EdxmlError([Error("DocumentId", _document_id(document_id) or document_id)])
    issued = date(*map(int, match["date"].split("/")))
    return ResponseFor(match["org"], match["code"], issued, document_id)

"""The edXML vocabulary of QCVN 102:2016/BTTTT: namespace, limits, value checks and the element table.

Namespace ``http://www.e-doc.vn/Schema/``. An ``edXMLEnvelope`` holds an
``edXMLHeader`` (``MessageHeader``, ``TraceHeaderList``, ``Signature``),
an ``edXMLBody`` (a ``Manifest`` of ``Reference``s) and the base64
``AttachmentEncoded``. A status package is an envelope whose header holds
a ``Status`` instead (DOMAIN.md §5).

Each element of the table (:class:`El`) says how often it may appear, in
which order, and, for a leaf, which value check its text must pass. A check
returns ``None`` when the text is fine, else what was expected, in the
user's language. Dates are ISO ``YYYY-MM-DD``; timestamps ISO 8601 with an
offset (Vietnam time, ``2026-03-02T09:15:30+07:00``). The walk over a tree
is :mod:`simulator.routing.edxml_validate`.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from simulator.errors import UserError
from simulator.i18n import translator
from simulator.province.codes import validate as validate_code
from simulator.routing.envelope import StatusCode

_ = translator("routing")

NS = "http://www.e-doc.vn/Schema/"
PREFIX = "edXML"
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024   # per attachment, decoded (a setting of the axis)
MAX_MESSAGE_BYTES = 64 * 1024 * 1024      # a whole message, before parsing


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
DOC_ID = re.compile(r"^(?P<org>[^,]*),(?P<date>\d{4}/\d{2}/\d{2}),(?P<code>\d+/\S+)$")
_CODE_NUMBER = re.compile(r"^\d{1,10}$")
_NOTATION = re.compile(r"^(\d{4}/)?[^\s/]+$")   # a legal normative document's year comes first: 2026/QĐ-UBND


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
        return _("expected a code notation without spaces or '/', such as QĐ-UBND (a legal normative "
                 "document's year first: 2026/QĐ-UBND), got {value!r}",
                 value=text[:40])
    return None


def document_id_problem(text: str) -> str | None:
    match = DOC_ID.match(text)
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
    El("DocumentId", check=document_id_problem),
)

MESSAGE_HEADER = El("MessageHeader", children=(
    _org("From"),
    _org("To", None),
    El("DocumentId", check=document_id_problem),
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


def q(name: str) -> str:
    return f"{{{NS}}}{name}"


NS_PREFIX = "{" + NS + "}"

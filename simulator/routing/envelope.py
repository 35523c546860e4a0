"""What an edXML envelope carries (QCVN 102:2016), as plain frozen records.

``Envelope`` mirrors the ``MessageHeader`` of an ``edXMLEnvelope`` field by
field, plus the trace list, the business block and the attachments, so that
``edxml.parse(edxml.build(e)) == e``. ``envelope_from_document`` fills it
from a :class:`simulator.documents.model.Document`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import IntEnum
from typing import TYPE_CHECKING

from simulator.calendar import VN_TZ
from simulator.text import nfc

if TYPE_CHECKING:  # the documents package is heavy to import (PDF rendering); routing needs only its data
    from simulator.documents.model import Document


class BusinessDocType(IntEnum):
    """TraceHeaderList/Business/BusinessDocType."""

    NEW = 0
    RECALL = 1
    UPDATE = 2
    REPLACE = 3


class SteeringType(IntEnum):
    NOT_DIRECTIVE = 1
    DIRECTIVE = 2
    REPORT_ON_DIRECTIVE = 3


class StatusCode:
    """Status package codes (QCVN 102:2016)."""

    ARRIVED = "01"
    REFUSED = "02"
    ACCEPTED = "03"
    WAITING_ASSIGNMENT = "04"
    IN_HANDLING = "05"
    DONE = "06"
    RECALL_REQUESTED = "13"
    RECALL_AGREED = "15"
    RECALL_REFUSED = "16"

    ALL = ("01", "02", "03", "04", "05", "06", "13", "15", "16")


# DocumentType/Type: 1 a legal normative or directive document, 2 an administrative one.
TYPE_LEGAL = 1
TYPE_ADMINISTRATIVE = 2


@dataclass(frozen=True)
class Organization:
    """``From`` / ``To``: an organisation in the identifier registry."""

    organ_id: str
    organ_name: str = ""
    organization_in_charge: str = ""
    organ_add: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass(frozen=True)
class TraceHeader:
    """One hop: who handled the envelope and when."""

    organ_id: str
    timestamp: datetime


@dataclass(frozen=True)
class Business:
    doc_type: int = BusinessDocType.NEW
    reason: str = ""
    paper: int = 0  # 1 when a paper copy also travels


@dataclass(frozen=True)
class ResponseFor:
    """The document this one answers (or the one a status package is about)."""

    organ_id: str
    code: str
    promulgation_date: date
    document_id: str


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    content_type: str = "application/pdf"
    description: str = ""


@dataclass(frozen=True)
class Envelope:
    sender: Organization
    recipients: tuple[Organization, ...]
    document_id: str
    code_number: str
    code_notation: str
    place: str
    promulgation_date: date
    type: int
    type_name: str
    subject: str
    signer_full_name: str
    signer_position: str = ""
    signer_competence: str = ""
    content: str = ""
    due_date: date | None = None
    to_places: tuple[str, ...] = ()
    priority: int = 0
    sphere_of_promulgation: str = ""
    typer_notation: str = ""
    promulgation_amount: int = 0
    page_amount: int = 0
    appendixes: tuple[str, ...] = ()
    response_for: tuple[ResponseFor, ...] = ()
    steering_type: int = SteeringType.NOT_DIRECTIVE
    traces: tuple[TraceHeader, ...] = ()
    business: Business = field(default_factory=Business)
    attachments: tuple[Attachment, ...] = ()

    @property
    def recipient_ids(self) -> tuple[str, ...]:
        return tuple(r.organ_id for r in self.recipients)

    def with_trace(self, organ_id: str, timestamp: datetime) -> "Envelope":
        """The envelope after one more hop."""
        return replace(self, traces=self.traces + (TraceHeader(organ_id, timestamp),))


@dataclass(frozen=True)
class StatusPackage:
    """A status report about a document (``Status``)."""

    response_for: ResponseFor
    sender: Organization
    code: str
    timestamp: datetime
    description: str = ""
    department: str = ""
    staff: str = ""
    mobile: str = ""
    email: str = ""


def organization_of(unit, province=None) -> Organization:
    """An ``Organization`` from a province ``Unit`` (or anything with ``code`` and ``name``); with the
    ``province``, every field its register knows (:mod:`simulator.routing.organizations`)."""
    from simulator.routing.organizations import registry_organization

    return registry_organization(unit, province)


# The renderer's layout marker: a paragraph starting with "#" is a centred bold heading
# (simulator.documents.render._body); the envelope's Content carries the words only.
HEADING_MARK = "#"


def plain_content(body) -> str:
    """``MessageHeader/Content``: the body's paragraphs, one a line, without layout markers."""
    lines = (" ".join(nfc(p).removeprefix(HEADING_MARK).split()) for p in body)
    return "\n".join(line for line in lines if line)


def page_count(data: bytes) -> int:
    """The number of pages of a PDF (``OtherInfo/PageAmount``); 0 when ``data`` is not a readable PDF."""
    import io

    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages)
    except (pikepdf.PdfError, ValueError, OSError):
        return 0


def response_for_document(doc: "Document") -> ResponseFor:
    """The ``ResponseFor`` block that points at a numbered document (QCVN 102: its issuer's OrganId,
    number and code, date of issue and DocumentId ``issuer,YYYY/MM/DD,number/code``)."""
    return ResponseFor(doc.issuer_code, doc.number_code, doc.issued_date, doc.document_id)


def _answered(response_for, province=None) -> tuple[tuple[ResponseFor, ...], int | None]:
    """The ``ResponseFor`` blocks of what a reply answers, and the answered document's SteeringType
    when known. Each item: an ``Envelope`` (received), a ``Document``, a ``ResponseFor`` or a DocumentId."""
    if response_for is None:
        return (), None
    items = list(response_for) if isinstance(response_for, (list, tuple)) else [response_for]
    blocks, steering = [], None
    for item in items:
        if isinstance(item, Envelope):
            blocks.append(ResponseFor(item.sender.organ_id, f"{item.code_number}/{item.code_notation}",
                                      item.promulgation_date, item.document_id))
            steering = item.steering_type if steering is None else max(steering, item.steering_type)
        elif isinstance(item, ResponseFor):
            blocks.append(item)
        elif isinstance(item, str):
            from simulator.routing.edxml_read import response_for_id

            blocks.append(response_for_id(item))
        else:  # a Document
            from simulator.routing.steering import document_steering

            blocks.append(response_for_document(item))
            own = document_steering(item, province)
            steering = own if steering is None else max(steering, own)
    return tuple(blocks), steering


def envelope_from_document(doc: "Document", *, recipients=None, attachments=(), sent_at: datetime | None = None,
                           content: str = "", page_amount: int | None = None, business: Business | None = None,
                           province=None, response_for=None) -> Envelope:
    """Fill an envelope from a numbered document.

    ``recipients`` are ``Organization``s (or units); by default the
    document's recipients that carry an identifier code. ``attachments``
    are ``Attachment``s, the signed PDF first; ``PageAmount`` is its page
    count unless ``page_amount`` is given. ``sent_at`` adds the sender's
    own trace header (the first hop). ``province``: ``From`` and ``To``
    carry what its register knows (organisation in charge, address,
    e-mail, website) and the direction of the document is read from it.
    ``response_for``: what a reply answers (the received ``Envelope``, the
    ``Document``, a ``ResponseFor`` or a DocumentId, or a list of them):
    ``ResponseFor`` points at it and ``SteeringType`` is 3 or 1, never 2
    (:mod:`simulator.routing.steering`).
    """
    from simulator.routing.steering import document_steering

    def org(unit_or_org, name: str = "") -> Organization:
        if isinstance(unit_or_org, Organization):
            return unit_or_org
        if isinstance(unit_or_org, str):  # an identifier code
            unit = province.get(unit_or_org) if province is not None else None
            return organization_of(unit, province) if unit is not None else Organization(unit_or_org, nfc(name))
        return organization_of(unit_or_org, province)

    if recipients is None:
        recipients = [(r.code, r.name) for r in doc.recipients if r.code]
    orgs = tuple(org(*r) if isinstance(r, tuple) else org(r) for r in recipients)
    sender = org(doc.issuer_code, doc.issuer_name)
    if not sender.organization_in_charge and doc.parent_name:  # the cơ quan chủ quản the document prints
        sender = replace(sender, organization_in_charge=doc.parent_name)
    if sender.organ_name != nfc(doc.issuer_name):
        sender = replace(sender, organ_name=nfc(doc.issuer_name))  # as issued, whatever the register says now
    answered, answered_steering = _answered(response_for, province)
    if page_amount is None:
        pdfs = [a for a in attachments if a.content_type == "application/pdf"]
        page_amount = page_count(pdfs[0].content) if pdfs else 0
    signer = doc.signer
    kind = doc.type
    notation = doc.code_notation
    env = Envelope(
        sender=sender,
        recipients=orgs,
        document_id=f"{doc.issuer_code},{doc.issued_date:%Y/%m/%d},{doc.number_text}/{notation}",
        code_number=doc.number_text,
        code_notation=notation,
        place=doc.place,
        promulgation_date=doc.issued_date,
        type=TYPE_LEGAL if kind.legal else TYPE_ADMINISTRATIVE,
        type_name=kind.name,
        subject=doc.subject,
        content=content or plain_content(doc.body),
        signer_full_name=signer.full_name,
        signer_position=signer.position,
        signer_competence=signer.competence,
        due_date=doc.due_date,
        to_places=tuple(nfc(r.name) for r in doc.recipients),
        priority=int(doc.priority),
        typer_notation=doc.drafter_initials,
        promulgation_amount=doc.copies,
        page_amount=page_amount,
        appendixes=tuple(doc.attachments),
        response_for=answered,
        steering_type=document_steering(doc, province, answers=answered_steering, is_reply=bool(answered)),
        business=business or Business(),
        attachments=tuple(attachments),
    )
    if sent_at is not None:
        env = env.with_trace(doc.issuer_code, sent_at)
    return env


def now_vn() -> datetime:
    """The current time in Vietnam, to the second (edXML timestamps carry seconds)."""
    return datetime.now(VN_TZ).replace(microsecond=0)


def envelope_to_dict(env: Envelope, *, with_content: bool = True) -> dict:
    """A JSON-ready view of ``env``; attachments as base64 (or only name and size)."""
    import base64
    import hashlib

    out = {
        "sender": _org_dict(env.sender),
        "recipients": [_org_dict(r) for r in env.recipients],
    }
    for name in Envelope.__dataclass_fields__:
        if name in ("sender", "recipients", "attachments", "traces", "business", "response_for"):
            continue
        value = getattr(env, name)
        out[name] = value.isoformat() if isinstance(value, date) else (list(value) if isinstance(value, tuple)
                                                                       else value)
    out["response_for"] = [{"organ_id": r.organ_id, "code": r.code,
                            "promulgation_date": r.promulgation_date.isoformat(), "document_id": r.document_id}
                           for r in env.response_for]
    out["traces"] = [{"organ_id": t.organ_id, "timestamp": t.timestamp.isoformat()} for t in env.traces]
    out["business"] = {"doc_type": int(env.business.doc_type), "reason": env.business.reason,
                       "paper": env.business.paper}
    out["attachments"] = []
    for att in env.attachments:
        item = {"name": att.name, "content_type": att.content_type, "description": att.description,
                "size": len(att.content), "sha256": hashlib.sha256(att.content).hexdigest()}
        if with_content:
            item["content"] = base64.b64encode(att.content).decode("ascii")
        out["attachments"].append(item)
    return out


def _org_dict(org: Organization) -> dict:
    return {name: getattr(org, name) for name in Organization.__dataclass_fields__}


def envelope_from_dict(data: dict) -> Envelope:
    """The inverse of :func:`envelope_to_dict` (attachments need their ``content``)."""
    import base64

    from simulator.errors import UserError

    def day(value):
        return date.fromisoformat(value) if value else None

    try:
        fields = {k: v for k, v in data.items() if k in Envelope.__dataclass_fields__}
        fields["sender"] = Organization(**data["sender"])
        fields["recipients"] = tuple(Organization(**r) for r in data.get("recipients", ()))
        fields["promulgation_date"] = day(data["promulgation_date"])
        fields["due_date"] = day(data.get("due_date"))
        for name in ("to_places", "appendixes"):
            fields[name] = tuple(data.get(name, ()))
        fields["response_for"] = tuple(ResponseFor(r["organ_id"], r["code"], day(r["promulgation_date"]),
                                                   r["document_id"]) for r in data.get("response_for", ()))
        fields["traces"] = tuple(TraceHeader(t["organ_id"], datetime.fromisoformat(t["timestamp"]))
                                 for t in data.get("traces", ()))
        fields["business"] = Business(**data.get("business", {}))
        fields["attachments"] = tuple(Attachment(a["name"], base64.b64decode(a["content"]),
                                                 a.get("content_type", "application/pdf"), a.get("description", ""))
                                      for a in data.get("attachments", ()))
        return Envelope(**fields)
    except (KeyError, TypeError, ValueError) as exc:
        from simulator.i18n import translator

        raise UserError(translator("routing")("The envelope description is incomplete or wrong: {reason}",
                                              reason=str(exc))) from None

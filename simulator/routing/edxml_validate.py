"""Validation of edXML bytes against the element table (QCVN 102:2016), every problem located.

:func:`validate` loads the bytes safely (no entities, no network, no
DOCTYPE, a size limit), walks the tree against
:mod:`simulator.routing.edxml_schema` and then checks that the parts agree
(DocumentId and Code, Manifest and attachments, the attached documents).
Each problem is an :class:`~simulator.routing.edxml_schema.Error` with the
path of the element and what was expected, in the user's language.
"""

from __future__ import annotations

from lxml import etree

from simulator.i18n import translator
from simulator.routing.edxml_schema import (
    DOC_ID, ENVELOPE, MAX_MESSAGE_BYTES, NS, NS_PREFIX, STATUS, El, Error, q,
)

_ = translator("routing")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False)


def check_children(elem, spec: El, path: str, errors: list[Error]) -> None:
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
        if not tag.startswith(NS_PREFIX):
            name = etree.QName(kid).localname
            errors.append(Error(f"{path}/{name}", _("the element is not in the edXML namespace {ns}", ns=NS)))
            continue
        name = tag[len(NS_PREFIX):]
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
        check_children(elem, spec, path, errors)
        return
    if len(elem):
        errors.append(Error(path, _("must hold text, not elements")))
        return
    problem = spec.check(elem.text or "") if spec.check else None
    if problem:
        errors.append(Error(path, problem))


def load(data: bytes) -> tuple[etree._Element | None, list[Error]]:
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


def is_status_root(root) -> bool:
    header = root.find(q("edXMLHeader"))
    return header is not None and header.find(q("Status")) is not None


def _cross_checks(root, errors: list[Error]) -> None:
    """Agreement between parts: DocumentId and Code, Manifest and attachments, the attached documents."""
    header = root.find(f"{q('edXMLHeader')}/{q('MessageHeader')}")
    doc_id = header.findtext(q("DocumentId"))
    match = DOC_ID.match(doc_id or "")
    if match:
        number = header.findtext(f"{q('Code')}/{q('CodeNumber')}") or ""
        notation = header.findtext(f"{q('Code')}/{q('CodeNotation')}") or ""
        issued = header.findtext(f"{q('PromulgationInfo')}/{q('PromulgationDate')}") or ""
        path = "/edXMLEnvelope/edXMLHeader/MessageHeader/DocumentId"
        if match["code"] != f"{number}/{notation}":
            errors.append(Error(path, _("the number and code {got!r} differ from Code {expected!r}",
                                        got=match["code"], expected=f"{number}/{notation}")))
        if match["date"] != issued.replace("-", "/"):
            errors.append(Error(path, _("the date {got!r} differs from PromulgationDate {expected!r}",
                                        got=match["date"], expected=issued)))
    references = [r.findtext(q("ContentId")) for r in root.iterfind(
        f"{q('edXMLBody')}/{q('Manifest')}/{q('Reference')}")]
    attached = [a.findtext(q("ContentId")) for a in root.iterfind(
        f"{q('AttachmentEncoded')}/{q('Attachment')}")]
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

    errors.extend(Error(path, message) for path, message in attachment_problems(root, q))


def _response_for_checks(root, status: bool, errors: list[Error]) -> None:
    """Each ``ResponseFor`` names one document: its DocumentId is its OrganId, PromulgationDate and Code
    (QCVN 102: ``issuer,YYYY/MM/DD,number/code``), so the four parts must agree."""
    parent = f"{q('edXMLHeader')}/{q('Status' if status else 'MessageHeader')}"
    base = "/edXMLEnvelope/edXMLHeader/" + ("Status" if status else "MessageHeader")
    blocks = root.findall(f"{parent}/{q('ResponseFor')}")
    for i, block in enumerate(blocks, 1):
        match = DOC_ID.match(block.findtext(q("DocumentId")) or "")
        if not match:
            continue
        path = f"{base}/ResponseFor" + (f"[{i}]" if not status else "") + "/DocumentId"
        organ = block.findtext(q("OrganId")) or ""
        code = block.findtext(q("Code")) or ""
        issued = (block.findtext(q("PromulgationDate")) or "").replace("-", "/")
        for got, expected, name in ((match["org"], organ, "OrganId"), (match["code"], code, "Code"),
                                    (match["date"], issued, "PromulgationDate")):
            if got != expected:
                errors.append(Error(path, _("{got!r} in the DocumentId differs from {name} {expected!r}",
                                            got=got, name=name, expected=expected)))


def validate_root(root) -> list[Error]:
    errors: list[Error] = []
    status = is_status_root(root)
    check_children(root, STATUS if status else ENVELOPE, "/edXMLEnvelope", errors)
    if not errors:
        _response_for_checks(root, status, errors)
    if not errors and not status:
        _cross_checks(root, errors)
    return errors


def validate(data: bytes) -> list[Error]:
    """Every problem in an envelope or status package; an empty list when it is valid."""
    root, errors = load(data)
    if root is None:
        return errors
    return validate_root(root)

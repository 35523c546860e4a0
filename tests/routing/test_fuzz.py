"""Fuzz: 250 mangled envelopes each end with a located error, never a crash, and change nothing."""

from __future__ import annotations

import random

from lxml import etree

from simulator.errors import UserError
from simulator.routing import Axis, Registers, edxml
from simulator.routing.envelope import Attachment, envelope_from_document

NS = edxml.NS


def _leaves(root):
    return [e for e in root.iter() if isinstance(e.tag, str) and len(e) == 0]


def _mangle(data: bytes, rng: random.Random) -> bytes:
    """One damage that always makes the envelope invalid."""
    kind = rng.randrange(9)
    if kind == 0:  # cut the file short
        return data[: rng.randrange(1, len(data) - 10)]
    if kind == 1:  # break a tag
        i = rng.choice([k for k in range(len(data)) if data[k:k + 1] == b"<"])
        return data[:i] + b"<<" + data[i + 1:]
    root = etree.fromstring(data)

    def named(*names):
        found = [e for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname in names]
        return found or [root.find(f"{{{NS}}}edXMLHeader")]  # absent here: damage the header instead

    if kind == 2:  # drop a required element
        victim = rng.choice(named("OrganId", "Subject", "DocumentId", "CodeNumber", "PromulgationDate", "FullName",
                                  "Priority", "SteeringType", "Value", "ContentId", "BusinessDocType", "Timestamp",
                                  "StatusCode"))
        victim.getparent().remove(victim)
    elif kind == 3:  # a wrong enumeration value
        node = rng.choice(named("Priority", "SteeringType", "Type", "BusinessDocType", "Paper",
                                "ContentTransferEncoded", "StatusCode"))
        node.text = rng.choice(["9", "x", "", "-1", "01 "])
    elif kind == 4:  # an identifier code of the wrong shape
        node = rng.choice(named("OrganId"))
        node.text = rng.choice(["000.00.40.H4", "000.00.40.X41", "00000040H41x", "000.00.4.H410", "", "H41"])
    elif kind == 5:  # a date or timestamp in the wrong format
        node = rng.choice(named("PromulgationDate", "DueDate", "Timestamp"))
        node.text = rng.choice(["02/03/2026", "2026-13-01", "2026-03-02 09:00", "hôm nay", "20260302"])
    elif kind == 6:  # an element the schema does not know, somewhere
        parent = rng.choice([e for e in root.iter() if isinstance(e.tag, str) and len(e)])
        parent.insert(rng.randrange(len(parent) + 1), etree.Element(f"{{{NS}}}Unknown{rng.randrange(99)}"))
    elif kind == 7:  # text where elements belong, or elements where text belongs
        leaf = rng.choice(_leaves(root))
        etree.SubElement(leaf, f"{{{NS}}}Nested").text = "x"
    else:  # bad base64 or a required text emptied
        node = rng.choice(named("Value", "Subject", "FullName", "CodeNotation", "StatusCode"))
        node.text = "@@@ không phải base64 @@@" if etree.QName(node).localname == "Value" else "  "
    return etree.tostring(root)


def test_250_mangled_envelopes_end_in_errors(tmp_path, province, doc, at, district, communes):
    good = edxml.build(envelope_from_document(doc, attachments=[Attachment("a.pdf", b"%PDF-1.7 x")], sent_at=at))
    axis = Axis(tmp_path / "axis.sqlite", province)
    register = Registers(tmp_path / "reg.sqlite", communes[0].code)
    rng = random.Random(20260302)
    errored = 0
    for _ in range(250):
        bad = _mangle(good, rng)
        errors = edxml.validate(bad)
        assert errors and all(e.path.startswith("/") and e.message for e in errors), bad[:200]
        for call in (lambda: edxml.parse(bad), lambda: axis.send(bad, at),
                     lambda: register.register_incoming(bad, at, "van_thu")):
            try:
                call()
            except UserError:
                pass
            else:
                raise AssertionError("a mangled envelope was accepted")
        errored += 1
    assert errored == 250
    assert register.incoming() == []
    assert axis.queues() == {}
    assert axis.traces(doc.document_id) == []
    # the intact envelope still goes through: the fuzz did not break the stores
    assert axis.send(good, at).accepted == tuple(c.code for c in communes)


def test_60_mangled_status_packages_end_in_errors(tmp_path, province, doc, at, communes):
    from simulator.routing.envelope import Organization, StatusPackage

    env = envelope_from_document(doc, sent_at=at)
    good = edxml.status_package(StatusPackage(edxml.response_for(env), Organization(communes[0].code, "UBND"),
                                              "05", at, "Đã giao xử lý", "Văn phòng", "Trần Thị Hương"))
    axis = Axis(tmp_path / "axis.sqlite", province)
    rng = random.Random(13)
    for _ in range(60):
        bad = _mangle(good, rng)
        assert edxml.validate(bad)
        for call in (lambda: edxml.parse_status(bad), lambda: axis.send(bad, at)):
            try:
                call()
            except UserError:
                pass
            else:
                raise AssertionError("a mangled status package was accepted")
    assert axis.queues() == {}
    assert axis.send(good, at).kind == "status"

"""edXML: round trip of every field, located validation errors, status packages."""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from simulator.errors import UserError
from simulator.routing import edxml
from simulator.routing.envelope import (
    Attachment, Business, Envelope, Organization, ResponseFor, StatusCode, StatusPackage, TraceHeader,
    envelope_from_document,
)
from tests.routing.conftest import make_document

NS = {"e": edxml.NS}
VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐÂƯ 0123456789,.-()"


def text(min_size=0, max_size=40):
    return st.text(alphabet=VIET, min_size=min_size, max_size=max_size).filter(
        lambda s: not min_size or s.strip())


@st.composite
def organ_ids(draw):
    level1 = draw(st.sampled_from(["H41", "H56", "G12"]))
    depth = draw(st.integers(1, 4))
    parts = ["000", "00", "00", level1]
    if depth >= 2:
        parts[2] = f"{draw(st.integers(1, 99)):02d}"
    if depth >= 3:
        parts[1] = f"{draw(st.integers(1, 99)):02d}"
    if depth >= 4:
        parts[0] = f"{draw(st.integers(1, 999)):03d}"
    return ".".join(parts)


dates = st.dates(date(2015, 1, 1), date(2035, 12, 31))
moments = st.datetimes(datetime(2015, 1, 1), datetime(2035, 12, 31)).map(
    lambda d: d.replace(microsecond=0, tzinfo=timezone(timedelta(hours=7))))
orgs = st.builds(Organization, organ_ids(), text(), text(), text(), text(max_size=10), text(max_size=10),
                 text(max_size=10), text(max_size=10))
notations = st.sampled_from(["QĐ-UBND", "UBND-VP", "KH-UBND", "TTr-SNV", "CV-VPCP"])


@st.composite
def envelopes(draw):
    sender = draw(orgs)
    issued = draw(dates)
    number = f"{draw(st.integers(1, 9999)):02d}"
    notation = draw(notations)
    return Envelope(
        sender=sender,
        recipients=tuple(draw(st.lists(orgs, min_size=1, max_size=3))),
        document_id=f"{sender.organ_id},{issued:%Y/%m/%d},{number}/{notation}",
        code_number=number, code_notation=notation, place=draw(text(1)), promulgation_date=issued,
        type=draw(st.sampled_from([1, 2])), type_name=draw(text(1, 20)), subject=draw(text(1, 200)),
        signer_full_name=draw(text(1)), signer_position=draw(text()), signer_competence=draw(text()),
        content=draw(text(max_size=300)), due_date=draw(st.none() | dates),
        to_places=tuple(draw(st.lists(text(1), max_size=3))), priority=draw(st.integers(0, 4)),
        sphere_of_promulgation=draw(text()), typer_notation=draw(text(max_size=10)),
        promulgation_amount=draw(st.integers(0, 500)), page_amount=draw(st.integers(0, 500)),
        appendixes=tuple(draw(st.lists(text(1), max_size=2))),
        response_for=tuple(draw(st.lists(st.builds(
            lambda o, d, n: ResponseFor(o, f"{n}/QĐ-UBND", d, f"{o},{d:%Y/%m/%d},{n}/QĐ-UBND"),
            organ_ids(), dates, st.integers(1, 999)), max_size=2))),
        steering_type=draw(st.sampled_from([1, 2, 3])),
        traces=tuple(draw(st.lists(st.builds(TraceHeader, organ_ids(), moments), max_size=3))),
        business=draw(st.builds(Business, st.integers(0, 3), text(), st.integers(0, 1))),
        attachments=tuple(draw(st.lists(st.builds(Attachment, text(1, 30), st.binary(min_size=1, max_size=300),
                                                  st.sampled_from(["application/pdf", "text/xml"]), text()),
                                        max_size=3))),
    )


@settings(max_examples=60)
@given(envelopes())
def test_round_trip_every_field(envelope):
    data = edxml.build(envelope)
    assert edxml.validate(data) == []
    back = edxml.parse(data)
    assert type(back) is Envelope
    assert back == envelope
    for name in Envelope.__dataclass_fields__:  # field by field, not only __eq__
        assert getattr(back, name) == getattr(envelope, name), name


@settings(max_examples=30)
@given(st.builds(StatusPackage, st.builds(lambda o, d: ResponseFor(o, "05/QĐ-UBND", d, f"{o},{d:%Y/%m/%d},05/QĐ-UBND"),
                                          organ_ids(), dates),
                 orgs, st.sampled_from(StatusCode.ALL), moments, text(), text(), text(), text(max_size=10),
                 text(max_size=10)))
def test_status_package_round_trip(status):
    data = edxml.status_package(status)
    assert edxml.validate(data) == []
    assert edxml.is_status(data)
    assert edxml.parse_status(data) == status


def test_from_document_fills_the_national_fields(doc, at, sample_pdf):
    env = envelope_from_document(doc, attachments=[Attachment("van-ban.pdf", sample_pdf)], sent_at=at)
    data = edxml.build(env)
    root = etree.fromstring(data)
    assert root.tag == f"{{{edxml.NS}}}edXMLEnvelope"
    assert root.findtext("e:edXMLHeader/e:MessageHeader/e:DocumentId", namespaces=NS) == doc.document_id
    assert doc.document_id == f"{doc.issuer_code},2026/03/02,07/UBND-VP"
    mh = "e:edXMLHeader/e:MessageHeader/"
    assert root.findtext(mh + "e:Code/e:CodeNumber", namespaces=NS) == "07"
    assert root.findtext(mh + "e:Code/e:CodeNotation", namespaces=NS) == "UBND-VP"
    assert root.findtext(mh + "e:From/e:OrganId", namespaces=NS) == doc.issuer_code
    assert [t.text for t in root.findall(mh + "e:To/e:OrganId", NS)] == [r.code for r in doc.recipients]
    assert root.findtext(mh + "e:SignerInfo/e:Competence", namespaces=NS) == "KT. Chủ tịch"
    assert root.findtext(mh + "e:SignerInfo/e:FullName", namespaces=NS) == "Nguyễn Văn An"
    assert root.findtext(mh + "e:PromulgationInfo/e:PromulgationDate", namespaces=NS) == "2026-03-02"
    assert root.findtext(mh + "e:DocumentType/e:TypeName", namespaces=NS) == "Công văn"
    assert root.findtext("e:edXMLHeader/e:TraceHeaderList/e:TraceHeader/e:Timestamp",
                         namespaces=NS) == "2026-03-02T09:15:30+07:00"
    value = root.findtext("e:AttachmentEncoded/e:Attachment/e:Value", namespaces=NS)
    assert base64.b64decode(value) == sample_pdf
    assert edxml.parse(data).attachments[0].content == sample_pdf


def test_trace_list_grows_one_hop_at_a_time(doc, at):
    data = edxml.build(envelope_from_document(doc, sent_at=at))
    later = edxml.add_trace(data, doc.recipients[0].code, at + timedelta(minutes=5))
    hops = edxml.parse(later).traces
    assert [h.organ_id for h in hops] == [doc.issuer_code, doc.recipients[0].code]
    assert hops[1].timestamp - hops[0].timestamp == timedelta(minutes=5)


@pytest.fixture
def good(doc, at):
    return edxml.build(envelope_from_document(doc, attachments=[Attachment("a.pdf", b"%PDF-1.7")], sent_at=at))


def _mutate(data: bytes, xpath: str, action, value=None) -> bytes:
    root = etree.fromstring(data)
    node = root.xpath(xpath, namespaces=NS)[0]
    if action == "remove":
        node.getparent().remove(node)
    elif action == "text":
        node.text = value
    return etree.tostring(root)


MH = "/e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader"
P = "/edXMLEnvelope/edXMLHeader/MessageHeader"


@pytest.mark.parametrize("xpath, action, value, path, words", [
    (MH + "/e:Subject", "remove", None, P + "/Subject", "missing"),
    (MH + "/e:From/e:OrganId", "remove", None, P + "/From/OrganId", "missing"),
    (MH + "/e:OtherInfo/e:Priority", "text", "7", P + "/OtherInfo/Priority", "0, 1, 2, 3, 4"),
    (MH + "/e:SteeringType", "text", "9", P + "/SteeringType", "1, 2, 3"),
    (MH + "/e:To/e:OrganId", "text", "000.01.H41", P + "/To[1]/OrganId", "13"),
    (MH + "/e:From/e:OrganId", "text", "000.00.00.X41", P + "/From/OrganId", "H41"),
    (MH + "/e:PromulgationInfo/e:PromulgationDate", "text", "02/03/2026",
     P + "/PromulgationInfo/PromulgationDate", "YYYY-MM-DD"),
    (MH + "/e:PromulgationInfo/e:PromulgationDate", "text", "2026-02-30",
     P + "/PromulgationInfo/PromulgationDate", "2026-02-30"),
    ("/e:edXMLEnvelope/e:edXMLHeader/e:TraceHeaderList/e:TraceHeader/e:Timestamp", "text", "2026-03-02 09:15",
     "/edXMLEnvelope/edXMLHeader/TraceHeaderList/TraceHeader[1]/Timestamp", "+07:00"),
    ("/e:edXMLEnvelope/e:AttachmentEncoded/e:Attachment/e:Value", "text", "not base64!!",
     "/edXMLEnvelope/AttachmentEncoded/Attachment[1]/Value", "base64"),
    (MH + "/e:Code/e:CodeNumber", "text", "bảy", P + "/Code/CodeNumber", "digits"),
    (MH + "/e:DocumentId", "text", "000.00.40.H41-2026", P + "/DocumentId", "DocumentId"),
])
def test_each_problem_is_located(good, lang_en, xpath, action, value, path, words):
    bad = _mutate(good, xpath, action, value)
    errors = edxml.validate(bad)
    assert errors, "the mangled envelope must not validate"
    assert errors[0].path == path
    assert words in errors[0].message
    with pytest.raises(edxml.EdxmlError) as caught:
        edxml.parse(bad)
    assert caught.value.errors == errors


def test_messages_are_vietnamese_by_default(good):
    bad = _mutate(good, MH + "/e:Subject", "remove")
    assert "bắt buộc" in edxml.validate(bad)[0].message


def test_code_must_agree_with_document_id(good, lang_en):
    bad = _mutate(good, MH + "/e:Code/e:CodeNumber", "text", "08")
    errors = edxml.validate(bad)
    assert [e.path for e in errors] == [P + "/DocumentId"]
    assert "08/UBND-VP" in errors[0].message


def test_malformed_and_foreign_xml(lang_en):
    assert "line 1" in edxml.validate(b"<edXML:edXMLEnvelope xmlns:edXML='http://www.e-doc.vn/Schema/'>")[0].message
    assert edxml.validate(b"<a/>")[0].path == "/a"
    assert edxml.validate(b"") and edxml.validate(12) and edxml.validate("<<")
    doctype = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
               b'<edXMLEnvelope xmlns="http://www.e-doc.vn/Schema/">&e;</edXMLEnvelope>')
    assert "DOCTYPE" in edxml.validate(doctype)[0].message


def test_order_duplicates_and_unknown_elements(good, lang_en):
    root = etree.fromstring(good)
    mh = root.find("e:edXMLHeader/e:MessageHeader", NS)
    subject = mh.find("e:Subject", NS)
    mh.append(etree.fromstring(etree.tostring(subject)))       # a second Subject, out of order
    etree.SubElement(mh, f"{{{edxml.NS}}}Secret").text = "x"    # unknown
    etree.SubElement(mh, "Plain").text = "x"                    # no namespace
    errors = edxml.validate(etree.tostring(root))
    messages = {e.path: e.message for e in errors}
    assert any("at most 1" in m or "out of order" in m for p, m in messages.items() if "Subject" in p)
    assert "expected one of" in messages[P + "/Secret"]
    assert "namespace" in messages[P + "/Plain"]


def test_huge_attachment_is_refused(doc, lang_en, monkeypatch):
    from simulator.routing import edxml_schema

    monkeypatch.setattr(edxml_schema, "MAX_ATTACHMENT_BYTES", 1000)  # the setting lives with the value checks
    with pytest.raises(edxml.EdxmlError) as caught:
        edxml.build(envelope_from_document(doc, attachments=[Attachment("big.pdf", b"x" * 5000)]))
    assert "larger than" in caught.value.errors[0].message
    assert caught.value.errors[0].path.endswith("Attachment[1]/Value")


def test_build_refuses_invalid_values_with_a_user_error(doc, lang_en):
    env = envelope_from_document(doc)
    with pytest.raises(edxml.EdxmlError):
        edxml.build(replace(env, sender=Organization("H41")))
    with pytest.raises(UserError):
        edxml.build(replace(env, subject="control \x01 character"))
    with pytest.raises(edxml.EdxmlError):
        edxml.build(replace(env, recipients=()))


def test_envelope_and_status_are_not_confused(good, doc, at, lang_en):
    env = edxml.parse(good)
    status = edxml.status_package(response_for=edxml.response_for(env), sender=env.recipients[0],
                                  code=StatusCode.ARRIVED, timestamp=at)
    with pytest.raises(edxml.EdxmlError):
        edxml.parse(status)
    with pytest.raises(edxml.EdxmlError):
        edxml.parse_status(good)
    bad = status.replace(b">01<", b">07<")
    [error] = edxml.validate(bad)
    assert error.path == "/edXMLEnvelope/edXMLHeader/Status/StatusCode"
    assert "01, 02, 03, 04, 05, 06, 13, 15, 16" in error.message and "'07'" in error.message


def test_decomposed_text_from_outside_is_normalised(good):
    import unicodedata

    subject = "Về việc quyết định"
    decomposed = unicodedata.normalize("NFD", subject)
    data = good.decode("utf-8").replace(
        "Về việc triển khai gửi, nhận văn bản điện tử trên địa bàn", decomposed).encode("utf-8")
    assert decomposed.encode() in data
    assert edxml.parse(data).subject == subject


# -- the attachments are what the header says (issue 11) ---------------------------

@pytest.fixture(scope="module")
def sealed_pdf(tmp_path_factory, district, communes):
    """Document no. 21 of the district, rendered, signed by the person and sealed by the clerk."""
    signing = pytest.importorskip("simulator.signing")
    from simulator.documents.render import render_pdf

    folder = tmp_path_factory.mktemp("edxml-signed")
    pki = signing.TrainingPKI.create(folder / "pki")
    person = pki.issue_person("Nguyễn Văn An", "Phó Chủ tịch", district.name, district.code, "mat-khau-1")
    seal = pki.issue_seal(district.name, district.code, "mat-khau-1")
    render_pdf(make_document(district, communes, number=21), folder / "draft.pdf")
    signing.sign_person(folder / "draft.pdf", folder / "signed.pdf", person, "mat-khau-1", pki)
    return signing.sign_seal(folder / "signed.pdf", folder / "sealed.pdf", seal, "mat-khau-1", pki).read_bytes()


def _envelope(document, pdf: bytes, at) -> Envelope:
    return envelope_from_document(document, attachments=[Attachment("van-ban.pdf", pdf)], sent_at=at)


def test_the_attached_document_is_the_one_the_header_describes(sealed_pdf, district, communes, at, lang_en):
    right = make_document(district, communes, number=21)
    assert edxml.validate(edxml.build(_envelope(right, sealed_pdf, at))) == []
    for other in (make_document(district, communes, number=22),                        # number and code
                  make_document(district, communes, number=21, issued=date(2026, 3, 3)),  # date
                  make_document(communes[0], communes[1:], number=21)):                # issuer
        with pytest.raises(UserError) as caught:
            edxml.build(_envelope(other, sealed_pdf, at))
        errors = caught.value.errors
        assert any(e.path == "/edXMLEnvelope/AttachmentEncoded/Attachment[1]/Value" and "header" in e.message
                   for e in errors), errors


def test_a_keyless_rewrite_of_the_attached_pdf_is_seen(sealed_pdf, district, communes, at, lang_en):
    """The PDF's unsigned /Info rewritten to claim no. 22: the signed identity still says 21."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    claimed = make_document(district, communes, number=22)
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed_pdf), strict=False)
    info = writer.trailer["/Info"].get_object()
    info[generic.NameObject("/VbdtDocumentId")] = generic.TextStringObject(claimed.document_id)
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(UserError) as caught:
        edxml.build(_envelope(claimed, out.getvalue(), at))
    messages = " ".join(e.message for e in caught.value.errors)
    assert "changed after it was signed" in messages and "no. 21" in messages


def test_empty_attachments_and_duplicate_references_are_refused(good, lang_en):
    root = etree.fromstring(good)
    root.xpath("//e:Attachment/e:Value", namespaces=NS)[0].text = ""
    errors = edxml.validate(etree.tostring(root))
    assert [(e.path, e.message) for e in errors] == [
        ("/edXMLEnvelope/AttachmentEncoded/Attachment[1]/Value", "the attachment is empty")]
    root = etree.fromstring(good)
    manifest = root.xpath("//e:Manifest", namespaces=NS)[0]
    manifest.append(etree.fromstring(etree.tostring(manifest[0])))  # the same reference twice
    errors = edxml.validate(etree.tostring(root))
    assert any(e.path == "/edXMLEnvelope/edXMLBody/Manifest/Reference[2]/ContentId" and "already listed" in e.message
               for e in errors), errors
    with pytest.raises(UserError):
        edxml.parse(etree.tostring(root))

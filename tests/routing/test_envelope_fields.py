"""The envelope's header by QCVN 102, read back from the built XML and through ``edxml.parse``:
ResponseFor on a reply, SteeringType by what the document is, PageAmount, From/To from the registry,
Content without the renderer's markers."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

import pypdfium2
import pytest
from lxml import etree

from simulator.documents.model import Recipient
from simulator.mail.address import unit_slugs
from simulator.routing import edxml
from simulator.routing.envelope import Attachment, ResponseFor, envelope_from_document
from tests.routing.conftest import make_document

NS = {"e": edxml.NS}
MH = "e:edXMLHeader/e:MessageHeader/"
# QCVN 102:2016 DocumentId: issuer's identifier code, date of issue, number/code
DOCUMENT_ID = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[GH]\d{2},\d{4}/\d{2}/\d{2},\d+/\S+$")


def _xml(env):
    data = edxml.build(env)
    return etree.fromstring(data), edxml.parse(data)


def _field(root, path):
    return root.findtext(MH + path, namespaces=NS)


@pytest.fixture
def original(district, communes, at):
    """A district's công văn down to its communes, as the communes receive it."""
    doc = make_document(district, communes, number=7)
    return doc, edxml.parse(edxml.build(envelope_from_document(doc, sent_at=at)))


def _reply(commune, district, original_doc, *, doc_type="cong_van", number=3):
    return replace(make_document(commune, [district], number=number, doc_type=doc_type,
                                 issued=original_doc.issued_date + timedelta(days=3),
                                 subject=f"V/v trả lời Văn bản số {original_doc.number_code}"))


# -- ResponseFor ------------------------------------------------------------------

@pytest.mark.parametrize("given", ["envelope", "document", "document_id", "response_for"])
def test_a_reply_points_at_the_original_by_its_document_id(given, province, district, communes, original):
    doc, received = original
    answered = {"envelope": received, "document": doc, "document_id": doc.document_id,
                "response_for": edxml.response_for(received)}[given]
    reply = _reply(communes[0], district, doc)
    root, back = _xml(envelope_from_document(reply, province=province, response_for=answered))
    blocks = root.findall(MH + "e:ResponseFor", NS)
    assert len(blocks) == 1
    block = blocks[0]
    assert block.findtext("e:DocumentId", namespaces=NS) == doc.document_id == received.document_id
    assert DOCUMENT_ID.match(block.findtext("e:DocumentId", namespaces=NS))
    assert block.findtext("e:OrganId", namespaces=NS) == district.code
    assert block.findtext("e:Code", namespaces=NS) == "07/UBND-VP" == doc.number_code
    assert block.findtext("e:PromulgationDate", namespaces=NS) == "2026-03-02"
    assert back.response_for == (ResponseFor(district.code, "07/UBND-VP", date(2026, 3, 2), doc.document_id),)


def test_a_document_that_answers_nothing_has_no_response_for(province, original):
    root, back = _xml(envelope_from_document(original[0], province=province))
    assert root.findall(MH + "e:ResponseFor", NS) == [] and back.response_for == ()


def test_a_response_for_whose_parts_disagree_is_refused(original, lang_en):
    doc, received = original
    data = edxml.build(replace(received, response_for=(edxml.response_for(received),)))
    root = etree.fromstring(data)
    root.find(MH + "e:ResponseFor/e:Code", NS).text = "08/UBND-VP"
    errors = edxml.validate(etree.tostring(root))
    assert [e.path for e in errors] == ["/edXMLEnvelope/edXMLHeader/MessageHeader/ResponseFor[1]/DocumentId"]
    assert "Code" in errors[0].message


# -- SteeringType -------------------------------------------------------------------
# (issuer, recipients) by direction in the 2024 structure: a district to its communes is down,
# a commune to its district up, a district to another district across.
WAYS = {
    "down": lambda p, d, c: (d, c),
    "up": lambda p, d, c: (c[0], [d]),
    "peer": lambda p, d, c: (d, [p.districts[1]]),
    "dept-down": lambda p, d, c: (p.departments[3], [d]),
}
STEERING = [
    ("cong_van", "down", 2), ("cong_van", "up", 1), ("cong_van", "peer", 1),
    ("ke_hoach", "down", 2), ("ke_hoach", "up", 1),
    ("quyet_dinh", "down", 2), ("huong_dan", "dept-down", 2),
    ("chi_thi", "down", 2), ("cong_dien", "down", 2),
    ("to_trinh", "up", 1), ("bao_cao", "up", 1), ("thong_bao", "down", 1), ("giay_moi", "down", 1),
    ("bien_ban", "peer", 1),
]


@pytest.mark.parametrize("doc_type,way,expected", STEERING)
@pytest.mark.parametrize("with_province", [True, False])
def test_steering_type_by_what_the_document_is(doc_type, way, expected, with_province, province, district,
                                               communes):
    if way == "dept-down" and not with_province:
        pytest.skip("a department guiding a district is known from the register, not from the codes' levels")
    issuer, recipients = WAYS[way](province, district, communes)
    doc = make_document(issuer, recipients, number=5, doc_type=doc_type)
    root, back = _xml(envelope_from_document(doc, province=province if with_province else None))
    assert _field(root, "e:SteeringType") == str(expected)
    assert back.steering_type == expected


@pytest.mark.parametrize("answered_type,given,expected", [
    ("cong_van", "envelope", 3),       # a directive (down) answered: a report on a directive
    ("cong_van", "document", 3),
    ("cong_van", "document_id", 3),    # only the DocumentId: the reply goes up, directives come down
    ("giay_moi", "envelope", 1),       # an invitation is no directive: its answer is not a report on one
    ("thong_bao", "document", 1),
])
def test_a_communes_reply_is_never_a_directive(answered_type, given, expected, province, district, communes, at):
    doc = make_document(district, communes, number=7, doc_type=answered_type)
    received = edxml.parse(edxml.build(envelope_from_document(doc, sent_at=at)))
    answered = {"envelope": received, "document": doc, "document_id": doc.document_id}[given]
    for reply_type in ("cong_van", "bao_cao", "ke_hoach"):
        reply = _reply(communes[0], district, doc, doc_type=reply_type)
        root, back = _xml(envelope_from_document(reply, province=province, response_for=answered))
        assert _field(root, "e:SteeringType") == str(expected), reply_type
        assert back.steering_type == expected


def test_a_superiors_reply_down_is_not_a_directive_either(province, district, communes):
    request = make_document(communes[0], [district], number=4, doc_type="to_trinh")
    answer = make_document(district, [communes[0]], number=9)  # a công văn down: 2 on its own
    assert envelope_from_document(answer, province=province).steering_type == 2
    root, back = _xml(envelope_from_document(answer, province=province, response_for=request))
    assert _field(root, "e:SteeringType") == "1" and back.steering_type == 1


# -- PageAmount ----------------------------------------------------------------------

def test_page_amount_is_the_signed_pdfs_page_count(tmp_path, province, district, communes):
    from simulator.documents.render import render_pdf

    long = replace(make_document(district, communes, number=7),
                   body=tuple(f"{i}. Rà soát, tổng hợp kết quả gửi, nhận văn bản điện tử của các đơn vị; báo cáo "
                              "đầy đủ, đúng hạn theo mẫu quy định, nêu rõ khó khăn, vướng mắc và đề xuất." for i in
                              range(1, 60)))
    render_pdf(long, tmp_path / "long.pdf")
    pdf = (tmp_path / "long.pdf").read_bytes()
    pages = len(pypdfium2.PdfDocument(pdf))
    assert pages >= 2
    env = envelope_from_document(long, province=province, attachments=[Attachment("document.pdf", pdf),
                                                                        Attachment("phu-luc.xml", b"<a/>", "text/xml")])
    root, back = _xml(env)
    assert _field(root, "e:OtherInfo/e:PageAmount") == str(pages)
    assert back.page_amount == pages
    assert envelope_from_document(long, attachments=[Attachment("d.pdf", pdf)], page_amount=9).page_amount == 9


def test_page_amount_of_one_page(sample_pdf, doc):
    root, back = _xml(envelope_from_document(doc, attachments=[Attachment("cv.pdf", sample_pdf)]))
    assert _field(root, "e:OtherInfo/e:PageAmount") == str(len(pypdfium2.PdfDocument(sample_pdf))) == "1"


# -- From and To ---------------------------------------------------------------------

def _org(root, which):
    node = root.find(MH + f"e:{which}", NS)
    return {etree.QName(k).localname: k.text for k in node}


def test_from_and_to_carry_what_the_registry_knows(province, district, communes):
    commune = communes[0]
    reply = make_document(commune, [province.committee, district], number=3)
    root, back = _xml(envelope_from_document(reply, province=province))
    slugs = unit_slugs(province.units)
    sender = _org(root, "From")
    assert sender == {
        "OrganId": commune.code,
        "OrganizationInCharge": district.name,      # its parent in the register
        "OrganName": commune.name,
        "OrganAdd": f"{commune.short_name}, {district.short_name[0].lower()}{district.short_name[1:]}, tỉnh Nghệ An",
        "Email": f"vanthu.{slugs[commune.code]}@nghean.gov.vn",
    }
    to = [{etree.QName(k).localname: k.text for k in n} for n in root.findall(MH + "e:To", NS)]
    assert to[0] == {"OrganId": province.committee.code, "OrganName": "Ủy ban nhân dân tỉnh Nghệ An",
                     "OrganAdd": "Tỉnh Nghệ An", "Email": f"vanthu.{slugs[province.committee.code]}@nghean.gov.vn",
                     "Website": "https://nghean.gov.vn"}
    assert to[1]["OrganizationInCharge"] == province.committee.name
    assert back.sender.organization_in_charge == district.name
    assert back.sender.email == sender["Email"] and back.recipients[1].organ_add == to[1]["OrganAdd"]


def test_a_departments_envelope_names_the_committee_in_charge(province, district):
    department = province.departments[3]
    doc = make_document(department, [district], number=12, doc_type="huong_dan")
    root, _back = _xml(envelope_from_document(doc, province=province))
    sender = _org(root, "From")
    assert sender["OrganizationInCharge"] == province.committee.name
    assert sender["OrganAdd"] == "Tỉnh Nghệ An"
    assert re.fullmatch(r"vanthu\.[a-z0-9-]+@nghean\.gov\.vn", sender["Email"])


def test_without_the_register_from_keeps_the_parent_the_document_prints(district, communes):
    doc = replace(make_document(district, communes, number=7), parent_name="Ủy ban nhân dân tỉnh Nghệ An")
    root, back = _xml(envelope_from_document(doc))
    assert _field(root, "e:From/e:OrganizationInCharge") == "Ủy ban nhân dân tỉnh Nghệ An"
    assert back.sender.organ_name == district.name


# -- Content -------------------------------------------------------------------------

def test_content_carries_the_words_without_layout_markers(province, district, communes):
    body = ("Căn cứ Luật Tổ chức chính quyền địa phương;", "#QUYẾT ĐỊNH:", "",
            "Điều 1.  Ban hành   kèm theo Quyết định này Quy chế gửi, nhận văn bản điện tử.",
            "#Điều 2. Quyết định có hiệu lực kể từ ngày ký.")
    doc = replace(make_document(district, communes, number=7, doc_type="quyet_dinh"), body=body)
    root, back = _xml(envelope_from_document(doc, province=province))
    content = _field(root, "e:Content")
    assert content.split("\n") == [
        "Căn cứ Luật Tổ chức chính quyền địa phương;", "QUYẾT ĐỊNH:",
        "Điều 1. Ban hành kèm theo Quyết định này Quy chế gửi, nhận văn bản điện tử.",
        "Điều 2. Quyết định có hiệu lực kể từ ngày ký."]
    assert not any(line.startswith("#") for line in content.split("\n"))
    assert back.content == content


def test_the_desks_reply_call(tmp_path, province, district, communes, original, at, sample_pdf):
    """The call the lab's outgoing desk makes for a reply: the received envelope answered."""
    doc, received = original
    reply = replace(_reply(communes[0], district, doc), recipients=(Recipient(district.name, district.code),))
    env = envelope_from_document(reply, attachments=[Attachment("document.pdf", sample_pdf)], sent_at=at,
                                 province=province, response_for=received)
    back = edxml.parse(edxml.build(env))
    assert back == env
    assert (back.response_for[0].document_id, back.steering_type, back.page_amount) == (doc.document_id, 3, 1)
    assert back.sender.organization_in_charge == district.name

"""Who signs and how, the number and the legal bases, read back from the PDF (DOMAIN.md §3)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from simulator.documents import ContentGenerator, Document, Signer

CHAIRMAN = "CHỦ TỊCH ỦY BAN NHÂN DÂN"


def _block(page) -> list[str]:
    """The signature block's lines above the signer's name (right column, from "Nơi nhận:" down)."""
    top = page.one("Nơi nhận:").baseline - 1
    lines = [line.text for line in page.lines if line.left > 100 and line.baseline >= top]
    return lines[:-1]


def _agrees(page) -> None:
    block = _block(page)
    authority = [line.text for line in page.lines if line.all_bold and line.text.startswith(CHAIRMAN)]
    directive = any(line.text == "CHỈ THỊ" for line in page.lines) and "Chủ tịch Ủy ban nhân dân tỉnh Nghệ An yêu " \
        "cầu:" in " ".join(page.text.split())  # a chairman's directive says so in its text
    if authority or directive:  # the chairman's own authority: "CHỦ TỊCH" or "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
        assert block in (["CHỦ TỊCH"], ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]), (authority, block)
    elif page.one("Số:").text.endswith("-UBND") or "/UBND-" in page.one("Số:").text:  # the collective's
        assert block in (["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
                         ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]), block
    else:  # a department: its director
        assert block in (["GIÁM ĐỐC"], ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]), block


def test_the_signature_block_agrees_with_the_authority_line(samples):
    chairman_own = 0
    for key, (_doc, page, _path) in samples.items():
        _agrees(page)
        chairman_own += any(line.text.startswith(CHAIRMAN) for line in page.lines)
    assert chairman_own >= 3  # decisions, directives and telegrams of the chairman are in the sample


def test_a_chairmans_decision_keeps_its_block_whoever_builds_the_signer(province, render):
    """The lab replaces a document's signer by the unit's leader (TM. for a committee): a decision under
    the chairman's own authority still drops "TM."."""
    committee = province.committee
    for seed in range(6):
        doc = ContentGenerator(seed).document(committee, province, "quyet_dinh")
        if doc.normative:
            continue
        for deputy in (False, True):
            leader = ContentGenerator(seed).signer(committee, deputy=deputy)
            assert leader.collective or leader.authority == "TM."  # the collective's signer, as built
            page = render(replace(doc, signer=leader))
            assert page.one(CHAIRMAN).all_bold
            _agrees(page)
            assert "TM." not in replace(doc, signer=leader).signer.competence


def _normative(province, issuer):
    for seed in range(60):
        doc = ContentGenerator(seed).document(issuer, province, "quyet_dinh")
        if doc.normative:
            return doc
    raise AssertionError("no legal normative decision in 60 seeds")


def test_a_legal_normative_decision_carries_its_year_and_others_do_not(province, samples, render):
    doc = _normative(province, province.committee)
    page = render(doc)
    assert re.fullmatch(r"Số: \d{2,3}/2026/QĐ-UBND", page.one("Số:").text), page.one("Số:").text
    _agrees(page)
    assert _block(page)[0] == "TM. ỦY BAN NHÂN DÂN"
    assert page.exact("ỦY BAN NHÂN DÂN TỈNH NGHỆ AN").all_bold  # the collective's authority line
    for key, (other, other_page, _path) in samples.items():
        if not other.normative:
            assert "/2026/" not in other_page.one("Số:").text, key


def test_normative_numbers_in_the_model():
    signer = Signer("Nguyễn Văn An", "Chủ tịch", "TM.", "Ủy ban nhân dân")
    doc = Document("000.00.00.H41", "Ủy ban nhân dân tỉnh Nghệ An", "UBND", "quyet_dinh", "Ban hành Quy định",
                   date(2026, 3, 2), "Nghệ An", signer, (), number=8, normative=True)
    assert doc.number_code == "08/2026/QĐ-UBND"
    assert doc.document_id == "000.00.00.H41,2026/03/02,08/2026/QĐ-UBND"
    assert replace(doc, normative=False).number_code == "08/QĐ-UBND"


def test_a_decision_cites_the_law_that_gives_the_power_not_decree_30(province, samples, render):
    decisions = [(key, page) for key, (doc, page, _path) in samples.items() if doc.doc_type == "quyet_dinh"]
    decisions.append(("normative", render(_normative(province, province.committee))))
    for key, page in decisions:
        text = " ".join(page.text.split())
        assert "30/2020/NĐ-CP" not in text and "công tác văn thư" not in text, key
        bases = [line for line in page.lines if line.text.startswith("Căn cứ")]
        assert bases, key
        if "Sở" not in key:
            assert "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;" in text, key
        if key == "normative":
            assert "Căn cứ Luật Ban hành văn bản quy phạm pháp luật" in text


def test_a_decision_before_the_2025_laws_cites_the_laws_then_in_force(render):
    from simulator.province import load_province

    province = load_province(on="2024-05-06")
    doc = ContentGenerator(3).document(province.committee, province, "quyet_dinh", issued=date(2024, 5, 6))
    text = " ".join(render(doc).text.split())
    assert "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015" in text
    assert "2025" not in text.split("QUYẾT ĐỊNH:")[0] and "30/2020/NĐ-CP" not in text

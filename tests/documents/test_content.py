"""What documents say: the agency's own field, the right direction, invitations that can be attended,
proper names that keep their capitals, one person per post (DOMAIN.md §1, §3)."""

from __future__ import annotations

import re

from simulator.documents import ContentGenerator, Recipient
from simulator.province import load_province

OTHER_FIELDS = ("dịch tả lợn", "sốt xuất huyết", "giống lúa", "tuyển sinh", "đất đai", "giấy phép xây dựng")


def test_a_department_writes_about_its_own_field(province, samples):
    home_affairs = province.find("Sở Nội vụ")
    for seed in range(40):
        doc = ContentGenerator(seed).document(home_affairs, province)
        assert doc.field_name in ("nội vụ", "lao động và xã hội"), (seed, doc.field_name, doc.subject)
        text = " ".join((doc.subject, *doc.body))
        assert not any(word in text for word in OTHER_FIELDS), (seed, doc.subject)
    for key, (doc, page, _path) in samples.items():
        if key.startswith("Sở Nội vụ"):
            assert not any(word in page.text for word in OTHER_FIELDS), key


def test_a_department_asks_the_provincial_committee_it_does_not_order_it(province, render):
    home_affairs, committee = province.find("Sở Nội vụ"), province.committee
    to_committee = (Recipient(committee.name, committee.code),)
    for seed in range(12):
        for doc_type in ("cong_van", "to_trinh", "bao_cao"):
            doc = ContentGenerator(seed).document(home_affairs, province, doc_type, recipients=to_committee)
            text = " ".join(doc.body)
            assert not re.search(r"đề nghị (Ủy ban nhân dân tỉnh Nghệ An|các cơ quan, đơn vị)[^.]*triển khai", text), \
                (seed, doc_type, text)
            assert re.search(r"kính (đề nghị|trình|báo cáo) Ủy ban nhân dân tỉnh Nghệ An", text), (seed, doc_type, text)
    page = render(ContentGenerator(0).document(home_affairs, province, "cong_van", recipients=to_committee))
    flat = " ".join(page.text.split())
    assert "kính đề nghị Ủy ban nhân dân tỉnh Nghệ An" in flat and "triển khai thực hiện một số" not in flat


def test_an_invitation_says_when_where_who_chairs_and_who_attends(samples):
    pattern = re.compile(r"Thời gian: \d{2} giờ \d{2}, thứ (Hai|Ba|Tư|Năm|Sáu), ngày \d{2} tháng \d{1,2} năm 2026\.")
    for key, (doc, page, _path) in samples.items():
        if doc.doc_type != "giay_moi":
            continue
        lines = {start: " ".join(page.one(start).text.split()) for start in
                 ("Tới dự:", "Chủ trì:", "Thành phần:", "Thời gian:", "Địa điểm:")}
        assert pattern.fullmatch(lines["Thời gian:"]), (key, lines["Thời gian:"])
        assert doc.issuer_name in page.text.replace("\n", " ") and "Hội trường" in lines["Địa điểm:"], key
        signer = doc.signer.full_name
        assert f"Đồng chí {signer}" in " ".join(page.text.split()), key  # the chair signs the invitation


def test_proper_names_keep_their_capitals_in_the_body(province, render):
    seen = 0
    for seed in range(40):
        doc = ContentGenerator(seed).document(province.committee, province, "quyet_dinh")
        if doc.normative:
            continue
        capitals = [w for w in doc.subject.split()[1:] if w[:1].isupper()]
        if not capitals:
            continue
        seen += 1
        article = next(p for p in doc.body if p.startswith("Điều 1."))
        for word in capitals:
            assert re.search(rf"(?<!\w){re.escape(word)}(?!\w)", article), (doc.subject, article)
        if seen == 1:  # and as printed
            flat = " ".join(render(doc).text.split())
            assert all(word in flat.split("Điều 1.")[1] for word in capitals)
    assert seen >= 5


def test_one_person_holds_one_post_and_keeps_it(province):
    first, other = ContentGenerator(1), ContentGenerator(99)
    for structure in (2024, 2025):
        units = [u for u in load_province("H41", structure).units if u.level != 0]
        names = {}
        for unit in units:
            for deputy in (False, True):
                name = first.signer(unit, deputy=deputy).full_name
                assert other.signer(unit, deputy=deputy).full_name == name  # the unit's, not the seed's
                assert name not in names, (name, unit.name, names.get(name))
                names[name] = unit.name
    commune, department = province.communes[0], province.find("Sở Nội vụ")
    a = ContentGenerator(5).document(commune, province, "cong_van").signer.full_name
    b = ContentGenerator(5).document(department, province, "cong_van").signer.full_name
    assert a != b

"""The form of every generated type, read back from the PDF (Decree 30/2020, Appendix I)."""

from __future__ import annotations

from tests.documents.pdfpage import MM, Page

LEFT, RIGHT_EDGE, TOP, BOTTOM_EDGE = 30.0, 195.0, 20.0, 277.0  # mm: margins 30 / 15 / 20 / 20


def _body_lines(doc, page: Page):
    """Lines between the title block (or "Kính gửi") and "Nơi nhận"."""
    end = page.one("Nơi nhận:").baseline
    start = max(r.y for r in page.rules if r.y < end)  # the rule under the summary, or under the agency
    return [line for line in page.lines if start < line.baseline < end and not line.text.startswith("Kính gửi")
            and not line.text.startswith("- ")]


def test_every_generated_type_is_sampled(samples):
    kinds = {key.split("/")[1] for key in samples}
    assert kinds == {"cong_van", "bao_cao", "quyet_dinh", "giay_moi", "ke_hoach", "thong_bao", "to_trinh",
                     "chi_thi", "cong_dien"}


def test_everything_lies_inside_the_margins(samples):
    """Left 30 mm, right 15 mm, top and bottom 20 mm: the agency block and "Nơi nhận" too."""
    for key, (_doc, page, _path) in samples.items():
        for char in page.chars:
            if char.text.isspace():
                continue
            assert char.left >= LEFT - 0.3 and char.right <= RIGHT_EDGE + 0.3, (key, char)
            assert char.baseline - char.size * 0.8 / MM >= TOP - 0.5 and char.baseline <= BOTTOM_EDGE, (key, char)
        assert LEFT - 0.3 <= page.one("Nơi nhận:").left <= 35, key
        assert LEFT - 0.3 <= min(line.left for line in page.lines) <= 35, key


def test_the_rule_under_the_agency_name_is_a_third_to_a_half_of_it_and_centred(samples):
    for key, (_doc, page, _path) in samples.items():
        rule = min((r for r in page.rules if r.right < 105), key=lambda r: r.y)
        name = [line for line in page.lines if line.all_bold and line.right < 105 and line.baseline < rule.y]
        assert name, key
        widest = max(name, key=lambda line: line.right - line.left)
        width = widest.right - widest.left
        assert width / 3 - 0.5 <= rule.length <= width / 2 + 0.5, (key, rule.length, width)
        assert abs(rule.centre - (widest.left + widest.right) / 2) < 1.0, key


def test_type_name_and_summary_are_14_pt_bold_with_their_rule(samples):
    for key, (doc, page, _path) in samples.items():
        if not doc.type.abbreviation:
            continue
        title = page.exact(doc.type.upper_name)
        assert title.sizes == {14.0} and title.all_bold, key
        rule = min((r for r in page.rules if r.y > title.baseline), key=lambda r: r.y)
        summary = [line for line in page.lines if title.baseline < line.baseline < rule.y]
        assert " ".join(line.text for line in summary) == doc.subject, key
        for line in summary:
            assert line.sizes == {14.0} and line.all_bold, (key, line.text, line.sizes)
        widest = max(line.right - line.left for line in summary)
        assert widest / 3 - 0.5 <= rule.length <= widest / 2 + 0.5, (key, rule.length, widest)


def test_a_cong_van_has_its_summary_under_the_number_and_kinh_gui(samples):
    for key, (doc, page, _path) in samples.items():
        if doc.type.abbreviation:
            continue
        number = page.one("Số:")
        vv = [line for line in page.lines if line.text.startswith("V/v")]
        assert vv and vv[0].baseline > number.baseline and vv[0].sizes <= {12.0, 13.0}, key
        assert page.find("Kính gửi:"), key
        assert page.one("Kính gửi:").sizes <= {13.0, 14.0}


def test_paragraphs_are_at_least_6_pt_apart(samples):
    for key, (doc, page, _path) in samples.items():
        body = [line for line in _body_lines(doc, page) if line.sizes == {13.0}]
        pitch = min(b.baseline - a.baseline for a, b in zip(body, body[1:]) if b.baseline - a.baseline > 1)
        starts = 0
        for above, line in zip(body, body[1:]):
            if 39 <= line.left <= 42 and line.baseline - above.baseline > 1:  # an indented first line
                starts += 1
                extra = (line.baseline - above.baseline - pitch) * MM
                assert extra >= 6 - 0.3, (key, line.text, extra)
        assert starts >= 2, key


def test_legal_bases_are_italic(samples):
    seen = 0
    for key, (_doc, page, _path) in samples.items():
        for line in page.find("Căn cứ") + page.find("Theo đề nghị"):
            seen += 1
            assert line.all_italic, (key, line.text)
    assert seen >= 6


def test_article_numbers_are_bold_and_their_text_upright(samples):
    seen = 0
    for key, (_doc, page, _path) in samples.items():
        for line in page.find("Điều "):
            seen += 1
            head, rest = line.ink[:6], line.ink[6:]   # "Điều1." without the space: 6 glyphs
            assert "".join(c.text for c in head) == "Điều" + line.text[5] + "." and all(c.bold for c in head), \
                (key, line.text)
            assert rest and not any(c.bold or c.italic for c in rest), (key, line.text)
    assert seen >= 9


def test_report_and_plan_headings_are_bold(samples):
    seen = 0
    for key, (doc, page, _path) in samples.items():
        if doc.doc_type not in ("bao_cao", "ke_hoach"):
            continue
        for numeral in ("I. ", "II. ", "III. "):
            line = page.one(numeral)
            seen += 1
            assert line.all_bold, (key, line.text)
    assert seen >= 12


def test_centred_headings_are_bold(samples):
    for key, (doc, page, _path) in samples.items():
        if doc.doc_type == "quyet_dinh":
            heading = page.one("QUYẾT ĐỊNH:")
            assert heading.all_bold and abs((heading.left + heading.right) / 2 - 112.5) < 1.5, key


def test_nguoi_nhan_of_a_cong_van_begins_nhu_tren(samples):
    for key, (doc, page, _path) in samples.items():
        recipients = page.one("Nơi nhận:")
        assert recipients.all_bold and recipients.all_italic and recipients.sizes == {12.0}, key
        entries = [line for line in page.lines if line.baseline > recipients.baseline and line.right < 105
                   and line.text.startswith("- ")]
        assert entries[-1].text.startswith("- Lưu: VT") and entries[-1].text.endswith("."), key
        assert all(line.sizes == {11.0} for line in entries), key
        if not doc.type.abbreviation:
            assert entries[0].text == "- Như trên;", key
            addressed = " ".join(line.text for line in page.lines if page.one("Kính gửi:").baseline - 0.5
                                 <= line.baseline < page.one("Kính gửi:").baseline + 7 * len(doc.recipients))
            for recipient in doc.recipients:
                assert recipient.name in addressed, (key, recipient.name)
                assert all(recipient.name not in line.text for line in entries), key


def test_kinh_gui_to_several_lists_them_under_the_colon(province, render):
    from simulator.documents import ContentGenerator

    committee = province.committee
    communes = tuple(province.communes[:3])
    from simulator.documents import Recipient

    doc = ContentGenerator(1).document(committee, province, "cong_van",
                                       recipients=tuple(Recipient(u.name, u.code) for u in communes))
    page = render(doc)
    first = page.one("Kính gửi:")
    rows = [first] + [line for line in page.lines if line.text.startswith("- Ủy ban nhân dân")]
    assert len(rows) == 3 and first.text.replace(" ", "").startswith("Kínhgửi:-Ủy")
    dashes = {round(next(c for c in line.ink if c.text == "-").left, 1) for line in rows}
    assert len(dashes) == 1  # aligned under the colon, one line each
    assert [line.text[-1] for line in rows] == [";", ";", "."]
    assert [u.name in row.text for u, row in zip(communes, rows)] == [True] * 3

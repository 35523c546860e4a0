"""What the issue-13 review found by looking at the rendered forms, read back from the PDF and its pixels."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pypdfium2 as pdfium

from simulator.documents import ContentGenerator, Recipient
from simulator.documents.content import VILLAGES
from simulator.documents.fields import NUMBER_FIELD, add_fields
from simulator.documents.render import render_bytes, render_pdf

DPI = 400
NUMBER_LINE = (33.5, 39.6)  # mm from the top: the band of the "Số:" line, above the next line's accents


def _ink_runs(data: bytes, top: float, bottom: float, left: float = 30, right: float = 105):
    """Columns of ink in the band [top, bottom] mm of page 1, form fields drawn: (left, right, lowest ink) mm."""
    pdf = pdfium.PdfDocument(data)
    pdf.init_forms()
    image = pdf[0].render(scale=DPI / 72, may_draw_forms=True).to_pil().convert("L")
    px_of = lambda mm: int(mm * DPI / 25.4)  # noqa: E731
    band = image.crop((px_of(left), px_of(top), px_of(right), px_of(bottom)))
    width, height = band.size
    pixels = band.load()
    runs, start = [], None
    for x in range(width + 1):
        dark = x < width and any(pixels[x, y] < 128 for y in range(height))
        if dark and start is None:
            start = x
        elif not dark and start is not None:
            low = max(y for y in range(height) for xx in range(start, x) if pixels[xx, y] < 128)
            runs.append((left + start * 25.4 / DPI, left + x * 25.4 / DPI, top + low * 25.4 / DPI))
            start = None
    return runs


def test_the_number_written_at_issuance_stands_one_space_after_so_and_on_its_line(province):
    """The clerk's number fills the field beside "Số:": as far from it and on the same baseline as a
    printed "Số: 05/..." (pyHanko's default 10 pt inner margin put it a word further and 1 mm lower)."""
    commune = province.find("Xã Anh Sơn Đông")
    numbered = ContentGenerator(3).document(commune, province, "cong_van", number=5)
    printed, _pages, _box, _fields = render_bytes(numbered)
    raw, _pages, _box, fields = render_bytes(replace(numbered, number=None))
    place = next(place for place, _text in fields if place.name == NUMBER_FIELD)
    filled = add_fields(raw, [(place, numbered.number_code)])  # the appearance issuance draws, same code
    line = _ink_runs(printed, *NUMBER_LINE)
    gap_printed = line[3][0] - line[2][1]     # after "S", "ố", ":"
    runs = _ink_runs(filled, *NUMBER_LINE)
    gap_filled = runs[3][0] - runs[2][1]
    assert abs(gap_filled - gap_printed) < 0.4, (gap_filled, gap_printed)
    assert abs(runs[3][2] - runs[2][2]) < 0.3, "the number sits on the baseline of 'Số:'"


def test_a_wrapped_recipient_keeps_its_word_spacing(province, render):
    """"Nơi nhận" entries are flush left: a name that wraps is not stretched to the column's edge."""
    committee = province.committee
    long_name = "Ủy ban nhân dân xã Hưng Nguyên Nam và các thôn, bản thuộc vùng đồng bào dân tộc thiểu số"
    doc = ContentGenerator(2).document(committee, province, "bao_cao", recipients=(Recipient(long_name),))
    page = render(doc)
    start = page.one("Nơi nhận:").baseline
    entry = [line for line in page.lines if line.baseline > start and line.right < 105 and line.sizes == {11.0}]
    assert len(entry) >= 3  # the name wraps
    for line in entry:
        ink = line.ink
        word_gaps = [b.left - a.right for a, b in zip(ink, ink[1:]) if b.left - a.right > 0.6]
        assert max(word_gaps, default=0) < 1.6, (line.text, word_gaps)  # a space at 11 pt is about 1 mm


def test_a_decision_sends_first_to_those_its_last_article_names(samples):
    seen = 0
    for key, (doc, page, _path) in samples.items():
        if doc.doc_type != "quyet_dinh":
            continue
        seen += 1
        start = page.one("Nơi nhận:").baseline
        entries = [line.text for line in page.lines if line.baseline > start and line.right < 105
                   and line.text.startswith("- ")]
        assert entries[0] == "- Như Điều 3;", (key, entries)
        assert entries[-1].startswith("- Lưu: VT"), key
    assert seen == 3


def test_a_long_title_wraps_in_lines_of_even_length(province, render):
    """"Ban hành Quy định về hạn mức giao đất ở cho hộ gia đình, cá" / "nhân" leaves a word alone."""
    commune = province.find("Xã Anh Sơn Đông")
    for seed in range(100, 200):
        doc = ContentGenerator(seed).document(commune, province, "quyet_dinh")
        if doc.normative and "hạn mức giao đất" in doc.subject:
            break
    page = render(doc)
    title = page.exact("QUYẾT ĐỊNH")
    rule = min((r for r in page.rules if r.y > title.baseline), key=lambda r: r.y)
    lines = [line for line in page.lines if title.baseline < line.baseline < rule.y]
    assert len(lines) == 2 and " ".join(line.text for line in lines) == doc.subject
    widths = [line.right - line.left for line in lines]
    assert min(widths) > 0.6 * max(widths), [line.text for line in lines]


def test_a_provincial_decision_names_the_office_of_the_provincial_committee(samples):
    doc, _page, _path = next(value for key, value in samples.items()
                             if key.endswith("/quyet_dinh") and value[0].issuer_name == "Ủy ban nhân dân tỉnh Nghệ An")
    article = next(p for p in doc.body if p.startswith("Điều 3."))
    assert article.startswith("Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh"), article


def test_the_pdf_shows_the_form_the_fields_were_drawn_for(tmp_path, province):
    """A draft rendered to a file keeps the blank beside "Số:" on the printed line (as the image shows)."""
    commune = province.find("Xã Anh Sơn Đông")
    draft = replace(ContentGenerator(3).document(commune, province, "cong_van"), number=None)
    path = render_pdf(draft, tmp_path / "draft.pdf", pdfa=False).path
    runs = _ink_runs(path.read_bytes(), *NUMBER_LINE)
    after = runs.index(next(r for r in runs[3:] if r[1] - r[0] < 1.5))  # the "/" after the blank
    slash, letter = runs[after], runs[after + 1]
    assert abs(letter[2] - runs[2][2]) < 0.3  # "UBND" on the line of "Số:"
    assert 6 < slash[0] - runs[2][1] < 11     # a blank of four en spaces after one space: room for the number


def test_no_date_is_the_days_and_quarters_that_have_not_come(province):
    """The generator's objects fit the date: a budget settlement names a quarter that has ended, a
    school year the one under way, Tết only around Tết."""
    issuer = province.find("Xã Anh Sơn Đông")
    for month in range(1, 13):
        day = date(2026, month, 15)
        for seed in range(60):
            doc = ContentGenerator(seed).document(issuer, province, None, issued=day)
            text = " ".join((doc.subject, *doc.body))
            if "Tết" in text or "mừng Xuân" in text:
                assert month in (11, 12, 1, 2), (month, doc.subject)
            if "quyết toán ngân sách quý" in text:
                ended = {1: "quý IV năm 2025", 2: "quý IV năm 2025", 3: "quý IV năm 2025", 4: "quý I năm 2026",
                         5: "quý I năm 2026", 6: "quý I năm 2026", 7: "quý II năm 2026", 8: "quý II năm 2026",
                         9: "quý II năm 2026", 10: "quý III năm 2026", 11: "quý III năm 2026",
                         12: "quý III năm 2026"}[month]
                assert ended in text, (month, doc.subject)
            if "học sinh giỏi năm học" in text:
                assert ("năm học 2025-2026" if month < 9 else "năm học 2026-2027") in text, (month, doc.subject)
            if "vụ Hè Thu" in text:
                assert 3 <= month <= 6, (month, doc.subject)


def test_a_province_and_its_departments_write_about_no_single_village(province):
    for name in ("Ủy ban nhân dân tỉnh Nghệ An", "Sở Tài chính", "Sở Văn hóa, Thể thao và Du lịch"):
        issuer = province.find(name)
        for seed in range(80):
            doc = ContentGenerator(seed).document(issuer, province, None, issued=date(2026, 3, 2))
            assert not any(village in doc.subject for village in VILLAGES), (name, doc.subject)


def test_a_departments_decision_cites_the_decision_that_set_it_up_by_number_and_date(province, samples):
    """"Căn cứ Quyết định của Ủy ban nhân dân tỉnh ..." without its number and date is no legal basis."""
    import re

    department = province.find("Sở Nội vụ")
    cited = set()
    for seed in range(6):
        doc = ContentGenerator(seed).document(department, province, "quyet_dinh")
        basis = next(p for p in doc.body if p.startswith("Căn cứ Quyết định"))
        match = re.match(r"Căn cứ Quyết định số (\d{2})/(\d{4})/QĐ-UBND ngày (\d{2}) tháng (\d{1,2}) năm (\d{4}) "
                         r"của Ủy ban nhân dân tỉnh quy định chức năng", basis)
        assert match, basis
        number, year, day, month, year_again = match.groups()
        assert year == year_again and date(int(year), int(month), int(day)) < doc.issued_date
        cited.add(match.group(0))
    assert len(cited) == 1  # the same decision in every document of the department
    page = next(page for key, (doc, page, _p) in samples.items() if doc.issuer_name == "Sở Nội vụ"
                and doc.doc_type == "quyet_dinh")
    assert page.find("Căn cứ Quyết định số ")[0].all_italic


def test_urgency_and_secrecy_stamps_have_the_decrees_sizes(province, tmp_path):
    """"KHẨN" 20 x 8 mm, "HỎA TỐC" 30 x 8, "THƯỢNG KHẨN" 40 x 8 (Decree 30, Appendix I); the secrecy
    marks alike (20, 30, 40 mm), under the number."""
    import pypdfium2.raw as raw

    from simulator.documents import Priority, Secrecy

    commune = province.find("Xã Anh Sơn Đông")
    cases = ((Priority.URGENT, Secrecy.NONE, [20]), (Priority.EXPRESS, Secrecy.NONE, [30]),
             (Priority.VERY_URGENT, Secrecy.SECRET, [20, 40]), (Priority.NORMAL, Secrecy.TOP_SECRET, [30]))
    for k, (priority, secrecy, widths) in enumerate(cases):
        doc = ContentGenerator(4).document(commune, province, "cong_van", priority=priority, secrecy=secrecy)
        pdf = pdfium.PdfDocument(str(render_pdf(doc, tmp_path / f"{k}.pdf", pdfa=False).path))
        page = pdf[0]
        boxes = []
        for obj in page.get_objects():
            if obj.type == raw.FPDF_PAGEOBJ_PATH:
                left, bottom, right, top = (v * 25.4 / 72 for v in obj.get_bounds())
                if 6 < top - bottom < 10:
                    boxes.append((round(right - left, 1), round(top - bottom, 1), (left + right) / 2))
        stroke = 0.6  # the bounds include the frame's line on both sides
        assert [round(w - stroke) for w, _h, _c in boxes] == widths, (priority, secrecy, boxes)
        assert all(abs(h - stroke - 8) < 0.3 for _w, h, _c in boxes), boxes
        assert all(abs(c - 62.5) < 1 for _w, _h, c in boxes)  # centred under the number (left column)


def test_an_invitation_goes_to_the_units_one_directs_or_to_peers_never_up(province):
    from simulator.documents.topics import UP, direction

    for name in ("Sở Nội vụ", "Xã Anh Sơn Đông", "Sở Y tế"):
        issuer = province.find(name)
        for seed in range(25):
            doc = ContentGenerator(seed).document(issuer, province, "giay_moi")
            for recipient in doc.recipients:
                assert direction(issuer, province.get(recipient.code)) != UP, (name, recipient.name)


def test_a_letter_to_ministries_names_them(province):
    from simulator.province.model import UnitKind

    central = [u for u in province.units if u.kind == UnitKind.CENTRAL_BODY][:2]
    doc = ContentGenerator(0).document(province.committee, province, "cong_van",
                                       recipients=tuple(Recipient(u.name, u.code) for u in central))
    text = " ".join(doc.body)
    assert f"{central[0].name} và {central[1].name}" in text and "các cơ quan, đơn vị" not in text


def test_the_slogans_rule_is_as_long_as_the_slogan_and_the_date_is_13_pt_italic(samples):
    for key, (doc, page, _path) in samples.items():
        slogan = page.one("Độc lập - Tự do - Hạnh phúc")
        assert slogan.all_bold and slogan.sizes == {13.0}, key
        rule = min((r for r in page.rules if r.y > slogan.baseline and r.left > 100), key=lambda r: r.y)
        assert abs(rule.left - slogan.left) < 0.6 and abs(rule.right - slogan.right) < 0.6, (key, rule)
        motto = page.one("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        assert motto.all_bold and motto.sizes == {12.0}, key
        date_line = page.one(doc.date_line)
        assert date_line.all_italic and date_line.sizes == {13.0}, key
        assert abs((date_line.left + date_line.right) / 2 - (motto.left + motto.right) / 2) < 1.5, key


def test_pages_after_the_first_are_numbered_at_the_top_centre(province, tmp_path):
    from tests.documents.pdfpage import read_page

    commune = province.find("Xã Anh Sơn Đông")
    doc = ContentGenerator(1).document(commune, province, "bao_cao")
    long = replace(doc, body=doc.body[:1] + tuple(f"{n}. " + doc.body[2] * 3 for n in range(1, 16)) + doc.body[-1:])
    path = render_pdf(long, tmp_path / "long.pdf", pdfa=False).path
    assert len(pdfium.PdfDocument(str(path))) >= 2
    first, second = read_page(path, 0), read_page(path, 1)
    assert not [line for line in first.lines if line.text == "1" and line.baseline < 20]
    number = next(line for line in second.lines if line.text == "2")
    assert number.baseline < 20 and number.sizes == {13.0} and abs((number.left + number.right) / 2 - 112.5) < 1.5


def test_a_decisions_last_article_names_the_office_the_issuer_has():
    """A district's and a 2-level commune's office is the "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân
    huyện / xã"; a commune before 1/7/2025 had an office civil servant; posts are in lower case
    ("Trưởng phòng Tài chính - Kế hoạch", Appendix II)."""
    from simulator.province import load_province

    cases = (("2026-03-02", "Xã Anh Sơn Đông", "Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"),
             ("2024-06-03", "DISTRICT", "Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân "),
             ("2024-06-03", "COMMUNE", "Công chức Văn phòng - Thống kê"))
    for day, name, office in cases:
        province = load_province(on=day)
        issuer = (province.districts[0] if name == "DISTRICT" else province.communes[0] if name == "COMMUNE"
                  else province.find(name))
        for seed in range(4):
            doc = ContentGenerator(seed).document(issuer, province, "quyet_dinh", issued=date.fromisoformat(day))
            article = next(p for p in doc.body if p.startswith("Điều 3."))
            assert article.startswith(f"Điều 3. {office}"), (issuer.name, article)
            assert "Trưởng Phòng" not in " ".join(doc.body), (issuer.name, doc.body)


def test_a_directive_goes_to_the_units_that_must_act(province):
    """A Chỉ thị or a Công điện of the provincial chairman reaches several units, not one commune."""
    for doc_type in ("chi_thi", "cong_dien"):
        for seed in range(12):
            doc = ContentGenerator(seed).document(province.committee, province, doc_type)
            assert len(doc.recipients) >= 3, (doc_type, seed, [r.name for r in doc.recipients])

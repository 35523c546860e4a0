"""Rendering: PDF/A-2b, exact Vietnamese text, glyphs at plausible widths."""

import pikepdf
import pikepdf.pdfa
import pypdfium2 as pdfium
import pytest

from simulator.documents import ContentGenerator, render_pdf, signature_box
from simulator.province import load_province

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    province = load_province()
    doc = ContentGenerator(7).document(province.find("Huyện Diễn Châu"), province, "quyet_dinh")
    path = tmp_path_factory.mktemp("render") / "qd.pdf"
    return doc, render_pdf(doc, path)


def test_pdfa_2b_validates(rendered):
    _doc, result = rendered
    with pikepdf.open(result.path) as pdf:
        report = pikepdf.pdfa.check(pdf, "2b")
    assert report.verdict == "pass", report


def test_text_keeps_vietnamese_exactly(rendered):
    doc, result = rendered
    text = pdfium.PdfDocument(result.path)[0].get_textpage().get_text_range()
    flat = " ".join(text.split())
    for expected in (MOTTO, "Độc lập - Tự do - Hạnh phúc", f"Số: {doc.number_code}", doc.date_line,
                     "QUYẾT ĐỊNH", doc.signer.full_name, "Nơi nhận:"):
        assert " ".join(expected.split()) in flat, expected


def test_motto_has_a_plausible_width(rendered):
    """Spread-out glyphs (wrong units per em) make this line far wider than 12 pt serif capitals."""
    _doc, result = rendered
    page = pdfium.PdfDocument(result.path)[0]
    textpage = page.get_textpage()
    searcher = textpage.search(MOTTO, match_case=True)
    found = searcher.get_next()
    assert found, "motto not found"
    index, count = found
    boxes = [textpage.get_charbox(i) for i in range(index, index + count)]
    width_mm = (max(b[2] for b in boxes) - min(b[0] for b in boxes)) * 25.4 / 72
    # 34 capitals of a 12 pt serif: about 85-100 mm; spread glyphs give 170+ mm
    assert 60 < width_mm < 110, width_mm


def test_rendered_image_shows_ink_in_the_header(rendered):
    _doc, result = rendered
    image = pdfium.PdfDocument(result.path)[0].render(scale=1).to_pil().convert("L")
    w, h = image.size
    header = image.crop((int(w * 0.45), int(h * 0.05), int(w * 0.95), int(h * 0.1)))
    dark = sum(header.histogram()[:128])
    assert dark > 200
    # no ink beyond the right margin (15 mm)
    margin = image.crop((int(w * (1 - 12 / 210)), 0, w, h))
    assert sum(margin.histogram()[:128]) == 0


def test_signature_box_is_stored(rendered):
    _doc, result = rendered
    assert signature_box(result.path) == result.signature_box
    page, x1, y1, x2, y2 = result.signature_box
    assert page == 0 and x2 - x1 > 150 and 60 < y2 - y1 < 120

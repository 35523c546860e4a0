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


def shown_text(path) -> str:
    """The text page 1 shows, form fields included (pdfium flattens a copy, then reads its text)."""
    import io

    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(path)
    raw.FPDFPage_Flatten(pdf[0], raw.FLAT_NORMALDISPLAY)
    copy = io.BytesIO()
    pdf.save(copy)
    return pdfium.PdfDocument(copy.getvalue())[0].get_textpage().get_text_range()


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    """A draft: no number yet (the register gives it at issuance)."""
    from dataclasses import replace

    province = load_province()
    doc = replace(ContentGenerator(7).document(province.find("Xã Diễn Kim"), province, "cong_van"), number=None)
    return doc, render_pdf(doc, tmp_path_factory.mktemp("draft") / "du-thao.pdf")


def test_a_draft_has_blank_number_and_date_fields_and_no_identity(draft):
    from pyhanko.pdf_utils.reader import PdfFileReader

    doc, result = draft
    assert [p.name for p in result.fields] == ["vbdt_so_ky_hieu", "vbdt_ngay"]
    with open(result.path, "rb") as handle:
        reader = PdfFileReader(handle)
        form = {str(f.get_object()["/T"]): f.get_object() for f in reader.root["/AcroForm"]["/Fields"]}
        assert set(form) == {"vbdt_so_ky_hieu", "vbdt_ngay"}
        assert all(str(f["/V"]) == "" and "/N" in f["/AP"] for f in form.values())
        assert "/VbdtDocumentId" not in reader.trailer["/Info"]  # no number, no identity yet
        assert "/VbdtSignatureBox" in reader.trailer["/Info"]
    # the page shows the blanks, the label stays in the page content
    pdf = pdfium.PdfDocument(result.path)
    assert "Số:" in pdf[0].get_textpage().get_text_range()
    flat = " ".join(shown_text(result.path).split())
    assert "/UBND-" in flat and "Diễn Kim, ngày" in flat and f"năm {doc.issued_date.year}" in flat


def test_a_draft_keeps_a_validated_pdfa_base(draft):
    """pikepdf's PDF/A checker does not handle forms: the first revision is the validated PDF/A-2b file."""
    import io

    _doc, result = draft
    data = result.path.read_bytes()
    first = data[:data.index(b"%%EOF") + 5]
    with pikepdf.open(io.BytesIO(first)) as pdf:
        assert "/AcroForm" not in pdf.Root
        assert pikepdf.pdfa.check(pdf, "2b").verdict == "pass"
    assert len(data) > len(first)  # the fields: one incremental update, before any signature

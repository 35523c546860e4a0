"""Digitised paper: PDF, colour, at least 200 dpi, agency signature as text."""

from __future__ import annotations

import pytest
from PIL import Image

from simulator.archiving import check_scan, scan_to_pdf
from simulator.errors import UserError

from .helpers import doc_meta, record_fields


def _page(path, mode="RGB", size=(850, 1100)):
    img = Image.new(mode, size, "white" if mode != "RGB" else (250, 248, 240))
    if mode == "RGB":
        for x in range(100, 300):
            for y in range(100, 120):
                img.putpixel((x, y), (200, 30, 30))  # a red seal stroke
    img.save(path)
    return path


def test_good_scan_passes_and_is_filed(archive, tmp_path):
    pdf = scan_to_pdf([_page(tmp_path / "p1.png"), _page(tmp_path / "p2.png")], tmp_path / "scan.pdf", dpi=200,
                      agency_signature="Ủy ban nhân dân xã Diễn Kim\n2026-03-02T09:15:30+07:00")
    check = check_scan(pdf)
    assert check.ok, check.problems
    assert check.min_dpi == pytest.approx(200, abs=1) and check.colour
    rec = archive.create_record(record_fields())
    fd = archive.file_document(rec.id, pdf, doc_meta("Bản số hóa quyết định năm 1998", scanned=True))
    assert fd.pages == 2
    assert archive.search("ban so hoa")[0].id == fd.id


def test_low_resolution_and_grey_scans_refused(archive, tmp_path):
    low = scan_to_pdf([_page(tmp_path / "p.png", size=(425, 550))], tmp_path / "low.pdf", dpi=200)
    # same pixels stretched over a page twice as large: 100 dpi
    import pikepdf

    with pikepdf.open(low, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        page.MediaBox = [0, 0, float(page.MediaBox[2]) * 2, float(page.MediaBox[3]) * 2]
        pdf.save(low)
    check = check_scan(low)
    assert not check.ok and check.min_dpi == pytest.approx(100, abs=1)
    from fpdf import FPDF

    grey_pdf = FPDF(unit="pt")  # a grey scan made by some other tool
    grey_pdf.add_page(format=(612, 792))
    grey_pdf.image(str(_page(tmp_path / "g.png", mode="L", size=(2550, 3300))), x=0, y=0, w=612, h=792)
    grey = tmp_path / "grey.pdf"
    with pikepdf.open(__import__("io").BytesIO(bytes(grey_pdf.output()))) as doc:
        doc.save(grey, min_version="1.5")
    grey_check = check_scan(grey)
    assert not grey_check.ok and not grey_check.colour
    rec = archive.create_record(record_fields())
    for bad in (low, grey):
        with pytest.raises(UserError):
            archive.file_document(rec.id, bad, doc_meta("Bản số hóa", scanned=True))
    assert archive.documents(rec.id) == []
    with pytest.raises(UserError):
        scan_to_pdf([tmp_path / "p.png"], tmp_path / "x.pdf", dpi=150)


def test_stats_count_signed_and_digitised(archive, pdfs, tmp_path):
    pdf = scan_to_pdf([_page(tmp_path / "p1.png")], tmp_path / "scan.pdf", dpi=200)
    rec = archive.create_record(record_fields())
    archive.file_document(rec.id, pdf, doc_meta("Bản số hóa", scanned=True))
    archive.file_document(rec.id, pdfs["signed"], doc_meta("Bản điện tử có ký số"))
    archive.file_document(rec.id, pdfs["plain"], doc_meta("Bản điện tử chưa ký"))
    assert archive.stats()["archived"] == 0
    archive.ingest(rec.id)
    st = archive.stats()
    assert st["records"] == {"open": 0, "archived": 1, "disposed": 0}
    assert (st["documents"], st["signed"], st["scanned"], st["archived"]) == (3, 1, 1, 3)

"""Fixtures of the routing tests: a real province, documents, temporary databases."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from simulator.calendar import VN_TZ
from simulator.documents.model import Document, Priority, Recipient, Signer
from simulator.province import load_province


@pytest.fixture(scope="session")
def province():
    return load_province("Nghệ An", structure=2024)


@pytest.fixture(scope="session")
def district(province):
    return province.districts[0]


@pytest.fixture(scope="session")
def communes(province, district):
    return province.children(district.code)[:3]


def make_document(issuer, recipients, *, number=None, issued=date(2026, 3, 2), subject="Về việc triển khai gửi, "
                  "nhận văn bản điện tử trên địa bàn", doc_type="cong_van", priority=Priority.NORMAL, due=None):
    return Document(
        issuer_code=issuer.code, issuer_name=issuer.name, issuer_abbreviation="UBND", doc_type=doc_type,
        subject=subject, issued_date=issued, place=issuer.place,
        signer=Signer("Nguyễn Văn An", "Phó Chủ tịch", "KT.", "Chủ tịch"),
        recipients=tuple(Recipient(u.name, u.code) for u in recipients), number=number, drafting_unit="VP",
        priority=priority, due_date=due, body=("Thực hiện Kế hoạch số 338/KH-UBND.",), drafter_initials="NVA",
        copies=5, attachments=("Phụ lục I",))


@pytest.fixture
def doc(district, communes):
    return make_document(district, communes, number=7)


@pytest.fixture
def at():
    return datetime(2026, 3, 2, 9, 15, 30, tzinfo=VN_TZ)  # a Monday


@pytest.fixture(scope="session")
def sample_pdf(tmp_path_factory, district, communes):
    """A real rendered document (Decree 30 layout, PDF/A-2b); a plain fpdf2 page if the renderer is absent."""
    try:
        from simulator.documents.render import render_pdf
    except ImportError:
        render_pdf = None
    if render_pdf is not None:
        path = tmp_path_factory.mktemp("pdf") / "cong-van.pdf"
        render_pdf(make_document(district, communes, number=7), path)
        return path.read_bytes()
    from fpdf import FPDF

    from simulator.documents.fonts import font_path

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("NotoSerif", "", str(font_path("")))
    pdf.set_font("NotoSerif", size=13)
    pdf.cell(0, 10, "ỦY BAN NHÂN DÂN THÀNH PHỐ VINH - Công văn số 07/UBND-VP")
    return bytes(pdf.output())

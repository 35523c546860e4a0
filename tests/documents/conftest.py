"""Documents of every type the generator makes, rendered once per test session."""

from __future__ import annotations

import pytest

from simulator.documents import ContentGenerator, render_pdf
from simulator.documents.content import TYPE_WEIGHTS
from simulator.province import load_province
from simulator.province.model import UnitKind

from tests.documents.pdfpage import read_page

DAY = "2026-03-02"
CHAIRMAN_ONLY = ("chi_thi", "cong_dien")  # a provincial chairman's directive and telegram
ISSUERS = ("Ủy ban nhân dân tỉnh Nghệ An", "Sở Nội vụ", "Xã Anh Sơn Đông")


def _issuers(province):
    return [province.find(name) for name in ISSUERS]


@pytest.fixture(scope="session")
def province():
    return load_province(on=DAY)


@pytest.fixture(scope="session")
def samples(province, tmp_path_factory):
    """(document, first page) for every generated type from the province, a department and a commune."""
    folder = tmp_path_factory.mktemp("forms")
    out = {}
    for issuer in _issuers(province):
        for seed, doc_type in enumerate(TYPE_WEIGHTS):
            if doc_type in CHAIRMAN_ONLY and issuer.kind != UnitKind.PROVINCE_COMMITTEE:
                continue
            doc = ContentGenerator(seed).document(issuer, province, doc_type)
            path = render_pdf(doc, folder / f"{issuer.code}-{doc_type}.pdf", pdfa=False).path
            out[f"{issuer.short_name}/{doc_type}"] = (doc, read_page(path), path)
    return out


@pytest.fixture(scope="session")
def render(tmp_path_factory):
    """Render one document and read its first page."""
    folder = tmp_path_factory.mktemp("one")
    count = iter(range(10**6))

    def _render(doc):
        path = render_pdf(doc, folder / f"{next(count)}.pdf", pdfa=False).path
        return read_page(path)

    return _render

"""Publishing on the portal: the facts come from what the signatures cover, and bad documents are refused."""

from __future__ import annotations

import io
import os
from datetime import date

import pytest

from simulator.errors import UserError
from simulator.i18n import set_language


@pytest.fixture(autouse=True)
def vietnamese():
    set_language("vi")
    yield
    set_language(None)


def _tree(folder) -> dict:
    seen = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            if not name.endswith(("-wal", "-shm")):
                st = os.stat(path)
                seen[path] = (st.st_size, st.st_mtime_ns if os.path.isfile(path) else 0)
    return seen


def test_metadata_is_what_the_signed_document_says(material):
    from simulator.portal import read_metadata

    doc = material.decision.doc
    meta = read_metadata(material.decision.pdf.read_bytes(), "quyet-dinh.pdf")
    assert meta.number_code == doc.number_code == "05/QĐ-UBND"
    assert meta.issued == date(2026, 3, 5)
    assert (meta.type_key, meta.type_name) == ("quyet_dinh", "Quyết định")
    assert (meta.issuer_code, meta.issuer_name) == (doc.issuer_code, doc.issuer_name)
    assert meta.signer == doc.signer.full_name
    assert meta.subject == doc.subject
    assert meta.effective == date(2026, 3, 20)  # "có hiệu lực kể từ ngày 20 tháng 3 năm 2026"
    assert meta.field == "đất đai"
    directive = read_metadata(material.directive.pdf.read_bytes(), "chi-thi.pdf")
    assert directive.type_name == "Chỉ thị" and directive.effective == date(2026, 4, 2)  # no date stated: on issue
    assert directive.field == "y tế"


def test_published_row_keeps_the_verdict_and_the_bytes(material, published):
    from simulator.portal import Portal

    with Portal(published) as portal:
        row = portal.find("05/QĐ-UBND")
        assert row["path"] == "eli/vn/nghe-an/000.00.00.h41/2026/quyet-dinh/05-qd-ubnd/"
        assert row["verification"]["passed"] is True
        assert [s["role"] for s in row["verification"]["signatures"]] == ["person", "seal"]
        assert portal.file_of(row).read_bytes() == material.decision.pdf.read_bytes()
        assert portal.count() == 3


def test_info_rewritten_after_signing_does_not_change_what_is_published(material, tmp_path):
    """/Info is not covered by the signatures: an update without a key must not change the portal's facts."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from simulator.portal import Portal

    writer = IncrementalPdfFileWriter(io.BytesIO(material.directive.pdf.read_bytes()))
    info = writer.trailer["/Info"].get_object()
    info[generic.NameObject("/Title")] = generic.TextStringObject("Về việc miễn thuế cho người viết lại")
    info[generic.NameObject("/VbdtDocumentId")] = generic.TextStringObject("000.00.00.H41,2026/04/02,99/CT-UBND")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    forged = tmp_path / "sua-info.pdf"
    forged.write_bytes(out.getvalue())
    from simulator.portal import read_metadata

    meta = read_metadata(forged.read_bytes(), forged.name)
    assert (meta.subject, meta.number_code) == (material.directive.doc.subject, "03/CT-UBND")
    with Portal(tmp_path / "cong", create=True) as portal:
        try:
            row = portal.publish(forged, material.pki)
        except UserError:
            return  # refusing it is fine too (pyHanko may judge the update); publishing the rewritten facts is not
        assert row["subject"] == material.directive.doc.subject
        assert row["number_code"] == material.directive.doc.number_code


@pytest.mark.parametrize("which, words", [
    ("unsigned", "không có chữ ký số"),
    ("unsealed", "con dấu"),
    ("foreign", "không qua được kiểm tra chữ ký số"),
    ("letter", "không phải văn bản quy phạm pháp luật"),
])
def test_refusals_change_nothing(material, tmp_path, which, words):
    from simulator.portal import Portal

    pdf = getattr(material, which)
    pdf = getattr(pdf, "pdf", pdf)
    Portal(tmp_path / "cong", create=True).close()
    before = _tree(tmp_path / "cong")
    with Portal(tmp_path / "cong") as portal, pytest.raises(UserError) as refused:
        portal.publish(pdf, material.pki)
    line = str(refused.value)
    assert words in line and "\n" not in line
    assert _tree(tmp_path / "cong") == before
    with Portal(tmp_path / "cong") as portal:
        assert portal.count() == 0


def test_a_number_is_published_once_a_year(material, portal_copy):
    from simulator.portal import Portal

    before = _tree(portal_copy)
    with Portal(portal_copy) as portal, pytest.raises(UserError) as refused:
        portal.publish(material.duplicate.pdf, material.pki)
    assert "05/QĐ-UBND" in str(refused.value) and "duy nhất trong năm" in str(refused.value)
    assert _tree(portal_copy) == before


def test_a_tampered_file_is_refused(material, portal_copy, tmp_path):
    from simulator.portal import Portal

    data = bytearray(material.directive.pdf.read_bytes())
    at = data.find(b"/Producer")
    assert at > 0
    data[at + 1] = ord("Q")  # one byte inside the signed range
    bad = tmp_path / "sua-mot-byte.pdf"
    bad.write_bytes(bytes(data))
    with Portal(portal_copy) as portal, pytest.raises(UserError):
        portal.publish(bad, material.pki)


def test_status_in_force_follows_the_effective_date_and_the_editor():
    from simulator.portal.status import EXPIRED, IN_FORCE, NOT_YET, PARTLY_EXPIRED, in_force, status_on

    assert status_on(date(2026, 3, 20), None, date(2026, 3, 19)) == NOT_YET
    assert status_on(date(2026, 3, 20), None, date(2026, 3, 20)) == IN_FORCE
    assert status_on(date(2026, 3, 20), EXPIRED, date(2026, 3, 25)) == EXPIRED
    assert in_force(PARTLY_EXPIRED) and not in_force(EXPIRED) and not in_force(NOT_YET)

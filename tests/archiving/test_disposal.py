"""Retention and disposal: approval, holds, twice; tombstones and deletion events for ever."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from simulator.archiving.catalogue import documents
from simulator.errors import UserError

from .helpers import doc_meta, record_fields

LATER = "2032-01-02"   # a 5-year record ended in 2026 may be appraised from 1/1/2032


@pytest.fixture
def two(archive, pdfs):
    """A 5-year record and a permanent one, both ingested."""
    short = archive.create_record(record_fields("000.01.40.H41.2026.01"))
    archive.file_document(short.id, pdfs["cong_van"], doc_meta("Về việc giấy mời họp"))
    archive.file_document(short.id, pdfs["plain"], doc_meta("Về việc lịch trực"))
    forever = archive.create_record(record_fields("000.01.40.H41.2026.02", maintenance="ke_hoach_bao_cao_nam",
                                                  title="Kế hoạch, báo cáo năm 2026"))
    archive.file_document(forever.id, pdfs["bao_cao"], doc_meta("Báo cáo tổng kết năm 2026"))
    p1 = archive.ingest(short.id, agent="Lê Thị Hoa")
    archive.ingest(forever.id, agent="Lê Thị Hoa")
    return archive, short, forever, p1


def _state(arc):
    with arc.engine.connect() as conn:
        n_docs = conn.execute(select(func.count()).select_from(documents)).scalar_one()
    return n_docs, sorted(arc.store.package_dirs()), [r.state for r in arc.records()]


def test_expired_lists_with_reason(two):
    arc, short, forever, _p = two
    assert arc.expired(at="2031-12-31") == []
    rows = arc.expired(at=LATER)
    assert [r.record_id for r in rows] == [short.id]
    assert "5 năm" in rows[0].reason and "10/2022/TT-BNV" in rows[0].reason
    assert rows[0].expired_on.isoformat() == "2032-01-01"


def test_refused_without_approval_under_hold_twice_and_not_expired(two):
    arc, short, forever, _p = two
    before = _state(arc)
    with pytest.raises(UserError):
        arc.request_disposal([forever.id], "Hết giá trị", "Lưu trữ viên", at=LATER)  # permanent
    with pytest.raises(UserError):
        arc.request_disposal([short.id], "Hết giá trị", "Lưu trữ viên", at="2030-01-01")  # not yet
    req = arc.request_disposal([short.id], "Hết thời hạn bảo quản", "Lưu trữ viên", at=LATER)
    with pytest.raises(UserError):
        arc.dispose(req, agent="Lưu trữ viên", at=LATER)  # no approval
    assert _state(arc) == before
    arc.approve_disposal(req, "Chủ tịch UBND xã", "Quyết định số 12/QĐ-UBND", council="Hội đồng XĐGTTL")
    with pytest.raises(UserError):
        arc.approve_disposal(req, "Chủ tịch UBND xã", "Quyết định số 12/QĐ-UBND")  # not pending any more
    arc.place_hold(short.id, "Đang thanh tra", "Thanh tra huyện")
    with pytest.raises(UserError):
        arc.dispose(req, agent="Lưu trữ viên", at=LATER)  # on hold
    assert _state(arc) == before
    assert arc.expired(at=LATER) == []  # a held record is not listed
    arc.release_hold(short.id)
    tombs = arc.dispose(req, agent="Lưu trữ viên", at=LATER)
    assert [t.record_id for t in tombs] == [short.id]
    after = _state(arc)
    with pytest.raises(UserError):
        arc.dispose(req, agent="Lưu trữ viên", at=LATER)  # twice
    with pytest.raises(UserError):
        arc.request_disposal([short.id], "Lại", "Lưu trữ viên", at=LATER)
    assert _state(arc) == after


def test_destruction_keeps_tombstone_and_events(two):
    arc, short, forever, p1 = two
    req = arc.request_disposal(short.id, "Hết thời hạn bảo quản", "Lưu trữ viên", at=LATER)
    arc.approve_disposal(req, "Chủ tịch UBND xã", "Quyết định số 12/QĐ-UBND")
    arc.dispose(req, agent="Lưu trữ viên", at=LATER)
    assert not p1.path.exists()
    assert arc.record(short.id).state == "disposed"
    tomb = arc.tombstone(short.id)
    assert tomb.approval_ref == "Quyết định số 12/QĐ-UBND" and tomb.approved_by == "Chủ tịch UBND xã"
    assert {k.split("/", 1)[1] for k in tomb.hashes} >= {"data/originals/001.pdf", "data/originals/002.pdf"}
    assert all(len(v["sha512"]) == 128 for v in tomb.hashes.values())
    assert [d["subject"] for d in tomb.summary["documents"]] == ["Về việc giấy mời họp", "Về việc lịch trực"]
    deletion = [e for e in arc.events(p1.id) if e["event_type"] == "deletion"]
    assert len(deletion) == 1 and "12/QĐ-UBND" in deletion[0]["outcome_detail"]
    assert arc.search("giay moi hop") == []
    assert arc.audit().success  # a destroyed package is not "missing"
    assert b"deletion" in arc.premis_xml(short.id)
    assert len(arc.search("bao cao tong ket")) == 1  # the other record is untouched


def test_bad_disposal_input(two):
    arc, short, *_ = two
    with pytest.raises(UserError):
        arc.request_disposal([], "x", "y")
    with pytest.raises(UserError):
        arc.request_disposal([short.id], "  ", "y", at=LATER)
    with pytest.raises(UserError):
        arc.approve_disposal("TH-khongco", "a", "b")
    req = arc.request_disposal([short.id], "Hết hạn", "Lưu trữ viên", at=LATER)
    with pytest.raises(UserError):
        arc.approve_disposal(req, "Chủ tịch", "")
    with pytest.raises(UserError):
        arc.release_hold(short.id)

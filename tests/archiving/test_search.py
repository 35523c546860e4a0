"""Vietnamese search: folding (tone marks and đ), exact forms first, filters."""

from __future__ import annotations

import pytest

from simulator.errors import UserError

from .helpers import doc_meta, record_fields

SUBJECTS = [
    ("Về việc phê duyệt quyết định đầu tư xây dựng trường mầm non", "Quyết định", "2026-01-10", "A"),
    ("Về việc hòa giải ở cơ sở năm 2026", "Công văn", "2026-02-10", "A"),
    ("Kế hoạch kiểm tra hoà giải tranh chấp đất đai", "Kế hoạch", "2026-03-10", "B"),
    ("Báo cáo số liệu thống kê dân số", "Báo cáo", "2026-04-10", "B"),
    ("Công văn gửi sở Tài chính về dự toán", "Công văn", "2026-05-10", "A"),
    ("Thông báo lịch tiếp công dân tháng 6", "Thông báo", "2026-06-10", "B"),
]


@pytest.fixture
def catalogue(archive, pdfs):
    rec_a = archive.create_record(record_fields("000.01.40.H41.2026.01"))
    rec_b = archive.create_record(record_fields("000.01.40.H41.2026.02"))
    ids = {}
    for i, (subject, kind, day, which) in enumerate(SUBJECTS):
        rec = rec_a if which == "A" else rec_b
        issuer = "Ủy ban nhân dân xã Diễn Kim" if which == "A" else "Ủy ban nhân dân xã Nghi Lộc"
        fd = archive.file_document(rec.id, pdfs["plain"], doc_meta(
            subject, type_name=kind, issued_date=day, organ_name=issuer, code_number=str(i + 1),
            body="Nội dung chi tiết kèm theo." if i else "Điều 1. Phê duyệt chủ trương đầu tư."))
        ids[subject] = fd.id
    archive.ingest(rec_a.id)
    return archive, ids, rec_a, rec_b


def _subjects(hits):
    return [h.subject for h in hits]


@pytest.mark.parametrize("query", ["quyet dinh", "QUYẾT ĐỊNH", "quyết định", "Quyet Dinh"])
def test_decision_found_with_or_without_marks(catalogue, query):
    arc, ids, *_ = catalogue
    assert _subjects(arc.search(query))[0] == SUBJECTS[0][0]


@pytest.mark.parametrize("query", ["đầu tư", "dau tu", "ĐẦU TƯ"])
def test_investment(catalogue, query):
    arc, ids, *_ = catalogue
    assert _subjects(arc.search(query)) == [SUBJECTS[0][0]]


def test_old_and_new_tone_placement_meet(catalogue):
    arc, *_ = catalogue
    both = {SUBJECTS[1][0], SUBJECTS[2][0]}
    for query in ("hòa giải", "hoà giải", "hoa giai"):
        assert set(_subjects(arc.search(query))) == both
    first = arc.search("hòa giải")
    assert first[0].subject == SUBJECTS[1][0] and first[0].exact and not first[1].exact
    assert first[0].score > first[1].score
    assert arc.search("hoà giải")[0].subject == SUBJECTS[2][0]


def test_exact_form_ranked_first(catalogue):
    arc, *_ = catalogue
    so = arc.search("sở")
    assert set(_subjects(so[:2])) == {SUBJECTS[1][0], SUBJECTS[4][0]} and so[0].exact and so[1].exact
    assert SUBJECTS[3][0] in _subjects(so)[2:]  # "số" folds to the same "so" but comes after
    assert not so[2].exact and so[1].score > so[2].score
    assert arc.search("số")[0].subject == SUBJECTS[3][0]


def test_code_signer_and_body_are_searched(catalogue):
    arc, *_ = catalogue
    assert _subjects(arc.search("5/UBND-VP")) == [SUBJECTS[4][0]]
    assert len(arc.search("nguyen van hung")) == len(SUBJECTS)
    assert _subjects(arc.search("chủ trương")) == [SUBJECTS[0][0]]


def test_filters(catalogue):
    arc, ids, rec_a, rec_b = catalogue
    assert len(arc.search("", date_from="2026-03-01", date_to="2026-05-31")) == 3
    assert {h.subject for h in arc.search("hoa giai", record=rec_b.id)} == {SUBJECTS[2][0]}
    assert {h.subject for h in arc.search("", doc_type="công văn")} == {SUBJECTS[1][0], SUBJECTS[4][0]}
    assert len(arc.search("", issuer="Ủy ban nhân dân xã Nghi Lộc")) == 3
    assert arc.search("dau tu", date_from="2026-02-01") == []
    with pytest.raises(UserError):
        arc.search("x", date_from="mùng 1")
    with pytest.raises(UserError):
        arc.search("x", colour="đỏ")


def test_hit_json_shape(catalogue):
    arc, *_ = catalogue
    hit = arc.search("thong bao")[0].as_json()
    assert list(hit) == ["id", "code", "subject", "issuer", "date", "score"]
    assert hit["subject"] == SUBJECTS[5][0] and hit["date"] == "2026-06-10" and hit["code"] == "6/UBND-VP"


def test_nothing_found_and_odd_queries(catalogue):
    arc, *_ = catalogue
    assert arc.search("khong co tu nay") == []
    assert isinstance(arc.search('"quyet" OR dinh*'), list)  # FTS syntax is quoted, never injected

"""Property: however a person types a subject (case, marks, old/new tone placement), search finds it."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.archiving import Archive
from simulator.text import fold
from tests.pg import BACKENDS, database

from .helpers import doc_meta, record_fields

SUBJECTS = [
    "Về việc hỗ trợ hộ nghèo đón Tết Nguyên đán",
    "Kế hoạch tổ chức Đại hội thể dục thể thao xã",
    "Quyết định thành lập Tổ hòa giải thôn Đồng Xuân",
    "Báo cáo kết quả thu hoạch lúa vụ Đông Xuân",
    "Thông báo lịch tiêm chủng mở rộng tháng Mười",
    "Công văn về việc khắc phục sự cố đường điện",
    "Tờ trình đề nghị phê duyệt dự toán kinh phí sửa chữa trường học",
    "Giấy mời dự hội nghị tuyên truyền pháp luật về đất đai",
]
NEW_TO_OLD = {"òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "òe": "oè", "óe": "oé", "ủy": "uỷ",
              "ùy": "uỳ", "úy": "uý", "ũy": "uỹ", "ụy": "uỵ"}


@pytest.fixture(scope="module", params=BACKENDS)
def filled(request, tmp_path_factory, pdfs):
    with database(request, request.param, "prop") as url:
        arc = Archive(tmp_path_factory.mktemp("prop") / "kho", url)
        rec = arc.create_record(record_fields())
        ids = {}
        for i, subject in enumerate(SUBJECTS):
            ids[subject] = arc.file_document(rec.id, pdfs["plain"], doc_meta(subject, code_number=str(i + 1),
                                                                             body="Nội dung.")).id
        yield arc, ids
        arc.close()


def _old_placement(text: str) -> str:
    for new, old in NEW_TO_OLD.items():
        text = text.replace(new, old)
    return text


@settings(max_examples=40)
@given(st.integers(0, len(SUBJECTS) - 1), st.integers(2, 4), st.sampled_from(
    ["as is", "upper", "no marks", "no marks upper", "old tones", "nfd"]))
def test_typed_any_way_still_found(filled, index, n_words, style):
    arc, ids = filled
    words = SUBJECTS[index].split()
    start = len(words) - n_words
    query = " ".join(words[start:])
    query = {"as is": query, "upper": query.upper(), "no marks": fold(query), "no marks upper": fold(query).upper(),
             "old tones": _old_placement(query), "nfd": unicodedata.normalize("NFD", query)}[style]
    hits = arc.search(query)
    assert ids[SUBJECTS[index]] in [h.id for h in hits], (query, [h.subject for h in hits])
    if style in ("as is", "upper", "nfd"):
        assert hits[0].exact

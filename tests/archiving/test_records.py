"""Records, metadata and bad input: clear errors, nothing stored."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from simulator.archiving import RETENTION_SCHEDULE, retention_rule
from simulator.archiving.catalogue import documents, records
from simulator.errors import UserError

from .helpers import doc_meta, record_fields


def _counts(arc):
    with arc.engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(records)).scalar_one(),
                conn.execute(select(func.count()).select_from(documents)).scalar_one(),
                sorted(arc.store.staging_files()))


def test_record_takes_appendix_vi_names_and_normalises_text(archive):
    rec = archive.create_record({"FileCode": "000.01.40.H41.2026.07", "Title": "Ho\u0302\u0300 so\u031b",
                                 "Maintenance": "khieu_nai_to_cao", "Creator": "UBND xã Diễn Kim",
                                 "StartDate": "2026-01-05"})
    assert rec.title == "Hồ sơ" and len(rec.title) == 5  # NFC
    assert rec.file_code == "000.01.40.H41.2026.07"
    assert rec.retention == "15 năm" and rec.state == "open"
    assert rec.metadata["retention_source"].startswith("Thông tư 10/2022/TT-BNV")


@pytest.mark.parametrize("change, field", [
    ({"title": None}, "title"),
    ({"end_date": "2025-12-31"}, "end_date"),
    ({"maintenance": "khong_co_loai_nay"}, "maintenance"),
    ({"file_code": "H41-2026"}, "file_code"),
    ({"start_date": "ngày 5"}, "start_date"),
])
def test_bad_record_is_refused_and_nothing_stored(archive, change, field):
    fields = record_fields()
    for k, v in change.items():
        if v is None:
            del fields[k]
        else:
            fields[k] = v
    with pytest.raises(UserError) as err:
        archive.create_record(fields)
    assert err.value.field == field
    assert str(err.value)  # one line, in the user's language
    assert _counts(archive) == (0, 0, [])


def test_duplicate_file_code_refused(archive):
    archive.create_record(record_fields())
    with pytest.raises(UserError):
        archive.create_record(record_fields(title="Khác"))
    assert _counts(archive)[0] == 1


def test_non_pdf_and_missing_metadata_refused_nothing_stored(archive, pdfs):
    rec = archive.create_record(record_fields())
    with pytest.raises(UserError) as err:
        archive.file_document(rec.id, pdfs["not_pdf"], doc_meta("Về việc thử"))
    assert err.value.field == "pdf_path"
    bad = doc_meta("Về việc thử")
    del bad["issued_date"]
    with pytest.raises(UserError) as err:
        archive.file_document(rec.id, pdfs["cong_van"], bad)
    assert err.value.field == "issued_date"
    with pytest.raises(UserError):
        archive.file_document(rec.id, pdfs["cong_van"], doc_meta("x" * 501))
    with pytest.raises(UserError):
        archive.file_document(rec.id, pdfs["cong_van"], doc_meta("Đến", direction="incoming"))
    assert _counts(archive) == (1, 0, [])


def test_filed_document_is_staged_byte_for_byte(archive, pdfs):
    rec = archive.create_record(record_fields())
    fd = archive.file_document(rec.id, pdfs["cong_van"], doc_meta("Về việc họp giao ban"))
    staged = archive.folder / archive.documents(rec.id)[0]["staging"]
    assert staged.read_bytes() == pdfs["cong_van"].read_bytes()
    assert fd.ordinal == 1 and fd.pages == 1 and fd.code == "12/UBND-VP"


def test_retention_schedule_and_handover():
    from simulator.archiving import handover_due

    assert retention_rule("goi_thau_trung_thau").years == 20
    assert retention_rule("ke_hoach_bao_cao_nam").permanent
    assert all(rule.key == key for key, rule in RETENTION_SCHEDULE.items())
    rule = retention_rule("cong_van_trao_doi")
    assert rule.expires(dt.date(2026, 12, 30)) == dt.date(2032, 1, 1)
    assert handover_due(dt.date(2026, 12, 30)) == dt.date(2027, 12, 30)
    with pytest.raises(UserError):
        retention_rule("vinh_vien_mai_mai")


def test_handover_overdue_lists_open_records(archive):
    rec = archive.create_record(record_fields(end_date="2024-05-01", start_date="2024-01-01"))
    assert [r.id for r in archive.handover_overdue(at="2025-06-01")] == [rec.id]
    assert archive.handover_overdue(at="2025-04-01") == []


def test_messages_in_vietnamese_by_default_and_english_on_request(archive, lang_en):
    with pytest.raises(UserError) as err:
        archive.create_record(record_fields(maintenance="khong_co"))
    assert "Unknown retention type" in str(err.value)


def test_messages_vietnamese(archive):
    with pytest.raises(UserError) as err:
        archive.create_record(record_fields(end_date="2025-01-01"))
    assert str(err.value) == "Ngày kết thúc của hồ sơ sớm hơn ngày bắt đầu."
    rec = archive.create_record(record_fields())
    with pytest.raises(UserError) as err:
        archive.ingest(rec.id)
    assert "chưa có văn bản nào" in str(err.value)


def test_catalogue_url_is_configurable(tmp_path, pdfs):
    from simulator.archiving import Archive

    url = f"sqlite:///{tmp_path / 'elsewhere' / 'muc-luc.db'}"
    (tmp_path / "elsewhere").mkdir()
    with Archive(tmp_path / "kho", url=url) as arc:
        rec = arc.create_record(record_fields())
        arc.file_document(rec.id, pdfs["plain"], doc_meta("Về việc cấu hình cơ sở dữ liệu"))
        arc.ingest(rec.id)
        assert arc.search("co so du lieu")[0].record_id == rec.id
    assert (tmp_path / "elsewhere" / "muc-luc.db").stat().st_size > 0
    assert not (tmp_path / "kho" / "catalogue.sqlite").exists()
    with Archive(tmp_path / "kho", url=url) as again:  # reopened: same catalogue, same packages
        assert again.record(rec.id).state == "archived" and again.audit().success


def test_batch_filing_is_all_or_nothing_and_ordinals_unique(archive, pdfs):
    rec = archive.create_record(record_fields())
    with pytest.raises(UserError):
        archive.file_documents(rec.id, [(pdfs["cong_van"], doc_meta("Một")), (pdfs["not_pdf"], doc_meta("Hai"))])
    assert _counts(archive) == (1, 0, [])
    filed = archive.file_documents(rec.id, [(pdfs["cong_van"], doc_meta("Một")), (pdfs["plain"], doc_meta("Hai"))])
    assert [f.ordinal for f in filed] == [1, 2]
    with pytest.raises(UserError) as err:
        archive.file_document(rec.id, pdfs["bao_cao"], doc_meta("Ba", doc_ordinal=2))
    assert err.value.field == "doc_ordinal"
    assert archive.file_document(rec.id, pdfs["bao_cao"], doc_meta("Ba")).ordinal == 3

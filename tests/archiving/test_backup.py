"""Backups: full and incremental on another folder, restore after damage, restore drill."""

from __future__ import annotations

import shutil

import pytest

from simulator.archiving import Archive
from simulator.errors import UserError

from .helpers import doc_meta, record_fields


@pytest.fixture
def catalogue_url():
    return None  # these backups copy an SQLite catalogue; PostgreSQL is backed up with its own tools


def _ingest(arc, pdfs, n):
    rec = arc.create_record(record_fields(f"000.01.40.H41.2026.{n:02d}"))
    arc.file_document(rec.id, pdfs["cong_van"], doc_meta(f"Về việc số {n}"))
    arc.file_document(rec.id, pdfs["plain"], doc_meta(f"Về việc phụ {n}"))
    return rec, arc.ingest(rec.id, agent="Lê Thị Hoa")


def test_full_then_incremental_then_restore(archive, pdfs, tmp_path):
    dest = tmp_path / "o-dia-2"
    r1, p1 = _ingest(archive, pdfs, 1)
    full = archive.backup(dest)
    assert full.kind == "full" and full.packages == 1
    r2, p2 = _ingest(archive, pdfs, 2)
    open_rec = archive.create_record(record_fields("000.01.40.H41.2026.03"))
    archive.file_document(open_rec.id, pdfs["bao_cao"], doc_meta("Về việc chưa nộp lưu"))
    inc = archive.backup(dest, full=False)
    assert inc.kind == "incremental" and inc.packages == 1 and inc.staging == 1 and inc.based_on == full.id
    assert archive.backup(dest, full=False).packages == 0
    # damage: flip a byte in p1, delete p2 entirely, lose the staging file
    victim = p1.path / "data/originals/001.pdf"
    data = bytearray(victim.read_bytes())
    data[10] ^= 0x20
    victim.write_bytes(bytes(data))
    shutil.rmtree(p2.path)
    for rel in archive.store.staging_files():
        (archive.folder / rel).write_bytes(b"%PDF-1.7 hong")  # the staging copy rots in place
    assert not archive.audit().success
    newer = archive.create_record(record_fields("000.01.40.H41.2026.09"))
    with pytest.raises(UserError):
        archive.restore(dest)  # would drop the record created after the last backup
    assert archive.record(newer.id).state == "open"
    result = archive.restore(dest, force=True)
    assert sorted(result["restored"]) == sorted(p.path.relative_to(archive.folder).as_posix() for p in (p1, p2))
    assert result["failed"] == [] and len(result["staging"]) == 1
    report = archive.audit()
    assert report.success, report
    assert archive.search("về việc số 2")[0].subject == "Về việc số 2"
    assert archive.record(open_rec.id).state == "open"
    archive.ingest(open_rec.id)  # the restored staging copy is usable


def test_restore_drill_into_empty_folder(archive, pdfs, tmp_path):
    dest = tmp_path / "o-dia-2"
    _ingest(archive, pdfs, 1)
    archive.backup(dest)
    _ingest(archive, pdfs, 2)
    archive.backup(dest, full=False)
    drill = archive.restore_drill(dest)
    assert drill["success"] and drill["packages"] == 2 and drill["records"] == 2 and drill["documents"] == 4
    assert any(e["event_type"] == "recovery" for e in archive.events("archive"))


def test_damaged_backup_copy_is_not_restored(archive, pdfs, tmp_path):
    dest = tmp_path / "o-dia-2"
    _rec, p1 = _ingest(archive, pdfs, 1)
    s = archive.backup(dest)
    rel = p1.path.relative_to(archive.folder).as_posix()
    copy = s.path / rel / "data/originals/001.pdf"
    copy.write_bytes(copy.read_bytes()[:-2] + b"zz")
    drill = archive.restore_drill(dest)
    assert not drill["success"] and drill["failed"] == [rel]


def test_backup_refusals(archive, pdfs, tmp_path):
    with pytest.raises(UserError):
        archive.backup(archive.folder / "ben-trong")
    with pytest.raises(UserError):
        archive.restore(tmp_path / "trong-rong")
    other = Archive(tmp_path / "khac")
    other.close()

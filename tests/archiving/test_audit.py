"""Audit: full validation catches bit rot, deletions, strays and orphans; logs every run."""

from __future__ import annotations

import shutil

from sqlalchemy import select

from simulator.archiving.catalogue import fixity_log

from .helpers import doc_meta, record_fields


def test_clean_audit_logs_run_and_fixity_events(archived):
    arc, rec, pkg = archived
    report = arc.audit(agent="Phạm Quản Trị")
    assert report.success and report.packages == 1 and report.bytes > 100_000
    assert (report.changed, report.missing, report.untracked) == ([], [], [])
    assert report.started <= report.finished
    assert list(report.as_json()) == ["success", "message", "changed", "missing", "untracked", "stuck", "started",
                                      "finished"]
    fixity = [e for e in arc.events(pkg.id) if e["event_type"] == "fixity check"]
    assert len(fixity) == 1 and fixity[0]["outcome"] == "success"
    assert {a["name"] for a in fixity[0]["agents"]} >= {"Phạm Quản Trị", "vbdt-lab"}
    with arc.engine.connect() as conn:
        assert conn.execute(select(fixity_log.c.success)).scalars().all() == [True]


def test_bit_rot_deletion_and_stray_reported_exactly(archived):
    arc, rec, pkg = archived
    rel = pkg.path.relative_to(arc.folder).as_posix()
    flipped = pkg.path / "data/originals/002.pdf"
    data = bytearray(flipped.read_bytes())
    data[len(data) // 2] ^= 0x01  # same size: the fast Payload-Oxum check would miss it
    flipped.write_bytes(bytes(data))
    (pkg.path / "data/originals/003.pdf").unlink()
    (pkg.path / "data/originals/stray.txt").write_text("lạc chỗ", encoding="utf-8")
    report = arc.audit()
    assert not report.success
    assert report.changed == [f"{rel}/data/originals/002.pdf"]
    assert report.missing == [f"{rel}/data/originals/003.pdf"]
    assert report.untracked == [f"{rel}/data/originals/stray.txt"]
    fixity = [e for e in arc.events(pkg.id) if e["event_type"] == "fixity check"]
    assert fixity[-1]["outcome"] == "failure" and "002.pdf" in fixity[-1]["outcome_detail"]
    with arc.engine.connect() as conn:
        row = conn.execute(select(fixity_log)).first()
    assert row.success is False and row.changed == report.changed


def test_manifest_rewritten_to_match_is_still_caught(archived):
    """Someone edits a file and rewrites the bag's manifests: the catalogue's hashes still disagree."""
    import bagit

    arc, rec, pkg = archived
    target = pkg.path / "data/metadata/record.json"
    original = target.read_text(encoding="utf-8")
    assert "Diễn Kim" in original
    target.write_text(original.replace("Diễn Kim", "Giả Mạo"), encoding="utf-8")
    bag = bagit.Bag(str(pkg.path))
    bag.save(manifests=True)
    bag.validate(fast=False)  # the bag alone now looks fine
    report = arc.audit()
    rel = pkg.path.relative_to(arc.folder).as_posix()
    assert not report.success and f"{rel}/data/metadata/record.json" in report.changed


def test_orphan_and_missing_packages(archived, tmp_path):
    arc, rec, pkg = archived
    orphan = arc.folder / "packages/ff/ff/ffff0000"
    shutil.copytree(pkg.path, orphan)
    report = arc.audit()
    assert report.untracked == ["packages/ff/ff/ffff0000"] and not report.changed and not report.missing
    shutil.rmtree(orphan)
    shutil.move(pkg.path, tmp_path / "moved")
    report = arc.audit()
    rel = pkg.path.relative_to(arc.folder).as_posix()
    assert len(report.missing) == len(pkg.files) and all(m.startswith(rel) for m in report.missing)


def test_staging_files_are_audited(archive, pdfs):
    rec = archive.create_record(record_fields())
    archive.file_document(rec.id, pdfs["cong_van"], doc_meta("Về việc đang xử lý"))
    assert archive.audit().success
    staged = archive.folder / archive.documents(rec.id)[0]["staging"]
    staged.write_bytes(staged.read_bytes()[:-1] + b"X")
    report = archive.audit()
    assert report.changed == [staged.relative_to(archive.folder).as_posix()]

"""Done-when: a commune's year of documents filed, ingested, found, audited, damaged, restored, disposed."""

from __future__ import annotations

import datetime as dt

import pytest

from simulator.archiving import from_document
from simulator.text import fold

GROUPS = {  # record per retention type, as a commune clerk would open them
    "cong_van_trao_doi": ("cong_van", "giay_moi", "thong_bao"),
    "ke_hoach_bao_cao_nam": ("ke_hoach", "bao_cao"),
    "che_do_chinh_sach": ("quyet_dinh",),
}


@pytest.fixture
def catalogue_url():
    return None  # the year ends with a backup, which copies an SQLite catalogue


def test_a_commune_year(archive, tmp_path):
    from simulator.documents import ContentGenerator, render_pdf
    from simulator.province import load_province

    province = load_province("Nghệ An")
    commune = next(u for u in province.units if u.level.name == "COMMUNE")
    gen = ContentGenerator(2026)
    kinds = [k for ks in GROUPS.values() for k in ks]
    docs = []
    for month in range(1, 13):
        kind = kinds[month % len(kinds)]
        doc = gen.document(commune, province, kind, issued=dt.date(2026, month, 10), number=month)
        docs.append((doc, render_pdf(doc, tmp_path / f"{month:02d}.pdf")))
    records = {}
    for n, (maintenance, group) in enumerate(GROUPS.items(), 1):
        records[maintenance] = archive.create_record(
            file_code=f"{commune.code}.2026.{n:02d}", title=f"Hồ sơ {maintenance} năm 2026",
            maintenance=maintenance, creator=commune.name, start_date="2026-01-01", end_date="2026-12-31")
    for doc, result in docs:
        maintenance = next(m for m, ks in GROUPS.items() if doc.doc_type in ks)
        archive.file_document(records[maintenance].id, result.path, from_document(doc, pages=result.pages))
    packages = {m: archive.ingest(r.id, agent="Văn thư xã") for m, r in records.items()}
    assert all(archive.record(r.id).state == "archived" for r in records.values())

    target = docs[4][0]
    hits = archive.search(fold(target.subject))
    same = [h for h in hits if h.subject == target.subject]
    assert hits[0].subject == target.subject and target.number_code in {h.code for h in same}
    assert hits[:len(same)] == same  # every document with that subject before any other

    assert archive.audit().success
    backup = archive.backup(tmp_path / "dia-2")
    assert backup.packages == 3
    pkg = packages["ke_hoach_bao_cao_nam"]
    victim = pkg.path / "data/originals/001.pdf"
    data = bytearray(victim.read_bytes())
    data[-200] ^= 0x04
    victim.write_bytes(bytes(data))
    damaged = archive.audit()
    assert damaged.changed == [victim.relative_to(archive.folder).as_posix()] and not damaged.missing
    archive.restore(tmp_path / "dia-2")
    assert archive.audit().success

    due = archive.expired(at="2032-01-02")
    assert [e.record_id for e in due] == [records["cong_van_trao_doi"].id]
    req = archive.request_disposal([due[0].record_id], due[0].reason, "Lưu trữ viên xã", at="2032-01-02")
    archive.approve_disposal(req, commune.name + " - Chủ tịch", "Quyết định số 03/QĐ-UBND ngày 05/01/2032")
    archive.dispose(req, agent="Lưu trữ viên xã", at="2032-01-02")
    tomb = archive.tombstone(due[0].record_id)
    assert tomb is not None and tomb.approval_ref.startswith("Quyết định số 03/QĐ-UBND")
    # nothing lost: every filed document is either still catalogued or listed on a tombstone
    kept = sum(len(archive.documents(r.id)) for r in records.values())
    assert kept + len(tomb.summary["documents"]) == len(docs)
    assert archive.audit().success

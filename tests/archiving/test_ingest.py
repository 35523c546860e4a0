"""Ingest: one BagIt package per record, originals byte for byte, PREMIS events, validators."""

from __future__ import annotations

import json

import bagit
import pikepdf
import pytest
from lxml import etree

from simulator.archiving import Verdict, from_document
from simulator.archiving.premis import PREMIS_NS
from simulator.errors import UserError

from .helpers import doc_meta, record_fields


def test_package_is_a_valid_bag_with_both_manifests(archived, pdfs):
    arc, rec, pkg = archived
    bag = bagit.Bag(str(pkg.path))
    bag.validate(fast=False)
    assert set(bag.algorithms) == {"sha256", "sha512"}
    assert (pkg.path / "manifest-sha256.txt").is_file() and (pkg.path / "manifest-sha512.txt").is_file()
    for i, kind in enumerate(("quyet_dinh", "cong_van", "bao_cao"), 1):
        assert (pkg.path / f"data/originals/{i:03d}.pdf").read_bytes() == pdfs[kind].read_bytes()
    assert arc.record(rec.id).state == "archived"
    assert arc.store.staging_files() == set()  # staging copies dropped after the commit


def test_descriptive_metadata_and_premis(archived):
    arc, rec, pkg = archived
    meta = json.loads((pkg.path / "data/metadata/record.json").read_text(encoding="utf-8"))
    assert meta["record"]["file_code"] == rec.file_code
    assert meta["record"]["doc_total"] == 3 and meta["record"]["page_total"] >= 3
    assert [d["signature"] for d in meta["documents"]] == ["NOT_SIGNED"] * 3
    assert meta["documents"][0]["metadata"]["type_name"] == "Quyết định"
    tree = etree.parse(str(pkg.path / "data/metadata/premis.xml"))
    ns = {"p": PREMIS_NS}
    types = [e.text for e in tree.findall(".//p:event/p:eventType", ns)]
    for needed in ("ingestion", "message digest calculation", "format identification", "validation"):
        assert needed in types
    agents = {a.findtext("p:agentName", namespaces=ns): a for a in tree.findall(".//p:agent", ns)}
    assert "Lê Thị Hoa" in agents and "bagit-python" in agents
    assert agents["bagit-python"].findtext("p:agentVersion", namespaces=ns) == bagit.VERSION \
        or agents["bagit-python"].findtext("p:agentVersion", namespaces=ns)
    catalogued = {e["event_type"] for e in arc.events(pkg.id)}
    assert {"ingestion", "validation", "format identification"} <= catalogued


def test_signed_original_kept_byte_for_byte_no_derivative(archive, pdfs):
    rec = archive.create_record(record_fields())
    archive.file_document(rec.id, pdfs["signed"], doc_meta("Về việc đã ký"))
    archive.file_document(rec.id, pdfs["plain"], doc_meta("Biên bản họp thôn", type_name="Biên bản"))
    pkg = archive.ingest(rec.id, agent="Lê Thị Hoa", derivatives=True)
    assert (pkg.path / "data/originals/001.pdf").read_bytes() == pdfs["signed"].read_bytes()
    roles = {f["path"]: f["role"] for f in pkg.files}
    assert "data/derivatives/002.pdfa.pdf" in roles and roles["data/derivatives/002.pdfa.pdf"] == "derivative"
    assert not any(p.startswith("data/derivatives/001") for p in roles)
    with pikepdf.open(pkg.path / "data/derivatives/002.pdfa.pdf") as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
    verdicts = [v.indication for v in pkg.verdicts.values()]
    assert sorted(verdicts) == ["NOT_SIGNED", "NOT_VALIDATED"]
    validation = [e for e in arc_events(archive, pkg.id) if e["event_type"] == "validation"]
    assert sorted(e["outcome"] for e in validation) == ["not applicable", "not validated"]
    assert any(e["event_type"] == "migration" for e in arc_events(archive, pkg.id))


def arc_events(arc, pid):
    return arc.events(pid)


def test_pluggable_validator_verdict_recorded(archive, pdfs):
    seen = []

    def strict(path):
        seen.append(path.name)
        return Verdict(True, "TOTAL_FAILED", "revoked certificate")

    rec = archive.create_record(record_fields())
    archive.file_document(rec.id, pdfs["signed"], doc_meta("Về việc đã ký"))
    pkg = archive.ingest(rec.id, agent="Lê Thị Hoa", validator=strict)
    assert seen == ["001.pdf"]
    ev = [e for e in archive.events(pkg.id) if e["event_type"] == "validation"]
    assert ev[0]["outcome"] == "failure" and "TOTAL_FAILED" in ev[0]["outcome_detail"]


def test_ingest_refusals(archive, pdfs):
    rec = archive.create_record(record_fields())
    with pytest.raises(UserError):
        archive.ingest(rec.id)  # empty record
    archive.file_document(rec.id, pdfs["cong_van"], doc_meta("Về việc một"))
    archive.ingest(rec.id)
    with pytest.raises(UserError):
        archive.ingest(rec.id)  # twice
    with pytest.raises(UserError):
        archive.file_document(rec.id, pdfs["bao_cao"], doc_meta("Về việc muộn"))
    with pytest.raises(UserError):
        archive.ingest("HS-khongton")
    assert len(archive.store.package_dirs()) == 1


def test_damaged_staging_copy_refused_at_ingest(archive, pdfs):
    rec = archive.create_record(record_fields())
    archive.file_document(rec.id, pdfs["cong_van"], doc_meta("Về việc một"))
    staged = archive.folder / archive.documents(rec.id)[0]["staging"]
    data = bytearray(staged.read_bytes())
    data[100] ^= 0xFF
    staged.write_bytes(bytes(data))
    with pytest.raises(UserError):
        archive.ingest(rec.id)
    assert archive.store.package_dirs() == set() and archive.record(rec.id).state == "open"


def test_same_file_in_two_records_shares_staging_safely(archive, pdfs):
    a = archive.create_record(record_fields("000.01.40.H41.2026.01"))
    b = archive.create_record(record_fields("000.01.40.H41.2026.02"))
    archive.file_document(a.id, pdfs["cong_van"], doc_meta("Về việc chung"))
    archive.file_document(b.id, pdfs["cong_van"], doc_meta("Về việc chung"))
    archive.ingest(a.id)
    assert len(archive.store.staging_files()) == 1  # still needed by b
    archive.ingest(b.id)
    assert archive.store.staging_files() == set()
    assert archive.audit().success


def test_metadata_from_a_document(archive, pdfs):
    meta = from_document(pdfs["quyet_dinh.doc"])
    assert meta["code_notation"].startswith("QĐ-") and meta["type_name"] == "Quyết định"
    rec = archive.create_record(record_fields())
    incoming = from_document(pdfs["cong_van.doc"], direction="incoming", arrival_date="2026-02-03",
                             arrival_number=15, to_places=["Văn phòng"])
    fd = archive.file_document(rec.id, pdfs["cong_van"], incoming)
    stored = archive.documents(rec.id)[0]["metadata"]
    assert stored["arrival_number"] == 15 and stored["direction"] == "incoming"
    assert stored["code"] == fd.code == pdfs["cong_van.doc"].number_code

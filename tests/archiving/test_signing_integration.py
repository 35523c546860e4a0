"""With a training PKI, ingest records the signing layer's verdict in the PREMIS validation event."""

from __future__ import annotations

import pytest

from .helpers import doc_meta, record_fields

signing = pytest.importorskip("simulator.signing")


def test_real_signature_validated_at_ingest(archive, pdfs, tmp_path):
    pki = signing.TrainingPKI.create(tmp_path / "pki")
    doc = pdfs["cong_van.doc"]
    p12 = pki.issue_person(doc.signer.full_name, doc.signer.position, doc.issuer_name, doc.issuer_code, "mk-1")
    seal = pki.issue_seal(doc.issuer_name, doc.issuer_code, "mk-2")
    person = signing.sign_person(pdfs["cong_van"], tmp_path / "person.pdf", p12, "mk-1", pki)
    sealed = signing.sign_seal(person, tmp_path / "sealed.pdf", seal, "mk-2", pki)
    rec = archive.create_record(record_fields())
    archive.file_document(rec.id, sealed, doc_meta("Văn bản đã ký số"))
    archive.file_document(rec.id, pdfs["signed"], doc_meta("Văn bản ký bằng chứng thư lạ"))
    archive.file_document(rec.id, pdfs["plain"], doc_meta("Văn bản chưa ký"))
    pkg = archive.ingest(rec.id, agent="Lê Thị Hoa", pki=pki)
    assert (pkg.path / "data/originals/001.pdf").read_bytes() == sealed.read_bytes()
    outcomes = [e["outcome"] for e in sorted((e for e in archive.events(pkg.id) if e["event_type"] == "validation"),
                                             key=lambda e: e["object_id"])]
    assert outcomes == ["success", "failure", "not applicable"]
    verdicts = [pkg.verdicts[d["id"]].indication for d in archive.documents(rec.id)]
    assert verdicts[0] == "TOTAL_PASSED" and verdicts[1] in ("INDETERMINATE", "TOTAL_FAILED")
    assert verdicts[2] == "NOT_SIGNED"

"""A signed document travels through the axis as an edXML attachment and still verifies on arrival."""

from __future__ import annotations

import pytest

from simulator.routing import Attachment, Axis, Registers, edxml, envelope_from_document, receive_all
from tests.routing.conftest import make_document

signing = pytest.importorskip("simulator.signing")
render = pytest.importorskip("simulator.documents.render")


def test_signed_pdf_survives_the_exchange(tmp_path, province, district, communes, at):
    doc = make_document(district, communes, number=21)
    pki = signing.TrainingPKI.create(tmp_path / "pki")
    person = pki.issue_person("Nguyễn Văn An", "Phó Chủ tịch", district.name, district.code, "mat-khau-1")
    seal = pki.issue_seal(district.name, district.code, "mat-khau-2")
    render.render_pdf(doc, tmp_path / "draft.pdf")
    signing.sign_person(tmp_path / "draft.pdf", tmp_path / "signed.pdf", person, "mat-khau-1", pki)
    signing.sign_seal(tmp_path / "signed.pdf", tmp_path / "sealed.pdf", seal, "mat-khau-2", pki)
    sealed = (tmp_path / "sealed.pdf").read_bytes()

    axis = Axis(tmp_path / "axis.sqlite", province)
    envelope = envelope_from_document(doc, attachments=[Attachment("21-UBND-VP.pdf", sealed)], sent_at=at)
    axis.send(edxml.build(envelope), at)
    register = Registers(tmp_path / "registers.sqlite", communes[0].code)
    [entry] = receive_all(axis, register, "van_thu", at)
    received = edxml.parse(register.incoming_source(entry.document_id)).attachments[0].content
    assert received == sealed
    (tmp_path / "received.pdf").write_bytes(received)
    report = signing.verify(tmp_path / "received.pdf", pki)
    assert report.indication == "TOTAL_PASSED", report.explain()
    # the same bytes with one byte changed in transit no longer verify
    damaged = bytearray(received)
    middle = len(damaged) // 2
    damaged[middle] = (damaged[middle] + 1) % 256
    (tmp_path / "damaged.pdf").write_bytes(bytes(damaged))
    bad = signing.verify(tmp_path / "damaged.pdf", pki)
    assert bad.indication != "TOTAL_PASSED"

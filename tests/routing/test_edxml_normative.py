"""A legal normative document's number carries its year (Decree 30): its envelope travels like any other."""

from __future__ import annotations

from dataclasses import replace

from simulator.routing import edxml, envelope_from_document
from simulator.routing.edxml_schema import _notation
from tests.routing.conftest import make_document


def test_a_normative_decision_envelope_validates_and_round_trips(district, communes, at):
    decision = replace(make_document(district, communes, number=3, doc_type="quyet_dinh"), normative=True)
    assert decision.number_code == "03/2026/QĐ-UBND"
    data = edxml.build(envelope_from_document(decision, sent_at=at))
    assert edxml.validate(data) == []
    back = edxml.parse(data)
    assert (back.code_number, back.code_notation) == ("03", "2026/QĐ-UBND")
    assert back.document_id.endswith(",2026/03/02,03/2026/QĐ-UBND")


def test_only_a_year_may_come_before_the_type():
    assert _notation("2026/QĐ-UBND") is None and _notation("QĐ-UBND") is None
    for bad in ("QĐ/UBND", "26/QĐ-UBND", "2026/QĐ/UBND", "QĐ UBND", ""):
        assert _notation(bad) is not None, bad

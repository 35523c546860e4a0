"""The exchange axis: a district sends to three communes; nothing lost, nothing twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from simulator.errors import UserError
from simulator.routing import (
    Attachment, Axis, AxisUnavailable, IncomingFlow, Registers, StatusCode, edxml, envelope_from_document, receive_all,
)
from simulator.routing.envelope import Organization
from simulator.routing.organizations import registry_organization
from tests.routing.conftest import make_document


@pytest.fixture
def world(db, province):
    return Axis(db("axis"), province), db("registers")


def test_district_to_three_communes(world, district, communes, at, sample_pdf):
    axis, db = world
    sender = Registers(db, district.code)
    out = sender.register_outgoing(make_document(district, communes, subject="Về việc số hóa hồ sơ"), "van_thu", at)
    env = envelope_from_document(out.document, attachments=[Attachment("cv.pdf", sample_pdf)], sent_at=at)
    # each commune already has documents in its register: the new one takes the next number
    for k, commune in enumerate(communes):
        reg = Registers(db, commune.code)
        for n in range(k + 1):
            reg.register_incoming(make_document(district, [commune], number=100 + n), at, "van_thu")
    result = axis.send(edxml.build(env), at)
    assert result.accepted == tuple(c.code for c in communes) and result.refused == ()
    later = at + timedelta(minutes=30)
    for k, commune in enumerate(communes):
        reg = Registers(db, commune.code)
        entries = receive_all(axis, reg, "van_thu", later)
        assert [(e.document_id, e.number) for e in entries] == [(out.document_id, k + 2)]
        flow = IncomingFlow(later, priority=env.priority)
        for action, extra in (("verify", {"passed": True}), ("register", {"number": entries[0].number}), ("submit", {}),
                              ("assign", {"handler": "cv"}), ("finish", {})):
            step = flow.transition(action, "van_thu", later, **extra)
            reg.record("in", out.document_id, step)
            if step.status_code in ("04", "05", "06"):
                axis.confirm(out.document_id, commune.code, step.status_code, at=later)
        assert [e["action"] for e in reg.events(out.document_id)] == ["verify", "register", "submit", "assign", "finish"]
        assert receive_all(axis, reg, "van_thu", later) == []  # nothing more waits
        assert sum(e.document_id == out.document_id for e in reg.incoming()) == 1
        got = reg.get_incoming(out.document_id)
        assert edxml.parse(reg.incoming_source(out.document_id)).attachments[0].content == sample_pdf
        assert got.subject == "Về việc số hóa hồ sơ"
    # the status packages come back to the sender in order, per commune
    statuses = axis.pending(district.code, kind="status")
    for commune in communes:
        codes = [s.code for s in statuses if s.sender == commune.code]
        assert codes == ["01", "03", "04", "05", "06"]
    first = statuses[0]
    package = edxml.parse_status(axis.get(first.doc_id, district.code, kind="status", code=first.code))
    assert package.response_for.document_id == out.document_id and package.code == "01"
    # From names the reporting commune as the register knows it (QCVN 102), not only its code and name
    reporter = next(c for c in communes if c.code == first.sender)
    assert package.sender == registry_organization(reporter, axis.province)
    assert package.sender.organization_in_charge == district.name and package.sender.organ_add
    axis.ack_status(first.id, district.code)
    assert len(axis.pending(district.code, kind="status")) == len(statuses) - 1
    traces = axis.traces(out.document_id)
    assert traces[0].org_id == district.code and traces[0].code == ""
    assert len(traces) == 1 + 5 * len(communes)


def test_sending_twice_and_confirming_twice_change_nothing(world, doc, at, communes):
    axis, db = world
    data = edxml.build(envelope_from_document(doc, sent_at=at))
    assert not axis.send(data, at).duplicate
    again = axis.send(data, at)
    assert again.duplicate and again.accepted == tuple(c.code for c in communes)
    assert len(axis.pending(communes[0].code)) == 1
    reg = Registers(db, communes[0].code)
    payload = axis.get(doc.document_id, communes[0].code, at=at)
    reg.register_incoming(payload, at, "vt")
    reg.register_incoming(axis.get(doc.document_id, communes[0].code, at=at), at, "vt")  # delivered again
    assert axis.confirm(doc.document_id, communes[0].code, "01", at=at) is True
    assert axis.confirm(doc.document_id, communes[0].code, "01", at=at) is False
    assert len(reg.incoming()) == 1
    assert [s.code for s in axis.pending(doc.issuer_code, kind="status")] == ["01"]


def test_misaddressed_and_unknown(world, district, communes, at, lang_en):
    axis, db = world
    doc = make_document(district, communes[:1], number=3)
    env = envelope_from_document(doc, sent_at=at)
    env = replace(env, recipients=env.recipients + (Organization("000.77.99.H41", "Không có"),))
    result = axis.send(edxml.build(env), at)
    assert result.accepted == (communes[0].code,)
    assert [code for code, _ in result.refused] == ["000.77.99.H41"]
    refusals = axis.pending(district.code, kind="status")
    assert [(s.sender, s.code) for s in refusals] == [("000.77.99.H41", StatusCode.REFUSED)]
    package = edxml.parse_status(axis.get(doc.document_id, district.code, kind="status"))
    assert "not in the identifier registry" in package.description
    # a sender the registry does not know: refused, nothing stored
    stranger = replace(env, sender=Organization("000.00.98.H41"),
                       document_id=env.document_id.replace(district.code, "000.00.98.H41"))
    with pytest.raises(UserError, match="not in the identifier registry"):
        axis.send(edxml.build(stranger), at)
    assert axis.traces(stranger.document_id) == []
    # a commune that retired its code no longer receives
    axis.directory.retire_org(communes[1].code, "quan_tri", reason="sáp nhập")
    doc2 = make_document(district, communes[1:2], number=4)
    assert axis.send(edxml.build(envelope_from_document(doc2, sent_at=at)), at).accepted == ()
    # the receiver may refuse with 02 (e.g. a signature that does not verify)
    axis.get(doc.document_id, communes[0].code, at=at)
    axis.confirm(doc.document_id, communes[0].code, "02", description="Chữ ký số không hợp lệ", at=at)
    assert axis.pending(communes[0].code) == []
    assert axis.queues()[communes[0].code] == {"refused": 1}
    with pytest.raises(UserError):
        axis.confirm(doc.document_id, communes[0].code, "99", at=at)
    with pytest.raises(UserError):
        axis.get("000.00.40.H41,2026/03/02,99/X", communes[0].code, at=at)


def test_outage_retries_and_operator_view(world, district, communes, at, lang_en):
    axis, db = world
    docs = [make_document(district, communes, number=n) for n in range(1, 6)]
    axis.set_outage()  # the whole axis is down: senders must retry
    with pytest.raises(AxisUnavailable):
        axis.send(edxml.build(envelope_from_document(docs[0], sent_at=at)), at)
    axis.set_outage(down=False)
    for d in docs:
        axis.send(edxml.build(envelope_from_document(d, sent_at=at)), at)
    commune = communes[0]
    reg = Registers(db, commune.code)

    def handler(payload):
        reg.register_incoming(payload, at, "he_thong")
        return "01"

    with pytest.raises(UserError, match="000.00.99.H41"):  # a typo in a drill names no known unit
        axis.set_outage("000.00.99.H41")
    assert axis.outages() == {}
    axis.set_outage(commune.code)  # this commune's link is down
    with pytest.raises(AxisUnavailable, match=commune.code):
        axis.pending(commune.code, at=at)
    report = axis.deliver(commune.code, handler, at=at)
    assert report == {"delivered": 0, "failed": 5, "waiting": 0}
    assert axis.deliver(commune.code, handler, at=at + timedelta(seconds=5))["waiting"] == 5  # back-off
    stuck = axis.stuck(older_than=timedelta(hours=1), at=at + timedelta(hours=2))
    assert {s["doc_id"] for s in stuck if s["to"] == commune.code} == {d.document_id for d in docs}
    assert all("down" in s["last_error"] for s in stuck if s["to"] == commune.code)
    axis.set_outage(commune.code, down=False)
    report = axis.deliver(commune.code, handler, at=at + timedelta(minutes=5))
    assert report["delivered"] == 5
    assert [e.number for e in reg.incoming()] == [1, 2, 3, 4, 5]
    # the operator resends one: delivered again, the register still has it once
    axis.resend(docs[0].document_id, commune.code, at=at + timedelta(minutes=6))
    assert axis.deliver(commune.code, handler, at=at + timedelta(minutes=7))["delivered"] == 1
    assert len(reg.incoming()) == 5
    assert axis.queues()[commune.code] == {"done": 5}
    # an outage with an end time lifts by itself
    axis.set_outage(communes[1].code, until=at + timedelta(minutes=10))
    with pytest.raises(AxisUnavailable):
        axis.pending(communes[1].code, at=at + timedelta(minutes=9))
    assert len(axis.pending(communes[1].code, at=at + timedelta(minutes=11))) == 5
    # failing handlers are recorded, never lost
    failures = axis.deliver(communes[2].code, lambda payload: 1 / 0, at=at)
    assert failures["failed"] == 5 and len(axis.pending(communes[2].code, at=at)) == 5
    assert [o.organ_id for o in axis.orgs()][:1] and len(axis.orgs()) > 100


def test_recall_request_and_answer(world, district, communes, at):
    from simulator.routing import Business, BusinessDocType

    axis, db = world
    commune = communes[0]
    doc = make_document(district, [commune], number=11)
    env = envelope_from_document(doc, sent_at=at)
    axis.send(edxml.build(env), at)
    reg = Registers(db, commune.code)
    [entry] = receive_all(axis, reg, "van_thu", at)
    recall = replace(env, business=Business(BusinessDocType.RECALL, "Ban hành nhầm đối tượng"))
    result = axis.send(edxml.build(recall), at + timedelta(hours=1))
    assert not result.duplicate and result.accepted == (commune.code,)
    assert axis.send(edxml.build(recall), at + timedelta(hours=1)).duplicate
    [item] = axis.pending(commune.code, at=at)
    assert (item.doc_id, item.code) == (doc.document_id, "B1")
    assert receive_all(axis, reg, "van_thu", at) == []  # left for the clerk to decide
    got = edxml.parse(axis.get(doc.document_id, commune.code, code="B1", at=at))
    assert got.business.doc_type == BusinessDocType.RECALL and got.business.reason == "Ban hành nhầm đối tượng"
    flow = IncomingFlow(at)
    flow.transition("verify", "vt", at, passed=True)
    flow.transition("register", "vt", at, number=entry.number)
    step = flow.transition("recall", "vt", at + timedelta(hours=2))
    assert axis.confirm(doc.document_id, commune.code, step.status_code, business=1, at=at + timedelta(hours=2))
    assert axis.pending(commune.code, at=at) == []
    codes = [t.code for t in axis.traces(doc.document_id)]
    assert codes == ["", "01", "03", "13", "15"]
    assert [s.code for s in axis.pending(district.code, kind="status")] == ["01", "03", "15"]
    assert len(reg.incoming()) == 1


def test_a_different_document_under_a_used_document_id_is_refused_at_send_time(world, doc, at, communes, lang_en):
    """Two replies that ended up with the same number: the second is refused loudly, not dropped."""
    axis, _db = world
    first = edxml.build(envelope_from_document(doc, sent_at=at))
    assert not axis.send(first, at).duplicate
    other = edxml.build(envelope_from_document(replace(doc, subject="Về việc khác hẳn"), sent_at=at))
    assert other != first
    with pytest.raises(UserError) as refused:
        axis.send(other, at + timedelta(minutes=5))
    assert doc.document_id in str(refused.value) and "different document" in str(refused.value)
    # the first one is untouched and still the only one waiting
    [waiting] = axis.pending(communes[0].code, at=at)
    assert axis.get(waiting.doc_id, communes[0].code, at=at) == first
    # the very same bytes again: an idempotent retry, a no-op
    again = axis.send(first, at + timedelta(minutes=10))
    assert again.duplicate and len(axis.pending(communes[0].code, at=at)) == 1
    assert len(axis.traces(doc.document_id)) == 1

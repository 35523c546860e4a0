"""Registers: yearly numbering without gaps or duplicates, idempotent receipt, search, bad input."""

from __future__ import annotations

import multiprocessing
from datetime import date, datetime, timedelta

import pytest

from simulator.calendar import VN_TZ
from simulator.errors import UserError
from simulator.routing import Registers, edxml
from simulator.routing.envelope import envelope_from_document
from tests.routing.conftest import make_document


def test_outgoing_numbers_restart_each_year(db, district, communes, at):
    reg = Registers(db("r"), district.code)
    numbers = []
    for issued in (date(2025, 12, 30), date(2025, 12, 31), date(2026, 1, 2), date(2026, 1, 5), date(2026, 2, 1)):
        entry = reg.register_outgoing(make_document(district, communes, issued=issued), "van_thu", at)
        numbers.append((entry.year, entry.number))
        assert entry.document.number == entry.number
        assert entry.document_id == entry.document.document_id
    assert numbers == [(2025, 1), (2025, 2), (2026, 1), (2026, 2), (2026, 3)]
    assert [e.number_code for e in reg.outgoing(2026)] == ["01/UBND-VP", "02/UBND-VP", "03/UBND-VP"]
    assert reg.next_number("out", 2026) == 4


def test_incoming_is_idempotent_on_document_id(db, district, communes, at):
    commune = communes[0]
    reg = Registers(db("r"), commune.code)
    first = make_document(district, communes, number=1)
    second = make_document(district, communes, number=2)
    data = edxml.build(envelope_from_document(first, sent_at=at))
    a = reg.register_incoming(data, at, "van_thu")
    again = reg.register_incoming(data, at + timedelta(hours=1), "khac")
    b = reg.register_incoming(envelope_from_document(second), at, "van_thu")
    assert (a.number, a.new) == (1, True)
    assert (again.number, again.new, again.by, again.arrival_at) == (1, False, "van_thu", at)
    assert b.number == 2
    assert [e.document_id for e in reg.incoming()] == [first.document_id, second.document_id]
    assert reg.incoming_source(first.document_id) == data
    assert a.traces == ((district.code, "2026-03-02T09:15:30+07:00"),)
    # the same document in another unit's register gets that unit's own number 1
    other = Registers(db("r"), communes[1].code)
    assert other.register_incoming(data, at, "van_thu").number == 1


def test_incoming_numbers_follow_the_year_of_arrival(db, district, communes):
    reg = Registers(db("r"), communes[0].code)
    late = datetime(2025, 12, 31, 16, 0, tzinfo=VN_TZ)
    early = datetime(2026, 1, 2, 8, 0, tzinfo=VN_TZ)
    got = [reg.register_incoming(make_document(district, communes, number=n), t, "vt")
           for n, t in ((1, late), (2, late), (3, early))]
    assert [(e.year, e.number) for e in got] == [(2025, 1), (2025, 2), (2026, 1)]


def test_bad_input_changes_nothing(db, province, district, communes, at, lang_en):
    commune = communes[0]
    reg = Registers(db("r"), commune.code,
                    known_senders=lambda code: province.get(code) is not None)
    with pytest.raises(UserError, match="not to this unit"):
        reg.register_incoming(make_document(district, communes[1:], number=1), at, "vt")
    stranger = make_document(district, communes, number=2)
    stranger = envelope_from_document(stranger)
    from dataclasses import replace

    from simulator.routing.envelope import Organization
    with pytest.raises(UserError, match="not in the identifier registry"):
        reg.register_incoming(replace(stranger, sender=Organization("000.00.99.H99")), at, "vt")
    with pytest.raises(UserError):
        reg.register_incoming(b"<not-edxml/>", at, "vt")
    with pytest.raises(UserError, match="no number"):
        reg.register_incoming(make_document(district, communes), at, "vt")
    with pytest.raises(UserError):
        reg.register_incoming(make_document(district, communes, number=3), at, "  ")
    with pytest.raises(UserError):
        reg.register_outgoing(make_document(district, communes), "vt", at)  # not issued by this unit
    with pytest.raises(UserError):
        Registers(db("r"), "H41")
    assert reg.incoming() == [] and reg.outgoing() == []
    assert reg.next_number("in", 2026) == 1


def test_search(db, district, communes, at):
    reg = Registers(db("r"), communes[0].code)
    subjects = ["Về việc quyết định phê duyệt dự toán", "Về việc tổ chức Tết Nguyên đán",
                "Quyet dinh khong dau", "Báo cáo sở Nội vụ", "Về việc số hóa tài liệu"]
    for n, subject in enumerate(subjects, 1):
        doc = make_document(district, communes, number=n, subject=subject, issued=date(2026, 3, n))
        reg.register_incoming(doc, at, "vt")
    found = reg.search("quyet dinh")
    assert [e.subject for e in found] == [subjects[2], subjects[0]]  # the exact form first
    found = reg.search("Quyết Định")
    assert [e.subject for e in found][0] == subjects[0]
    ranked = reg.search("số")  # folds to "so": số and sở both match, the exact form first
    assert [e.subject for e in ranked] == [subjects[4], subjects[3]]
    assert [e.number for e in reg.search(number=2)] == [2]
    assert [e.number for e in reg.search(code="03/UBND-VP")] == [3]
    assert [e.number for e in reg.search(code="3/UBND-VP")] == [3]
    assert len(reg.search(code="UBND-VP")) == 5
    assert len(reg.search(issuer=district.code)) == 5
    assert len(reg.search(issuer="thành phố Vinh")) == 5
    assert reg.search(issuer="Diễn Châu") == []
    assert [e.number for e in reg.search(date_from=date(2026, 3, 2), date_to=date(2026, 3, 3))] == [2, 3]
    assert reg.search("quyet", date_from=date(2026, 3, 2)) == [reg.search(number=3)[0]]
    assert reg.search("100%_") == []
    with pytest.raises(UserError):
        reg.search("x", book="sideways")


def _writer(path, unit, sender, start, count, out):
    """One clerk process: registers documents start..start+count-1 (light imports: no PDF stack)."""
    from tests.routing.kill_worker import envelope

    reg = Registers(path, unit)
    at = datetime(2026, 3, 2, 9, 0, tzinfo=VN_TZ)
    out.put([reg.register_incoming(envelope(sender, [unit], n), at, f"p{start}").number
             for n in range(start, start + count)])


def test_concurrent_writers_leave_no_gap_and_no_duplicate(db, district, communes):
    path = db("shared")
    Registers(path, communes[0].code)  # create the tables once
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    # four processes, overlapping document ranges: 0-29, 20-49, 40-69, 60-89 -> 90 distinct documents
    procs = [ctx.Process(target=_writer, args=(path, communes[0].code, district.code, 1 + 20 * k, 30, out))
             for k in range(4)]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    entries = Registers(path, communes[0].code).incoming()
    assert sorted(e.number for e in entries) == list(range(1, 91))
    assert len({e.document_id for e in entries}) == 90
    assert all(len(r) == 30 for r in results)


def test_batch_registration_is_all_or_nothing(db, district, communes, at):
    reg = Registers(db("r"), communes[0].code)
    docs = [make_document(district, communes, number=n) for n in range(1, 6)]
    stray = make_document(district, communes[1:], number=9)  # addressed elsewhere
    with pytest.raises(UserError):
        reg.register_incoming_many(docs[:3] + [stray], at, "vt")
    assert reg.incoming() == []
    entries = reg.register_incoming_many(docs[:3] + [docs[0]], at, "vt")
    assert [(e.number, e.new) for e in entries] == [(1, True), (2, True), (3, True), (1, False)]
    assert [e.number for e in reg.register_incoming_many(docs, at, "vt")] == [1, 2, 3, 4, 5]


def test_workflows_are_saved_and_rebuilt(db, district, communes, at):
    from simulator.routing import IncomingFlow, OutgoingFlow

    reg = Registers(db("r"), communes[0].code)
    doc_id = make_document(district, communes, number=1).document_id
    flow = IncomingFlow(at, "he_thong", priority=1)
    flow.transition("verify", "van_thu", at + timedelta(minutes=5), passed=True)
    assert reg.save_flow(doc_id, flow) == 2
    flow.transition("register", "van_thu", at + timedelta(minutes=6), number=1)
    flow.transition("submit", "van_thu", at + timedelta(minutes=7))
    flow.transition("assign", "lanh_dao", at + timedelta(hours=1), handler="cv", due_date=date(2026, 3, 13))
    assert reg.save_flow(doc_id, flow) == 3
    assert reg.save_flow(doc_id, flow) == 0
    again = reg.load_flow(doc_id)
    assert again.state == "assigned" and again.priority == 1 and again.due_date == date(2026, 3, 13)
    assert [t.action for t in again.history] == [t.action for t in flow.history]
    assert again.deadline == flow.deadline and again.status_codes == ["03", "04", "05"]
    out = OutgoingFlow(at, "cv", recipients=[c.code for c in communes])
    out.transition("approve", "ld", at)
    reg.save_flow("draft-1", out)
    assert reg.load_flow("draft-1", "out").recipients == tuple(c.code for c in communes)
    assert reg.load_flow("nothing") is None


def test_issuing_gives_the_number_and_the_date_of_issue_once(db, district, communes, at, lang_en):
    """Two drafts made in a row are numbered when they are issued, one after the other, never twice."""
    reg = Registers(db("r"), district.code)
    drafts = [make_document(district, communes, issued=date(2026, 2, 27), subject=f"Về việc {k}") for k in "ab"]
    assert all(d.number is None for d in drafts)
    later = at + timedelta(days=3)
    first, second = (reg.issue(d, "van_thu", later) for d in drafts)
    assert (first.number, second.number) == (1, 2)
    assert first.document.issued_date == second.document.issued_date == later.date()  # dated when issued
    assert first.document_id != second.document_id
    assert [e.number_code for e in reg.outgoing(2026)] == ["01/UBND-VP", "02/UBND-VP"]
    with pytest.raises(UserError, match="numbered only once"):
        reg.issue(first.document, "van_thu", later)
    assert len(reg.outgoing(2026)) == 2

"""Workflows: allowed and forbidden steps, who/when, status codes, Decree 30 deadlines."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from simulator.calendar import VN_TZ
from simulator.errors import UserError
from simulator.routing import IncomingFlow, OutgoingFlow, StatusCode


def t(day, hour, minute=0):
    return datetime(2026, *day, hour, minute, tzinfo=VN_TZ)


def test_incoming_happy_path_sends_01_03_04_05_06():
    flow = IncomingFlow(t((3, 2), 9), "he_thong")
    steps = [("receive", {}), ("verify", {"passed": True}), ("register", {"number": 12}), ("submit", {}),
             ("assign", {"handler": "chuyen_vien_a", "directions": "Tham mưu trả lời", "due_date": date(2026, 3, 10)}),
             ("start", {}), ("finish", {})]
    for minute, (action, details) in enumerate(steps):
        flow.transition(action, "van_thu", t((3, 2), 10, minute), **details)
    assert flow.state == "done" and flow.is_final
    assert flow.status_codes == ["01", "03", "04", "05", "06"]
    assert flow.number == 12 and flow.handler == "chuyen_vien_a" and flow.directions == "Tham mưu trả lời"
    assert [h.action for h in flow.history] == ["create"] + [a for a, _ in steps]
    assert all(h.by for h in flow.history) and flow.history[3].at == t((3, 2), 10, 2)
    assert flow.history[5].details["handler"] == "chuyen_vien_a"


def test_forbidden_steps_change_nothing(lang_en):
    flow = IncomingFlow(t((3, 2), 9))
    with pytest.raises(UserError, match="has not been checked yet"):
        flow.transition("register", "van_thu", t((3, 2), 9, 5))  # not verified yet
    flow.transition("refuse", "van_thu", t((3, 2), 9, 6), reason="Chữ ký số không hợp lệ")
    assert flow.status_codes == ["02"]
    with pytest.raises(UserError):
        flow.transition("register", "van_thu", t((3, 2), 9, 7))  # refused documents are never registered
    with pytest.raises(UserError, match="needs reason"):
        IncomingFlow(t((3, 2), 9)).transition("refuse", "van_thu", t((3, 2), 9, 1))
    with pytest.raises(UserError, match="Unknown action"):
        flow.transition("teleport", "x", t((3, 2), 10))
    other = IncomingFlow(t((3, 2), 9))
    with pytest.raises(UserError, match="earlier"):
        other.transition("verify", "van_thu", t((3, 2), 8), passed=True)
    with pytest.raises(UserError):
        other.transition("verify", "", t((3, 2), 10), passed=True)
    with pytest.raises(UserError, match="whether the check passed"):
        other.transition("verify", "van_thu", t((3, 2), 10))
    assert other.state == "arrived" and len(other.history) == 1
    out = OutgoingFlow(t((3, 2), 8), recipients=["A", "B"])
    for action in ("issue", "seal", "dispatch"):
        with pytest.raises(UserError):
            out.transition(action, "van_thu", t((3, 2), 9), number=1)  # no number, seal or dispatch unsigned
    assert out.state == "drafted"


def test_recall_update_and_replace_are_recorded():
    flow = IncomingFlow(t((3, 2), 9))
    flow.transition("verify", "vt", t((3, 2), 9, 1), passed=True)
    flow.transition("register", "vt", t((3, 2), 9, 2))
    flow.transition("update", "vt", t((3, 2), 9, 3), reason="Đính chính phụ lục")
    flow.transition("refuse_recall", "vt", t((3, 2), 9, 4), reason="Đã triển khai")
    assert flow.state == "registered"
    flow.transition("recall", "vt", t((3, 2), 9, 5))
    assert flow.state == "recalled"
    assert flow.status_codes == ["03", "16", "15"]
    with pytest.raises(UserError):
        flow.transition("submit", "vt", t((3, 2), 9, 6))


def test_outgoing_flow_and_acknowledgements(lang_en):
    flow = OutgoingFlow(t((3, 2), 8), "chuyen_vien", recipients=["000.01.40.H41", "000.02.40.H41"])
    for action, extra in (("approve", {}), ("sign", {}), ("issue", {"number": 7}), ("seal", {}), ("dispatch", {})):
        flow.transition(action, "van_thu", t((3, 2), 9), **extra)
    assert flow.number == 7 and flow.state == "dispatched"
    flow.transition("acknowledge", "he_thong", t((3, 2), 10), recipient="000.01.40.H41")
    assert flow.state == "dispatched"
    with pytest.raises(UserError, match="already acknowledged"):
        flow.transition("acknowledge", "he_thong", t((3, 2), 10), recipient="000.01.40.H41")
    with pytest.raises(UserError, match="not a recipient"):
        flow.transition("acknowledge", "he_thong", t((3, 2), 10), recipient="000.09.40.H41")
    flow.transition("acknowledge", "he_thong", t((3, 2), 11), recipient="000.02.40.H41")
    assert flow.state == "acknowledged" and flow.history[-1].state == "acknowledged"


def test_deadlines_follow_the_working_calendar():
    # arrival on Monday 9:00: register and submit by the close of Tuesday
    assert IncomingFlow(t((3, 2), 9)).deadline == t((3, 3), 17)
    # arrival on Friday afternoon: by Monday's close
    assert IncomingFlow(t((3, 6), 15)).deadline == t((3, 9), 17)
    # arrival on Saturday: the next working day is Monday
    assert IncomingFlow(t((3, 7), 10)).deadline == t((3, 9), 17)
    # 29 April: 30/4 and 1/5 are public holidays, then the weekend
    assert IncomingFlow(t((4, 29), 10)).deadline == t((5, 4), 17)
    # urgent: at once (one working hour; the lunch break does not count)
    urgent = IncomingFlow(t((3, 2), 11), priority=1)
    assert urgent.deadline == t((3, 2), 14)
    assert urgent.overdue(t((3, 2), 14, 1)) and not urgent.overdue(t((3, 2), 13, 59))


def test_handling_deadline_is_the_due_date():
    flow = IncomingFlow(t((3, 2), 9))
    flow.transition("verify", "vt", t((3, 2), 10), passed=True)
    for action in ("register", "submit"):
        flow.transition(action, "vt", t((3, 2), 10))
    assert flow.deadline is None  # waiting for the leader
    flow.transition("assign", "lanh_dao", t((3, 2), 11), handler="cv", due_date=date(2026, 3, 13))
    assert flow.deadline == t((3, 13), 17)
    assert flow.overdue(t((3, 16), 8)) and not flow.overdue(t((3, 13), 16))
    flow.transition("finish", "cv", t((3, 12), 9))
    assert flow.deadline is None and not flow.overdue(t((12, 31), 9))


def test_outgoing_dispatch_deadline_counts_from_signing():
    flow = OutgoingFlow(t((3, 5), 8))
    assert flow.deadline is None
    flow.transition("approve", "ld", t((3, 5), 9))
    flow.transition("sign", "ld", t((3, 6), 16))  # Friday
    assert flow.deadline == t((3, 9), 17)
    for action, extra in (("issue", {"number": 1}), ("seal", {}), ("dispatch", {})):
        flow.transition(action, "vt", t((3, 9), 8), **extra)
    assert flow.deadline is None
    assert StatusCode.DONE == "06"


def test_a_failed_or_missing_check_needs_the_explicit_override(lang_en):
    failed = IncomingFlow(t((3, 2), 9))
    failed.transition("verify", "vt", t((3, 2), 9, 1), passed=False)
    assert failed.state == "failed"
    with pytest.raises(UserError, match="failed the signature check"):
        failed.transition("register", "vt", t((3, 2), 9, 2), number=1)
    with pytest.raises(UserError, match="failed the signature check"):
        failed.transition("register", "vt", t((3, 2), 9, 2), number=1, override="yes")  # only True counts
    assert failed.state == "failed" and not failed.overridden
    failed.transition("register", "vt", t((3, 2), 9, 3), number=1, override=True)
    assert failed.state == "registered" and failed.overridden
    assert failed.history[-1].details["override"] is True
    # a later passed check clears the failure; a re-check that fails sets it again
    again = IncomingFlow(t((3, 2), 9))
    again.transition("verify", "vt", t((3, 2), 9, 1), passed=False)
    again.transition("verify", "vt", t((3, 2), 9, 2), passed=True)
    again.transition("register", "vt", t((3, 2), 9, 3), number=2)
    assert again.state == "registered" and not again.overridden


def test_a_failed_override_is_refused_in_vietnamese():
    from simulator.i18n import set_language

    set_language("vi")
    try:
        flow = IncomingFlow(t((3, 2), 9))
        with pytest.raises(UserError, match="chưa được kiểm tra"):
            flow.transition("register", "vt", t((3, 2), 9, 1), number=1)
    finally:
        set_language(None)


def test_replay_keeps_the_override():
    flow = IncomingFlow(t((3, 2), 9))
    flow.transition("register", "vt", t((3, 2), 9, 1), number=1, override=True)
    history = [{"action": h.action, "by": h.by, "at": h.at.isoformat(), "details": h.details} for h in flow.history]
    again = IncomingFlow.replay(history)
    assert again.state == "registered" and again.overridden


def test_recall_request_and_reply_and_filing_are_steps():
    request = IncomingFlow(t((3, 2), 9))
    request.transition("answer_recall", "vt", t((3, 2), 9, 1), agree=True)
    assert request.state == "recall_answered" and request.is_final
    doc = IncomingFlow(t((3, 2), 9))
    doc.transition("verify", "vt", t((3, 2), 9, 1), passed=True)
    doc.transition("register", "vt", t((3, 2), 9, 2), number=1)
    doc.transition("reply", "vt", t((3, 2), 10), out="001")
    doc.transition("file", "vt", t((3, 2), 11), record="r1")
    assert doc.state == "registered"
    out = OutgoingFlow(t((3, 2), 10), recipients=["A"])
    for action, extra in (("sign", {}), ("issue", {"number": 3}), ("seal", {}), ("dispatch", {}),
                          ("file", {"record": "r1"})):
        out.transition(action, "vt", t((3, 2), 11), **extra)
    assert out.state == "dispatched" and out.number == 3

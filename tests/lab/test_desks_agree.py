"""Desks over one session agree (issue 15): a notebook shows several desks of one seat, and an action on any of
them redraws the others (their world clock, their lists), so the trainee never reads two world times."""

from simulator.lab import SEAT_PASSPHRASE, Session
from simulator.lab.widgets import InboxDesk, RecordDesk, SigningDesk
from simulator.lab.widgets.base import desks_of, world_time
from tests.lab.test_widgets import _click


def test_an_action_on_one_desk_redraws_the_others(seat_copy):
    session = Session.open(seat_copy)
    inbox, signing, records = InboxDesk(session), SigningDesk(session), RecordDesk(session)
    assert {inbox, signing, records} <= set(desks_of(session))
    shown = world_time(session.clock)
    assert shown in inbox.clock.value and shown in signing.clock.value
    _click(inbox, "Sang ngày làm việc tiếp theo")  # the clock moves on the incoming desk...
    moved = world_time(session.clock)
    assert moved != shown
    assert moved in signing.clock.value  # ...and the signing desk reads the same time
    _click(signing, "Soạn văn bản trả lời")  # a reply takes working minutes: the incoming desk's clock follows
    assert world_time(session.clock) != moved and world_time(session.clock) in inbox.clock.value
    out_id = signing.outgoing.value
    signing.passphrase.value = SEAT_PASSPHRASE
    _click(signing, "Ký số (lãnh đạo)")
    _click(signing, "Cấp số và đóng dấu (văn thư)")
    assert f"out:{out_id}" not in [v for _label, v in records.document.options]
    _click(signing, "Phát hành")
    assert session.outbox[out_id].status == "dispatched"
    assert f"out:{out_id}" in [v for _label, v in records.document.options]  # the records desk lists it now
    assert world_time(session.clock) in inbox.clock.value


def test_a_failed_action_redraws_nothing_else_and_other_sessions_are_not_touched(seat_copy, tmp_path):
    session = Session.open(seat_copy)
    inbox, signing = InboxDesk(session), SigningDesk(session)
    other = InboxDesk(Session.open(tmp_path / "other", trainee_id="hv-khac", arrivals=1))
    before = other.clock.value
    inbox.clock.value = "stale"  # a redraw would overwrite it
    _click(signing, "Phát hành")  # nothing chosen to dispatch yet: a red line
    assert "#b71c1c" in signing.status.value and inbox.clock.value == "stale"
    _click(signing, "Sang ngày làm việc tiếp theo")
    assert world_time(session.clock) in inbox.clock.value
    assert other.clock.value == before and other not in desks_of(session)

"""The hand-off store between an agency's clerk and its leader (simulator.routing.handoffs): a retry is the same
hand-off, a returned draft may be handed over anew, each is answered once, not before it was handed, and a
signed draft must be the draft handed."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from simulator.errors import UserError
from simulator.routing.handoffs import Handoffs, leader_org, seat_of

T = datetime(2025, 3, 3, 8, 0, tzinfo=timezone(timedelta(hours=7)))
DRAFT = b"%PDF-1.7 draft"


def test_the_stores_rules(tmp_path):
    store = Handoffs(tmp_path / "handoffs.sqlite")
    first = store.hand("X", "sign", "out:001", "doc", "V/v thử", T, DRAFT)
    assert store.hand("X", "sign", "out:001", "doc", "V/v thử", T, DRAFT).id == first.id   # a retry
    with pytest.raises(UserError):
        store.answer("X", first.id, T - timedelta(minutes=1), {"signed": True}, DRAFT + b" signed")   # before
    with pytest.raises(UserError):
        store.answer("X", first.id, T, {"signed": True}, b"%PDF-1.7 another")   # not the draft handed
    with pytest.raises(UserError):
        store.answer("Y", first.id, T, {"returned": "sai"})                      # another unit's
    returned = store.answer("X", first.id, T + timedelta(minutes=5), {"returned": "Bổ sung thời hạn."})
    assert returned.returned == "Bổ sung thời hạn."
    with pytest.raises(UserError):
        store.answer("X", first.id, T + timedelta(minutes=6), {"signed": True}, DRAFT + b" signed")   # once
    again = store.hand("X", "sign", "out:001", "doc", "V/v thử", T + timedelta(minutes=9), DRAFT)
    assert again.id != first.id and not again.answered                          # handed over anew
    signed = store.answer("X", again.id, T + timedelta(minutes=12), {"signed": True}, DRAFT + b" signed")
    assert signed.answered and signed.returned is None
    assert store.pdf("X", again.id, answered=True) == DRAFT + b" signed"
    assert store.hand("X", "sign", "out:001", "doc", "V/v thử", T, DRAFT).id == again.id   # signed: no new one

    document = store.hand("X", "assign", "L001", "doc2", "V/v đến", T, DRAFT, {"number": 1})
    with pytest.raises(UserError):
        store.answer("X", document.id, T, {"returned": "không"})               # a document is assigned
    with pytest.raises(UserError):
        store.answer("X", document.id, T, {"handler": " "})                    # by someone, by a date
    with pytest.raises(UserError):
        store.hand("X", "approve", "out:002", "doc", "x", T, DRAFT)            # two kinds only
    with pytest.raises(UserError):
        store.hand("X", "sign", "out:002", "doc", "x", T, b"not a pdf")
    assert [h.id for h in store.of("X")] == [first.id, again.id, document.id] and store.of("Y") == []
    assert seat_of(leader_org("X")) == ("X", "leader") and seat_of("X") == ("X", "clerk")

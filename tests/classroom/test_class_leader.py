"""A district's clerk and its leader as two trainees, and a commune's clerk: the clerk hands the leader the
draft to sign and the commune's document to assign, through the class's server; each holds only their own
signing key, and neither can do the other's part."""

from __future__ import annotations

import json

import pytest

from simulator.calendar import VN_TZ
from simulator.errors import UserError
from simulator.lab import SEAT_PASSPHRASE, Session
from simulator.signing.pki import STATE_FILE

from .conftest import AGENCY, START, class_items, served_class, until_class_item

pytestmark = pytest.mark.xdist_group("class-leader")   # one class for the module's tests, played once


@pytest.fixture(scope="module")
def agency(tmp_path_factory):
    """A class with the district's clerk, the district's leader and one commune's clerk, served."""
    room, tickets, served = served_class(tmp_path_factory, "class-leader", AGENCY)
    base = tmp_path_factory.mktemp("seats")
    seats = {k: Session.open(base / k, classroom=t) for k, t in tickets.items()}
    yield room, tickets, seats, base
    served.stop()


def _key_kinds(folder) -> set[str]:
    holders = json.loads((folder / "pki" / STATE_FILE).read_text(encoding="utf-8"))["holders"]
    return {(holders[p.stem]["unit_code"], holders[p.stem]["kind"]) for p in (folder / "pki" / "holders").glob("*.p12")
            if p.stem in holders}


@pytest.fixture(scope="module")
def played(agency):
    """Both hand-overs played once, with the refusals on the way: a draft signed, a document assigned."""
    return {"signed": _sign_cycle(agency), "assigned": _assign_cycle(agency)}


def _sign_cycle(agency) -> dict:
    room, tickets, seats, base = agency
    clerk, leader, commune = seats["clerk"], seats["leader"], seats["commune"]
    code = tickets["clerk"]["unit"]
    assert leader.is_leader_seat and clerk.leader_held() and not commune.leader_held()
    assert leader.leader_name == clerk.leader_name   # the unit's one leader
    class_keys = {(h["unit_code"], h["kind"]) for h in json.loads(
        (room.folder / "pki" / STATE_FILE).read_text(encoding="utf-8"))["holders"].values()}
    assert {(code, "seal")} <= _key_kinds(base / "clerk") and (code, "person") not in _key_kinds(base / "clerk")
    assert {k for k in _key_kinds(base / "leader") if k in class_keys} == {(code, "person")}

    out = clerk.draft([commune.seat.code], "V/v báo cáo tiến độ văn bản điện tử", "Đề nghị Ủy ban nhân dân xã báo cáo.")
    with pytest.raises(UserError, match="Trình ký|Hand over"):
        clerk.sign(out.item_id, SEAT_PASSPHRASE)            # the leader signs, not the clerk
    handed = clerk.submit_for_signature(out.item_id)
    with pytest.raises(UserError):
        clerk.submit_for_signature(out.item_id)             # once
    with pytest.raises(UserError):
        leader.dispatch(out.item_id)                         # the leader's seat has no outbox of the unit's

    handed_at = handed.sent_at.astimezone(VN_TZ).replace(tzinfo=None)
    assert leader.clock < handed_at and leader.handoffs() == []   # not yet on the leader's clock
    leader.wait_until_end_of_session()   # stops when it comes (the world's documents are the clerk's, not here)
    assert leader.clock == handed_at
    waiting = leader.handoffs()
    assert [(h.id, h.kind, h.ref) for h in waiting] == [(handed.id, "sign", f"out:{out.item_id}")]
    assert leader.handoff_pdf(handed.id).read_bytes() == (out.folder / "draft.pdf").read_bytes()
    with pytest.raises(UserError):
        leader.assign_handoff(handed.id, "Phòng Nội vụ")    # a draft is signed, not assigned
    with pytest.raises(UserError):
        leader.return_handoff(handed.id, "  ")              # a draft goes back with the reason
    leader.return_handoff(handed.id, "Bổ sung thời hạn báo cáo.")   # trả lại dự thảo, unsigned
    for _ in range(6):                                       # the clerk's clock reaches the return
        clerk.receive()
        if f"out:{out.item_id}" not in clerk.handed:
            break
        clerk.wait_until_end_of_session()
    assert out.status == "drafted" and f"out:{out.item_id}" not in clerk.handed
    assert [n.text for n in clerk.notices if n.kind == "returned"] == [
        f"Lãnh đạo trả lại dự thảo {out.item_id}: Bổ sung thời hạn báo cáo."]
    again = clerk.submit_for_signature(out.item_id)          # handed over anew
    assert again.id != handed.id
    handed, waiting = again, []
    for _ in range(6):
        waiting = leader.handoffs()
        if waiting:
            break
        leader.wait_until_end_of_session()
    assert [h.id for h in waiting] == [handed.id]
    leader.sign_handoff(handed.id)
    assert leader.handoffs() == []
    with pytest.raises(UserError):
        leader.sign_handoff(handed.id)                       # answered once

    for _ in range(6):                                       # the clerk's clock reaches the signing
        clerk.receive()
        if out.status == "signed":
            break
        clerk.wait_until_end_of_session()
    assert out.status == "signed" and out.flow.history[-1].by == "leader"
    clerk.seal(out.item_id, SEAT_PASSPHRASE)
    clerk.dispatch(out.item_id)

    return {"out": out, "code": code}


def test_the_leader_signs_what_the_clerk_hands_over_and_the_commune_verifies_it(agency, played):
    room, tickets, seats, base = agency
    out, code, leader = played["signed"]["out"], played["signed"]["code"], seats["leader"]
    assert out.status == "dispatched" and [t.by for t in out.flow.history if t.action == "sign"] == ["leader"]
    items = [i for i in class_items(seats["commune"]) if i.document.subject == out.document.subject]
    assert items, "the district's document did not reach the commune"
    report = seats["commune"].verify(items[0].item_id)
    assert report.indication == "TOTAL_PASSED"
    signatures = report.signatures
    assert signatures[0].role == "person" and signatures[0].signer == leader.leader_name
    assert signatures[-1].role == "seal" and signatures[-1].unit_code == code


def _assign_cycle(agency) -> dict:
    room, tickets, seats, base = agency
    clerk, leader, commune = seats["clerk"], seats["leader"], seats["commune"]
    out = commune.draft([clerk.seat.code], "V/v đề nghị hướng dẫn lưu trữ", "Ủy ban nhân dân xã đề nghị hướng dẫn.")
    commune.sign(out.item_id, SEAT_PASSPHRASE)               # a commune without a leader trainee signs itself
    commune.seal(out.item_id, SEAT_PASSPHRASE)
    commune.dispatch(out.item_id)
    doc_id = out.document.document_id

    item = next(i for i in until_class_item(clerk) if i.document.document_id == doc_id)
    clerk.verify(item.item_id)
    clerk.register(item.item_id)
    clerk.submit(item.item_id)
    with pytest.raises(UserError, match="phân công|assigns"):
        clerk.assign(item.item_id, "Phòng Văn hóa")        # the leader assigns
    assert item.item_id in clerk.handed

    for _ in range(6):
        waiting = [h for h in leader.handoffs() if h.kind == "assign"]
        if waiting:
            break
        leader.wait_until_end_of_session()
    assert [h.ref for h in waiting] == [item.item_id] and waiting[0].details["number"] == item.number
    due = leader.assign_handoff(waiting[0].id, "Phòng Nội vụ", days=3, directions="Hướng dẫn xã trước hạn.")

    for _ in range(6):
        clerk.receive()
        if item.status == "assigned":
            break
        clerk.wait_until_end_of_session()
    for _ in range(6):                                      # the commune hears 05 from the district
        commune.receive()
        if any(s.document_id == doc_id and s.code == "05" for s in commune.class_statuses):
            break
        commune.wait_until_end_of_session()
    return {"item": item, "doc_id": doc_id, "due": due}


def test_the_leader_assigns_what_the_clerk_submits_and_the_sender_hears_05(agency, played):
    room, tickets, seats, base = agency
    item, doc_id, due = played["assigned"]["item"], played["assigned"]["doc_id"], played["assigned"]["due"]
    assert item.status == "assigned" and item.flow.history[-1].by == "leader"
    assert item.flow.history[-1].details["handler"] == "Phòng Nội vụ"
    entry = next(e for e in seats["clerk"].registers.incoming() if e.document_id == doc_id)
    assert entry.recipient == "Phòng Nội vụ" and entry.handling_due == due.date()
    assert any(s.document_id == doc_id and s.code == "05" for s in seats["commune"].class_statuses)


def test_both_seats_replay_their_part_and_refuse_another_role(agency, played, tmp_path):
    room, tickets, seats, base = agency
    clerk, leader = seats["clerk"], seats["leader"]
    again = Session.open(base / "clerk", classroom=tickets["clerk"])
    assert {o.item_id: o.status for o in again.outbox.values()} == {o.item_id: o.status for o in clerk.outbox.values()}
    assert {i: it.status for i, it in again.inbox.items()} == {i: it.status for i, it in clerk.inbox.items()}
    assert again.handed == clerk.handed and again.taken == clerk.taken
    leader_again = Session.open(base / "leader", classroom=tickets["leader"])
    assert set(leader_again.leader_done) == set(leader.leader_done) and len(leader.leader_done) == 3
    assert [n.text for n in again.notices if n.kind == "returned"] == [
        n.text for n in clerk.notices if n.kind == "returned"]   # the return's notice, replayed
    assert leader_again.receive() == []                     # the unit's documents are the clerk's

    from simulator.routing.client import AxisClient

    as_leader = AxisClient(room.url, token=tickets["leader"]["token"])
    with pytest.raises(UserError):
        as_leader.pending(tickets["clerk"]["unit"])          # the leader's token reads no mail of the unit
    with pytest.raises(UserError):
        as_leader.hand("sign", "out:999", "x", "x", START, b"%PDF-1.7 x")   # nor hands anything over
    as_clerk = AxisClient(room.url, token=tickets["clerk"]["token"])
    with pytest.raises(UserError):
        as_clerk.answer_handoff(1, START, {"signed": True}, b"%PDF")     # the clerk does not answer for the leader
    with pytest.raises(UserError, match="văn thư|clerk"):
        room.seat("ld-xa-b", room.units[2], role="leader")   # a leader beside a clerk: the clerk's seat first
    with pytest.raises(UserError, match="lãnh đạo|leader"):
        leader.draft([tickets["commune"]["unit"]], "V/v thử", "Nội dung.")   # the drafts are the clerk's
    as_commune = AxisClient(room.url, token=tickets["commune"]["token"])
    assert as_commune.handoffs() == []                       # another unit's hand-overs are not its own

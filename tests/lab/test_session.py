import json
from datetime import timedelta

import pytest

from simulator.errors import UserError
from simulator.lab import SEAT_PASSPHRASE, Session, seed_for


def test_good_trainee_registers_on_time_and_refuses_the_traps(played_seat):
    _folder, session = played_seat
    traps = [i for i in session.inbox.values() if i.trap]
    clean = [i for i in session.inbox.values() if not i.trap]
    assert traps and clean, "the seed should give both traps and clean documents"
    recalled = {f"{i.arrival.recalls:03d}" for i in traps if i.trap == "recall"}
    for item in clean:
        assert item.status == ("recalled" if item.item_id in recalled else "assigned")
        assert item.registered_at <= item.due
    for item in traps:
        if item.trap == "recall":
            assert item.status == "recall_answered"
        else:
            assert item.status == "refused", (item.item_id, item.trap)
    numbers = [e.number for e in session.registers.incoming()]
    assert numbers == list(range(1, len(clean) + 1))
    registered_ids = {e.document_id for e in session.registers.incoming()}
    corrected = {i.document.document_id for i in clean if i.arrival.corrects is not None}  # sound copies re-sent
    assert all(i.document.document_id not in registered_ids - corrected for i in traps if i.trap != "recall")


def test_traps_really_fail_verification(played_seat):
    _folder, session = played_seat
    verdicts = {}
    for entry in session.journal.entries():
        if entry["action"] == "verify":
            verdicts[entry["data"]["item"]] = entry["data"]["verdict"]
    for item in session.inbox.values():
        if item.trap in ("tampered", "revoked", "expired"):
            assert verdicts[item.item_id] != "TOTAL_PASSED"
        elif item.trap is None:
            assert verdicts[item.item_id] == "TOTAL_PASSED"


def test_reopening_gives_the_same_state(played_seat):
    folder, session = played_seat
    again = Session.open(folder)
    assert again.summary() == session.summary()
    assert again.clock == session.clock
    assert again.journal.intact


def test_each_trainee_gets_their_own_world(tmp_path):
    assert seed_for("hv001") != seed_for("hv002")
    a = Session.open(tmp_path / "a", trainee_id="hv001", arrivals=3)
    b = Session.open(tmp_path / "b", trainee_id="hv002", arrivals=3)
    for seat in (a, b):
        seat.world.advance(seat.clock + timedelta(days=2))  # what each world sends over two days
    assert [x.seed for x in a.arrivals] != [x.seed for x in b.arrivals]
    with pytest.raises(UserError):
        Session.open(tmp_path / "a", trainee_id="hv002")


def test_hand_edited_journal_is_detected(seat_copy):
    path = seat_copy / "journal.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        entry = json.loads(line)
        if entry["action"] == "register":
            entry["data"]["on_time"] = not entry["data"]["on_time"]
            lines[index] = json.dumps(entry, ensure_ascii=False)
            break
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert Session.open(seat_copy).journal.verify()


def test_reply_sign_seal_dispatch_and_archive(seat_copy):
    from simulator.signing import verify

    session = Session.open(seat_copy)
    registered = [i for i in session.inbox.values() if i.status == "assigned"][0]
    out = session.reply(registered.item_id)
    with pytest.raises(UserError):
        session.seal(out.item_id, SEAT_PASSPHRASE)  # the seal comes after the person's signature
    with pytest.raises(UserError):
        session.sign(out.item_id, "wrong passphrase")
    session.sign(out.item_id, SEAT_PASSPHRASE)
    session.seal(out.item_id, SEAT_PASSPHRASE)
    entry = session.dispatch(out.item_id)
    assert entry.number == 1
    report = verify(out.current_pdf, session.pki)
    assert report.indication == "TOTAL_PASSED" and report.decree30.ok
    record = session.create_record("Hồ sơ trao đổi công văn năm 2026", "cong_van_trao_doi")
    session.file(record, registered.item_id)
    session.file(record, f"out:{out.item_id}")
    session.archive_record(record)
    assert session.audit_archive().success
    hits = session.search("tra loi van ban")
    assert any(h.code == out.document.number_code for h in hits)


def test_bad_actions_change_nothing(seat_copy):
    session = Session.open(seat_copy)
    before = session.summary()
    refused = [i for i in session.inbox.values() if i.status == "refused"]
    with pytest.raises(UserError):
        session.register(refused[0].item_id)
    with pytest.raises(UserError):
        session.item("999")
    with pytest.raises(UserError):
        session.refuse([i for i in session.inbox.values() if i.status == "assigned"][0].item_id, "x")
    assert session.summary() == before


def test_dispatch_during_an_outage_keeps_the_number_given_at_issuance(seat_copy):
    session = Session.open(seat_copy)
    registered = [i for i in session.inbox.values() if i.status == "assigned"][0]
    out = session.reply(registered.item_id)
    session.sign(out.item_id, SEAT_PASSPHRASE)
    session.seal(out.item_id, SEAT_PASSPHRASE)
    session.set_outage(session.seat.code, True)
    entries = len(session.journal)
    with pytest.raises(UserError):
        session.dispatch(out.item_id)
    # the number was given at issuance; the failed send used no other and changed nothing
    assert [e.number for e in session.registers.outgoing()] == [1] and len(session.journal) == entries
    assert session.outgoing(out.item_id).status == "sealed"
    session.set_outage(session.seat.code, False)
    assert session.dispatch(out.item_id).number == out.document.number == 1


def test_no_arrival_is_sent_by_the_seat_itself(played_seat):
    _folder, session = played_seat
    assert all(a.sender_code != session.seat.code for a in session.arrivals)


def test_signing_uses_the_replacement_after_a_revocation(seat_copy):
    session = Session.open(seat_copy)
    old = next(c for c in session.pki.list() if c.kind.value == "person" and c.unit_code == session.seat.code)
    session.revoke_certificate(old.serial, "key_compromise")
    session.issue_certificate(session.leader_name, session.leader_signer.position, SEAT_PASSPHRASE)
    registered = [i for i in session.inbox.values() if i.status == "assigned"][0]
    out = session.reply(registered.item_id)
    session.sign(out.item_id, SEAT_PASSPHRASE)
    session.seal(out.item_id, SEAT_PASSPHRASE)
    from simulator.signing import verify

    assert verify(out.current_pdf, session.pki).indication == "TOTAL_PASSED"


def test_each_step_of_an_assigned_document_reaches_its_sender(played_seat):
    _folder, session = played_seat
    assigned = [i for i in session.inbox.values() if i.status == "assigned" and i.arrival.corrects is None]
    assert assigned
    for item in assigned:
        codes = [t.code for t in session.axis.traces(item.document.document_id)
                 if t.org_id == session.seat.code and t.code]
        assert codes == ["01", "03", "04", "05"], (item.item_id, codes)

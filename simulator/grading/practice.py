"""A trainee who does the job right, as calls on the seat (the same calls the desks make).

The source notebooks' solution cells call these, so ``nbgrader validate`` of a
source runs a full, correct piece of work; tests and the benchmark use them to
build submissions.
"""

from __future__ import annotations

from pathlib import Path

from simulator.grading.tasks import BACKUP_FOLDER, certificate_task

RECORD_TITLE = "Hồ sơ văn bản trao đổi về công tác chung năm 2026"
RECORD_RETENTION = "cong_van_trao_doi"
REFUSE_SIGNATURE = "Chữ ký số không hợp lệ"
REFUSE_ADDRESS = "Văn bản gửi nhầm đơn vị"
HANDLER = "Nguyễn Văn Hùng"


def arrivals(session):
    """Each batch as it reaches the desk (work on it before asking for the next: deadlines run).

    When nothing new has come, the clerk lets the session go on ('Đến hết buổi'), which stops
    when the next document reaches the desk: a normal pace that meets every deadline. The
    corrected copy a sender re-sends after a refusal (the next working morning) is waited for
    and handled like any other document."""
    while session.waiting_for_more:
        batch = session.receive()
        if batch:
            yield batch
        else:
            session.wait_until_end_of_session()


def receive_all(session) -> None:
    session.receive_all()


def verify_all(session) -> list[str]:
    """Verify every document that is not a recall; returns the ids whose signatures fail."""
    failed = []
    for batch in arrivals(session):
        for item in batch:
            if not item.is_recall and not session.verify(item.item_id).passed:
                failed.append(item.item_id)
    return failed


def handle_item(session, item) -> None:
    """Verify, then refuse what is forged or misaddressed, register the rest, answer recalls."""
    if item.status != "arrived":
        return
    if item.is_recall:
        session.answer_recall(item.item_id, agree=True)
        return
    report = session.verify(item.item_id)
    addressed_here = any(r.code == session.seat.code for r in item.document.recipients)
    if not report.passed:
        session.refuse(item.item_id, REFUSE_SIGNATURE)
    elif not addressed_here:
        session.refuse(item.item_id, REFUSE_ADDRESS)
    else:
        session.register(item.item_id)
        session.submit(item.item_id)
        if not session.leader_held():   # a leader trainee assigns what the clerk hands over
            session.assign(item.item_id, HANDLER, days=5)


def handle_incoming(session) -> None:
    for item in list(session.inbox.values()):
        handle_item(session, item)
    for batch in arrivals(session):
        for item in batch:
            handle_item(session, item)


def reply_item(session) -> str:
    """The first valid document that is not recalled (what the outgoing assignment asks to answer)."""
    recalled = {f"{a.recalls:03d}" for a in session.arrivals if a.trap == "recall"}
    return next(f"{a.index:03d}" for a in session.arrivals if a.trap is None and f"{a.index:03d}" not in recalled)


def reply_signed_sealed(session, passphrase: str) -> str:
    """Draft the reply, the leader signs, the clerk seals; returns the outgoing id."""
    out = session.reply(reply_item(session))
    session.sign(out.item_id, passphrase)
    session.seal(out.item_id, passphrase)
    return out.item_id


def handle_outgoing(session, passphrase: str) -> str:
    handle_incoming(session)
    out = reply_signed_sealed(session, passphrase)
    session.dispatch(out)
    return out


def keep_records(session, passphrase: str) -> str:
    """Open the record with the right retention, file what was registered and the reply, archive, audit."""
    if not session.outbox:
        handle_outgoing(session, passphrase)
    recalled = {f"{a.recalls:03d}" for a in session.arrivals if a.trap == "recall"}
    record = session.create_record(RECORD_TITLE, RECORD_RETENTION)
    for item in session.inbox.values():
        if item.number is not None and item.item_id not in recalled:
            session.file(record, item.item_id)
    for out in session.outbox.values():
        if out.status == "dispatched":
            session.file(record, "out:" + out.item_id)
    session.archive_record(record)
    session.audit_archive()
    return record


def anatomy_answers(session) -> dict:
    """What a careful reader copies from the first document's PDF."""
    from simulator.documents import document_type

    for _batch in arrivals(session):  # the first document may come later in the morning
        if "000" in session.inbox:
            break
    doc = session.inbox["000"].document
    return {"so_ky_hieu": doc.number_code, "loai_van_ban": document_type(doc.doc_type).name,
            "co_quan_ban_hanh": doc.issuer_name, "ngay_ban_hanh": doc.issued_date.strftime("%d/%m/%Y"),
            "nguoi_ky": doc.signer.full_name}


def manage_certificates(session, trainee_id: str, passphrase: str) -> None:
    """The leader's token is lost: revoke it (key compromise), issue a new one; a certificate for the new staff."""
    task = certificate_task(trainee_id)
    lost = min((c for c in session.pki.list() if c.kind.value == "person" and c.unit_code == session.seat.code
                and c.full_name == task["lanh_dao"]), key=lambda c: c.serial)
    session.revoke_certificate(lost.serial, "key_compromise")
    session.issue_certificate(task["lanh_dao"], "Chủ tịch", passphrase)
    session.issue_certificate(task["nhan_vien_moi"], task["chuc_vu"], passphrase)


def outage_drill(session, passphrase: str) -> str:
    """Prepare a reply, take the axis down, bring it back, then dispatch (never while it is down)."""
    handle_incoming(session)
    out = reply_signed_sealed(session, passphrase)
    session.set_outage(session.seat.code, True)   # what 'Take the seat's link down' does
    session.set_outage(session.seat.code, False)
    session.dispatch(out)
    return out


def backup_and_audit(session, passphrase: str) -> None:
    keep_records(session, passphrase)
    session.backup_archive(Path(session.folder) / BACKUP_FOLDER)
    session.audit_archive()


def work_the_class_exchange(session, passphrase: str, rounds: int = 12) -> None:
    """The class assignment done right: the class's own unit writes to the seats other trainees hold and takes
    their statuses back; a receiving seat takes the document, verifies, registers, submits and assigns it.
    Between rounds the clock goes on (the others act on their own clocks). A unit's leader seat signs and
    assigns what its clerk hands over; a clerk whose leader a trainee holds hands the draft over and waits."""
    from simulator.routing.handoffs import seat_of

    if session.is_leader_seat:
        _lead(session, rounds)
        return
    classroom = session.classroom or {}
    if session.seat.code == classroom.get("class_unit"):
        held = [code for code in session.axis.remote.seats()
                if code != session.seat.code and seat_of(code)[1] == "clerk"]
        if not any(o.status == "dispatched" for o in session.outgoing_items()):
            out = next((o for o in session.outgoing_items() if o.status in ("drafted", "approved", "signed")), None)
            out = out or session.draft(held, "V/v báo cáo kết quả tiếp nhận văn bản điện tử",
                                       "Đề nghị Ủy ban nhân dân các xã báo cáo kết quả tiếp nhận, xử lý văn bản "
                                       "điện tử trong tháng.")
            if not _signed(session, out, passphrase, rounds):
                return   # the leader has not signed it yet
            session.seal(out.item_id, passphrase)
            session.dispatch(out.item_id)
        for _ in range(rounds):
            session.receive()
            codes = {(s.org, s.code) for s in session.class_statuses}
            if all((org, code) in codes for org in held for code in ("01", "03")):
                return
            session.wait_until_end_of_session()
        return
    for _ in range(rounds):
        taken = [i for i in session.receive() if i.item_id.startswith("L")]
        for item in taken:
            handle_item(session, item)
        if any(i.item_id.startswith("L") for i in session.inbox.values()):
            return
        session.wait_until_end_of_session()


def _signed(session, out, passphrase: str, rounds: int) -> bool:
    """The draft signed: by the seat, or handed over to the unit's leader trainee and taken back signed."""
    if out.status == "signed":
        return True
    if not session.leader_held():
        session.sign(out.item_id, passphrase)
        return True
    if f"out:{out.item_id}" not in session.handed:
        session.submit_for_signature(out.item_id)
    for _ in range(rounds):
        session.receive()
        if out.status == "signed":
            return True
        session.wait_until_end_of_session()
    return False


def _lead(session, rounds: int) -> None:
    """The leader's part: sign each draft handed over, assign each document to :data:`HANDLER`, until something
    was answered and nothing more is on its way."""
    for _ in range(rounds):
        for handoff in session.handoffs():
            if handoff.kind == "sign":
                session.sign_handoff(handoff.id)
            else:
                session.assign_handoff(handoff.id, HANDLER, days=5)
        if session.leader_done and session.class_next is None:
            return
        session.wait_until_end_of_session()


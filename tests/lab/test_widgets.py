"""Desks clicked headless produce the same journal entries and state as the API calls."""

from simulator.lab import SEAT_PASSPHRASE, Session
from simulator.lab.widgets import ArchiveAudit, AxisMonitor, InboxDesk, PKIConsole, RecordDesk, RegisterDesk, SigningDesk


def _click(desk, label):
    for box in desk.body.children:
        for child in (box, *getattr(box, "children", ())):
            if getattr(child, "description", None) == label:
                child.click()
                return
    raise AssertionError(f"no button {label!r}")


def test_inbox_clicks_follow_the_api(seat_copy, tmp_path):
    session = Session.open(seat_copy)
    desk = InboxDesk(session)
    clean = [i for i in session.inbox.values() if i.status == "assigned"][0]
    desk.items.value = clean.item_id
    before = len(session.journal)
    _click(desk, "Kiểm tra chữ ký")
    last = list(session.journal.entries())[-1]
    assert len(session.journal) == before + 1 and last["action"] == "verify" and last["data"]["item"] == clean.item_id
    assert desk.last_call == f'session.verify("{clean.item_id}")'
    _click(desk, "Vào sổ")  # already registered: a red line, nothing recorded
    assert len(session.journal) == before + 1 and "đã được vào sổ" in desk.status.value


def test_signing_desk_and_records(seat_copy):
    session = Session.open(seat_copy)
    desk = SigningDesk(session)
    _click(desk, "Soạn văn bản trả lời")
    out_id = desk.outgoing.value
    assert session.outbox[out_id].status == "drafted"
    desk.passphrase.value = SEAT_PASSPHRASE
    _click(desk, "Ký số (lãnh đạo)")
    assert "(chưa có số)" in desk.outgoing.label  # the draft has no number: the desk guesses none
    _click(desk, "Cấp số và đóng dấu (văn thư)")
    number = session.registers.outgoing()[-1].number_code
    assert number in desk.status.value and number in desk.outgoing.label  # the register's number, shown
    _click(desk, "Phát hành")
    assert session.outbox[out_id].status == "dispatched"
    actions = [e["action"] for e in session.journal.entries()][-5:]
    assert actions == ["reply", "sign", "issue", "seal", "dispatch"]
    records = RecordDesk(session)
    records.record_title.value = "Hồ sơ văn bản đi"
    records.retention.value = "cong_van_trao_doi"
    _click(records, "Mở hồ sơ")
    records.refresh()
    records.document.value = f"out:{out_id}"
    _click(records, "Đưa vào hồ sơ")
    _click(records, "Nộp lưu hồ sơ")
    assert any(info["archived"] for info in session.records.values())
    audit = ArchiveAudit(session)
    _click(audit, "Kiểm tra toàn bộ kho lưu trữ")
    last = list(session.journal.entries())[-1]
    assert last["action"] == "audit" and last["data"]["success"] is True


def test_admin_desks(seat_copy):
    session = Session.open(seat_copy)
    console = PKIConsole(session)
    console.full_name.value = "Trần Thị Lan"
    console.passphrase.value = "mat-khau-moi"
    _click(console, "Cấp chứng thư")
    assert any(c.full_name == "Trần Thị Lan" for c in session.pki.list())
    monitor = AxisMonitor(session)
    _click(monitor, "Ngắt kết nối của đơn vị")
    assert session.seat.code in session.axis.outages()
    _click(monitor, "Khôi phục kết nối")
    assert session.seat.code not in session.axis.outages()
    register = RegisterDesk(session)
    assert "Số đến" in register.view.value


def test_no_broken_picture_before_the_first_document(tmp_path):
    """A fresh seat at 07:30 has nothing to show: the page preview is hidden, not an empty image."""
    session = Session.open(tmp_path / "s", trainee_id="hv-preview", arrivals=2)
    desk = InboxDesk(session)
    assert not session.inbox and desk.preview.layout.display == "none"
    session.receive_all()
    desk = InboxDesk(session)
    desk.items.value = next(iter(session.inbox))
    assert desk.preview.layout.display != "none" and desk.preview.value[:4] == b"\x89PNG"
    signing = SigningDesk(session)
    assert not session.outbox and signing.preview.layout.display == "none"


def _confirm(desk, label):
    for child in desk.confirmation.children:
        if getattr(child, "description", None) == label:
            child.click()
            return
    raise AssertionError(f"no confirmation button {label!r}")


def test_revoking_asks_first_and_the_selection_stays(seat_copy):
    session = Session.open(seat_copy)
    console = PKIConsole(session)
    console.full_name.value = "Trần Thị Lan"
    console.passphrase.value = "mat-khau-moi"
    _click(console, "Cấp chứng thư")
    lan = next(c for c in session.pki.list() if c.full_name == "Trần Thị Lan")
    console.serial.value = lan.serial
    before = len(session.journal)
    _click(console, "Thu hồi")
    assert "không thể khôi phục" in console.confirmation.children[0].value
    assert session.pki.list()[[c.serial for c in session.pki.list()].index(lan.serial)].revocation is None
    _confirm(console, "Hủy")
    assert not console.confirmation.children and len(session.journal) == before
    _click(console, "Thu hồi")
    _confirm(console, "Xác nhận")
    revoked = next(c for c in session.pki.list() if c.serial == lan.serial)
    assert revoked.revocation is not None and len(session.journal) == before + 1
    assert console.serial.value == lan.serial and "đã thu hồi" in console.serial.label
    # the table is in Vietnamese: kinds and statuses in words, serials as the CLI prints them
    view = console.view.value
    assert "cá nhân" in view and "đã thu hồi" in view and f"{lan.serial:#07x}" in view
    assert ">person<" not in view and ">valid<" not in view and ">revoked<" not in view


def test_axis_monitor_names_units_and_states_in_vietnamese(seat_copy):
    session = Session.open(seat_copy)
    monitor = AxisMonitor(session)
    view = monitor.view.value
    assert session.seat.name in view and session.seat.code in view
    for english in (">pending", "fetched:", "done:", "pending:"):
        assert english not in view
    assert "đã xử lý xong" in view or "chờ đơn vị nhận" in view


def test_the_recall_button_asks_first_then_the_trace_shows_13_and_the_answers(seat_copy):
    """"Thu hồi văn bản" on the signing desk: only for a dispatched document not yet recalled, with a reason and
    a confirmation (a recall cannot be undone); the trace then shows 13 and the recipients' 15 in words."""
    session = Session.open(seat_copy)
    desk = SigningDesk(session)
    assert desk.recall_row.layout.display == "none"  # nothing dispatched: no recall offered
    _click(desk, "Soạn văn bản trả lời")
    out_id = desk.outgoing.value
    desk.passphrase.value = SEAT_PASSPHRASE
    _click(desk, "Ký số (lãnh đạo)")
    _click(desk, "Cấp số và đóng dấu (văn thư)")
    assert desk.recall_row.layout.display == "none"  # sealed, not dispatched: still nothing to recall
    _click(desk, "Phát hành")
    assert desk.recall_row.layout.display != "none"
    before = len(session.journal)
    _click(desk, "Thu hồi văn bản")  # asks first; without a reason the API's red line after "Xác nhận"
    assert "không thể hoàn tác" in desk.confirmation.children[0].value
    _confirm(desk, "Xác nhận")
    assert "Hãy nêu lý do thu hồi" in desk.status.value and len(session.journal) == before
    desk.recall_reason.value = "Văn bản gửi nhầm nội dung"
    _click(desk, "Thu hồi văn bản")
    _confirm(desk, "Hủy")
    assert session.outbox[out_id].recall is None and len(session.journal) == before
    _click(desk, "Thu hồi văn bản")
    _confirm(desk, "Xác nhận")
    recall = session.outbox[out_id].recall
    assert recall is not None and recall.reason == "Văn bản gửi nhầm nội dung"
    assert desk.last_call == f"session.recall('{out_id}', 'Văn bản gửi nhầm nội dung')"
    assert "trạng thái 13" in desk.status.value and desk.recall_row.layout.display == "none"
    assert "THU HỒI" in desk.outgoing.label
    assert [e["action"] for e in session.journal.entries()][-1] == "recall_sent"
    assert "13 đề nghị thu hồi" in desk.traces.value and "15 đồng ý thu hồi" not in desk.traces.value
    for _ in range(3):  # the world's desks agree once the clock gets there
        _click(desk, "Đến hết buổi")
        if recall.answered:
            break
    assert recall.answered and "15 đồng ý thu hồi" in desk.traces.value

"""The leader's seat at the desks (issue 15): a district's clerk and its leader as two trainees of a class, each at
the desks ``class_desks`` gives their seat. The clerk clicks "Trình ký" on the signing desk; the leader's desk
lists it, the leader clicks "Ký số"; the clerk's desk shows it signed after "Nhận". The same for a commune's
document the clerk registers and submits: the leader clicks "Phân công xử lý"; the clerk's desk shows it assigned.
A class of three seats served on 127.0.0.1 (the ``agency`` fixture of tests/classroom/test_class_leader.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.lab import SEAT_PASSPHRASE, Session
from simulator.lab.widgets import ClassPanel, InboxDesk, LeaderDesk, SigningDesk, class_desks
from tests.classroom.conftest import AGENCY, dispatch_to, served_class, until_class_item
from tests.lab.test_widgets import _click

NOTEBOOK = (Path(__file__).resolve().parents[2] / "courses" / "can-bo-xa" / "source" / "08-lien-thong-lop"
            / "08-lien-thong-lop.ipynb")

SUBJECT = "V/v báo cáo tiến độ số hóa hồ sơ quý I"
FROM_COMMUNE = "V/v đề nghị hướng dẫn lập hồ sơ điện tử"
RED = "#b71c1c"


@pytest.fixture(scope="module")
def agency(tmp_path_factory):
    """A class with the district's clerk, the district's leader and one commune's clerk, served."""
    room, tickets, served = served_class(tmp_path_factory, "class-leader-desk", AGENCY)
    base = tmp_path_factory.mktemp("seats")
    seats = {k: Session.open(base / k, classroom=t) for k, t in tickets.items()}
    seats["tickets"] = tickets
    yield room, seats
    served.stop()


@pytest.fixture(scope="module")
def desks(agency):
    _room, seats = agency
    return {k: class_desks(seats[k]) for k in ("clerk", "leader")}


def _buttons(desk) -> list[str]:
    return [child.description for box in desk.body.children for child in (box, *getattr(box, "children", ()))
            if getattr(child, "on_click", None) and getattr(child, "description", "")]


def _until_waiting(leader_desk, kind: str, tries: int = 4) -> list:
    """The leader clicks "Nhận văn bản trình" (and "Đến hết buổi" while nothing is there) until a hand-over of
    ``kind`` is listed ("Đến hết buổi" stops when the clerk hands something over)."""
    for _ in range(tries):
        _click(leader_desk, "Nhận văn bản trình")
        if any(h.kind == kind for h in leader_desk.waiting):
            break
        _click(leader_desk, "Đến hết buổi")
    return [h for h in leader_desk.waiting if h.kind == kind]


def _until_clerk(panel, done, tries: int = 20) -> None:
    """The clerk clicks "Nhận văn bản của lớp" (and "Đến hết buổi") until ``done()``."""
    for _ in range(tries):
        _click(panel, "Nhận văn bản của lớp")
        if done():
            return
        _click(panel, "Đến hết buổi")


def test_a_seat_gets_its_desks(desks, agency):
    _room, seats = agency
    assert [type(d) for d in desks["clerk"]] == [ClassPanel, SigningDesk, InboxDesk]
    assert [type(d) for d in desks["leader"]] == [ClassPanel, LeaderDesk]
    panel, leader_desk = desks["leader"]
    assert "Bàn lãnh đạo" in leader_desk.children[0].value
    assert _buttons(leader_desk) == ["Đến hết buổi", "Sang ngày làm việc tiếp theo", "Nhận văn bản trình", "Ký số",
                                     "Trả lại dự thảo", "Phân công xử lý"]
    assert "Nhận văn bản của lớp" not in _buttons(panel)      # the leader takes nothing from the class
    assert "văn thư của đơn vị" in panel.sent.value
    _click(panel, "Đến hết buổi")
    assert "Danh sách cho biết những văn bản văn thư đã trình" in panel.status.value   # not the clerk's button
    code = seats["clerk"].seat.code
    rows = [r for r in panel.seats.value.split("<tr>") if f">{code}<" in r]
    assert len(rows) == 2 and "văn thư" in rows[0] and "lãnh đạo" in rows[1]   # the unit's two seats, clerk first
    assert "anh/chị" in rows[1] and "anh/chị" not in rows[0]
    assert "/leader" not in panel.seats.value
    clerk_rows = [r for r in desks["clerk"][0].seats.value.split("<tr>") if f">{code}<" in r]
    assert "anh/chị" in clerk_rows[0] and "anh/chị" not in clerk_rows[1]
    alone = LeaderDesk(seats["clerk"])                         # a clerk's seat has no leader's desk
    assert "chỗ lãnh đạo" in alone.body.children[0].value


def test_the_clerk_hands_a_draft_over_and_the_leader_signs_it_at_the_desks(desks, agency):
    _room, seats = agency
    clerk, leader, commune = seats["clerk"], seats["leader"], seats["commune"]
    panel, signing, _inbox = desks["clerk"]
    _leader_panel, leader_desk = desks["leader"]
    assert signing.hand_over.layout.display is None            # "Trình ký" shows: a trainee holds the leader seat
    assert SigningDesk(commune).hand_over.layout.display == "none"

    signing.recipients.value = (commune.seat.code,)
    signing.subject.value = SUBJECT
    signing.text.value = "Đề nghị Ủy ban nhân dân xã báo cáo tiến độ số hóa hồ sơ."
    _click(signing, "Soạn văn bản gửi đơn vị")
    out = clerk.outbox[signing.outgoing.value]
    signing.passphrase.value = SEAT_PASSPHRASE
    _click(signing, "Ký số (lãnh đạo)")                       # the leader signs: the clerk is told why not
    assert RED in signing.status.value and "Trình ký" in signing.status.value and out.status == "drafted"
    _click(signing, "Trình ký")
    assert RED not in signing.status.value and "Đã trình lãnh đạo ký" in signing.status.value
    assert signing.last_call == f'session.submit_for_signature("{out.item_id}")'
    assert "ĐANG TRÌNH LÃNH ĐẠO" in dict((v, k) for k, v in signing.outgoing.options)[out.item_id]
    assert "Trình ký" in panel.with_leader.value and SUBJECT in panel.with_leader.value
    _click(signing, "Trình ký")                               # once
    assert RED in signing.status.value

    [handed] = _until_waiting(leader_desk, "sign")
    label = dict((v, k) for k, v in leader_desk.items.options)[handed.id]
    assert "Trình ký" in label and SUBJECT in label and "/2025 " in label   # handed at world time
    assert leader_desk.preview.layout.display is None and bytes(leader_desk.preview.value).startswith(b"\x89PNG")
    assert leader_desk.sign_row.layout.display is None and leader_desk.assign_row.layout.display == "none"
    assert "Trình ký" in leader_desk.details.value and "chưa có số" in leader_desk.details.value
    _click(leader_desk, "Phân công xử lý")                    # a draft is signed, not assigned
    assert RED in leader_desk.status.value and "Ký số" in leader_desk.status.value
    _click(leader_desk, "Trả lại dự thảo")                     # a draft goes back with the reason
    assert RED in leader_desk.status.value and handed.id not in leader.leader_done
    leader_desk.reason.value = "Bổ sung thời hạn báo cáo."
    _click(leader_desk, "Trả lại dự thảo")
    assert RED not in leader_desk.status.value and "Đã trả lại dự thảo" in leader_desk.status.value
    assert "Đã trả lại: Bổ sung thời hạn báo cáo." in leader_desk.done.value
    _until_clerk(panel, lambda: f"out:{out.item_id}" not in clerk.handed)   # the draft is the clerk's again
    assert RED in panel.status.value and f"Lãnh đạo trả lại dự thảo {out.item_id}: Bổ sung" in panel.status.value
    assert out.status == "drafted" and panel.with_leader.value == ""
    _click(signing, "Trình ký")                                # corrected, handed over anew
    assert RED not in signing.status.value and "Đã trình lãnh đạo ký" in signing.status.value
    [handed] = _until_waiting(leader_desk, "sign")
    leader_desk.passphrase.value = "sai-mat-khau"
    _click(leader_desk, "Ký số")                               # a wrong passphrase: a red line, nothing signed
    assert RED in leader_desk.status.value and handed.id not in leader.leader_done
    leader_desk.passphrase.value = SEAT_PASSPHRASE
    _click(leader_desk, "Ký số")
    assert RED not in leader_desk.status.value and "Đã ký số" in leader_desk.status.value
    assert leader_desk.last_call == f"session.sign_handoff({handed.id}, passphrase)"
    assert handed.id in leader.leader_done and leader_desk.items.options == ()
    assert SUBJECT in leader_desk.done.value and "Đã ký" in leader_desk.done.value

    _until_clerk(panel, lambda: out.status == "signed")
    assert out.status == "signed" and out.flow.history[-1].by == "leader"
    assert f"Lãnh đạo đã cho ý kiến về văn bản đi {out.item_id}" in panel.status.value
    label = dict((v, k) for k, v in signing.outgoing.options)[out.item_id]
    assert "Đã ký" in label and "ĐANG TRÌNH LÃNH ĐẠO" not in label   # the signing desk, told by the panel
    assert panel.with_leader.value == ""
    signing.outgoing.value = out.item_id
    _click(signing, "Cấp số và đóng dấu (văn thư)")
    _click(signing, "Phát hành")
    assert out.status == "dispatched"


def test_the_clerk_submits_a_document_and_the_leader_assigns_it_at_the_desks(desks, agency):
    _room, seats = agency
    clerk, leader, commune = seats["clerk"], seats["leader"], seats["commune"]
    panel, _signing, inbox = desks["clerk"]
    _leader_panel, leader_desk = desks["leader"]
    sent = dispatch_to(commune, [clerk.seat.code], FROM_COMMUNE, "Ủy ban nhân dân xã đề nghị hướng dẫn.")
    doc_id = sent.document.document_id

    item = next(i for i in until_class_item(clerk, lambda: _click(inbox, "Nhận văn bản mới"))
                if i.document.document_id == doc_id)
    inbox.items.value = item.item_id
    for label in ("Kiểm tra chữ ký", "Vào sổ", "Trình lãnh đạo"):
        _click(inbox, label)
        assert RED not in inbox.status.value, inbox.status.value
    _click(inbox, "Phân công")                                 # the leader assigns: the clerk is told why not
    assert RED in inbox.status.value and "phân công" in inbox.status.value and item.status == "submitted"
    _click(panel, "Làm mới")
    assert "Trình phân công" in panel.with_leader.value and FROM_COMMUNE in panel.with_leader.value

    [handed] = _until_waiting(leader_desk, "assign")
    label = dict((v, k) for k, v in leader_desk.items.options)[handed.id]
    assert "Trình phân công" in label and FROM_COMMUNE in label and commune.seat.name in label
    assert f"số đến {item.number}" in label
    assert leader_desk.assign_row.layout.display is None and leader_desk.sign_row.layout.display == "none"
    _click(leader_desk, "Ký số")                                # a document to assign is not signed
    assert RED in leader_desk.status.value and "Phân công xử lý" in leader_desk.status.value
    _click(leader_desk, "Phân công xử lý")                      # nobody named: the API's red line
    assert RED in leader_desk.status.value and handed.id not in leader.leader_done
    leader_desk.handler.value = "Phòng Nội vụ"
    leader_desk.days.value = 3
    leader_desk.directions.value = "Hướng dẫn xã trước hạn."
    _click(leader_desk, "Phân công xử lý")
    assert RED not in leader_desk.status.value and "Đã phân công cho Phòng Nội vụ" in leader_desk.status.value
    assert leader_desk.last_call == (f"session.assign_handoff({handed.id}, 'Phòng Nội vụ', days=3, "
                                     "directions='Hướng dẫn xã trước hạn.')")
    done = leader_desk.done.value
    assert "Đã phân công: Phòng Nội vụ" in done and "Hướng dẫn xã trước hạn." in done and FROM_COMMUNE in done

    _until_clerk(panel, lambda: item.status == "assigned")
    assert item.status == "assigned" and item.flow.history[-1].by == "leader"
    assert f"Lãnh đạo đã cho ý kiến về văn bản đến {item.item_id}" in panel.status.value
    assert "Đã giao xử lý" in dict((v, k) for k, v in inbox.items.options)[item.item_id]   # the incoming desk
    assert "Phòng Nội vụ" in leader_desk.done.value and panel.with_leader.value == ""


def test_no_english_on_the_leaders_desks(desks):
    english = ("Sign digitally", "Assign for handling", "Receive documents handed over", "For signature",
               "For assignment", "The leader's desk", "What you have done", "Hand-over", "Hand over for signature",
               "WITH THE LEADER", "With the leader", "Directions for handling")
    for desk in (*desks["leader"], *desks["clerk"]):
        desk.refresh()
        shown = [desk.children[0].value, desk.status.value, *_buttons(desk)]
        shown += [c.value for c in desk.body.children if hasattr(c, "value") and isinstance(c.value, str)]
        shown += [getattr(c, "placeholder", "") for box in desk.body.children for c in getattr(box, "children", ())]
        if isinstance(desk, LeaderDesk):
            shown += [desk.done.value, desk.details.value]
        text = "\n".join(str(s) for s in shown)
        assert not [e for e in english if e in text], (type(desk).__name__, text)


@pytest.mark.parametrize("seat,title", [("leader", "Bàn lãnh đạo"), ("clerk", "Ký số và phát hành")],
                         ids=["leader", "clerk"])
def test_the_assignment_shows_each_seat_its_desks(agency, seat, title, tmp_path, monkeypatch):
    """Assignment 08's cells that open the seat and show its desks run in a real kernel, for a leader's seat (the
    leader's desk) and for a clerk's (the signing desk); nbgrader's validation does not look at these cells."""
    import nbformat
    from nbclient import NotebookClient

    _room, seats = agency
    ticket = seats["tickets"][seat]
    monkeypatch.setenv("VBDT_CLASS_TICKET", json.dumps(ticket))
    monkeypatch.setenv("VBDT_TRAINEE", ticket["trainee"])
    monkeypatch.setenv("VBDT_LANG", "vi")
    source = nbformat.read(NOTEBOOK, as_version=4)
    cells = [c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") in ("mo-ban", "ban-lam-viec")]
    assert len(cells) == 2 and "class_desks(ban)" in cells[1].source
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=source.metadata)
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()   # a cell that raises fails here
    shown = [o.get("data", {}).get("text/plain", "") for o in notebook.cells[1].outputs]
    assert len(shown) == (2 if seat == "leader" else 3)
    assert "Lớp học" in shown[0] and title in shown[1]

"""The official-mail grader on scripted trainees, against a real mail server: full, partial and zero marks,
and two cheats (a reply dropped straight into a Maildir; a journal line removed by hand)."""

from __future__ import annotations

import json
import time
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from simulator.grading.mail import MAX_POINTS, grade_mail
from tests.lab.mail_seat import seat_with_mail, uid_of, wait_delivered

LIST = [("danh-sach-cong-chuc.csv", "Họ tên;Chức vụ;Thư công vụ\n".encode())]


def _full(client) -> None:
    client.reply(uid_of(client, "request"), "Kính gửi Sở Nội vụ, xã gửi kèm danh sách.", attachments=LIST)
    client.reply(uid_of(client, "axis_by_mail"),
                 "Đề nghị Văn phòng gửi Quyết định có ký số qua trục liên thông.")
    client.report(uid_of(client, "lookalike"))


def _grade(session, mail, delivered: int):
    wait_delivered(mail, delivered)
    return grade_mail(session.folder, session.config.trainee)


def test_a_trainee_who_does_it_all_gets_full_marks():
    with seat_with_mail("hv-thu-full") as (session, mail, client):
        _full(client)
        result = _grade(session, mail, 3)
        assert (result.points, result.max_points) == (MAX_POINTS, MAX_POINTS), result.explain()
        assert grade_mail(session.folder, "hv-someone-else").points == 0


def test_partial_marks_say_what_is_missing():
    with seat_with_mail("hv-thu-partial") as (session, mail, client):
        client.reply(uid_of(client, "request"), "Danh sách sẽ gửi sau.")  # no attachment
        client.register_as_incoming(uid_of(client, "axis_by_mail"))  # the trap: registered as if from the axis
        client.reply(uid_of(client, "axis_by_mail"), "Đã nhận.")
        result = _grade(session, mail, 2)
        assert result.points == 2, result.explain()
        text = result.explain()
        for missing in ("không có tệp đính kèm", "vào sổ như văn bản đến", "nghean-gov.vn"):
            assert missing in text


def test_doing_nothing_gets_nothing():
    with seat_with_mail("hv-thu-zero") as (session, _mail, _client):
        result = grade_mail(session.folder, session.config.trainee)
        assert result.points == 0 and len(result.messages) == 5


def test_a_reply_dropped_into_the_maildir_does_not_count():
    with seat_with_mail("hv-thu-inject") as (session, mail, client):
        fake = EmailMessage()
        fake["From"], fake["To"] = mail.address, mail.info["home"]
        fake["Subject"], fake["Date"] = "Re: danh sách", format_datetime(session.clock.astimezone())
        fake["Message-ID"], fake["In-Reply-To"] = make_msgid(), f"<request.{session.config.seed}@nghean.gov.vn>"
        fake["Received"] = "from client (127.0.0.1) by vbdt-mail with ESMTPSA; forged"
        fake.set_content("Danh sách kèm theo.")
        fake.add_attachment(LIST[0][1], maintype="text", subtype="csv", filename=LIST[0][0])
        local, domain = mail.info["home"].split("@")
        box = mail.folder / "mail" / domain / local
        for sub in ("new", "cur", "tmp"):
            (box / sub).mkdir(parents=True, exist_ok=True)
        (box / "new" / f"{time.time_ns()}.forged.host").write_bytes(fake.as_bytes())
        result = grade_mail(session.folder, session.config.trainee)
        assert result.points == 0, result.explain()
        assert "không được gửi qua máy chủ thư" in result.messages[-1]


def test_a_journal_edited_by_hand_gets_nothing():
    with seat_with_mail("hv-thu-journal") as (session, mail, client):
        client.register_as_incoming(uid_of(client, "axis_by_mail"))
        _full(client)
        assert _grade(session, mail, 3).points == MAX_POINTS - 1  # registered it: one mark off
        path = session.folder / "journal.jsonl"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(l for l in lines if json.loads(l)["action"] != "mail_register"), encoding="utf-8")
        result = grade_mail(session.folder, session.config.trainee)
        assert result.points == 0 and "sửa bằng tay" in result.explain()


def test_the_assignment_source_keeps_its_graded_cell():
    """What ``vbdt course check`` asks of a source, for this assignment (registered as below in coursework)."""
    from pathlib import Path

    import nbformat

    from simulator.grading.coursework import Assignment, check_source

    root = Path(__file__).resolve().parents[2] / "courses" / "can-bo-xa" / "source" / "06-thu-dien-tu"
    notebook = nbformat.read(root / "06-thu-dien-tu.ipynb", as_version=4)
    assert check_source(notebook, Assignment("06-thu-dien-tu", "kiem-tra-thu-dien-tu", "grade_mail")) == []

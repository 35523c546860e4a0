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


def test_a_delivery_log_edited_by_hand_gets_the_clerk_nothing():
    from simulator.mail.log import log_path

    with seat_with_mail("hv-thu-log") as (session, mail, client):
        _full(client)
        assert _grade(session, mail, 3).points == MAX_POINTS
        path = log_path(mail.folder)
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(lines[:1] + lines[2:]), encoding="utf-8")  # one delivery made to disappear
        result = grade_mail(session.folder, session.config.trainee)
        assert result.points == 0 and "Nhật ký giao thư đã bị sửa bằng tay" in result.explain()


def test_the_assignment_source_keeps_its_graded_cell():
    """What ``vbdt course check`` asks of a source, for this assignment (registered as below in coursework)."""
    from pathlib import Path

    import nbformat

    from simulator.grading.coursework import Assignment, check_source

    root = Path(__file__).resolve().parents[2] / "courses" / "can-bo-xa" / "source" / "06-thu-dien-tu"
    notebook = nbformat.read(root / "06-thu-dien-tu.ipynb", as_version=4)
    assert check_source(notebook, Assignment("06-thu-dien-tu", "kiem-tra-thu-dien-tu", "grade_mail")) == []


# ------------------------------------------------------------------------------------ administrators: 05-thu-cong-vu
import shutil  # noqa: E402
import tempfile  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402

from simulator.cli.main import main  # noqa: E402
from simulator.grading.mail_admin import MAX_POINTS as ADMIN_POINTS, grade_mail_admin  # noqa: E402
from simulator.mail.exercise import MailExercise  # noqa: E402
from simulator.mail.server import MailServer  # noqa: E402


@contextmanager
def exercise(trainee: str):
    """The administrator's exercise in a folder under /tmp (the mailboxes' owner, nobody, passes through)."""
    root = Path(tempfile.mkdtemp(prefix="vbdt-mail-admin-"))
    root.chmod(0o711)
    ex = None
    try:
        ex = MailExercise.open(root / "lam-viec", trainee)
        yield ex
    finally:
        if ex is not None:
            MailServer(ex.folder).stop()
        shutil.rmtree(root, ignore_errors=True)


def _mail(ex, *argv) -> int:
    return main(["mail", "--folder", str(ex.folder), *argv])


def _clear_queue_and_provision(ex) -> None:
    assert _mail(ex, "stop") == 0 and _mail(ex, "serve") == 0
    assert _mail(ex, "review", "--unit", ex.task.unit_code, "--db", str(ex.registry), "--create", "--out",
                 str(ex.work / "mat-khau-moi.csv")) == 1  # the one who left is still open: a finding, exit 1


def _all_of_it(ex) -> dict:
    t = ex.task
    _clear_queue_and_provision(ex)
    assert _mail(ex, "user", "disable", t.address(t.left), "--reason", "Chuyển công tác") == 0
    assert _mail(ex, "user", "reset", t.address(t.forgot)) == 0
    assert _mail(ex, "group", "add", t.group, t.address(t.staff[0]), t.address(t.staff[1])) == 0
    assert _mail(ex, "user", "quota", t.address(t.full), "--quota-messages", "0") == 0
    assert _mail(ex, "restore", str(ex.backup), t.address(t.lost)) == 0
    assert _mail(ex, "review", "--unit", t.unit_code, "--db", str(ex.registry)) == 0
    return {"hop_thu_day": t.address(t.full)}


def test_an_administrator_who_does_it_all_gets_full_marks(capsys):
    with exercise("hv-qt-thu-full") as ex:
        answers = _all_of_it(ex)
        assert "IV.4" in capsys.readouterr().out
        result = grade_mail_admin(ex.work, "hv-qt-thu-full", answers)
        assert (result.points, result.max_points) == (ADMIN_POINTS, ADMIN_POINTS), result.explain()
        assert grade_mail_admin(ex.work, "hv-someone-else", answers).points == 0


def test_an_untouched_exercise_gets_nothing_and_every_task_is_named():
    with exercise("hv-qt-thu-zero") as ex:
        result = grade_mail_admin(ex.work, "hv-qt-thu-zero", {"hop_thu_day": None})
        assert result.points == 0 and len(result.messages) == ADMIN_POINTS, result.explain()
        text = result.explain()
        for needle in ("chưa có hộp thư đơn vị", ex.task.left.full_name, "mật khẩu cũ", "lanhdao.", "hàng đợi",
                       "nhật ký giao thư", "vẫn đầy", "phục hồi"):
            assert needle in text


def test_partial_marks_say_what_is_left(capsys):
    with exercise("hv-qt-thu-partial") as ex:
        _clear_queue_and_provision(ex)
        t = ex.task
        assert _mail(ex, "user", "quota", t.address(t.full), "--quota-mb", "2048") == 0  # the wrong limit
        result = grade_mail_admin(ex.work, "hv-qt-thu-partial", {"hop_thu_day": t.address(t.lost)})
        assert result.points == 3, result.explain()  # unit mailbox, staff mailboxes, the queue
        text = result.explain()
        assert "vẫn đầy" in text and "không phải là" in text and t.left.full_name in text


def test_a_delivery_log_edited_by_hand_gets_nothing():
    with exercise("hv-qt-thu-log") as ex:
        answers = _all_of_it(ex)
        from simulator.mail.log import log_path

        path = log_path(ex.folder)
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        line = json.loads(lines[-3])
        line["status"] = "delivered"  # someone hides a bounce
        lines[-3] = json.dumps(line, ensure_ascii=False) + "\n"
        path.write_text("".join(lines), encoding="utf-8")
        result = grade_mail_admin(ex.work, "hv-qt-thu-log", answers)
        assert result.points == 0 and "sửa bằng tay" in result.explain()


def test_accounts_edited_by_hand_do_not_count_and_a_deleted_mailbox_is_named():
    with exercise("hv-qt-thu-book") as ex:
        t = ex.task
        _clear_queue_and_provision(ex)
        book = ex.folder / "accounts.json"
        data = json.loads(book.read_text(encoding="utf-8"))
        data["accounts"][t.address(t.left)]["active"] = False  # the passwd-file still lets them in
        book.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        result = grade_mail_admin(ex.work, "hv-qt-thu-book", {"hop_thu_day": t.address(t.full)})
        assert result.points == 4, result.explain()  # unit, staff, queue, answer; not the disabled one
        assert "sửa bằng tay" in result.messages[-1] and t.address(t.left) in result.messages[-1]
        assert "đã bị xóa khỏi sổ" in result.explain()


def test_the_admin_assignment_source_keeps_its_graded_cell():
    import nbformat

    from simulator.grading.coursework import Assignment, check_source

    root = Path(__file__).resolve().parents[2] / "courses" / "quan-tri" / "source" / "05-thu-cong-vu"
    notebook = nbformat.read(root / "05-thu-cong-vu.ipynb", as_version=4)
    assert check_source(notebook, Assignment("05-thu-cong-vu", "kiem-tra-thu-cong-vu", "grade_mail_admin")) == []


def test_the_exercise_opens_again_as_left_and_is_prepared_again_when_its_mail_folder_is_gone():
    with exercise("hv-qt-thu-again") as ex:
        t = ex.task
        assert _mail(ex, "user", "disable", t.address(t.left)) == 0
        again = MailExercise.open(ex.work, "hv-qt-thu-again")
        assert again.folder == ex.folder and not json.loads(
            (ex.folder / "accounts.json").read_text(encoding="utf-8"))["accounts"][t.address(t.left)]["active"]
        MailServer(ex.folder).stop()
        shutil.rmtree(ex.folder)  # /tmp emptied by a restart
        fresh = MailExercise.open(ex.work, "hv-qt-thu-again")
        result = grade_mail_admin(fresh.work, "hv-qt-thu-again", {"hop_thu_day": None})
        assert result.points == 0 and len(result.messages) == ADMIN_POINTS, result.explain()

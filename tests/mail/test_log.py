"""The delivery log is chained: each line carries the hash of the one before, so a line changed, removed or
inserted by hand is found (``vbdt mail log --check``); a line cut short by a crash is not a record."""

from __future__ import annotations

import json

from simulator.cli.main import main
from simulator.mail.log import DeliveryLog, check_log, deliveries, log_path
from tests.mail.conftest import wait_for


def _write(folder, n: int, start: int = 0) -> None:
    log = DeliveryLog(folder)
    for i in range(start, start + n):
        log.write(f"q{i}", "vanthu.xa@nghean.gov.vn", f"nguoi{i}@nghean.gov.vn", "delivered", "250 2.0.0 Saved")
    log.close()


def _lines(folder) -> list[str]:
    return log_path(folder).read_text(encoding="utf-8").splitlines(keepends=True)


def test_an_untouched_log_checks_and_a_reopened_writer_continues_the_chain(tmp_path):
    _write(tmp_path, 3)
    _write(tmp_path, 2, start=3)  # the service restarted
    assert check_log(tmp_path) == (5, None)
    assert [d.id for d in deliveries(tmp_path)] == ["q0", "q1", "q2", "q3", "q4"]


def test_a_changed_line_is_found_at_the_line_after_it(tmp_path):
    _write(tmp_path, 4)
    lines = _lines(tmp_path)
    edited = json.loads(lines[1])
    edited["status"] = "bounced"  # someone hides a delivery
    lines[1] = json.dumps(edited, ensure_ascii=False) + "\n"
    log_path(tmp_path).write_text("".join(lines), encoding="utf-8")
    lines_seen, broken = check_log(tmp_path)
    assert lines_seen == 4 and broken is not None and broken.line == 3


def test_a_removed_line_and_a_forged_line_are_found(tmp_path):
    _write(tmp_path, 4)
    lines = _lines(tmp_path)
    log_path(tmp_path).write_text("".join(lines[:1] + lines[2:]), encoding="utf-8")
    assert check_log(tmp_path)[1].line == 2
    forged = json.dumps({"at": "x", "id": "q9", "from": "a", "to": "b", "status": "delivered", "reply": "250"})
    log_path(tmp_path).write_text("".join(lines) + forged + "\n", encoding="utf-8")
    assert check_log(tmp_path)[1].line == 5


def test_a_line_cut_short_by_a_crash_is_dropped_before_the_next_write(tmp_path):
    _write(tmp_path, 2)
    with log_path(tmp_path).open("a", encoding="utf-8") as fh:
        fh.write('{"at": "2026-11-30T08:00:00', )  # the service was killed mid-line
    assert check_log(tmp_path) == (2, None)
    _write(tmp_path, 1, start=2)
    assert check_log(tmp_path) == (3, None)
    assert len(deliveries(tmp_path)) == 3


def test_the_service_chains_its_lines_and_the_command_checks_them(mail, capsys):
    import smtplib
    from email.message import EmailMessage

    sender = mail.add_person("Đinh Thị Chuỗi")
    unit = next(a for a in mail.passwords if a.startswith("vanthu."))
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, sender, "Nhật ký có chuỗi băm"
    msg.set_content("Thử nhật ký.")
    before = len(deliveries(mail.folder))
    with smtplib.SMTP("127.0.0.1", mail.ports.smtp, timeout=30) as smtp:
        smtp.login(sender, mail.passwords[sender])
        smtp.send_message(msg, sender, [sender, unit])
    wait_for(lambda: len(deliveries(mail.folder)) >= before + 2, "the two deliveries in the log")
    folder = str(mail.folder)
    assert main(["mail", "--folder", folder, "log", "--check"]) == 0
    assert "còn nguyên vẹn" in capsys.readouterr().out
    path = log_path(mail.folder)
    original = path.read_bytes()
    try:
        lines = original.decode("utf-8").splitlines(keepends=True)
        first = json.loads(lines[0])
        first["reply"] = "250 sửa tay"
        path.write_text(json.dumps(first, ensure_ascii=False) + "\n" + "".join(lines[1:]), encoding="utf-8")
        assert main(["mail", "--folder", folder, "log", "--check"]) == 1
        assert "đã bị sửa: dòng 2" in capsys.readouterr().out
        assert main(["mail", "--folder", folder, "log", "--check", "--json"]) == 1
        payload = json.loads(capsys.readouterr().out)
        assert payload["intact"] is False and payload["line"] == 2
    finally:
        path.write_bytes(original)  # the session's server keeps writing after this test

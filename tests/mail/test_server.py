"""The official mail server for real: SMTP submission with login, IMAP reading back, LMTP delivery, groups,
quotas, disabled mailboxes, and messages that survive a server killed mid-delivery."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import pytest
from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from simulator.mail import MailBook
from simulator.mail.log import deliveries
from tests.mail.conftest import MAX_MESSAGE, inbox_subjects, wait_for


def _message(sender: str, to: str, subject: str, body: str = "Kính gửi anh chị.") -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg.set_content(body)
    return msg


def _submit(mail, sender: str, to: list[str], subject: str, body: str = "Nội dung thư.") -> dict:
    with smtplib.SMTP("127.0.0.1", mail.ports.smtp, timeout=30) as smtp:
        smtp.login(sender, mail.passwords[sender])
        return smtp.send_message(_message(sender, ", ".join(to), subject, body), sender, to)


def test_submission_and_imap_round_trip(mail):
    clerk = mail.add_person("Lê Thị Hoa")
    boss = mail.add_person("Phan Đình Phùng", position="Chủ tịch")
    refused = _submit(mail, clerk, [boss], "Báo cáo tuần 12", "Kính gửi đồng chí Chủ tịch, ...")
    assert refused == {}
    wait_for(lambda: "Báo cáo tuần 12" in inbox_subjects(mail, boss), "the report in the chairman's inbox")
    with mail.imap(boss) as client:
        client.select_folder("INBOX")
        [uid] = client.search(["SUBJECT", "tuần 12"], charset="UTF-8")
        body = client.fetch([uid], ["RFC822"])[uid][b"RFC822"].decode("utf-8")
    assert f"From: {clerk}" in body and "Received: from" in body
    assert [d.status for d in deliveries(mail.folder, recipient=boss)] == ["delivered"]


def test_lmtp_delivers_straight_into_dovecot(mail):
    person = mail.add_person("Hồ Sỹ Tuấn")
    with smtplib.LMTP("127.0.0.1", mail.ports.lmtp) as lmtp:
        lmtp.sendmail("he-thong@nghean.gov.vn", [person], _message("he-thong@nghean.gov.vn", person,
                                                                    "Thông báo từ hệ thống").as_bytes())
    assert inbox_subjects(mail, person) == ["Thông báo từ hệ thống"]


def test_a_group_delivers_to_each_member(mail):
    a, b = mail.add_person("Võ Văn Kiệt"), mail.add_person("Đặng Thị Mai")
    sender = mail.add_person("Cao Xuân Dục")
    group = mail.book.add_group(f"lanhdao.{mail.slug}@nghean.gov.vn", "Lãnh đạo", [a, b])
    _submit(mail, sender, [group.address], "Họp giao ban")
    for member in (a, b):
        wait_for(lambda m=member: "Họp giao ban" in inbox_subjects(mail, m), f"the meeting notice for {member}")


def test_wrong_password_and_someone_elses_address_are_refused(mail):
    person, other = mail.add_person("Tạ Quang Bửu"), mail.add_person("Ngô Bảo Châu")
    with smtplib.SMTP("127.0.0.1", mail.ports.smtp) as smtp:
        with pytest.raises(smtplib.SMTPAuthenticationError):
            smtp.login(person, "not-the-password-1")
    with smtplib.SMTP("127.0.0.1", mail.ports.smtp) as smtp:
        smtp.login(person, mail.passwords[person])
        with pytest.raises(smtplib.SMTPSenderRefused):  # posing as the province office: refused
            smtp.sendmail("vanphong@nghean.gov.vn", [other], b"Subject: x\r\n\r\ny\r\n")
    with smtplib.SMTP("127.0.0.1", mail.ports.smtp) as smtp:
        with pytest.raises(smtplib.SMTPException):  # no login, no sending
            smtp.sendmail(person, [other], b"Subject: x\r\n\r\ny\r\n")
    with pytest.raises(LoginError):
        IMAPClient("127.0.0.1", port=mail.ports.imap, ssl=False).login(person, "not-the-password-1")


def test_unknown_recipient_and_too_large_message_are_refused(mail):
    person = mail.add_person("Bùi Thị Xuân")
    with smtplib.SMTP("127.0.0.1", mail.ports.smtp) as smtp:
        smtp.login(person, mail.passwords[person])
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            smtp.sendmail(person, [f"khong-co-ai.{mail.slug}@nghean.gov.vn"], b"Subject: x\r\n\r\ny\r\n")
        assert refused.value.recipients[f"khong-co-ai.{mail.slug}@nghean.gov.vn"][0] == 550
    with smtplib.SMTP("127.0.0.1", mail.ports.smtp) as smtp:
        smtp.login(person, mail.passwords[person])
        big = _message(person, person, "Quá lớn", "x" * (MAX_MESSAGE + 1000))
        with pytest.raises((smtplib.SMTPDataError, smtplib.SMTPSenderRefused)) as too_big:
            smtp.send_message(big)
        assert too_big.value.smtp_code == 552
    assert not any(d.recipient == person for d in deliveries(mail.folder))


def test_a_full_mailbox_bounces_and_the_sender_is_told(mail):
    full = mail.add_person("Nguyễn Thị Định", quota_messages=2)
    sender = mail.add_person("Trần Quốc Toản")
    for i in range(3):
        _submit(mail, sender, [full], f"Thư số {i + 1}")
    wait_for(lambda: any(d.status == "bounced" for d in deliveries(mail.folder, recipient=full)), "a bounce")
    assert sorted(inbox_subjects(mail, full)) == ["Thư số 1", "Thư số 2"]
    wait_for(lambda: any(full in s for s in inbox_subjects(mail, sender)), "the notice in the sender's inbox")
    with mail.imap(full) as client:
        client.select_folder("INBOX")
        quota = client.get_quota_root("INBOX")[1]
    assert [(q.resource, q.usage, q.limit) for q in quota if q.resource == "MESSAGE"] == [("MESSAGE", 2, 2)]


def test_a_disabled_mailbox_cannot_log_in_until_reset(mail):
    person = mail.add_person("Lý Thường Kiệt")
    sender = mail.add_person("Mạc Đĩnh Chi")
    with mail.imap(person):
        pass
    mail.book.disable(person, "nghỉ việc")
    with pytest.raises(LoginError):
        mail.imap(person)
    with smtplib.SMTP("127.0.0.1", mail.ports.smtp) as smtp:
        with pytest.raises(smtplib.SMTPAuthenticationError):
            smtp.login(person, mail.passwords[person])
    _submit(mail, sender, [person], "Vẫn nhận thư")  # mail to a disabled mailbox is kept for the administrator
    _account, mail.passwords[person] = mail.book.reset(person)
    wait_for(lambda: "Vẫn nhận thư" in inbox_subjects(mail, person), "the kept message after the reset")


def test_accepted_messages_survive_a_killed_server(own_server):
    """Dovecot down (killed), messages accepted into the queue, then the submission service killed too:
    after a restart every accepted message is delivered."""
    mail = own_server()
    a, b = mail.add_person("Phạm Văn Đồng"), mail.add_person("Hoàng Văn Thụ")
    mail.server.kill(submission=False)  # Dovecot crashes: nothing can be delivered
    for i in range(20):
        _submit(mail, a, [b], f"Khi máy chủ hỏng {i}")
    assert mail.server.status().queued > 0
    mail.server.kill()  # and now the submission service too, with the queue full
    mail.server.start(max_message=MAX_MESSAGE)
    wanted = {f"Khi máy chủ hỏng {i}" for i in range(20)}
    wait_for(lambda: wanted <= set(inbox_subjects(mail, b)), "all 20 accepted messages after the restart")
    wait_for(lambda: mail.server.status().queued == 0, "an empty queue")


def test_a_server_killed_mid_delivery_loses_no_accepted_message(own_server):
    mail = own_server()
    a, b = mail.add_person("Phan Bội Châu"), mail.add_person("Huỳnh Thúc Kháng")
    accepted = []
    with smtplib.SMTP("127.0.0.1", mail.ports.smtp) as smtp:
        smtp.login(a, mail.passwords[a])
        for i in range(150):
            smtp.send_message(_message(a, b, f"Dồn dập {i}"))
            accepted.append(f"Dồn dập {i}")
    mail.server.kill()  # both, while the queue is being delivered
    mail.server.start(max_message=MAX_MESSAGE)
    wait_for(lambda: set(accepted) <= set(inbox_subjects(mail, b)), "every accepted message after the restart")


def test_the_world_posts_a_document_with_its_pdf(mail, tmp_path):
    """The e-mail channel's server side: a message with a PDF attachment posted by the system arrives."""
    from simulator.mail.post import post

    clerk = mail.add_person("Nguyễn Thị Văn Thư")
    msg = _message(f"vanthu.huyendienchau@{mail.book.domain}", clerk, "Công văn 15/UBND-VP gửi qua thư")
    pdf = b"%PDF-1.7\n" + b"0" * 5000 + b"\n%%EOF\n"
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename="15-UBND-VP.pdf")
    post(mail.folder, msg)
    wait_for(lambda: "Công văn 15/UBND-VP gửi qua thư" in inbox_subjects(mail, clerk), "the posted document")
    with mail.imap(clerk) as client:
        client.select_folder("INBOX")
        [uid] = client.search("ALL")
        raw = client.fetch([uid], ["RFC822"])[uid][b"RFC822"]
    import email
    from email import policy

    parts = [p for p in email.message_from_bytes(raw, policy=policy.default).iter_attachments()]
    assert [(p.get_filename(), p.get_content()) for p in parts] == [("15-UBND-VP.pdf", pdf)]


def test_posting_refuses_unknown_recipients_and_oversized_messages(mail):
    from simulator.errors import UserError
    from simulator.mail.post import post

    clerk = mail.add_person("Trương Văn Lĩnh")
    before = mail.server.status().queued
    with pytest.raises(UserError, match="không có hộp thư"):
        post(mail.folder, _message(clerk, f"ai.do@{mail.book.domain}", "x"))
    with pytest.raises(UserError, match="quá lớn"):
        post(mail.folder, _message(clerk, clerk, "x", "y" * (MAX_MESSAGE + 10)))
    assert mail.server.status().queued == before


def test_a_mailbox_restored_from_backup(mail, tmp_path):
    """Messages deleted after a backup come back; a second restore adds nothing; a whole restore into an empty
    folder brings the book and the passwords back."""
    from simulator.mail.backup import backup, restore

    person = mail.add_person("Đào Duy Từ")
    sender = mail.add_person("Lương Thế Vinh")
    for i in range(3):
        _submit(mail, sender, [person], f"Lưu trữ {i}")
    wait_for(lambda: len(inbox_subjects(mail, person)) == 3, "three messages")
    report = backup(mail.folder, tmp_path / "sao-luu.tar.gz")
    assert report.messages >= 3
    with mail.imap(person) as client:
        client.select_folder("INBOX")
        uids = client.search(["SUBJECT", "Lưu trữ 1"], charset="UTF-8") + client.search(["SUBJECT", "Lưu trữ 2"],
                                                                                        charset="UTF-8")
        client.delete_messages(uids)
        client.expunge()
    assert inbox_subjects(mail, person) == ["Lưu trữ 0"]
    assert restore(mail.folder, tmp_path / "sao-luu.tar.gz", person) == 2
    assert sorted(inbox_subjects(mail, person)) == ["Lưu trữ 0", "Lưu trữ 1", "Lưu trữ 2"]
    from simulator.mail.dovecot import quota_usage

    assert quota_usage(mail.folder)[person].messages == 3  # the quota counts what came back, not only what stayed
    assert restore(mail.folder, tmp_path / "sao-luu.tar.gz", person) == 0
    fresh = tmp_path / "may-moi"
    assert restore(fresh, tmp_path / "sao-luu.tar.gz") == report.messages
    assert (fresh / "passwd").read_bytes() == (mail.folder / "passwd").read_bytes()
    assert MailBook(fresh).account(person) is not None


def test_a_file_that_is_not_a_backup_is_refused(mail, tmp_path):
    from simulator.errors import UserError
    from simulator.mail.backup import restore

    bogus = tmp_path / "khong-phai.tar.gz"
    bogus.write_bytes(b"\x1f\x8b" + b"x" * 100)
    with pytest.raises(UserError, match="không phải bản sao lưu"):
        restore(mail.folder, bogus, next(iter(mail.passwords)))


def test_every_mailbox_has_the_usual_folders(mail):
    """Sent, Drafts, Trash and Junk exist with their special-use flags, so any IMAP client files mail right."""
    person = mail.add_person("Chu Văn An")
    with mail.imap(person) as client:
        flags = {name: set(f) for f, _sep, name in client.list_folders()}
    assert {b"\\Sent", b"\\Drafts", b"\\Trash", b"\\Junk"} <= set().union(*flags.values())
    assert {"INBOX", "Sent", "Drafts", "Trash", "Junk"} <= set(flags)


def test_the_administrator_sees_a_full_mailbox_and_raises_its_quota(mail, capsys):
    """`vbdt mail user list` shows the use Dovecot reports; `vbdt mail user quota` lets mail in again."""
    from simulator.cli.main import main
    from simulator.mail.dovecot import quota_usage

    full = mail.add_person("Nguyễn Thị Minh Khai", quota_messages=1)
    sender = mail.add_person("Trần Phú")
    _submit(mail, sender, [full], "Thư thứ nhất")
    wait_for(lambda: quota_usage(mail.folder).get(full) and quota_usage(mail.folder)[full].full, "a full mailbox")
    assert main(["mail", "--folder", str(mail.folder), "user", "list", "--unit", mail.unit.code]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith(full))
    assert "1/1 thư" in line and "(đầy)" in line
    assert main(["mail", "--folder", str(mail.folder), "user", "quota", full, "--quota-messages", "10"]) == 0
    _submit(mail, sender, [full], "Thư thứ hai")
    wait_for(lambda: "Thư thứ hai" in inbox_subjects(mail, full), "the second message after the quota was raised")

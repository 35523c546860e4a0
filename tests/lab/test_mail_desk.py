"""The Mail desk for real: the seat's world posts into a Dovecot mailbox, the desk reads it over IMAP and
answers over SMTP; dates on the world's clock, Vietnamese on screen, search without tone marks."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from email.utils import parseaddr

import pytest
from imapclient import IMAPClient

from simulator.grading.mail import _maildir
from simulator.lab.mail_desk import SeatMail
from simulator.lab.widgets.mail import MailDesk
from tests.lab.mail_seat import seat_with_mail, uid_of, wait_delivered
from tests.mail.conftest import wait_for


@pytest.fixture(scope="module")
def seat():
    with seat_with_mail("hv-thu-desk") as opened:
        yield opened


def test_the_world_mail_arrives_as_email_on_the_worlds_clock(seat):
    session, mail, client = seat
    items = {m.message_id.split(".")[0][1:]: m for m in client.messages()}
    assert set(items) >= {"request", "axis_by_mail", "lookalike"}
    start = session.config.start_time.strftime("%d/%m/%Y")
    assert all(re.fullmatch(rf"{start} \d\d:\d\d", m.date) for m in items.values())  # world time, not today
    assert items["request"].subject.startswith("Đề nghị gửi danh sách cán bộ")
    assert items["axis_by_mail"].attachments and items["axis_by_mail"].attachments[0].endswith(".pdf")
    pdf = next(client.read(items["axis_by_mail"].uid).iter_attachments()).get_content()
    assert pdf.startswith(b"%PDF")
    fake = parseaddr(items["lookalike"].sender)[1]
    assert fake.endswith("@nghean-gov.vn") and fake.split("@")[0] == mail.info["office"].split("@")[0]
    # any IMAP client reads the same mailbox with the seat's address and password
    with IMAPClient("127.0.0.1", port=mail.ports().imap, ssl=False) as other:
        other.login(mail.address, mail.password)
        assert other.select_folder("INBOX", readonly=True)[b"EXISTS"] >= 3
    # opening again reuses the running server and posts nothing twice
    again = SeatMail.open(session, mail.folder)
    assert again.fill() == [] and len(client.messages()) == len(items)


def test_search_folds_tone_marks(seat):
    _session, _mail, client = seat
    plain = client.search("de nghi gui danh sach")
    marked = client.search("đề nghị gửi danh sách")
    assert [m.message_id for m in plain] == [m.message_id for m in marked]
    assert [m.message_id.split(".")[0] for m in plain] == ["<request"]
    assert client.search("xac nhan mat khau")[0].message_id.startswith("<lookalike.")


def test_the_desk_replies_with_an_attachment_and_shows_the_call(seat):
    session, mail, client = seat
    desk = MailDesk(session, mail)
    assert "Nhận thư mới" in [b.description for b in desk.body.children[1].children if hasattr(b, "description")]
    assert len(desk.items.options) >= 3 and "Hộp thư đến" in [label for label, _v in desk.folder.options]
    desk.items.value = uid_of(client, "request")
    assert "Sở Nội vụ" in desk.reading.value
    desk.text.value = "Kính gửi Sở Nội vụ, xã gửi kèm danh sách."
    desk.files.value = ({"name": "danh-sach.csv", "type": "text/csv", "size": 20,
                         "content": memoryview(b"Ho ten;Dia chi\n"),
                         "last_modified": datetime(2026, 3, 2, tzinfo=timezone.utc)},)
    desk.run(desk.reply)
    assert "client.reply(" in desk.last_call and "danh-sach.csv" in desk.last_call
    assert desk.last_message.startswith("Đã gửi đến vanthu.sonoivu@")
    wait_delivered(mail, 1)
    [answer] = [m for m in _maildir(mail.folder, mail.info["home"]) if parseaddr(str(m["From"]))[1] == mail.address]
    assert "<request." in str(answer["In-Reply-To"])
    assert [p.get_filename() for p in answer.iter_attachments()] == ["danh-sach.csv"]
    assert str(answer["Date"]).endswith("+0700") and answer["Date"].datetime.year == session.config.start_time.year
    assert [e["action"] for e in session.journal.entries()][-1] == "mail_send"
    desk.folder.value = "Sent"
    assert any("Re: Đề nghị" in label for label, _v in desk.items.options)


def test_an_answer_to_the_lookalike_address_never_leaves(seat):
    session, mail, client = seat
    desk = MailDesk(session, mail)
    desk.items.value = uid_of(client, "lookalike")
    lines = len(session.journal)
    desk.text.value = "Mật khẩu của tôi là ..."
    desk.run(desk.reply)
    assert "nghean-gov.vn" in desk.last_message and "từ chối" in desk.last_message
    assert len(session.journal) == lines  # nothing sent, nothing journaled
    desk.run(desk.report)
    assert desk.last_message.startswith("Đã báo cáo đến hotro.thudientu@")
    wait_for(lambda: any(m.get_content_type() == "message/rfc822" for msg in _maildir(mail.folder, mail.info["admin"])
                         for m in msg.iter_attachments()), "the report in the mail team's mailbox")


def test_a_document_the_world_sends_by_email_becomes_an_email_with_its_pdf(seat):
    """The world's e-mail channel (read from its deliveries): the message carries the document as a PDF from
    its issuer's unit mailbox (any delivery to the seat builds the same way; the seat's early days have none
    by e-mail)."""
    session, mail, _client = seat
    w = session.world.world
    index = w.index[session.seat.code]
    dl, docs = w.deliveries, w.docs

    def to_the_seat():
        return [v for v in range(len(dl)) if dl.unit[v] == index and docs.issuer[dl.doc[v]] >= 0]

    for _session in range(8):  # the world runs on, session by session, until something has been sent to the seat
        if to_the_seat():
            break
        session.wait_until_end_of_session()
    v = to_the_seat()[0]
    message = mail._world_mail(v, session.clock)
    sender = parseaddr(str(message["From"]))[1]
    assert sender.startswith("vanthu.") and sender.endswith("@nghean.gov.vn") and mail.book.account(sender)
    [pdf] = list(message.iter_attachments())
    assert pdf.get_content_type() == "application/pdf" and pdf.get_content().startswith(b"%PDF")
    assert message["Date"].datetime.replace(tzinfo=None) == session.clock  # the world's time

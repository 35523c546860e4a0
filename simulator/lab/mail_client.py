"""Reading and sending the seat's official mail: IMAP (imapclient) and SMTP submission (smtplib), for real.

``MailClient(seat_mail)`` is what the Mail desk and a script call: list a
folder, read a message, reply, forward (with the original's attachments or
the message itself attached), report a suspicious message to the province's
mail team, search with or without tone marks (folded like the archive:
:func:`simulator.text.fold`). Each action that sends is a journal line
(``mail_send``) at the world's clock, and the Date header is the world's
time. ``register_as_incoming`` is the wrong move the lesson warns about (a
document with legal effect that came by mail is not an incoming document of
the axis): it only writes the journal line ``mail_register``, which the
grader marks down.
"""

from __future__ import annotations

import imaplib
import smtplib
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid, parseaddr, parsedate_to_datetime

from imapclient import IMAPClient

from simulator.calendar import VN_TZ, vn_datetime
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.text import fold

_ = translator("maildesk")

FOLDERS = ("INBOX", "Sent", "Drafts", "Trash")


@dataclass(frozen=True)
class MailItem:
    """One message as a list shows it."""

    uid: int
    message_id: str
    sender: str
    subject: str
    date: str              # dd/mm/yyyy HH:MM, the world's time (the Date header)
    attachments: tuple[str, ...]
    seen: bool


def parse(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw)


def attachment_names(msg: EmailMessage) -> tuple[str, ...]:
    return tuple(part.get_filename() or part.get_content_type() for part in msg.iter_attachments())


def text_of(msg: EmailMessage) -> str:
    body = msg.get_body(preferencelist=("plain", "html"))
    return body.get_content() if body is not None else ""


def shown_date(msg: EmailMessage) -> str:
    try:
        return vn_datetime(parsedate_to_datetime(str(msg["Date"])).astimezone(VN_TZ))
    except (TypeError, ValueError):
        return ""


class MailClient:
    """The seat unit's mailbox, seen through IMAP and SMTP."""

    def __init__(self, seat_mail) -> None:
        self.mail = seat_mail
        self.session = seat_mail.session
        self.address = seat_mail.address

    # -- IMAP ------------------------------------------------------------------------------------------
    def imap(self) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.mail.ports().imap, ssl=False, timeout=30)
        client.login(self.address, self.mail.password)
        return client

    def messages(self, folder: str = "INBOX") -> list[MailItem]:
        """The folder's messages, newest first."""
        with self.imap() as client:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            data = client.fetch(uids, ["BODY.PEEK[]", "FLAGS"]) if uids else {}
        out = []
        for uid, d in data.items():
            msg = parse(d[b"BODY[]"])
            out.append(MailItem(uid, str(msg["Message-ID"] or ""), str(msg["From"] or ""), str(msg["Subject"] or ""),
                                shown_date(msg), attachment_names(msg), b"\\Seen" in d[b"FLAGS"]))
        return sorted(out, key=lambda m: m.uid, reverse=True)

    def find(self, message_id: str, folder: str = "INBOX", *, longest: float = 120.0) -> int:
        """The uid of the message whose Message-ID starts with ``message_id`` (``"<request."``), waiting for its
        delivery (asynchronous: the server may still be handing it to the mailbox) up to ``longest`` seconds."""
        found = self.wait(lambda items: [m.uid for m in items if m.message_id.startswith(message_id)], folder,
                          longest=longest)
        if not found:
            raise UserError(_("No message {id} arrived in {folder}: press 'Fetch new mail', or open the mailbox "
                              "again.", id=message_id, folder=folder), field="message_id")
        return found[0]

    def wait(self, predicate, folder: str = "INBOX", *, longest: float = 120.0):
        """Poll the folder until ``predicate(messages)`` is true (returned), or ``longest`` seconds passed (the
        last value); the server delivers what it accepted asynchronously, never loses it."""
        import time

        deadline = time.monotonic() + longest
        while True:
            try:
                value = predicate(self.messages(folder))
            except (OSError, imaplib.IMAP4.error):  # the server is restarting (refused, cut off, not ready): not yet
                if time.monotonic() >= deadline:
                    raise
                value = None
            if value or time.monotonic() >= deadline:
                return value
            time.sleep(0.1)

    def read(self, uid: int, folder: str = "INBOX") -> EmailMessage:
        """The whole message (marked as read)."""
        with self.imap() as client:
            client.select_folder(folder)
            data = client.fetch([uid], ["BODY[]"])
        if uid not in data:
            raise UserError(_("There is no message {uid} in {folder}.", uid=uid, folder=folder), field="uid")
        return parse(data[uid][b"BODY[]"])

    def search(self, text: str, folder: str = "INBOX") -> list[MailItem]:
        """Messages whose sender, subject, body or attachment names contain ``text``, tone marks and đ folded
        ("thu dien tu" finds "thư điện tử"; IMAP SEARCH compares accents as written, so it is done here)."""
        key = fold(text.strip())
        if not key:
            return self.messages(folder)
        with self.imap() as client:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            data = client.fetch(uids, ["BODY.PEEK[]"]) if uids else {}
        found = {uid for uid, d in data.items()
                 if key in fold(" ".join([str((m := parse(d[b"BODY[]"]))["From"]), str(m["Subject"]), text_of(m),
                                          *attachment_names(m)]))}
        return [m for m in self.messages(folder) if m.uid in found]

    # -- SMTP ------------------------------------------------------------------------------------------
    def send(self, to: list[str] | str, subject: str, body: str, *, attachments=(), in_reply_to: str = "",
             references: str = "", attach_message: EmailMessage | None = None, kind: str = "new") -> EmailMessage:
        """Submit a message over SMTP as the seat (login), keep a copy in Sent; ``attachments``: (name, bytes)
        pairs. Refused in one line, nothing sent: no recipient, a malformed address, what the server refuses."""
        to = [a.strip() for a in ([to] if isinstance(to, str) else to) for a in a.split(",") if a.strip()]
        if not to:
            raise UserError(_("To: write at least one address."), field="to")
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = self.address, ", ".join(to), subject
        msg["Date"] = format_datetime(self.session.clock.replace(tzinfo=VN_TZ))
        msg["Message-ID"] = make_msgid(domain=self.address.split("@")[1])
        if in_reply_to:
            msg["In-Reply-To"] = in_reply_to
            msg["References"] = f"{references} {in_reply_to}".strip()
        msg.set_content(body or " ")
        for name, data in attachments:
            maintype, subtype = _mime(name)
            msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
        if attach_message is not None:
            msg.add_attachment(attach_message)
        try:
            with smtplib.SMTP("127.0.0.1", self.mail.ports().smtp, timeout=30) as smtp:
                smtp.login(self.address, self.mail.password)
                smtp.send_message(msg, self.address, to)
        except smtplib.SMTPRecipientsRefused as exc:
            bad = ", ".join(exc.recipients)
            raise UserError(_("The server refused the recipient {address}: only addresses of the official mail "
                              "({domain}) can be written to.", address=bad, domain=self.mail.info["domain"]),
                            field="to") from None
        except smtplib.SMTPException as exc:
            raise UserError(_("The server refused the message: {reason}", reason=str(exc)), field="to") from None
        with self.imap() as client:
            client.append("Sent", msg.as_bytes(policy=policy.SMTP), flags=[b"\\Seen"])
        self.session.record("mail_send", {"kind": kind, "to": to, "subject": subject,
                                        "message_id": str(msg["Message-ID"]), "in_reply_to": in_reply_to,
                                        "attachments": [n for n, _d in attachments] + (
                                            [str(attach_message["Message-ID"])] if attach_message else [])})
        return msg

    def reply(self, uid: int, body: str, *, attachments=(), folder: str = "INBOX") -> EmailMessage:
        original = self.read(uid, folder)
        sender = parseaddr(str(original["Reply-To"] or original["From"]))[1]
        subject = str(original["Subject"] or "")
        subject = subject if subject.lower().startswith("re:") else f"Re: {subject}"
        return self.send([sender], subject, body, attachments=attachments, kind="reply",
                         in_reply_to=str(original["Message-ID"] or ""), references=str(original["References"] or ""))

    def forward(self, uid: int, to: list[str] | str, body: str = "", *, attachments=(), folder: str = "INBOX",
                as_attachment: bool = False) -> EmailMessage:
        """Forward with the original's attachments (or, ``as_attachment``, the whole original attached)."""
        original = self.read(uid, folder)
        subject = f"Fwd: {original['Subject'] or ''}"
        if as_attachment:
            return self.send(to, subject, body, attachments=attachments, attach_message=original, kind="forward",
                             references=str(original["Message-ID"] or ""))
        kept = [(p.get_filename() or "tep-dinh-kem", p.get_content()) for p in original.iter_attachments()]
        quoted = (f"{body}\n\n---------- {_('Forwarded message')} ----------\n"
                  f"{_('From')}: {original['From']}\n{_('Date')}: {shown_date(original)}\n"
                  f"{_('Subject')}: {original['Subject']}\n\n{text_of(original)}")
        return self.send(to, subject, quoted, attachments=list(attachments) + kept, kind="forward",
                         references=str(original["Message-ID"] or ""))

    def report(self, uid: int, folder: str = "INBOX") -> EmailMessage:
        """Report a suspicious message to the province's mail team: forwarded whole, as an attachment."""
        return self.forward(uid, [self.mail.info["report"]], _("Suspicious message, forwarded for checking."),
                            folder=folder, as_attachment=True)

    def register_as_incoming(self, uid: int, folder: str = "INBOX") -> dict:
        """Record the mail-borne document as registered (the wrong move: it did not come through the axis)."""
        original = self.read(uid, folder)
        return self.session.record("mail_register", {"message_id": str(original["Message-ID"] or ""),
                                                   "subject": str(original["Subject"] or ""),
                                                   "attachments": list(attachment_names(original))})

    def fetch_new(self) -> list[str]:
        """What the world sent since the last look (posted now, delivered through the server)."""
        return self.mail.fill()

    @staticmethod
    def when(moment: datetime) -> str:
        return vn_datetime(moment)


def _mime(name: str) -> tuple[str, str]:
    import mimetypes

    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return tuple(kind.split("/", 1))  # type: ignore[return-value]

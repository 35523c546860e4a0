"""SMTP submission for the official mail (aiosmtpd), and delivery of its queue into Dovecot over LMTP.

Run as its own process by :class:`simulator.mail.server.MailServer`
(``python -m simulator.mail.submission FOLDER``). Clients log in (AUTH PLAIN
or LOGIN, loopback only) with the same address and password as for IMAP:
the folder's passwd-file, a disabled mailbox refused. A message is
accepted (250) only after :class:`~simulator.mail.spool.Spool` has fsynced
it; the delivery loop then hands each recipient to Dovecot's LMTP, one
transaction per recipient (LMTP answers DATA once per recipient, which
``smtplib.LMTP`` does not read), logs the outcome, and keeps the message
while Dovecot is down or answers "try later". A permanent refusal (unknown
mailbox, mailbox full) sends the sender a notice in Vietnamese.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import smtplib
import sys
import threading
import traceback
import warnings
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from simulator.i18n import translator
from simulator.mail.address import check_address
from simulator.mail.log import DeliveryLog
from simulator.mail.passwords import check_password
from simulator.mail.spool import Spool
from simulator.errors import UserError

_ = translator("mail")

MAX_RECIPIENTS = 100


class _Watched:
    """A file re-read when it changes (the passwd-file, the accounts)."""

    def __init__(self, path: Path, parse) -> None:
        self.path, self.parse, self._stamp, self._value = path, parse, None, None
        self._lock = threading.Lock()

    def get(self):
        with self._lock:
            try:
                st = self.path.stat()
                stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
            except FileNotFoundError:
                stamp = None
            if stamp != self._stamp:
                self._value = self.parse(self.path) if stamp else self.parse(None)
                self._stamp = stamp
            return self._value


def _parse_passwd(path: Path | None) -> dict[str, tuple[str, bool]]:
    users = {}
    for line in (path.read_text(encoding="ascii").splitlines() if path else ()):
        fields = line.split(":")
        if len(fields) >= 2:
            users[fields[0]] = (fields[1], "nologin=y" in line)
    return users


def _parse_accounts(path: Path | None) -> dict:
    if path is None:
        return {"accounts": {}, "groups": {}, "domain": ""}
    return json.loads(path.read_text(encoding="utf-8"))


class Submission:
    """The aiosmtpd handler and authenticator."""

    def __init__(self, folder: Path, spool: Spool, wake: threading.Event) -> None:
        self.passwd = _Watched(folder / "passwd", _parse_passwd)
        self.book = _Watched(folder / "accounts.json", _parse_accounts)
        self.spool, self.wake = spool, wake

    # aiosmtpd authenticator
    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode("utf-8", "replace").strip().lower()
        entry = self.passwd.get().get(login)
        ok = entry is not None and not entry[1] and check_password(auth_data.password.decode("utf-8", "replace"),
                                                                     entry[0])
        return AuthResult(success=ok, handled=False, auth_data=login if ok else None)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if address.lower() != (session.auth_data or ""):
            return "553 5.7.1 Sender address must be your own mailbox"
        envelope.mail_from = address.lower()
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        book = self.book.get()
        try:
            address = check_address(address, book["domain"])
        except UserError:
            return "550 5.1.2 Not an address of this domain"
        if address in book["accounts"]:
            targets = [address]
        elif address in book["groups"]:
            targets = list(book["groups"][address]["members"])
        else:
            return "550 5.1.1 No such mailbox"
        if len(envelope.rcpt_tos) + len(targets) > MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        envelope.rcpt_tos.extend(t for t in targets if t not in envelope.rcpt_tos)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        received = (f"Received: from {session.host_name or 'client'} ({session.peer[0]})\r\n"
                    f"\tby vbdt-mail with ESMTPSA; {formatdate(localtime=True)}\r\n").encode("ascii")
        qid = self.spool.put(envelope.mail_from, envelope.rcpt_tos, received + envelope.content)
        self.wake.set()
        return f"250 2.0.0 Ok: queued as {qid}"


class Deliverer:
    """Empties the queue into Dovecot's LMTP."""

    def __init__(self, folder: Path, spool: Spool, lmtp_port: int, domain: str) -> None:
        self.spool, self.port, self.domain = spool, lmtp_port, domain
        self.log = DeliveryLog(folder)
        self._lmtp: smtplib.LMTP | None = None

    def _connection(self) -> smtplib.LMTP:
        if self._lmtp is None:
            self._lmtp = smtplib.LMTP("127.0.0.1", self.port, timeout=30)
            self._lmtp.ehlo("vbdt-mail")
        return self._lmtp

    def _drop(self) -> None:
        if self._lmtp is not None:
            try:
                self._lmtp.close()
            finally:
                self._lmtp = None

    def _one(self, sender: str, rcpt: str, data: bytes) -> tuple[int, str]:
        lmtp = self._connection()
        code, reply = lmtp.mail(sender)
        if code == 250:
            code, reply = lmtp.rcpt(rcpt)
            if code in (250, 251):
                code, reply = lmtp.data(data)
        if code != 250:  # a transaction refused half-way is cleared before the next
            lmtp.rset()
        return code, f"{code} {reply.decode('utf-8', 'replace')}"

    def run_once(self) -> bool:
        """One pass over the queue; False when Dovecot could not be reached."""
        try:
            return self._pass()
        finally:
            self.spool.sync()

    def _pass(self) -> bool:
        for item in self.spool.pending():
            data = item.data()
            remaining = []
            for rcpt in item.recipients:
                try:
                    code, reply = self._one(item.sender, rcpt, data)
                except (OSError, smtplib.SMTPException):
                    self._drop()
                    return False
                if code == 250:
                    self.log.write(item.id, item.sender, rcpt, "delivered", reply)
                elif 400 <= code < 500:
                    self.log.write(item.id, item.sender, rcpt, "deferred", reply)
                    remaining.append(rcpt)
                else:
                    self.log.write(item.id, item.sender, rcpt, "bounced", reply)
                    self._bounce(item.sender, rcpt, reply, data)
            self.spool.done(item, remaining)
        return True

    def _bounce(self, sender: str, rcpt: str, reply: str, original: bytes) -> None:
        if not sender or sender.startswith("mailer-daemon@"):
            return
        notice = EmailMessage()
        notice["From"] = f"mailer-daemon@{self.domain}"
        notice["To"] = sender
        notice["Subject"] = _("Undelivered mail to {address}", address=rcpt)
        notice["Date"] = formatdate(localtime=True)
        notice["Message-ID"] = make_msgid(domain=self.domain)
        notice.set_content(_("Your message could not be delivered to {address}.\n\nThe mail server answered: "
                             "{reply}\n", address=rcpt, reply=reply))
        head = original.split(b"\r\n\r\n", 1)[0][:8000]
        notice.add_attachment(head, maintype="text", subtype="rfc822-headers", filename="headers.txt")
        try:
            self._one(f"mailer-daemon@{self.domain}", sender, notice.as_bytes())
        except (OSError, smtplib.SMTPException):
            self._drop()


def main(folder: str) -> int:
    root = Path(folder)
    config = json.loads((root / "server.json").read_text(encoding="utf-8"))
    spool = Spool(root)
    spool.prepare()
    wake, stop = threading.Event(), threading.Event()
    handler = Submission(root, spool, wake)
    controller = Controller(handler, hostname="127.0.0.1", port=config["ports"]["smtp"], authenticator=handler,
                            auth_required=True, auth_require_tls=False, data_size_limit=config["max_message"],
                            server_hostname="vbdt-mail", ready_timeout=10)
    controller.start()

    def _stop(*_args):
        stop.set()
        wake.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGUSR1, lambda *_args: wake.set())  # simulator.mail.post queued something
    pid_file = root / "submission.pid"
    pid_file.write_text(f"{os.getpid()}\n", encoding="ascii")
    deliverer = Deliverer(root, spool, config["ports"]["lmtp"], config["domain"])
    delay = 0.05
    try:
        while not stop.is_set():
            wake.clear()
            try:
                reached = deliverer.run_once()
            except Exception:  # noqa: BLE001 - a bug must not stop the service: say it, keep the queue, retry
                traceback.print_exc()
                reached = False
            if reached:
                delay = 0.05
                wake.wait(5.0)
            else:  # Dovecot unreachable: try again, less and less often (at most every 2 s)
                wake.wait(delay)
                delay = min(delay * 2, 2.0)
    finally:
        controller.stop()
        if pid_file.read_text(encoding="ascii").strip() == str(os.getpid()):
            pid_file.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    # loopback only, by design: AUTH without TLS is what aiosmtpd warns about
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd's logger: the same warning again
    sys.exit(main(sys.argv[1]))

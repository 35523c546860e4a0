"""Mail posted by the system itself (the world's e-mail channel, notices): straight into the queue.

What the model sends by e-mail (a document as a PDF attachment, from a unit
that has no trainee behind it) does not log in over SMTP: it is checked like
a submission (known recipients of the domain, groups expanded, the size
limit), written to the same fsynced queue, and the running submission
service is woken (SIGUSR1) to deliver it through Dovecot's LMTP. With no
server running it waits in the queue until ``vbdt mail serve``.
"""

from __future__ import annotations

import json
import os
import signal
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from simulator.errors import UserError
from simulator.i18n import translator
from simulator.mail.accounts import MailBook
from simulator.mail.address import check_address
from simulator.mail.server import MAX_MESSAGE, _alive, _read_pid
from simulator.mail.spool import Spool

_ = translator("mail")


def _limit(folder: Path) -> int:
    try:
        return int(json.loads((folder / "server.json").read_text(encoding="utf-8"))["max_message"])
    except (OSError, ValueError, KeyError):
        return MAX_MESSAGE


def post(folder: str | os.PathLike, message: EmailMessage, *, sender: str | None = None,
         recipients: list[str] | None = None) -> str:
    """Queue ``message`` for delivery (``sender`` and ``recipients`` default to its From and To/Cc);
    return the queue id. Refused in one line, with nothing queued: an unknown or malformed recipient,
    a message over the server's size limit."""
    folder = Path(folder)
    book = MailBook(folder)
    sender = check_address(sender or str(message["From"]), field="From")
    wanted = recipients or [a.strip() for h in ("To", "Cc") for a in str(message.get(h, "")).split(",") if a.strip()]
    if not wanted:
        raise UserError(_("To: a message needs at least one recipient."), field="To")
    targets: list[str] = []
    for address in wanted:
        address = check_address(address, book.domain, field="To")
        found = book.recipients(address)
        if found is None:
            raise UserError(_("To: there is no mailbox {address}.", address=address), field="To")
        targets += [t for t in found if t not in targets]
    data = message.as_bytes(policy=SMTP)
    limit = _limit(folder)
    if len(data) > limit:
        raise UserError(_("The message is too large: {size} kB, at most {limit} kB.", size=len(data) // 1024,
                          limit=limit // 1024), field="message")
    spool = Spool(folder)
    spool.new.mkdir(parents=True, exist_ok=True)
    spool.tmp.mkdir(parents=True, exist_ok=True)
    qid = spool.put(sender, targets, data)
    pid = _read_pid(folder / "submission.pid")
    if _alive(pid):
        try:
            os.kill(pid, signal.SIGUSR1)
        except ProcessLookupError:
            pass
    return qid

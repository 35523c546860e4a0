"""Grading the official-mail lesson from the mail server's mailboxes, its delivery log and the journal.

Never from the Mail desk's widgets. What counts as sent is what the server
accepted and delivered: a message in a recipient's Maildir counts only when
it carries the submission service's ``Received: … by vbdt-mail with
ESMTPSA`` line and the delivery log has a delivered line from the seat to
that mailbox for it (a file dropped straight into a Maildir has neither).
The planted messages are found by their Message-IDs, recomputed from the
seat's seed (:func:`simulator.lab.mail_desk.message_id`); the addresses are
recomputed from the identifier registry, not read from ``mail.json``.

Marks (6): the report request answered to its sender with an attachment
(2); the decision that came by mail not registered as an incoming document
and its sender asked, by a reply, to send it through the axis (2); the
message from the look-alike address reported to the province's mail team
(2). A broken journal chain, or a broken delivery-log chain, gives nothing.
"""

from __future__ import annotations

import json
from email import policy
from email.parser import BytesParser
from email.utils import parseaddr
from pathlib import Path

from simulator.grading.result import Marks, Result
from simulator.i18n import translator

_ = translator("maildesk")

SUBMITTED = "by vbdt-mail with ESMTPSA"
MAX_POINTS = 6


def _maildir(mail_folder: Path, address: str) -> list:
    """The messages of a mailbox's INBOX, read from its Maildir (new/ and cur/)."""
    local, domain = address.split("@")
    path = mail_folder / "mail" / domain / local
    if not path.is_dir():
        return []
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(f.read_bytes()) for sub in ("new", "cur") if (path / sub).is_dir()
            for f in sorted((path / sub).iterdir()) if f.is_file()]


class _Sent:
    """What the seat really sent to each mailbox: messages in the recipients' Maildirs backed by the log."""

    def __init__(self, mail_folder: Path, seat: str) -> None:
        from simulator.mail.log import deliveries

        self.folder, self.seat = mail_folder, seat
        self.delivered: dict[str, int] = {}
        for d in deliveries(mail_folder, status="delivered"):
            if d.sender == seat:
                self.delivered[d.recipient] = self.delivered.get(d.recipient, 0) + 1
        self.forged = 0

    def to(self, address: str) -> list:
        mine = [m for m in _maildir(self.folder, address) if parseaddr(str(m["From"]))[1].lower() == self.seat]
        real = [m for m in mine if any(SUBMITTED in str(r) for r in m.get_all("Received", []))]
        real = real[:self.delivered.get(address, 0)]
        self.forged += len(mine) - len(real)
        return real


def _refers(msg, message_id: str) -> bool:
    return message_id in f"{msg['In-Reply-To'] or ''} {msg['References'] or ''}"


def _attached_message(msg, message_id: str) -> bool:
    for part in msg.iter_attachments():
        if part.get_content_type() == "message/rfc822" and str(part.get_content()["Message-ID"]) == message_id:
            return True
    return False


def grade_mail(folder: str | Path, trainee_id: str) -> Result:
    """The official-mail assignment (see the module's docstring)."""
    from simulator.lab.mail_desk import MAIL_FILE, message_id, settle
    from simulator.mail import unit_slugs
    from simulator.mail.address import domain_for, unit_address
    from simulator.province import load_province
    from simulator.seat import Journal, SeatConfig
    from simulator.lab.mail_desk import HOME_AFFAIRS_SUFFIX, OFFICE_CODE_SUFFIX, REPORT_LOCAL, _unit

    folder = Path(folder)
    if not (folder / "seat.json").exists():
        return Result(0, MAX_POINTS, [_("There is no work folder {folder}: run the first cell.", folder=folder)])
    config = SeatConfig.read(folder)
    if config.trainee and config.trainee != trainee_id:
        return Result(0, MAX_POINTS, [_("This work folder belongs to another trainee ({other}).",
                                        other=config.trainee)])
    journal = Journal(folder / "journal.jsonl")
    broken = journal.verify()
    if broken:
        return Result(0, MAX_POINTS, [_("The journal was changed by hand (line {line}: {reason}); the work cannot be "
                                        "graded.", line=broken[0].line, reason=broken[0].reason)])
    pointer = folder / MAIL_FILE
    mail_folder = folder / "mail"  # handed in with the work folder; else where the seat's server ran (as root: /tmp)
    if not (mail_folder / "accounts.json").exists() and pointer.exists():
        mail_folder = Path(json.loads(pointer.read_text(encoding="utf-8"))["folder"])
    settle(mail_folder)  # the trainee's last reply may still be queued
    from simulator.mail.log import check_log

    _lines, cut = check_log(mail_folder)
    if cut:
        return Result(0, MAX_POINTS, [_("The delivery log was changed by hand (line {line}: {reason}); the work "
                                        "cannot be graded.", line=cut.line, reason=cut.reason)])
    province = load_province(config.province, config.structure)
    slugs, domain = unit_slugs(province.units), domain_for(province.name)
    seat = unit_address(slugs[config.unit_code], domain)
    home = unit_address(slugs[_unit(province, HOME_AFFAIRS_SUFFIX).code], domain)
    office = unit_address(slugs[_unit(province, OFFICE_CODE_SUFFIX).code], domain)
    from simulator.mail import MailBook

    team = MailBook(mail_folder).recipients(f"{REPORT_LOCAL}@{domain}") or []
    ids = {kind: message_id(kind, config.seed, domain) for kind in ("request", "axis_by_mail", "lookalike")}
    sent = _Sent(mail_folder, seat)
    marks = Marks()

    replies = [m for m in sent.to(home) if _refers(m, ids["request"])]
    marks.check(bool(replies), 1, _("The request from Sở Nội vụ was not answered: select it and press 'Reply'."))
    marks.check(any(any(True for _p in m.iter_attachments()) for m in replies), 1,
                _("Your answer to Sở Nội vụ has no attachment: attach the list they asked for."))

    registered = [e for e in journal.entries() if e["action"] == "mail_register"
                  and e["data"].get("message_id") == ids["axis_by_mail"]]
    asked = [m for m in sent.to(office) if _refers(m, ids["axis_by_mail"])]
    marks.check(bool(asked), 1, _("The decision that came by mail was not answered: reply to its sender and ask "
                                  "for it through the document system and the axis, signed."))
    marks.check(bool(asked) and not registered, 1,
                _("The decision that came by mail was recorded as an incoming document (journal line {line}): a "
                  "document with legal effect is registered only when it comes through the axis.",
                  line=registered[0]["seq"]) if registered else
                _("Handle the decision that came by mail first (reply to its sender), without registering it."))

    reported = [m for address in team for m in sent.to(address)
                if _attached_message(m, ids["lookalike"]) or _refers(m, ids["lookalike"])]
    marks.check(bool(reported), 2, _("The message from the look-alike address ({lookalike}) was not reported: "
                                     "press 'Report suspicious mail' on it.",
                                     lookalike=domain.removesuffix(".gov.vn") + "-gov.vn"))
    if sent.forged:
        marks.note(_("{n} message(s) in the mailboxes claim to come from {seat} but were not sent through the mail "
                     "server; they do not count.", n=sent.forged, seat=seat))
    return marks.result()

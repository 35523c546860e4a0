"""The administrators' assignment "running the official mail" (quan-tri/05-thu-cong-vu), graded from the mail
server's own files: the account book and Dovecot's passwd-file, the Maildirs, the queue and the chained
delivery log (:mod:`simulator.mail.exercise` says what the trainee found). Never widget state.

Marks (9): the unit's mailbox (1) and every staff member on the identifier
list with an active mailbox (1); the mailbox of the one who left disabled,
not deleted (1); the forgotten password reset (1); the leaders' group with
the chairman and the vice-chairman (1); the stuck queue cleared, its two
messages delivered (1); the full mailbox named from the delivery log (1)
and given room (1); the lost messages restored from the backup (1).

An account whose line in Dovecot's passwd-file does not say what the book
says (the book edited by hand) does not count; a delivery log whose chain
is broken gives nothing.
"""

from __future__ import annotations

import json
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from simulator.grading.result import Marks, Result, zero
from simulator.i18n import translator

_ = translator("maildesk")

MAX_POINTS = 9


def _passwd(folder: Path) -> dict[str, tuple[str, bool]]:
    """address → (hash, active) as Dovecot reads them."""
    out = {}
    path = folder / "passwd"
    for line in path.read_text(encoding="ascii").splitlines() if path.exists() else ():
        fields = line.split(":")
        if len(fields) >= 2:
            out[fields[0]] = (fields[1], "nologin=y" not in line)
    return out


def _ids(folder: Path, address: str) -> set[str]:
    """The Message-IDs in a mailbox's INBOX (its Maildir's new/ and cur/)."""
    local, domain = address.split("@")
    box = folder / "mail" / domain / local
    parser = BytesParser(policy=policy.default)
    found = set()
    for sub in ("new", "cur"):
        for path in (box / sub).iterdir() if (box / sub).is_dir() else ():
            with path.open("rb") as fh:
                found.add(str(parser.parse(fh, headersonly=True)["Message-ID"] or "").strip())
    return found


class _Book:
    """The accounts as the book says, kept only where Dovecot's passwd-file agrees."""

    def __init__(self, folder: Path) -> None:
        data = json.loads((folder / "accounts.json").read_text(encoding="utf-8"))
        seen = _passwd(folder)
        self.accounts, self.groups, self.forged = {}, data.get("groups", {}), []
        for address, entry in data.get("accounts", {}).items():
            if address in seen and seen[address] == (entry.get("hash"), entry.get("active")):
                self.accounts[address] = entry
            else:
                self.forged.append(address)

    def as_mail_book(self, folder: Path, domain: str):
        """A read-only MailBook over the accounts kept (for :func:`simulator.mail.review.review`)."""
        from simulator.mail.accounts import MailBook

        kept = {"domain": domain, "accounts": self.accounts, "groups": self.groups}

        class _Kept(MailBook):
            def _load(self) -> dict:
                return kept

        return _Kept(folder, domain)

    def active(self, address: str) -> bool:
        return bool(self.accounts.get(address, {}).get("active"))


def grade_mail_admin(folder: str | Path, trainee_id: str, answers: Any) -> Result:
    """The assignment (see the module's docstring); ``answers``: ``{"hop_thu_day": address}``."""
    from simulator.mail.exercise import (FULL_LIMIT, LOST, POINTER, STUCK, exercise_province, mail_folder, mail_task,
                                         wait_queue)
    from simulator.mail.log import check_log, deliveries
    from simulator.mail.passwords import check_password
    from simulator.mail.review import review
    from simulator.mail.spool import Spool
    from simulator.seat import seed_for
    from simulator.text import fold

    work = Path(folder)
    mail = mail_folder(work)
    if mail is None or not (mail / "accounts.json").exists():
        return zero(MAX_POINTS, _("There is no mail server of the exercise in {folder}: run the first cell.",
                                  folder=work))
    pointer = work / POINTER
    owner = json.loads(pointer.read_text(encoding="utf-8")).get("trainee") if pointer.exists() else trainee_id
    if owner != trainee_id:
        return zero(MAX_POINTS, _("This work folder belongs to another trainee ({other}).", other=owner))
    wait_queue(mail)  # the queue restarted just before the test cell may still be draining
    _lines, broken = check_log(mail)
    if broken:
        return zero(MAX_POINTS, _("The delivery log was changed by hand (line {line}: {reason}); the work cannot be "
                                  "graded.", line=broken.line, reason=broken.reason))
    task = mail_task(seed_for(trainee_id))
    book = _Book(mail)
    marks = Marks()

    marks.check(any(e["kind"] == "unit" and e["unit"] == task.unit_code and e["active"]
                    for e in book.accounts.values()), 1,
                _("{unit} has no unit mailbox ({address}): create the missing mailboxes from the identifier list "
                  "(vbdt mail review --create).", unit=task.unit_name, address=task.unit_address))
    found = review(book.as_mail_book(mail, task.domain), exercise_province().units, task.staff, unit=task.unit_code)
    marks.check(not found.missing_staff, 1,
                _("Staff on the identifier list without an active mailbox: {names}.",
                  names=", ".join(s.full_name for s in found.missing_staff)))

    left = task.address(task.left)
    marks.check(left in book.accounts and not book.active(left), 1,
                _("The mailbox of {name}, who has left the commune ({address}), is still open: disable it (its "
                  "mail is kept).", name=task.left.full_name, address=left) if left in book.accounts else
                _("The mailbox {address} is gone from the book: disable a mailbox, never delete it.", address=left))

    forgot = task.address(task.forgot)
    entry = book.accounts.get(forgot)
    marks.check(entry is not None and entry["active"] and not check_password(task.password(forgot), entry["hash"]),
                1, _("{name} still has the old password ({address}): give the mailbox a new one (vbdt mail user "
                     "reset).", name=task.forgot.full_name, address=forgot))

    leaders = {task.address(p) for p in task.staff[:2]}
    group = book.groups.get(task.group)
    marks.check(group is not None and set(group["members"]) == leaders, 1,
                _("The group {group} must deliver to the chairman and the vice-chairman: {members}.",
                  group=task.group, members=", ".join(sorted(leaders))))

    stuck = [(task.address(p), task.message_id(STUCK, n)) for n, p in enumerate(task.staff[:2])]
    delivered = {(d.sender, d.recipient) for d in deliveries(mail, status="delivered")}
    waiting = [q for q in Spool(mail).pending() if q.sender == task.sender]
    marks.check(not waiting and all(mid in _ids(mail, a) and (task.sender, a) in delivered for a, mid in stuck), 1,
                _("Messages still wait in the queue ({n}): see vbdt mail status and vbdt mail queue; restart the "
                  "server whose Dovecot has stopped (vbdt mail stop, then vbdt mail serve).", n=len(waiting)))

    full = task.address(task.full)
    named = fold(str((answers or {}).get("hop_thu_day", "") if isinstance(answers, dict) else "")).strip()
    marks.check(named == full, 1, _("The mailbox whose message bounced is not {given!r}: read the delivery log "
                                    "(vbdt mail log --status bounced).", given=named or "-"))
    quota = book.accounts.get(full, {}).get("quota_messages", FULL_LIMIT)
    marks.check(quota == 0 or quota > len(_ids(mail, full)), 1,
                _("The mailbox {address} is still full ({n} message(s) at most): raise its quota (vbdt mail user "
                  "quota).", address=full, n=quota))

    lost = task.address(task.lost)
    marks.check(all(task.message_id(LOST, n) in _ids(mail, lost) for n in range(2)), 1,
                _("The messages {name} deleted by mistake are not back in {address}: restore them from the backup "
                  "(vbdt mail restore).", name=task.lost.full_name, address=lost))
    if book.forged:
        marks.note(_("{n} account(s) in accounts.json do not match the server's password file (edited by hand); "
                     "they do not count: {addresses}.", n=len(book.forged), addresses=", ".join(book.forged)))
    return marks.result()

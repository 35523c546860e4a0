"""The seat's official mailbox: a real mail server for the work folder, the seat's mailboxes, the world's mail.

``SeatMail.open(session)`` starts the mail server of the seat (or reuses the
one already running in its folder), provisions the mailboxes the lesson
needs from the identifier registry (the seat unit's ``vanthu.<slug>@…``, the
clerk's own, the senders') and writes ``mail.json`` in the work folder (where
the server is, the seat's addresses and their training passwords).
:meth:`SeatMail.fill` then posts, on the world's clock, what reached the seat
by e-mail so far:

- the world's e-mail channel (deliveries to the seat unit whose channel is
  ``email``): each one an e-mail with its document as a PDF attachment;
- three messages every trainee gets (the lesson's exercise, :data:`PLANTED`):
  a request for a report to answer with an attachment (``request``), a
  decision that should have come through the axis arriving by mail
  (``axis_by_mail``), and a message from an address imitating the
  province office's (``lookalike``).

Every Date header is the world's time; nothing here reads the machine's
clock. The planted messages' Message-IDs follow from the seat's seed, so the
grader (:mod:`simulator.grading.mail`) finds them without trusting anything
the trainee could edit. Reading and sending is :mod:`simulator.lab.mail_client`.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path

from simulator.calendar import VN_TZ
from simulator.i18n import translator
from simulator.mail import MailBook, MailServer, unit_slugs
from simulator.mail.address import domain_for, person_address, unit_address

_ = translator("maildesk")

MAIL_FILE = "mail.json"
LOOKALIKE_SUFFIX = "-gov.vn"        # nghean.gov.vn → nghean-gov.vn: one dot turned into a hyphen
REPORT_LOCAL = "hotro.thudientu"    # where suspicious mail is reported (the province office's mail team)
OFFICE_CODE_SUFFIX = ".00.01."      # Văn phòng UBND tỉnh: 000.00.01.Hxx
HOME_AFFAIRS_SUFFIX = ".00.02."     # Sở Nội vụ: 000.00.02.Hxx


@dataclass(frozen=True)
class Planted:
    """One message every seat receives; ``minutes``: working minutes after the seat's start."""

    kind: str
    minutes: int


PLANTED = (Planted("request", 0), Planted("axis_by_mail", 0), Planted("lookalike", 0))  # all in the morning mail, when the office opens


def message_id(kind: str, seed: int, domain: str) -> str:
    """The planted message's Message-ID (the grader recomputes it from the seat's seed)."""
    return f"<{kind}.{seed}@{domain}>"


def _reachable_by_others(path: Path) -> bool:
    return all(p.stat().st_mode & 0o001 for p in path.absolute().parents if p.exists())


def default_folder(seat_folder: Path) -> Path:
    """``<work folder>/mail``, or, run as root where Dovecot's ``nobody`` cannot pass, a folder under /tmp
    named after the work folder (see tests/mail/conftest.py)."""
    own = seat_folder.absolute() / "mail"
    if os.geteuid() != 0 or _reachable_by_others(own):
        return own
    tag = hashlib.sha256(str(seat_folder.absolute()).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"vbdt-seat-mail-{tag}"


def lab_server(seat_folder: Path, domain: str) -> Path | None:
    """The lab's own mail server (``make lab`` starts it in ``VBDT_MAIL`` and stops it with the lab), for a seat
    among the lab's work folders (:func:`simulator.lab.workspace.work_root`) when it runs with ``domain``;
    None otherwise (a course's seat, a test, JupyterHub: the seat starts a server of its own)."""
    from simulator.lab.workspace import work_root

    value = os.environ.get("VBDT_MAIL", "").strip()
    if not value:
        return None
    try:
        seat_folder.absolute().relative_to(work_root().absolute())
    except ValueError:
        return None
    folder = Path(value).absolute()
    if not MailServer(folder).status().running or MailBook(folder).domain != domain:
        return None
    return folder


def settle(folder: Path, longest: float = 30.0) -> None:
    """Let a running server deliver what it has accepted (delivery is asynchronous): return once the queue is
    empty, the server is down, or after ``longest`` seconds (what is left is delivered later, never lost)."""
    import time

    from simulator.mail.spool import Spool

    deadline = time.monotonic() + longest
    while Spool(folder).count() and MailServer(folder).status().running and time.monotonic() < deadline:
        time.sleep(0.05)


def _unit(province, suffix: str):
    found = [u for u in province.units if suffix in f".{u.code}." and u.parent == province.committee.code]
    return found[0] if found else province.committee


class SeatMail:
    """The seat's mail: the server, the addresses, what the world has posted so far."""

    def __init__(self, session, folder: Path, info: dict) -> None:
        self.session, self.folder, self.info = session, folder, info
        self.server = MailServer(folder)
        self.book = MailBook(folder)

    # -- opening -----------------------------------------------------------------------------------------
    @classmethod
    def open(cls, session, folder: str | os.PathLike | None = None) -> "SeatMail":
        """Start (or reuse) the seat's mail server and provision its mailboxes; idempotent."""
        pointer = session.folder / MAIL_FILE
        info = json.loads(pointer.read_text(encoding="utf-8")) if pointer.exists() else {}
        domain = domain_for(session.province.name)
        folder = Path(folder or info.get("folder") or lab_server(session.folder, domain)
                      or default_folder(session.folder)).absolute()
        book = MailBook(folder, domain)
        server = MailServer(folder)
        folder.mkdir(parents=True, exist_ok=True)
        if not server.status().running:
            server.start(domain=domain)
        seat = cls(session, folder, info)
        if info.get("folder") != str(folder) or not book.account(info.get("unit", "")):
            seat.info = seat._provision(domain)
            seat.info["folder"] = str(folder)
            seat.info.setdefault("posted", [])
            seat._save()
        seat.fill()
        return seat

    def _provision(self, domain: str) -> dict:
        s, p = self.session, self.session.province
        slugs = unit_slugs(p.units)
        office, home = _unit(p, OFFICE_CODE_SUFFIX), _unit(p, HOME_AFFAIRS_SUFFIX)
        from simulator.documents import ContentGenerator

        clerk_name = ContentGenerator(s.config.seed + 1).person_name()
        admin_name = ContentGenerator(s.config.seed + 2).person_name()
        info = {"domain": domain, "passwords": {}}
        with self.book.batch():
            for unit in (s.seat, office, home, p.committee):
                address = unit_address(slugs[unit.code], domain)
                if self.book.account(address) is None:
                    account, password = self.book.add_unit(unit, slugs[unit.code])
                    if unit is s.seat:
                        info["passwords"][account.address] = password
            clerk = person_address(clerk_name, slugs[s.seat.code], domain)
            if self.book.account(clerk) is None:
                account, password = self.book.add_person(s.seat, slugs[s.seat.code], clerk_name, position="Văn thư")
                info["passwords"][account.address] = password
                clerk = account.address
            admin = person_address(admin_name, slugs[office.code], domain)
            if self.book.account(admin) is None:
                admin = self.book.add_person(office, slugs[office.code], admin_name,
                                             position="Quản trị thư điện tử công vụ")[0].address
            report = f"{REPORT_LOCAL}@{domain}"
            if self.book.recipients(report) is None:
                self.book.add_group(report, "Hỗ trợ thư điện tử công vụ", [admin])
        info.update(unit=unit_address(slugs[s.seat.code], domain), clerk=clerk, report=report, admin=admin,
                    office=unit_address(slugs[office.code], domain), home=unit_address(slugs[home.code], domain),
                    committee=unit_address(slugs[p.committee.code], domain))
        return info

    def _save(self) -> None:
        (self.session.folder / MAIL_FILE).write_text(json.dumps(self.info, ensure_ascii=False, indent=1),
                                                    encoding="utf-8")

    # -- addresses ---------------------------------------------------------------------------------------
    @property
    def address(self) -> str:
        """The seat unit's mailbox (the clerk's desk reads it)."""
        return self.info["unit"]

    @property
    def password(self) -> str:
        return self.info["passwords"][self.address]

    @property
    def lookalike_domain(self) -> str:
        return self.info["domain"].removesuffix(".gov.vn") + LOOKALIKE_SUFFIX

    @property
    def lab_server(self) -> bool:
        """Whether this is the lab's own server (``make lab`` stops it; a lesson leaves it running)."""
        value = os.environ.get("VBDT_MAIL", "").strip()
        return bool(value) and Path(value).absolute() == self.folder

    def ports(self):
        return self.server.ports()

    # -- the world's mail --------------------------------------------------------------------------------
    def _at(self, minutes: int) -> datetime:
        return self.session.calendar.add_working_minutes(self.session.config.start_time, minutes)

    def due(self) -> list[tuple[str, datetime, object]]:
        """What the world has sent the seat by e-mail up to its clock: (key, world time, builder), oldest first."""
        now = self.session.clock
        out = [(p.kind, self._at(p.minutes), p.kind) for p in PLANTED if self._at(p.minutes) <= now]
        w = self.session.world.world  # read only: the world's deliveries whose channel is e-mail
        from simulator.flows.records import C_EMAIL

        seat, dl, cal = w.index.get(self.session.seat.code), w.deliveries, w.calendar
        for v in range(len(dl)):
            if dl.unit[v] == seat and dl.channel[v] == C_EMAIL and dl.arrived[v] == dl.arrived[v]:
                at = cal.to_datetime(dl.arrived[v]).replace(second=0, microsecond=0)
                if at <= now:
                    out.append((f"world.{v}", at, v))
        return sorted(out, key=lambda t: (t[1], t[0]))

    def fill(self) -> list[str]:
        """Post what is due and not yet posted (the Message-IDs posted now)."""
        from simulator.mail.post import post

        posted = set(self.info.get("posted", []))
        new = []
        for key, at, what in self.due():
            if key in posted:
                continue
            message = self._planted(what, at) if isinstance(what, str) else self._world_mail(what, at)
            post(self.folder, message, sender=parseaddr(str(message["From"]))[1], recipients=[self.address])
            posted.add(key)
            new.append(str(message["Message-ID"]))
            self.info["posted"] = sorted(posted)
            self._save()
        if new:
            settle(self.folder)
        return new

    def _message(self, sender: str, subject: str, body: str, at: datetime, msgid: str) -> EmailMessage:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = sender, self.address, subject
        msg["Date"] = format_datetime(at.replace(tzinfo=VN_TZ))
        msg["Message-ID"] = msgid
        msg.set_content(body)
        return msg

    def _pdf(self, doc) -> bytes:
        from simulator.documents import render_pdf

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "van-ban.pdf"
            render_pdf(doc, path, pdfa=False)
            return path.read_bytes()

    def _world_mail(self, v: int, at: datetime) -> EmailMessage:
        w, s = self.session.world.world, self.session
        doc_index = w.deliveries.doc[v]
        issuer = w.docs.issuer[doc_index]
        sender = w.units[issuer] if issuer >= 0 else s.province.committee
        from simulator.documents import ContentGenerator, Recipient
        from simulator.flows.arrivals import TYPE_KEYS

        seed = (w.seed * 1_000_003 + w.replication * 7919 + w.docs.key[doc_index]) % (2 ** 32)
        doc = ContentGenerator(seed).document(s.province.unit(sender.code), s.province,
                                              TYPE_KEYS[w.docs.kind[doc_index]], issued=at.date(),
                                              number=1 + seed % 400,
                                              recipients=(Recipient(s.seat.name, s.seat.code),))
        slug = unit_slugs(s.province.units)[sender.code]
        address = unit_address(slug, self.info["domain"])
        if self.book.account(address) is None:
            self.book.add_unit(s.province.unit(sender.code), slug)
        msg = self._message(f"{sender.name} <{address}>", doc.subject[:180],
                            _("Dear {seat},\n\n{sender} sends the attached document by official mail.\n",
                              seat=s.seat.name, sender=sender.name), at, f"<world.{v}.{seed}@{self.info['domain']}>")
        msg.add_attachment(self._pdf(doc), maintype="application", subtype="pdf", filename="van-ban.pdf")
        return msg

    def _planted(self, kind: str, at: datetime) -> EmailMessage:
        s, info = self.session, self.info
        seed, domain = s.config.seed, info["domain"]
        if kind == "request":
            msg = self._message(f"Sở Nội vụ <{info['home']}>",
                                _("Request: list of staff using official mail (reply by {day})",
                                  day=(at + timedelta(days=3)).strftime("%d/%m/%Y")),
                                _("Dear {seat},\n\nTo prepare the report on official mail, please reply to this "
                                  "message with the list of your commune's staff and their official mail addresses "
                                  "attached (a spreadsheet or a PDF).\n\nThank you.\nSở Nội vụ",
                                  seat=s.seat.name), at, message_id(kind, seed, domain))
            return msg
        if kind == "axis_by_mail":
            from simulator.documents import ContentGenerator, Recipient

            doc = ContentGenerator(seed + 3).document(s.province.committee, s.province, "quyet_dinh",
                                                      issued=at.date(), number=1 + seed % 400,
                                                      recipients=(Recipient(s.seat.name, s.seat.code),))
            msg = self._message(f"Văn phòng UBND tỉnh <{info['office']}>",
                                _("Sending decision {number}/{notation} by mail", number=doc.number,
                                  notation=doc.code_notation),
                                _("Dear {seat},\n\nThe axis is slow today, so we send you the attached decision by "
                                  "mail. Please register it in your incoming register as received.\n\nVăn phòng UBND "
                                  "tỉnh", seat=s.seat.name), at, message_id(kind, seed, domain))
            msg.add_attachment(self._pdf(doc), maintype="application", subtype="pdf",
                               filename=f"QD-{doc.number}-{doc.issuer_abbreviation}.pdf")
            return msg
        office_local = info["office"].split("@")[0]
        return self._message(f"Văn phòng UBND tỉnh <{office_local}@{self.lookalike_domain}>",
                             _("URGENT: confirm your official mailbox password before 17:00 today"),
                             _("Dear colleague,\n\nThe province is upgrading the official mail system. Confirm your "
                               "mailbox by replying with your address and password before 17:00 today, or the "
                               "mailbox will be closed.\n\nhttp://thucongvu.{lookalike}/xac-nhan\n",
                               lookalike=self.lookalike_domain), at, message_id(kind, seed, domain))

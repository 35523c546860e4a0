"""The administrators' exercise "running the official mail": a commune's identifier list and its mail server
left in the state an administrator finds on a bad Monday morning.

:func:`mail_task` derives each trainee's commune staff from their seed (the
grader calls it too); :meth:`MailExercise.open` prepares, once, in the work
folder:

- ``dinh-danh.sqlite``: the identifier registry of staff (a routing
  :class:`~simulator.routing.Directory`): the commune's six staff members;
  one more who has left (removed from the registry, mailbox still open);
- the mail server (``thu-cong-vu/``, or under /tmp when run as root where
  Dovecot's ``nobody`` cannot pass; ``thu-cong-vu.json`` says where): four
  of the six staff have a mailbox, the unit's mailbox is missing; one
  mailbox is full (a message to it bounced), one lost its messages (a
  backup ``sao-luu-thu.tar.gz`` still has them), one belongs to someone who
  forgot the password; Dovecot has crashed, so two messages from the
  province wait in the queue.

The administrator repairs it with ``vbdt mail`` (review --create, user
disable / reset / quota, group add, log, queue, stop / serve, restore);
:mod:`simulator.grading.mail_admin` reads the result from the server's
files, never from a widget.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from simulator.mail.accounts import MailBook
from simulator.mail.address import domain_for, person_address, unit_address, unit_slugs
from simulator.mail.review import StaffMember

UNIT = "Xã Hải Châu"
POINTER = "thu-cong-vu.json"         # in the work folder: where the mail folder is, whose exercise it is
REGISTRY = "dinh-danh.sqlite"        # the identifier registry of staff, in the work folder
BACKUP = "sao-luu-thu.tar.gz"        # last night's backup of the mailboxes, in the work folder
FULL_LIMIT = 3                       # messages the full mailbox may hold
POSITIONS = (("Chủ tịch UBND xã", "lanh_dao"), ("Phó Chủ tịch UBND xã", "lanh_dao"),
             ("Công chức Văn phòng - Thống kê", "van_thu"), ("Công chức Tư pháp - Hộ tịch", "chuyen_vien"),
             ("Công chức Tài chính - Kế toán", "chuyen_vien"), ("Công chức Địa chính - Xây dựng", "chuyen_vien"))
LEFT_POSITION = ("Công chức Văn hóa - Xã hội", "chuyen_vien")
STUCK, LOST, FILLER, BOUNCED = "stuck", "lost", "filler", "bounced"


@dataclass(frozen=True)
class MailTask:
    """One trainee's commune: who is on the identifier list and what went wrong with whose mailbox."""

    seed: int
    unit_code: str
    unit_name: str
    slug: str
    domain: str
    staff: tuple[StaffMember, ...]   # the identifier list: [0] chairman, [1] vice-chairman, ...
    left: StaffMember                # left the commune; mailbox still open
    sender: str                      # the province's mailbox the planted messages come from

    def address(self, person: StaffMember) -> str:
        return person_address(person.full_name, self.slug, self.domain)

    @property
    def unit_address(self) -> str:
        return unit_address(self.slug, self.domain)

    @property
    def forgot(self) -> StaffMember:       # asks for a new password
        return self.staff[1]

    @property
    def full(self) -> StaffMember:         # mailbox full, a message to it bounced
        return self.staff[2]

    @property
    def lost(self) -> StaffMember:         # deleted all their mail by mistake; the backup has it
        return self.staff[3]

    @property
    def existing(self) -> tuple[StaffMember, ...]:  # had a mailbox before the exercise
        return self.staff[:4]

    @property
    def group(self) -> str:                # the leaders' group the administrator creates
        return f"lanhdao.{self.slug}@{self.domain}"

    def message_id(self, kind: str, n: int) -> str:
        return f"<{kind}.{n}.{self.seed}@{self.domain}>"

    def password(self, address: str) -> str:
        """The password an existing mailbox had before the exercise (the grader checks it was changed)."""
        tag = hmac.new(str(self.seed).encode(), address.encode(), hashlib.sha256).hexdigest()[:10]
        return f"Thu-{tag}-9"


def exercise_province():
    from simulator.province import load_province
    from simulator.seat import DEFAULT_START

    return load_province("Nghệ An", on=DEFAULT_START.date())


def mail_task(seed: int) -> MailTask:
    """The trainee's commune staff (names from their seed; no two with one address)."""
    from simulator.documents import ContentGenerator

    province = exercise_province()
    unit = province.find(UNIT)
    slug, domain = unit_slugs(province.units)[unit.code], domain_for(province.name)
    people, addresses, k = [], set(), 0
    for position, _role in POSITIONS + (LEFT_POSITION,):
        while True:
            name = ContentGenerator(seed + 101 + k).person_name()
            k += 1
            address = person_address(name, slug, domain)
            if address not in addresses:
                addresses.add(address)
                people.append(StaffMember(name, unit.code, position))
                break
    sender = unit_address(unit_slugs(province.units)[province.committee.code], domain)
    return MailTask(seed, unit.code, unit.name, slug, domain, tuple(people[:-1]), people[-1], sender)


def _reachable_by_others(path: Path) -> bool:
    return all(p.stat().st_mode & 0o001 for p in path.absolute().parents if p.exists())


def default_folder(work: Path) -> Path:
    own = work.absolute() / "thu-cong-vu"
    if os.geteuid() != 0 or _reachable_by_others(own):
        return own
    tag = hashlib.sha256(str(work.absolute()).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"vbdt-admin-mail-{tag}"


def mail_folder(work: str | os.PathLike) -> Path | None:
    """Where the exercise's mail server is (handed in inside the work folder, else where the pointer says)."""
    work = Path(work)
    if (work / "thu-cong-vu" / "accounts.json").exists():
        return work / "thu-cong-vu"
    pointer = work / POINTER
    if pointer.exists():
        return Path(json.loads(pointer.read_text(encoding="utf-8"))["folder"])
    return None


def wait_queue(folder: Path, longest: float = 60.0) -> None:
    """Let a running server deliver what it accepted (delivery is asynchronous; what is left is never lost)."""
    from simulator.mail.server import MailServer
    from simulator.mail.spool import Spool

    deadline = time.monotonic() + longest
    while Spool(folder).count() and MailServer(folder).status().running and time.monotonic() < deadline:
        time.sleep(0.05)


class MailExercise:
    """The work folder of the exercise, its registry and its mail server."""

    def __init__(self, work: Path, folder: Path, task: MailTask) -> None:
        self.work, self.folder, self.task = work, folder, task

    @property
    def registry(self) -> Path:
        return self.work / REGISTRY

    @property
    def backup(self) -> Path:
        return self.work / BACKUP

    @classmethod
    def open(cls, work: str | os.PathLike, trainee_id: str, folder: str | os.PathLike | None = None) -> "MailExercise":
        """Prepare the exercise once (a second call only finds it again; the server is left as the trainee
        left it)."""
        from simulator.errors import UserError
        from simulator.i18n import translator
        from simulator.seat import seed_for

        work = Path(work).absolute()
        work.mkdir(parents=True, exist_ok=True)
        pointer = work / POINTER
        task = mail_task(seed_for(trainee_id))
        if pointer.exists():
            info = json.loads(pointer.read_text(encoding="utf-8"))
            if info.get("trainee") != trainee_id:
                _ = translator("mail")
                raise UserError(_("This work folder belongs to another trainee ({other}).", other=info.get("trainee")))
            found = mail_folder(work)
            if (found / "accounts.json").exists():
                return cls(work, found, task)
            pointer.unlink()  # the mail folder is gone (a /tmp emptied by a restart): prepared again below
        folder = Path(folder or default_folder(work)).absolute()
        if folder.exists():
            from simulator.mail.server import MailServer

            MailServer(folder).stop()
            shutil.rmtree(folder)  # a preparation cut short: start it again
        exercise = cls(work, folder, task)
        exercise._prepare()
        pointer.write_text(json.dumps({"trainee": trainee_id, "folder": str(folder)}, ensure_ascii=False),
                           encoding="utf-8")
        return exercise

    # -- preparation ---------------------------------------------------------------------------------------
    def _prepare(self) -> None:
        from simulator.mail.backup import backup
        from simulator.mail.server import MailServer

        for stale in (self.registry, self.backup, *self.work.glob(REGISTRY + "-*")):  # a preparation cut short
            stale.unlink(missing_ok=True)
        t, province = self.task, exercise_province()
        unit, committee = province.unit(t.unit_code), province.committee
        book = MailBook(self.folder, t.domain)
        with book.batch():
            book.add_unit(committee, unit_slugs(province.units)[committee.code])
            for person in t.existing + (t.left,):
                book.add_person(unit, t.slug, person.full_name, position=person.position,
                                password=t.password(t.address(person)),
                                quota_messages=FULL_LIMIT if person == t.full else 0)
        server = MailServer(self.folder)
        server.start(domain=t.domain)
        for n in range(FULL_LIMIT):
            self._post(FILLER, n, t.full, "Lịch làm việc tuần {n}".format(n=n + 1))
        for n in range(2):
            self._post(LOST, n, t.lost, ("Số liệu dân số quý I gửi Sở Nội vụ", "Góp ý dự thảo quy chế làm việc")[n])
        wait_queue(self.folder)
        self._post(BOUNCED, 0, t.full, "Giấy mời họp giao ban tháng 3")  # the mailbox is full: bounced
        wait_queue(self.folder)
        backup(self.folder, self.backup)
        local = t.address(t.lost).split("@")[0]
        box = self.folder / "mail" / t.domain / local
        for sub in ("new", "cur"):  # deleted by mistake on the owner's phone
            for path in (box / sub).glob("*"):
                path.unlink()
        (box / "maildirsize").unlink(missing_ok=True)  # Dovecot's quota count: recounted from what is left
        server.kill(dovecot=True, submission=False)  # Dovecot crashed overnight: the queue cannot drain
        for n, person in enumerate(t.staff[:2]):
            self._post(STUCK, n, person, ("Công văn hỏa tốc về phòng chống lụt bão",
                                          "Thông báo lịch tiếp công dân")[n])
        self._registry(unit)

    def _post(self, kind: str, n: int, person: StaffMember, subject: str) -> None:
        from simulator.mail.post import post
        from simulator.calendar import VN_TZ
        from simulator.seat import DEFAULT_START

        t = self.task
        msg = EmailMessage()
        msg["From"], msg["To"] = f"UBND tỉnh Nghệ An <{t.sender}>", t.address(person)
        msg["Subject"], msg["Message-ID"] = subject, t.message_id(kind, n)
        msg["Date"] = format_datetime(DEFAULT_START.replace(minute=n, tzinfo=VN_TZ))
        msg.set_content(f"Kính gửi {person.full_name},\n\n{subject}.\n\nUBND tỉnh Nghệ An\n")
        post(self.folder, msg, sender=t.sender, recipients=[t.address(person)])

    def _registry(self, unit) -> None:
        from simulator.routing import Directory

        t, roles = self.task, dict(POSITIONS + (LEFT_POSITION,))
        directory = Directory(self.registry)
        directory.seed([unit], by="to-chuc-can-bo")
        for n, person in enumerate(t.staff + (t.left,)):
            directory.add_user(f"cb{n + 1}", person.full_name, unit.code, roles[person.position], "to-chuc-can-bo")
        directory.remove_user(f"cb{len(t.staff) + 1}", "to-chuc-can-bo")
        directory.engine.dispose()

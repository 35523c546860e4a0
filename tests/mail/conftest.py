"""A real mail server for the mail tests: Dovecot and the submission service, one per xdist worker.

The folder is made with ``tempfile`` under /tmp rather than pytest's tmp_path: run as root, the mailboxes
belong to ``nobody``, who cannot pass through pytest's private (0700) temporary root.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from imapclient import IMAPClient

from simulator.mail import MailBook, MailServer, unit_slugs
from simulator.province import load_province

MAX_MESSAGE = 256 * 1024
WAIT = 60.0  # the longest a test waits for mail to arrive (a loaded machine); never an assertion on time


@dataclass
class Mail:
    folder: Path
    server: MailServer
    book: MailBook
    province: object
    unit: object
    slug: str
    passwords: dict = field(default_factory=dict)

    @property
    def ports(self):
        return self.server.ports()

    def add_person(self, name: str, **kwargs):
        account, password = self.book.add_person(self.unit, self.slug, name, **kwargs)
        self.passwords[account.address] = password
        return account.address

    def imap(self, address: str) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.ports.imap, ssl=False, timeout=30)
        client.login(address, self.passwords[address])
        return client


def make_mail(prefix: str = "vbdt-mail-") -> Mail:
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    province = load_province("Nghệ An")
    unit = province.communes[0]
    slug = unit_slugs(province.units)[unit.code]
    return Mail(folder, MailServer(folder), MailBook(folder), province, unit, slug)


def new_server(prefix: str = "vbdt-mail-"):
    """A server in its own folder, started; the caller stops it and removes the folder (see ``own_server``)."""
    mail = make_mail(prefix)
    account, password = mail.book.add_unit(mail.unit, mail.slug)
    mail.passwords[account.address] = password
    mail.server.start(max_message=MAX_MESSAGE)
    return mail


@pytest.fixture(scope="session")
def mail() -> Mail:
    """One running server for the session (each xdist worker has its own session, folder and free ports)."""
    running = new_server()
    yield running
    running.server.stop()
    shutil.rmtree(running.folder, ignore_errors=True)


@pytest.fixture
def own_server():
    """A server of the test's own (for killing it)."""
    made = []

    def start():
        made.append(new_server("vbdt-mail-kill-"))
        return made[-1]

    yield start
    for m in made:
        m.server.stop()
        shutil.rmtree(m.folder, ignore_errors=True)


def wait_for(predicate, what: str):
    """Poll until ``predicate()`` is true (mail delivery is asynchronous); fail with ``what`` if it never is."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


def inbox_subjects(mail: Mail, address: str) -> list[str]:
    with mail.imap(address) as client:
        client.select_folder("INBOX", readonly=True)
        ids = client.search("ALL")
        if not ids:
            return []
        from email.header import decode_header, make_header

        data = client.fetch(ids, ["BODY.PEEK[HEADER.FIELDS (SUBJECT)]"])
        out = []
        for msg in data.values():
            raw = msg[b"BODY[HEADER.FIELDS (SUBJECT)]"].decode("ascii", "replace").strip()
            out.append(str(make_header(decode_header(raw.split(":", 1)[1].strip()))) if ":" in raw else "")
        return out

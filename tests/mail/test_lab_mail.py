"""The lab's own mail server: ``make lab`` starts it and stops it with JupyterLab, with nothing wrong in its
logs; a lesson's seat among the lab's work folders uses it; a trainee's script waits for a delivery instead
of racing it (lesson 06's ``tim``)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from simulator.errors import UserError
from simulator.lab import Session
from simulator.lab.mail_client import MailClient
from simulator.lab.mail_desk import SeatMail
from simulator.mail import MailServer
from simulator.mail.server import free_ports
from tests.lab.mail_seat import seat_with_mail
from tests.mail.conftest import wait_for

ROOT = Path(__file__).resolve().parents[2]
VBDT = str(Path(sys.executable).with_name("vbdt"))


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def lab_mail():
    """A folder for the lab's mail server, under /tmp (Dovecot's nobody must pass through), given free ports
    by serving it once: a folder served before keeps its ports."""
    root = Path(tempfile.mkdtemp(prefix="vbdt-lab-mail-"))
    root.chmod(0o711)
    folder = root / "mail"
    env = dict(os.environ, VBDT_MAIL=str(folder))
    subprocess.run([VBDT, "mail", "serve", "--port", "0", "--imap-port", "0", "--lmtp-port", "0"], env=env,
                   check=True, capture_output=True)
    subprocess.run([VBDT, "mail", "stop"], env=env, check=True, capture_output=True)
    yield folder
    MailServer(folder).stop()
    shutil.rmtree(root, ignore_errors=True)


def test_make_lab_starts_the_mail_server_and_stops_it_with_the_lab(lab_mail):
    [port] = free_ports(1)
    env = dict(os.environ, VBDT_MAIL=str(lab_mail), PATH=f"{Path(sys.executable).parent}{os.pathsep}"
               f"{os.environ.get('PATH', '')}")
    make = subprocess.Popen(["make", "-o", ".venv/.installed", "lab", f"PORT={port}"], cwd=ROOT, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        wait_for(lambda: MailServer(lab_mail).status().running, "the lab's mail server running")
        wait_for(lambda: _answers(port), "JupyterLab answering")
        before = MailServer(lab_mail).ports()
        assert _answers(before.imap) and _answers(before.smtp)
    finally:
        os.killpg(make.pid, signal.SIGTERM)  # as Ctrl-C would: JupyterLab and the recipe's shell
        make.wait(120)
    wait_for(lambda: not MailServer(lab_mail).status().running, "the mail server stopped with the lab")
    for log in ("dovecot.log", "submission.log"):
        text = (lab_mail / "log" / log).read_text(encoding="utf-8", errors="replace")
        assert not [line for line in text.splitlines() if "Error" in line or "Fatal" in line or "Traceback" in line]


def test_a_lesson_seat_uses_the_labs_server_and_a_course_seat_its_own(lab_mail, tmp_path, monkeypatch):
    root = Path(tempfile.mkdtemp(prefix="vbdt-lab-seat-"))
    root.chmod(0o711)
    monkeypatch.setenv("VBDT_MAIL", str(lab_mail))
    monkeypatch.setenv("VBDT_WORK", str(root / "work"))
    MailServer(lab_mail).start()
    opened = []
    try:
        lesson = Session.open(root / "work" / "can-bo-xa-06", unit="Xã Hải Châu", seed=66, arrivals=2)
        mail = SeatMail.open(lesson)
        opened.append(mail)
        assert mail.folder == lab_mail.absolute() and mail.lab_server
        client = MailClient(mail)
        assert client.find("<request.")  # delivered into the lab server's mailbox
        course = Session.open(root / "khoa-hoc" / "lam-viec", unit="Xã Hải Châu", trainee_id="hv-lab", arrivals=2)
        own = SeatMail.open(course, root / "khoa-hoc" / "mail")
        opened.append(own)
        assert own.folder != lab_mail.absolute() and not own.lab_server
    finally:
        for m in opened:
            m.server.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_find_waits_for_a_delivery_instead_of_racing_it():
    with seat_with_mail("hv-thu-wait") as (session, mail, client):
        with pytest.raises(UserError, match="Chưa có thư <nothing."):
            client.find("<nothing.", longest=0)
        mail.server.kill(dovecot=False, submission=True)  # nobody delivers: the message waits in the queue
        from email.message import EmailMessage

        from simulator.mail.post import post

        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = mail.info["home"], mail.address, "Thư đến muộn"
        msg["Message-ID"] = "<late.1@nghean.gov.vn>"
        msg.set_content("Thư giao sau.")
        post(mail.folder, msg, recipients=[mail.address])
        found = {}

        def look() -> None:
            try:
                found["uid"] = client.find("<late.", longest=300)
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                found["error"] = repr(exc)

        looking = threading.Thread(target=look)
        looking.start()  # looks while the message is still queued
        assert not [m for m in client.messages() if m.message_id.startswith("<late.")]
        mail.server.stop()
        mail.server.start()  # the submission service again: it delivers the queue
        looking.join(330)
        assert "error" not in found, found
        assert found.get("uid") in [m.uid for m in client.messages()]

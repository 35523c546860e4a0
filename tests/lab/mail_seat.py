"""A seat with its official mailbox, for the Mail desk and mail-grading tests: a real Dovecot and submission
service per seat, in a folder under /tmp (run as root, the mailboxes belong to ``nobody``, who cannot pass
through pytest's private temporary root; see tests/mail/conftest.py)."""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from simulator.lab import Session
from simulator.lab.mail_client import MailClient
from simulator.lab.mail_desk import SeatMail
from simulator.mail.log import deliveries
from tests.mail.conftest import wait_for

PLANTED = 3  # the request, the decision by mail, the look-alike


@contextmanager
def seat_with_mail(trainee: str = "hv-thu-01"):
    """(session, seat_mail, client) with the three planted messages in the seat's inbox; stopped afterwards."""
    root = Path(tempfile.mkdtemp(prefix="vbdt-seat-mail-"))
    root.chmod(0o711)  # the mailboxes' owner passes through to root/mail
    mail = None
    try:
        session = Session.open(root / "lam-viec", unit="Xã Hải Châu", role="van_thu", trainee_id=trainee,
                               arrivals=2)
        mail = SeatMail.open(session, root / "mail")
        client = MailClient(mail)
        wait_for(lambda: len(client.messages()) >= PLANTED, "the planted messages in the seat's inbox")
        yield session, mail, client
    finally:
        if mail is not None:
            mail.server.stop()
        shutil.rmtree(root, ignore_errors=True)


def uid_of(client: MailClient, kind: str) -> int:
    """The inbox uid of a planted message (``request``, ``axis_by_mail``, ``lookalike``)."""
    [uid] = [m.uid for m in client.messages() if m.message_id.startswith(f"<{kind}.")]
    return uid


def wait_delivered(mail: SeatMail, n: int) -> None:
    """Until the seat's mailbox server has delivered ``n`` messages from the seat (asynchronous delivery)."""
    wait_for(lambda: len([d for d in deliveries(mail.folder, status="delivered") if d.sender == mail.address]) >= n,
             f"{n} deliveries from the seat")

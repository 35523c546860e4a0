"""A class of three trainees (a district clerk and two commune clerks) in one world, with the class's axis
served over real HTTP on 127.0.0.1."""

from __future__ import annotations

import logging
import socket
import threading
from datetime import datetime

import pytest

from simulator.seat.classroom import ClassRoom, class_server

logging.getLogger("pyhanko").setLevel(logging.ERROR)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.ERROR)

DISTRICT = "Huyện Nghi Lộc"
START = datetime(2025, 3, 3, 7, 30)   # a Monday of the 3-level province (a district and its communes)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """The class's axis server, which a test can stop and start again on the same port."""

    def __init__(self, folder) -> None:
        self.folder, self.server = folder, None

    def start(self) -> str:
        self.server = class_server(self.folder)
        threading.Thread(target=self.server.serve_forever, daemon=True, name="class-axis").start()
        return ClassRoom.read(self.folder).url

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.server = None


def served_class(tmp_path_factory, name: str, seats: dict[str, tuple[str, int, str]]):
    """A class of the district opened in a new folder, its seats handed out and its axis served: ``seats`` is
    key -> (trainee, the unit's index among the class's units, role); returns (room, tickets by key, Served)."""
    folder = tmp_path_factory.mktemp(name)
    room = ClassRoom.open(folder, unit=DISTRICT, start=START, scenario="plan-2020", port=free_port())
    tickets = {key: room.seat(trainee, room.units[index], role) for key, (trainee, index, role) in seats.items()}
    served = Served(folder)
    served.start()
    return room, tickets, served


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """The instructor's class: open, three seats handed out, the axis served."""
    room, tickets, served = served_class(tmp_path_factory, "class", {
        "district": ("gv-huyen", 0, "clerk"), "a": ("hv-xa-a", 1, "clerk"), "b": ("hv-xa-b", 2, "clerk")})
    yield room, tickets, served
    if served.server is not None:
        served.stop()


# a district's clerk and leader, and one commune's clerk (the hand-overs' tests)
AGENCY = {"clerk": ("vt-huyen", 0, "clerk"), "leader": ("ld-huyen", 0, "leader"), "commune": ("vt-xa", 1, "clerk")}


def class_items(session) -> list:
    """The documents a seat took from other seats of the class (L001, L002...)."""
    return [i for i in session.inbox.values() if i.item_id.startswith("L")]


def until_class_item(session, receive=None, tries: int = 6) -> list:
    """Get new documents (``receive``: a desk's click, default ``session.receive``) until the seat's clock
    reaches the moment another seat sent it one: the seat's class items then."""
    receive = receive or session.receive
    for _ in range(tries):
        receive()
        if class_items(session):
            break
        session.wait_until_end_of_session()
    return class_items(session)


def open_seats(tickets: dict, base) -> tuple[dict, dict]:
    """Each trainee's desk opened from their ticket in ``base/<key>``: (folders, sessions) by the tickets' keys."""
    from simulator.lab import Session

    folders = {k: base / k for k in tickets}
    return folders, {k: Session.open(folders[k], classroom=tickets[k]) for k in tickets}


def dispatch_to(session, recipients: list, subject: str, body: str):
    """The district's clerk's whole outgoing job, as the desk's buttons do it: draft, sign, number and seal,
    dispatch. Returns the outgoing item."""
    from simulator.lab import SEAT_PASSPHRASE

    out = session.draft(recipients, subject, body)
    session.sign(out.item_id, SEAT_PASSPHRASE)
    session.seal(out.item_id, SEAT_PASSPHRASE)
    session.dispatch(out.item_id)
    return out

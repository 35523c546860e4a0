"""Assignment 08's practice helper in every seat of a class with leaders: the district's clerk hands its draft
to the district's leader, who signs it; the clerk dispatches; a commune's clerk registers and submits, and the
commune's leader assigns. Each trainee is graded on their own part: 4/4 each."""

from __future__ import annotations

import pytest

from simulator.grading import grade_class_exchange
from simulator.grading.practice import work_the_class_exchange
from simulator.lab import SEAT_PASSPHRASE, Session
from .conftest import served_class


@pytest.fixture(scope="module")
def class_with_leaders(tmp_path_factory):
    room, tickets, served = served_class(tmp_path_factory, "class-practice", {
        "district": ("vt-huyen", 0, "clerk"), "a": ("vt-xa-a", 1, "clerk"), "b": ("vt-xa-b", 2, "clerk"),
        "district_leader": ("ld-huyen", 0, "leader"), "a_leader": ("ld-xa-a", 1, "leader")})
    base = tmp_path_factory.mktemp("practice-seats")
    seats = {k: Session.open(base / k, classroom=t) for k, t in tickets.items()}
    yield tickets, seats, base
    served.stop()


def test_each_role_done_by_the_practice_helper_gets_full_marks(class_with_leaders):
    tickets, seats, base = class_with_leaders
    work_the_class_exchange(seats["district"], SEAT_PASSPHRASE, rounds=1)   # hands the draft over, waits
    assert [o.status for o in seats["district"].outgoing_items()] == ["drafted"] and seats["district"].handed
    work_the_class_exchange(seats["district_leader"], SEAT_PASSPHRASE)       # signs it
    work_the_class_exchange(seats["district"], SEAT_PASSPHRASE, rounds=2)   # takes it back, seals, dispatches
    assert [o.status for o in seats["district"].outgoing_items()] == ["dispatched"]
    work_the_class_exchange(seats["a"], SEAT_PASSPHRASE)                    # registers, submits: handed over
    work_the_class_exchange(seats["b"], SEAT_PASSPHRASE)
    work_the_class_exchange(seats["a_leader"], SEAT_PASSPHRASE)             # assigns
    seats["a"].receive()
    seats["a"].next_working_day()
    seats["a"].receive()                                                    # takes the assignment: 05 to the district
    assert [i.status for i in seats["a"].inbox.values() if i.item_id.startswith("L")] == ["assigned"]
    work_the_class_exchange(seats["district"], SEAT_PASSPHRASE)             # the statuses back
    for key in ("district", "district_leader", "a", "a_leader", "b"):
        result = grade_class_exchange(base / key, tickets[key]["trainee"])
        assert (result.points, result.max_points) == (4, 4), (key, result.explain())

"""The class assignment's check (can-bo-xa 08, ``grade_class_exchange``): each trainee graded on their own journal
against the class's axis database: the district's clerk as the sender, the commune clerks as receivers."""

from __future__ import annotations

import shutil

import pytest

from simulator.grading import grade_class_exchange
from simulator.grading.practice import work_the_class_exchange
from simulator.lab import SEAT_PASSPHRASE, Session


@pytest.fixture(scope="module")
def worked(classroom, tmp_path_factory):
    room, tickets, _served = classroom
    base = tmp_path_factory.mktemp("class-work")
    seats = {k: Session.open(base / k, classroom=tickets[k]) for k in tickets}
    work_the_class_exchange(seats["district"], SEAT_PASSPHRASE, rounds=1)   # drafts to the two communes, dispatches
    work_the_class_exchange(seats["a"], SEAT_PASSPHRASE)                    # the whole job
    b = seats["b"]
    for _ in range(8):   # commune b only takes the document and verifies it
        items = [i for i in b.receive() if i.item_id.startswith("L")]
        if items:
            b.verify(items[0].item_id)
            break
        b.wait_until_end_of_session()
    work_the_class_exchange(seats["district"], SEAT_PASSPHRASE, rounds=2)   # takes back what came
    return base, tickets, seats


def test_each_trainee_is_graded_on_their_own_part(worked):
    base, tickets, seats = worked
    district = grade_class_exchange(base / "district", tickets["district"]["trainee"])
    a = grade_class_exchange(base / "a", tickets["a"]["trainee"])
    b = grade_class_exchange(base / "b", tickets["b"]["trainee"])
    assert (district.points, district.max_points) == (4, 4), district.explain()
    assert (a.points, a.max_points) == (4, 4), a.explain()
    assert b.points == 2, b.explain()          # took it and verified it; neither registered nor assigned
    assert "vào sổ" in b.explain().lower() or "register" in b.explain().lower()


def test_sender_before_any_status_and_someone_elses_folder(worked, tmp_path):
    base, tickets, seats = worked
    copy = tmp_path / "copy"
    shutil.copytree(base / "a", copy)
    assert grade_class_exchange(copy, tickets["b"]["trainee"]).points == 0     # a's folder handed in by b
    # the district's work as it stood right after the dispatch (the journal's first lines): nothing taken back yet
    early = tmp_path / "early"
    shutil.copytree(base / "district", early)
    lines = (early / "journal.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    sent = next(n for n, line in enumerate(lines) if '"class_sent"' in line)
    (early / "journal.jsonl").write_text("".join(lines[:sent + 1]), encoding="utf-8")
    result = grade_class_exchange(early, tickets["district"]["trainee"])
    assert result.points == 2, result.explain()
    assert "Nhận văn bản của lớp" in result.explain(), result.explain()
    alone = Session.open(tmp_path / "alone", unit="Xã Hải Châu", trainee_id="hv-mot-minh", arrivals=1)
    result = grade_class_exchange(tmp_path / "alone", "hv-mot-minh")
    assert result.points == 0 and "lớp" in result.explain(), result.explain()
    assert alone.classroom is None


def test_the_instructors_progress_counts_the_class_documents(worked):
    """Progress (done/expected) counts a document taken from a classmate as one to handle: commune a registered
    it, commune b only verified it."""
    from simulator.grading.analytics import analyse_trainee

    base, _tickets, _seats = worked
    a, b = analyse_trainee(base / "a"), analyse_trainee(base / "b")
    assert a.done == b.done + 1, (a.done, b.done)
    assert a.expected == b.expected

"""Work folders built once per test run in Python (the desks' calls), then graded many ways."""

from __future__ import annotations

import logging
import shutil
import warnings
from pathlib import Path

import pytest

from simulator.lab import SEAT_PASSPHRASE

from .helpers import _has_bad, _make_mistakes, _no_recall, find_trainee, open_desk, shared

logging.getLogger("pyhanko").setLevel(logging.ERROR)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.ERROR)
warnings.filterwarnings("ignore", message=".*SAWarning.*")


@pytest.fixture(scope="session")
def ids():
    return {"good": find_trainee("hv-tot", _has_bad),
            "mistakes": find_trainee("hv-sai", lambda p: _has_bad(p) and _no_recall(p)),
            "cheat": "hv-gian-lan"}


@pytest.fixture(scope="session")
def seats(tmp_path_factory, ids):
    """{role: work folder}: a good trainee, one with typical mistakes, and a fresh (unworked) seat."""
    from simulator.grading import practice

    def make(base: Path) -> None:
        practice.keep_records(open_desk(base / "good", ids["good"]), SEAT_PASSPHRASE)
        _make_mistakes(open_desk(base / "mistakes", ids["mistakes"]))
        open_desk(base / "fresh", ids["cheat"])

    # each worker grades its own copy (grading reads only, but some tests change their folder)
    base = tmp_path_factory.mktemp("seats")
    shutil.copytree(shared(tmp_path_factory, "seats", make), base, dirs_exist_ok=True)
    return {"good": base / "good", "mistakes": base / "mistakes", "fresh": base / "fresh",
            "good_session": open_desk(base / "good", ids["good"]),
            "mistakes_session": open_desk(base / "mistakes", ids["mistakes"])}



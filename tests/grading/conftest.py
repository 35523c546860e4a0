"""Work folders made by the desks' own calls, once per test run: a good clerk and one with typical mistakes.

Built fresh for each run (never shared across runs: a folder made by older code would hide a change)."""

from __future__ import annotations

import logging
import warnings

import pytest

from tests.courses.helpers import _has_bad, _make_mistakes, _no_recall, find_trainee, open_desk

logging.getLogger("pyhanko").setLevel(logging.ERROR)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.ERROR)
warnings.filterwarnings("ignore", message=".*SAWarning.*")


@pytest.fixture(scope="session")
def ids():
    return {"good": find_trainee("hv-tot", _has_bad),
            "mistakes": find_trainee("hv-sai", lambda p: _has_bad(p) and _no_recall(p))}


@pytest.fixture(scope="session")
def seats(tmp_path_factory, ids):
    """{role: work folder} as the desks left them (each test copies what it changes)."""
    from simulator.grading import practice
    from simulator.lab import SEAT_PASSPHRASE

    base = tmp_path_factory.mktemp("grading-seats")
    practice.keep_records(open_desk(base / "good", ids["good"]), SEAT_PASSPHRASE)
    _make_mistakes(open_desk(base / "mistakes", ids["mistakes"]))
    return {"good": base / "good", "mistakes": base / "mistakes"}

"""One JupyterHub for the session: an instructor, three trainees and the course's grader account (real Unix
accounts, PAM passwords), the course built by its grader, every trainee's server spawned as that trainee."""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from .hub import (COURSE, GRADER, INSTRUCTOR, TRAINEES, Account, Hub, create_account, open_to_accounts,
                  free_port, python_for_accounts, remove_account, restore_modes, run_as, why_not_here)

ASSIGNMENT = "01-the-thuc-van-ban"
CLASS_ASSIGNMENT = "08-lien-thong-lop"
CLASS_DISTRICT = "Huyện Nghi Lộc"
SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"
LOGS = Path(__file__).resolve().parents[2] / "out" / "hub"     # the hub's log of the last run, for people to read


@dataclass
class World:
    hub: Hub
    instructor: Account
    grader: Account
    trainees: list[Account]
    tokens: dict[str, str]
    exchange: Path
    course: Path            # the grader's course folder
    nbgrader_env: dict       # what the grader's nbgrader commands need (the hub's exchange settings)
    class_folder: Path       # the class world the hub serves (the grader's: it runs the class's axis)
    seats: dict[str, dict]   # trainee -> their seat's ticket (without the token)
    bin: Path                # the Python environment's bin/ the accounts run
    python_env: dict         # and what it needs in the environment
    released: bool = False

    def release(self) -> None:
        """The grader releases the assignment to the exchange (once for the session's tests)."""
        if not self.released:
            self.as_grader("nbgrader", "release_assignment", ASSIGNMENT)
            self.released = True

    def as_grader(self, *args: str, check: bool = True):
        return run_as(self.grader, list(args), cwd=self.course, env=self.nbgrader_env, check=check, bin_dir=self.bin,
                      python_env=self.python_env)

    def as_user(self, account: Account, *args: str, check: bool = True):
        return run_as(account, list(args), check=check, bin_dir=self.bin, python_env=self.python_env)


@pytest.fixture(scope="session")
def hub_world():
    reason = why_not_here()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    # one hub at a time on this machine (the accounts have fixed names): xdist workers wait for each other
    lock = open(Path(tempfile.gettempdir()) / "vbdt-hub-test.lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    base = Path(tempfile.mkdtemp(prefix="vbdt-hub-"))
    base.chmod(0o755)
    homes, state = base / "home", base / "state"
    homes.mkdir(mode=0o755)
    state.mkdir()
    state.chmod(0o711)   # the hub's database and cookie secret stay root's; the settings below it are readable
    exchange = state / "exchange"   # made by the configuration at the hub's start
    names = [INSTRUCTOR, GRADER, *TRAINEES]
    hub = None
    # the accounts import this project and its environment: wherever the clone lives, they may pass through
    opened = open_to_accounts(Path(__file__).resolve().parents[2], Path(sys.prefix))
    try:
        bin_dir, python_env = python_for_accounts(base)
        accounts = {name: create_account(name, homes) for name in names}
        grader = accounts[GRADER]
        # the course's grader account builds its copy of the course in its home (--root), as the README says
        run_as(grader, ["vbdt", "course", "build", COURSE, "-a", ASSIGNMENT, "-a", CLASS_ASSIGNMENT, "--root",
                        str(grader.home)], bin_dir=bin_dir, python_env=python_env)
        # the instructor's class (the grader account keeps it and runs its axis): a district clerk, two communes
        class_folder = grader.home / "lop-nghi-loc"
        run_as(grader, ["vbdt", "class", "open", str(class_folder), "--unit", CLASS_DISTRICT, "--start",
                        "2025-03-03T07:30", "--port", str(free_port())], bin_dir=bin_dir, python_env=python_env)
        units = json.loads((class_folder / "class.json").read_text(encoding="utf-8"))["units"]
        seats = {}
        for trainee, unit in zip(TRAINEES, units):
            done = run_as(grader, ["vbdt", "class", "seat", str(class_folder), "--trainee", trainee, "--unit", unit,
                                   "--json"], bin_dir=bin_dir, python_env=python_env)
            seats[trainee] = json.loads(done.stdout)
        hub = Hub(state, homes, {"VBDT_INSTRUCTORS": INSTRUCTOR, "VBDT_TRAINEES_CAN_BO_XA": ",".join(TRAINEES),
                                 "VBDT_TOKEN_CAN_BO_XA": secrets.token_hex(32), "VBDT_CLASS_FOLDER": str(class_folder)},
                  bin_dir, python_env)
        hub.start()
        tokens = {name: hub.token(accounts[name]) for name in (INSTRUCTOR, *TRAINEES)}
        hub.spawn([accounts[name] for name in TRAINEES], tokens)
        yield World(hub, accounts[INSTRUCTOR], grader, [accounts[n] for n in TRAINEES], tokens, exchange,
                    grader.home / COURSE, {"JUPYTER_CONFIG_PATH": str(state / "jupyter")}, class_folder, seats, bin_dir,
                    python_env)
    finally:
        if hub is not None:
            hub.stop()
            LOGS.mkdir(parents=True, exist_ok=True)
            shutil.copy(hub.log_path, LOGS / "jupyterhub.log")
        for name in names:
            remove_account(name)
        shutil.rmtree(base, ignore_errors=True)
        restore_modes(opened)
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()

"""Helpers for the course tests: seats as the desks make them, cheats, course copies."""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
from pathlib import Path

from simulator.lab import SEAT_PASSPHRASE, Session

ROOT = Path(__file__).resolve().parents[2]
COURSES = ROOT / "courses"
UNIT = "Xã Hải Châu"
ARRIVALS, TRAP_SHARE = 5, 0.5   # as the assignments open the desk
BAD = ("tampered", "revoked", "expired")

os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")


def open_desk(folder: Path, trainee: str) -> Session:
    return Session.open(folder, unit=UNIT, trainee_id=trainee, arrivals=ARRIVALS, trap_share=TRAP_SHARE)


def _plan(trainee: str):
    from tests.seat_preview import preview

    return preview(trainee, UNIT, ARRIVALS, TRAP_SHARE)


def find_trainee(prefix: str, wanted) -> str:
    """The first id whose world has what the scenario needs (worlds differ per id: that is the point)."""
    from tests.seat_preview import find_trainee as first

    return first(prefix, wanted, unit=UNIT, arrivals=ARRIVALS, trap_share=TRAP_SHARE)


def _has_bad(plan) -> bool:
    return any(a.trap in BAD for a in plan)


def _no_recall(plan) -> bool:
    return not any(a.trap == "recall" for a in plan)


@functools.lru_cache(maxsize=1)
def _sources_digest() -> str:
    """A short hash of everything the shared builds are made from: the courses and the simulator's code."""
    import hashlib

    digest = hashlib.sha256()
    for base in (COURSES, ROOT / "simulator"):
        for path in sorted(base.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".mo":
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def shared(tmp_path_factory, name: str, make) -> Path:
    """Build ``name`` once for all xdist workers (the costly work folders), under a file lock."""
    import fcntl

    root = tmp_path_factory.getbasetemp().parent / "courses-shared"
    root.mkdir(exist_ok=True)
    target = root / f"{name}-{_sources_digest()}"  # a build of other sources (an earlier run) is not reused
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / ".done").exists():
            if target.exists():
                shutil.rmtree(target)
            target.mkdir()
            make(target)
            (target / ".done").write_text("ok")
    return target


def _make_mistakes(session: Session) -> None:
    """Registers one document late, accepts a forged one, seals before the leader signs, wrong retention."""
    from simulator.grading import practice
    from simulator.signing import sign_seal

    first_clean = None
    for batch in practice.arrivals(session):
        for item in batch:
            if first_clean is None and item.trap is None:
                first_clean = item.item_id
                continue                      # left on the desk: registered late, below
            if item.trap in BAD:
                session.verify(item.item_id)
                session.register(item.item_id, override=True)  # accepted although the check failed
            else:
                practice.handle_item(session, item)
    while session.clock <= session.inbox[first_clean].due:  # forgotten until after its deadline
        session.next_working_day()
    practice.handle_item(session, session.inbox[first_clean])
    out = session.reply(practice.reply_item(session))
    seal = session._cert("seal")
    sign_seal(out.folder / "draft.pdf", out.folder / "sealed.pdf", seal, SEAT_PASSPHRASE, session.pki,
              require_person=False)         # the seal with no personal signature under it
    record = session.create_record(practice.RECORD_TITLE, "ke_hoach_bao_cao_nam")
    recalled = {f"{a.recalls:03d}" for a in session.arrivals if a.trap == "recall"}   # the workflow refuses those
    for item in session.inbox.values():
        if item.number is not None and item.item_id not in recalled:
            session.file(record, item.item_id)
    session.archive_record(record)


def edit_journal(folder: Path) -> None:
    """What a cheat does by hand: mark a late registration as on time, or drop a line."""
    path = folder / "journal.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines):
        entry = json.loads(line)
        if entry["action"] == "register":
            entry["data"]["on_time"] = not entry["data"]["on_time"]
            lines[n] = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            break
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


class AlwaysEqual:
    """The classic cheat: equal to everything."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__


def copy_course(tmp: Path, course: str) -> Path:
    target = tmp / course
    shutil.copytree(COURSES / course, target, ignore=shutil.ignore_patterns("release", "submitted", "autograded",
                                                                              "feedback", "gradebook.db", "lam-viec"))
    return target

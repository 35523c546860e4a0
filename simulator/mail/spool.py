"""The submission queue on disk: a message is accepted only once it is fsynced here.

Each message is one file ``queue/new/<id>``: a first line of JSON (the
envelope: sender, recipients still to deliver, when it was accepted), then
the message as received. It is written in ``queue/tmp``, fsynced, renamed
into ``queue/new`` and the folder fsynced, and only then does the submission
server answer 250. Delivery rewrites the file the same way when some
recipients are done, and removes it when none is left. A server killed at
any moment therefore loses no accepted message; at worst a recipient whose
delivery had just finished receives it twice.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

_counter = itertools.count()


@dataclass(frozen=True)
class Queued:
    id: str
    sender: str
    recipients: tuple[str, ...]
    accepted: float
    attempts: int
    path: Path

    def data(self) -> bytes:
        raw = self.path.read_bytes()
        return raw[raw.index(b"\n") + 1:]


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Spool:
    def __init__(self, folder: str | os.PathLike) -> None:
        self.root = Path(folder) / "queue"
        self.new = self.root / "new"
        self.tmp = self.root / "tmp"

    def prepare(self) -> None:
        self.new.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)
        for leftover in self.tmp.iterdir():  # written by a server killed before it answered: never accepted
            leftover.unlink()

    def _write(self, name: str, head: dict, data: bytes) -> Path:
        tmp = self.tmp / name
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, json.dumps(head).encode("utf-8") + b"\n")
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        final = self.new / name
        os.replace(tmp, final)
        _fsync_dir(self.new)
        return final

    def put(self, sender: str, recipients: list[str], data: bytes) -> str:
        """Keep a message for delivery; when this returns it survives a crash."""
        qid = f"{time.time_ns():x}.{os.getpid()}.{next(_counter)}"
        self._write(qid, {"from": sender, "to": list(recipients), "at": time.time(), "attempts": 0}, data)
        return qid

    def pending(self) -> list[Queued]:
        out = []
        for path in sorted(self.new.iterdir(), key=lambda p: p.name) if self.new.is_dir() else ():
            try:
                with path.open("rb") as fh:
                    head = json.loads(fh.readline())
            except (OSError, ValueError):
                continue
            out.append(Queued(path.name, head["from"], tuple(head["to"]), head["at"], head.get("attempts", 0), path))
        return out

    def count(self) -> int:
        return sum(1 for _p in self.new.iterdir()) if self.new.is_dir() else 0

    def sync(self) -> None:
        """Make the removals of finished messages durable."""
        if self.new.is_dir():
            _fsync_dir(self.new)

    def done(self, item: Queued, remaining: list[str], *, attempted: bool = True) -> None:
        """Record what is left to deliver; the message leaves the queue when nothing is."""
        if not remaining:  # the folder is fsynced once per pass (sync()): a crash before it re-delivers, never loses
            item.path.unlink(missing_ok=True)
            return
        head = {"from": item.sender, "to": list(remaining), "at": item.accepted,
                "attempts": item.attempts + (1 if attempted else 0)}
        self._write(item.id, head, item.data())

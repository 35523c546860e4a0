"""The delivery log: one JSON line per recipient and attempt, written by the submission service, chained.

``log/delivery.jsonl`` in the mail folder: ``{"at", "id", "from", "to",
"status", "reply", "prev"}`` with ``status`` one of ``delivered``,
``deferred`` (a temporary refusal: tried again later) and ``bounced`` (a
permanent refusal: the sender gets a notice). ``prev`` is the SHA-256 of the
line before it (its bytes without the newline; 64 zeros for the first), so
a line changed, removed or inserted by hand breaks the chain at the line
after it: :func:`check_log` (``vbdt mail log --check``, the graders) finds
it. A line cut short by a crash is never a record: the next writer cuts it
off before it appends. Dovecot's own log (``log/dovecot.log``) has the
logins and the LMTP sessions.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from simulator.calendar import VN_TZ
from simulator.i18n import translator

_ = translator("mail")

STATUSES = ("delivered", "deferred", "bounced")
GENESIS = "0" * 64


@dataclass(frozen=True)
class Delivery:
    at: str
    id: str
    sender: str
    recipient: str
    status: str
    reply: str


@dataclass(frozen=True)
class Break:
    """Where the chain is broken: the first line (1-based) whose ``prev`` does not match the line before."""

    line: int
    reason: str


def log_path(folder: str | os.PathLike) -> Path:
    return Path(folder) / "log" / "delivery.jsonl"


def line_hash(line: bytes) -> str:
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()


def _complete_lines(path: Path) -> tuple[list[bytes], int]:
    """The log's complete lines (each ending in a newline) and the byte length they cover."""
    data = path.read_bytes() if path.exists() else b""
    end = data.rfind(b"\n") + 1
    return data[:end].splitlines(keepends=True), end


class DeliveryLog:
    """Appends to the log (the submission service keeps one open), each line chained to the one before."""

    def __init__(self, folder: str | os.PathLike) -> None:
        path = log_path(folder)
        path.parent.mkdir(parents=True, exist_ok=True)
        lines, end = _complete_lines(path)
        if path.exists() and path.stat().st_size != end:
            os.truncate(path, end)  # a line cut short by a crash: never written whole, never a record
        self._prev = line_hash(lines[-1]) if lines else GENESIS
        self._fh = path.open("ab")

    def write(self, qid: str, sender: str, recipient: str, status: str, reply: str) -> None:
        line = {"at": datetime.now(VN_TZ).isoformat(timespec="milliseconds"), "id": qid, "from": sender,
                "to": recipient, "status": status, "reply": reply, "prev": self._prev}
        raw = json.dumps(line, ensure_ascii=False).encode("utf-8")
        self._fh.write(raw + b"\n")
        self._fh.flush()
        self._prev = line_hash(raw)

    def close(self) -> None:
        self._fh.close()


def check_log(folder: str | os.PathLike) -> tuple[int, Break | None]:
    """(complete lines, the first break or None). A trailing line cut short by a crash is not a break."""
    lines, _end = _complete_lines(log_path(folder))
    prev = GENESIS
    for n, raw in enumerate(lines, 1):
        try:
            found = json.loads(raw)["prev"]
        except (ValueError, KeyError, TypeError):
            return len(lines), Break(n, _("not a line the server wrote"))
        if found != prev:
            return len(lines), Break(n, _("it does not follow the line before it (a line was changed, removed or inserted)"))
        prev = line_hash(raw)
    return len(lines), None


def deliveries(folder: str | os.PathLike, *, recipient: str | None = None, status: str | None = None) -> list[Delivery]:
    """What the log says, oldest first (a line cut short by a crash is skipped)."""
    path = log_path(folder)
    out = []
    if not path.exists():
        return out
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                d = json.loads(line)
            except ValueError:
                continue
            if (recipient is None or d["to"] == recipient) and (status is None or d["status"] == status):
                out.append(Delivery(d["at"], d["id"], d["from"], d["to"], d["status"], d["reply"]))
    return out

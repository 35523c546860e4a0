"""The delivery log: one JSON line per recipient and attempt, written by the submission service.

``log/delivery.jsonl`` in the mail folder: ``{"at", "id", "from", "to",
"status", "reply"}`` with ``status`` one of ``delivered``, ``deferred`` (a
temporary refusal or Dovecot unreachable: tried again later) and
``bounced`` (a permanent refusal: the sender gets a notice). Dovecot's own
log (``log/dovecot.log``) has the logins and the LMTP sessions.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from simulator.calendar import VN_TZ

STATUSES = ("delivered", "deferred", "bounced")


@dataclass(frozen=True)
class Delivery:
    at: str
    id: str
    sender: str
    recipient: str
    status: str
    reply: str


def log_path(folder: str | os.PathLike) -> Path:
    return Path(folder) / "log" / "delivery.jsonl"


class DeliveryLog:
    """Appends to the log (the submission service keeps one open)."""

    def __init__(self, folder: str | os.PathLike) -> None:
        path = log_path(folder)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = path.open("a", encoding="utf-8")

    def write(self, qid: str, sender: str, recipient: str, status: str, reply: str) -> None:
        line = {"at": datetime.now(VN_TZ).isoformat(timespec="milliseconds"), "id": qid, "from": sender,
                "to": recipient, "status": status, "reply": reply}
        self._fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()


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

"""The journal: append-only JSON Lines, each line chained to the previous by hash.

Every action a trainee takes is one line::

    {"seq": 3, "at": "2026-03-02T09:15:30+07:00", "actor": "...", "action": "register",
     "data": {...}, "prev": "<sha256 of line 2>", "hash": "<sha256 of this line without 'hash'>"}

The chain makes a hand edit visible: changing, removing or reordering a
line breaks the hash of every line after it. The session rebuilds its
state from this file, so a re-run notebook continues where the trainee was.
The chain is tamper-evident, not tamper-proof: someone who rewrites the
whole chain can forge it, which is why grading also checks the artefacts
(registers, signatures, packages) the actions produced.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

GENESIS = "0" * 64


def _digest(entry: dict) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    line: int
    reason: str


class Journal:
    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._last_hash, self._seq = GENESIS, 0
        for entry in self.entries():
            self._last_hash, self._seq = entry["hash"], entry["seq"]

    def append(self, action: str, data: dict[str, Any], *, actor: str, at: str) -> dict:
        entry = {"seq": self._seq + 1, "at": at, "actor": actor, "action": action,
                 "data": data, "prev": self._last_hash}
        entry["hash"] = _digest(entry)
        line = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        self._last_hash, self._seq = entry["hash"], entry["seq"]
        return entry

    def entries(self) -> Iterator[dict]:
        """The lines as written (call :meth:`verify` to check the chain)."""
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)

    def verify(self) -> list[ChainBreak]:
        """Every place where the chain is broken (empty when intact)."""
        problems: list[ChainBreak] = []
        previous, expected_seq = GENESIS, 1
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines() if self.path.exists() else []
        except UnicodeDecodeError:
            return [ChainBreak(0, "not UTF-8")]
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                problems.append(ChainBreak(number, "not JSON"))
                continue
            if not isinstance(entry, dict) or "hash" not in entry:
                problems.append(ChainBreak(number, "missing hash"))
                continue
            if entry.get("prev") != previous:
                problems.append(ChainBreak(number, "previous hash does not match"))
            if entry.get("seq") != expected_seq:
                problems.append(ChainBreak(number, "sequence number out of order"))
            if _digest(entry) != entry["hash"]:
                problems.append(ChainBreak(number, "line changed after it was written"))
            previous, expected_seq = entry["hash"], expected_seq + 1
        return problems

    @property
    def intact(self) -> bool:
        return not self.verify()

    def __len__(self) -> int:
        return self._seq

"""Hand-offs inside one agency: what its clerk (văn thư) brings to its leader, and the leader's answer.

Decree 30 routes two things through the leader of an agency: the draft the
leader signs (trình ký, Art. 11-13) and the incoming document the leader
assigns for handling (trình, chuyển giao văn bản đến, Art. 20-21). In a class
where one trainee holds an agency's clerk seat and another its leader seat,
these pass between their two seats through the class's server
(:mod:`simulator.routing.server`, ``/handoffs``), kept here in
``handoffs.sqlite`` in the class's folder:

- the clerk hands one: ``kind`` "sign" (the draft PDF) or "assign" (the
  registered document, its number and deadline in ``details``), at the
  clerk's clock;
- the leader answers it once, at the leader's clock: the signed PDF, or the
  handler, due date and directions; or returns a draft with the reason
  (trả lại dự thảo), after which the clerk may hand the draft over again;
- the clerk takes the answer (the signed draft continues to numbering and
  seal; the assignment is recorded and reported to the sender as 05).

A seat's token acts as its organisation; a leader's as :func:`leader_org`
of it, so the axis refuses it anything but hand-offs (it sends no document
and reads no agency's mail).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("routing")

KINDS = ("sign", "assign")
LEADER = "/leader"
STORE = "handoffs.sqlite"   # in the class's folder

_SCHEMA = """
CREATE TABLE IF NOT EXISTS handoffs (
    id INTEGER PRIMARY KEY,
    unit TEXT NOT NULL,
    kind TEXT NOT NULL,
    ref TEXT NOT NULL,            -- the clerk's item: an outgoing draft (out:001) or an inbox item (L001, 003)
    document_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    sent_at TEXT NOT NULL,        -- the clerk's clock
    details TEXT NOT NULL,        -- JSON
    pdf BLOB NOT NULL,            -- what the leader reads (and, for "sign", signs)
    answered_at TEXT,             -- the leader's clock
    answer TEXT,                  -- JSON
    answer_pdf BLOB               -- the signed draft
);
CREATE INDEX IF NOT EXISTS handoffs_item ON handoffs (unit, kind, ref);
"""


def leader_org(unit_code: str) -> str:
    """What a leader seat's token acts as on the class's server."""
    return unit_code + LEADER


def seat_of(org: str) -> tuple[str, str]:
    """(unit code, role) of what a token acts as: ``X`` is X's clerk, ``X/leader`` its leader."""
    return (org[:-len(LEADER)], "leader") if org.endswith(LEADER) else (org, "clerk")


@dataclass(frozen=True)
class Handoff:
    id: int
    unit: str
    kind: str
    ref: str
    document_id: str
    subject: str
    sent_at: datetime
    details: dict = field(default_factory=dict)
    answered_at: datetime | None = None
    answer: dict | None = None

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def returned(self) -> str | None:
        """The leader's reason when the draft was returned rather than signed."""
        return (self.answer or {}).get("returned") or None

    def to_json(self) -> dict:
        return {"id": self.id, "unit": self.unit, "kind": self.kind, "ref": self.ref, "document_id": self.document_id,
                "subject": self.subject, "sent_at": self.sent_at.isoformat(), "details": self.details,
                "answered_at": self.answered_at.isoformat() if self.answered_at else None, "answer": self.answer}

    @classmethod
    def from_json(cls, data: dict) -> "Handoff":
        answered = data.get("answered_at")
        return cls(int(data["id"]), data["unit"], data["kind"], data["ref"], data["document_id"], data["subject"],
                   datetime.fromisoformat(data["sent_at"]), dict(data.get("details") or {}),
                   datetime.fromisoformat(answered) if answered else None, data.get("answer"))


class Handoffs:
    """The class's hand-offs between each agency's clerk and leader (``handoffs.sqlite``)."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        if read_only:
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        else:
            self._db = sqlite3.connect(self.path, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def hand(self, unit: str, kind: str, ref: str, document_id: str, subject: str, sent_at: datetime, pdf: bytes,
             details: dict | None = None) -> Handoff:
        """The clerk of ``unit`` hands the leader one item; handing it again returns the same hand-off (a retry),
        unless the leader returned it: then it is handed over anew."""
        if kind not in KINDS:
            raise UserError(_("Unknown hand-off {kind!r}; choose one of {kinds}.", kind=kind, kinds=", ".join(KINDS)))
        if not pdf.startswith(b"%PDF"):
            raise UserError(_("A hand-off carries the document as a PDF."))
        with self._lock, self._db:
            last = self._db.execute("SELECT id, answer FROM handoffs WHERE unit = ? AND kind = ? AND ref = ? "
                                    "ORDER BY id DESC LIMIT 1", (unit, kind, ref)).fetchone()
            if last is None or (last[1] and json.loads(last[1]).get("returned")):
                self._db.execute(
                    "INSERT INTO handoffs (unit, kind, ref, document_id, subject, sent_at, details, pdf) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (unit, kind, ref, document_id, subject, sent_at.isoformat(),
                     json.dumps(details or {}, ensure_ascii=False), pdf))
        return [h for h in self.of(unit) if (h.kind, h.ref) == (kind, ref)][-1]

    def of(self, unit: str) -> list[Handoff]:
        """The unit's hand-offs, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, unit, kind, ref, document_id, subject, sent_at, details, answered_at, answer "
                "FROM handoffs WHERE unit = ? ORDER BY id", (unit,)).fetchall()
        return [Handoff(r[0], r[1], r[2], r[3], r[4], r[5], datetime.fromisoformat(r[6]), json.loads(r[7]),
                        datetime.fromisoformat(r[8]) if r[8] else None, json.loads(r[9]) if r[9] else None)
                for r in rows]

    def everything(self) -> list[Handoff]:
        """Every unit's hand-offs (the instructor's and the grader's view)."""
        with self._lock:
            units = [r[0] for r in self._db.execute("SELECT DISTINCT unit FROM handoffs ORDER BY unit")]
        return [h for unit in units for h in self.of(unit)]

    def pdf(self, unit: str, handoff_id: int, answered: bool = False) -> bytes:
        """The PDF handed (or, ``answered``, the leader's signed one) of one of ``unit``'s hand-offs."""
        with self._lock:
            row = self._db.execute(f"SELECT {'answer_pdf' if answered else 'pdf'} FROM handoffs "
                                   "WHERE id = ? AND unit = ?", (handoff_id, unit)).fetchone()
        if row is None or row[0] is None:
            raise UserError(_("No hand-off {id} for this unit.", id=handoff_id))
        return bytes(row[0])

    def answer(self, unit: str, handoff_id: int, answered_at: datetime, answer: dict,
               pdf: bytes | None = None) -> Handoff:
        """The leader of ``unit`` answers one hand-off, once: a "sign" with the signed PDF, an "assign" with the
        handler and the due date."""
        mine = next((h for h in self.of(unit) if h.id == handoff_id), None)
        if mine is None:
            raise UserError(_("No hand-off {id} for this unit.", id=handoff_id))
        if mine.answered:
            raise UserError(_("Hand-off {id} has been answered already.", id=handoff_id))
        if answered_at < mine.sent_at:
            raise UserError(_("Hand-off {id} was handed at {at}: it cannot be answered before.", id=handoff_id,
                              at=mine.sent_at.isoformat(sep=" ", timespec="minutes")))
        returned = str(answer.get("returned") or "").strip()
        if returned and (mine.kind != "sign" or pdf):
            raise UserError(_("Only a draft to sign is returned, with the reason and without a signature."))
        if mine.kind == "sign" and not returned and not (pdf or b"").startswith(self.pdf(unit, handoff_id)):
            raise UserError(_("The signed PDF of hand-off {id} is not the draft handed, signed.", id=handoff_id))
        if mine.kind == "assign" and not (str(answer.get("handler") or "").strip() and answer.get("due")):
            raise UserError(_("Name who handles the document and by when."))
        with self._lock, self._db:
            self._db.execute("UPDATE handoffs SET answered_at = ?, answer = ?, answer_pdf = ? "
                             "WHERE id = ? AND answered_at IS NULL",
                             (answered_at.isoformat(), json.dumps(answer, ensure_ascii=False), pdf, handoff_id))
        return next(h for h in self.of(unit) if h.id == handoff_id)


@contextmanager
def read_only(class_folder: str | Path) -> Iterator[Handoffs | None]:
    """The class's store opened read-only for the block (the instructor's view, the grader); None when nothing
    was ever handed over."""
    path = Path(class_folder) / STORE
    if not path.is_file():
        yield None
        return
    store = Handoffs(path, read_only=True)
    try:
        yield store
    finally:
        store.close()

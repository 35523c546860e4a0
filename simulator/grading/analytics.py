"""What an instructor sees of a class: who is where, which mistakes, who has gone quiet, how many trained.

Pure functions over a class folder (one work folder per trainee, each with ``seat.json`` and
``journal.jsonl``). Nothing is written; the journals are read as they are (a broken chain is shown,
not trusted), the gradebook is read when the instructor names the course, and the graders run
read-only when asked (``grade=True``) and no gradebook score exists.

Mistake kinds are a stable vocabulary (:data:`KINDS`, the CSV's column names); their labels are
Vietnamese through gettext (:func:`kind_label`).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from simulator.i18n import translator

_ = translator("grading")

SEAT_FILE, JOURNAL_FILE = "seat.json", "journal.jsonl"
EXPECTED_RETENTION = "cong_van_trao_doi"   # the record the course asks for (clerk.RECORD_RETENTION)
IDLE_MINUTES = 15                          # machine minutes without a journal line: gone quiet
DECISIONS = ("register", "refuse", "recall")
CLASS_ITEM = "L"  # inbox items another seat of the class sent (simulator.lab.classroom.CLASS_ITEM)

KINDS = ("late_registration", "forged_accepted", "wrong_retention", "seal_before_signature", "refused_recall",
         "reminded_overdue", "journal_broken")


def kind_label(kind: str) -> str:
    return {
        "late_registration": _("Late registration"),
        "forged_accepted": _("Forged document accepted"),
        "wrong_retention": _("Wrong retention"),
        "seal_before_signature": _("Seal before signature"),
        "refused_recall": _("Refused recall"),
        "reminded_overdue": _("Overdue reminder"),
        "journal_broken": _("Journal changed by hand"),
    }[kind]


def action_label(action: str) -> str:
    """What a journal action is called on the instructor's page (the code itself when not listed)."""
    labels = {
        "open": _("Opened the desk"), "receive": _("Received a document"), "verify": _("Checked signatures"),
        "register": _("Registered a document"), "refuse": _("Returned a document"),
        "submit": _("Submitted to the leader"), "assign": _("Assigned for handling"),
        "recall": _("Answered a recall"), "reply": _("Drafted a reply"), "sign": _("Signed"),
        "issue": _("Numbered and issued"), "seal": _("Sealed"), "dispatch": _("Dispatched"),
        "create_record": _("Opened a record"), "file": _("Filed into a record"), "archive": _("Archived a record"),
        "wait": _("Waited"), "reminder": _("Was reminded of a deadline"), "audit": _("Checked the archive"),
        "backup": _("Backed up the archive"), "draft": _("Drafted a new document"),
        "publish": _("Published on the portal"), "recall_sent": _("Recalled a document it sent"),
        "recall_answers": _("Received the answers to its recall"),
        "class_receive": _("Received a document from another seat of the class"),
        "class_status": _("Received a status from another seat of the class"),
        "class_sent": _("Sent a document to other seats of the class"),
    }
    return labels.get(action, action)


def world_time(at: str) -> str:
    """An ISO world time as people read it: 04/03/2026 08:21."""
    try:
        return datetime.fromisoformat(at).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return at


@dataclass
class Trainee:
    trainee: str
    folder: Path
    unit_code: str
    unit_name: str
    level: str
    role: str
    done: int                      # documents decided (registered, refused, recall answered)
    expected: int                  # documents the world put on the desk
    world_minutes: int             # world time from opening the desk to the last line
    machine_minutes: float | None  # machine time from seat.json to the journal's last write
    last_action: str
    last_at: str                   # world time of the last line
    last_seen: str                 # machine time of the last line (the journal's mtime, UTC ISO)
    quiet_minutes: float           # machine minutes since the last line
    mistakes: Counter = field(default_factory=Counter)
    lines: dict = field(default_factory=dict)   # kind -> journal line numbers (evidence)
    scores: dict = field(default_factory=dict)  # assignment -> (score, max, source)

    @property
    def progress(self) -> float:
        return self.done / self.expected if self.expected else 0.0


@dataclass
class ClassReport:
    folder: Path
    trainees: list[Trainee]
    idle_after: float

    @property
    def idle(self) -> list[Trainee]:
        return [t for t in self.trainees if t.quiet_minutes >= self.idle_after]

    def heat_map(self) -> list[tuple[str, list[int]]]:
        return [(t.trainee, [t.mistakes.get(k, 0) for k in KINDS]) for t in self.trainees]

    def trained(self) -> list[dict]:
        """Staff trained by unit and level: enrolled, and done (every document on the desk decided)."""
        rows: dict[tuple, dict] = {}
        for t in self.trainees:
            row = rows.setdefault((t.level, t.unit_code), {"level": t.level, "unit_code": t.unit_code,
                                                          "unit": t.unit_name, "enrolled": 0, "completed": 0})
            row["enrolled"] += 1
            row["completed"] += int(t.expected > 0 and t.done >= t.expected)
        return [rows[k] for k in sorted(rows)]

    def assignments(self) -> list[str]:
        return sorted({a for t in self.trainees for a in t.scores})


def seat_folders(class_folder: str | Path) -> list[Path]:
    """Every work folder under ``class_folder`` (itself, or sub-folders up to three levels down)."""
    root = Path(class_folder)
    found = [root] if (root / SEAT_FILE).is_file() else []
    for depth in ("*", "*/*", "*/*/*"):
        found += sorted(p.parent for p in root.glob(f"{depth}/{SEAT_FILE}"))
    return found


def _minutes(a: str, b: str) -> int:
    return int((datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds() // 60)


def journal_mistakes(entries: list[dict]) -> tuple[Counter, dict]:
    """Mistakes the journal itself shows, with the lines that show them. Refusing (16) a recall the world sent counts
    (``refused_recall``); refusing one a classmate's seat sent (an inbox item ``L…``) does not: answering a
    trainee's recall either way is the trainee's call (the document may be in hand already)."""
    lines: dict[str, list[int]] = {}

    def hit(kind: str, seq: int) -> None:
        lines.setdefault(kind, []).append(seq)

    signed: set[str] = set()
    for e in entries:
        action, data, seq = e["action"], e.get("data") or {}, e["seq"]
        if action == "register":
            if data.get("override") is True:
                hit("forged_accepted", seq)
            elif data.get("on_time") is False:
                hit("late_registration", seq)
        elif action == "create_record" and data.get("retention") not in (None, EXPECTED_RETENTION):
            hit("wrong_retention", seq)
        elif action == "recall" and data.get("agree") is False \
                and not str(data.get("item", "")).startswith(CLASS_ITEM):
            hit("refused_recall", seq)  # a classmate's recall may be refused: the document is being handled
        elif action == "reminder":
            hit("reminded_overdue", seq)
        elif action == "sign":
            signed.add(str(data.get("out")))
        elif action == "seal" and str(data.get("out")) not in signed:
            hit("seal_before_signature", seq)
    return Counter({k: len(v) for k, v in lines.items()}), lines


def sealed_unsigned(folder: Path, entries: list[dict]) -> list[str]:
    """Outgoing folders holding a sealed PDF although the journal has no signature for that document."""
    signed = {str(e["data"].get("out")) for e in entries if e["action"] == "sign"}
    sealed = {str(e["data"].get("out")) for e in entries if e["action"] == "seal"}
    return sorted(p.parent.name for p in folder.glob("**/sealed.pdf")
                  if p.parent.name not in signed and p.parent.name not in sealed)


def _unit(config) -> tuple[str, str]:
    from simulator.province import load_province

    try:
        unit = load_province(config.province, config.structure).unit(config.unit_code)
        return unit.name, unit.level.label_vi
    except Exception:   # an unknown code is shown as it is
        return config.unit_code, "?"


def analyse_trainee(folder: str | Path, *, now: float | None = None) -> Trainee:
    from simulator.seat import Journal, SeatConfig

    folder = Path(folder)
    config = SeatConfig.read(folder)
    journal = Journal(folder / JOURNAL_FILE)
    entries = list(journal.entries())
    mistakes, lines = journal_mistakes(entries)
    forged_seals = sealed_unsigned(folder, entries)
    if forged_seals:
        mistakes["seal_before_signature"] += len(forged_seals)
    breaks = journal.verify()
    if breaks:
        mistakes["journal_broken"] += len(breaks)
        lines["journal_broken"] = [b.line for b in breaks]
    received = {e["data"].get("item") for e in entries if e["action"] in ("receive", "class_receive")}
    decided = {e["data"].get("item") for e in entries if e["action"] in DECISIONS}
    journal_path = folder / JOURNAL_FILE
    last_write = journal_path.stat().st_mtime if journal_path.exists() else (folder / SEAT_FILE).stat().st_mtime
    opened = (folder / SEAT_FILE).stat().st_mtime
    now = time.time() if now is None else now
    unit_name, level = _unit(config)
    last = entries[-1] if entries else {"action": "", "at": config.start}
    return Trainee(
        trainee=config.trainee, folder=folder, unit_code=config.unit_code, unit_name=unit_name, level=level,
        role=config.role, done=len(decided & received), expected=max(config.arrivals, len(received)),
        world_minutes=_minutes(entries[0]["at"], last["at"]) if entries else 0,
        machine_minutes=round(max(0.0, last_write - opened) / 60, 1),
        last_action=last["action"], last_at=last["at"],
        last_seen=datetime.fromtimestamp(last_write).astimezone().isoformat(timespec="seconds"),
        quiet_minutes=round(max(0.0, now - last_write) / 60, 1), mistakes=mistakes, lines=lines)


def _gradebook_scores(course: Path) -> dict[str, dict[str, tuple]]:
    """{trainee: {assignment: (score, max, 'gradebook')}} from nbgrader's gradebook."""
    from simulator.grading.instructor import api_for

    if not (course / "gradebook.db").is_file():
        return {}
    scores: dict[str, dict[str, tuple]] = {}
    with api_for(course).gradebook as gb:
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                scores.setdefault(sub.student.id, {})[assignment.name] = (
                    round(float(sub.score), 2), float(sub.max_score), "gradebook")
    return scores


def _grader_scores(t: Trainee) -> dict[str, tuple]:
    """The seat graders run read-only on the work folder (no gradebook score)."""
    from simulator.grading import clerk

    out = {}
    for name, grader in (("incoming", clerk.grade_incoming), ("records", clerk.grade_records)):
        result = grader(t.folder, t.trainee)
        out[name] = (round(result.points, 2), float(result.max_points), "grader")
    return out


def analyse_class(class_folder: str | Path, *, course: str | Path | None = None, grade: bool = False,
                  idle_after: float = IDLE_MINUTES, now: float | None = None) -> ClassReport:
    from simulator.errors import UserError

    folders = seat_folders(class_folder)
    if not folders:
        raise UserError(_("No trainee work folder (seat.json) in {folder}.", folder=class_folder), field="class")
    trainees = []
    for folder in folders:
        try:
            trainees.append(analyse_trainee(folder, now=now))
        except (ValueError, TypeError, KeyError, json.JSONDecodeError, OSError):
            raise UserError(_("The work folder {folder} is damaged (seat.json or journal.jsonl).",
                              folder=folder), field="class") from None
    book = _gradebook_scores(Path(course)) if course else {}
    for t in trainees:
        t.scores = dict(book.get(t.trainee, {}))
        if grade and not t.scores:
            t.scores = _grader_scores(t)
    trainees.sort(key=lambda t: t.trainee)
    return ClassReport(Path(class_folder), trainees, idle_after)


def trainee_rows(report: ClassReport) -> list[dict]:
    """One row per trainee: the CSV and the desk's table."""
    rows = []
    for t in report.trainees:
        row = {"trainee": t.trainee, "unit_code": t.unit_code, "unit": t.unit_name, "level": t.level,
               "role": t.role, "done": t.done, "expected": t.expected, "progress": round(t.progress, 2),
               "world_minutes": t.world_minutes, "machine_minutes": t.machine_minutes,
               "last_action": t.last_action, "last_at": t.last_at, "last_seen": t.last_seen,
               "quiet_minutes": t.quiet_minutes, "idle": t.quiet_minutes >= report.idle_after}
        for a in report.assignments():
            score = t.scores.get(a)
            row[f"score:{a}"] = "" if score is None else score[0]
            row[f"max:{a}"] = "" if score is None else score[1]
        row.update({k: t.mistakes.get(k, 0) for k in KINDS})
        rows.append(row)
    return rows


def write_csv(report: ClassReport, out: str | Path) -> list[Path]:
    """hoc-vien.csv (per trainee), loi.csv (trainee × kind, with journal lines), da-dao-tao.csv."""
    import csv

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files = []

    def write(name: str, rows: list[dict], columns: list[str]) -> None:
        path = out / name
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        files.append(path)

    rows = trainee_rows(report)
    write("hoc-vien.csv", rows, list(rows[0]) if rows else ["trainee"])
    mistakes = [{"trainee": t.trainee, "kind": k, "label": kind_label(k), "count": t.mistakes[k],
                 "journal_lines": " ".join(map(str, t.lines.get(k, [])))}
                for t in report.trainees for k in KINDS if t.mistakes.get(k)]
    write("loi.csv", mistakes, ["trainee", "kind", "label", "count", "journal_lines"])
    write("da-dao-tao.csv", report.trained(), ["level", "unit_code", "unit", "enrolled", "completed"])
    return files


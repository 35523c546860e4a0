"""Every mark that rests on something the trainee did names the journal line where they did it.

The clerk with typical mistakes loses points in every assignment; each message must name a line
("dòng nhật ký N") that exists in their journal, holds an action of that assignment, and is about the
document, reply or record the message names.
"""

from __future__ import annotations

import json
import re

import pytest

from simulator.grading import grade_incoming, grade_outgoing, grade_records, grade_verification

LINE = re.compile(r"dòng nhật ký (\d+)")
ACTIONS = {  # what a mark of each assignment may rest on
    "incoming": {"register", "refuse", "recall"},
    "verification": {"verify"},
    "outgoing": {"reply", "sign", "issue", "seal", "dispatch"},
    "records": {"create_record", "register", "file", "archive"},
}


def journal(folder) -> dict[int, dict]:
    lines = (folder / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    return {e["seq"]: e for e in map(json.loads, lines)}


def about(message: str, entry: dict) -> bool:
    """The line is about what the message names: its document (Văn bản 004), reply (văn bản trả lời 001) or
    record (Hồ sơ “…”)."""
    data = entry["data"]
    reply = re.search(r"văn bản trả lời (\d{3})", message, re.IGNORECASE)
    if reply:
        return data.get("out") == reply.group(1)
    document = re.match(r"Văn bản (\d{3})", message)
    if document:
        return data.get("item") == document.group(1)
    record = re.search(r"Hồ sơ “([^”]+)”", message)
    if record:
        return data.get("title") == record.group(1)
    return True   # about the unit's seal or the archive as a whole: the line's action is enough


@pytest.fixture(scope="module")
def results(seats, ids):
    folder, who = seats["mistakes"], ids["mistakes"]
    return {"incoming": grade_incoming(folder, who), "outgoing": grade_outgoing(folder, who),
            "records": grade_records(folder, who), "verification": grade_verification(folder, who, [])}


@pytest.mark.parametrize("assignment", sorted(ACTIONS))
def test_each_mark_names_a_journal_line_that_holds_the_action(seats, results, assignment):
    result = results[assignment]
    lines = journal(seats["mistakes"])
    assert result.points < result.max_points and result.messages, result.explain()
    assert any(LINE.search(m) for m in result.messages), result.messages
    for message in result.messages:
        if assignment == "verification" and message.startswith("Có "):
            continue  # the summary of the list the trainee answered (not a journal action); each document follows
        named = LINE.findall(message)
        assert named, f"no journal line named in: {message}"
        for seq in map(int, named):
            assert seq in lines, f"line {seq} is not in the journal: {message}"
            entry = lines[seq]
            assert entry["action"] in ACTIONS[assignment], (message, entry["action"])
            assert about(message, entry), (message, entry["data"])


def test_the_late_registration_names_the_line_that_registered_it(seats, results):
    lines = journal(seats["mistakes"])
    late = [m for m in results["incoming"].messages if "muộn" in m]
    assert len(late) == 1
    seq = int(LINE.search(late[0]).group(1))
    item = re.match(r"Văn bản (\d{3})", late[0]).group(1)
    registered = [e["seq"] for e in lines.values() if e["action"] == "register" and e["data"]["item"] == item]
    assert seq == registered[-1]


def test_messages_in_english_name_the_journal_line_too(seats, ids):
    from simulator.i18n import current_forced_language, set_language

    before = current_forced_language()
    set_language("en")
    try:
        result = grade_incoming(seats["mistakes"], ids["mistakes"])
    finally:
        set_language(before)
    assert result.messages and all(re.search(r"journal line \d+", m) for m in result.messages), result.messages

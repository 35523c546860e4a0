import json

from simulator.seat.journal import Journal


def _write(path, n=5):
    journal = Journal(path)
    for i in range(n):
        journal.append("register", {"number": i + 1, "subject": "Về việc thử"}, actor="van_thu", at=f"2026-03-0{i+1}T09:00:00+07:00")
    return journal


def test_chain_is_intact_and_resumes(tmp_path):
    path = tmp_path / "journal.jsonl"
    _write(path)
    again = Journal(path)
    assert len(again) == 5 and again.intact
    again.append("submit", {}, actor="van_thu", at="2026-03-06T09:00:00+07:00")
    assert Journal(path).intact and len(Journal(path)) == 6


def test_edit_removal_and_reorder_are_detected(tmp_path):
    for mutate in ("edit", "remove", "swap", "append_forged"):
        path = tmp_path / f"{mutate}.jsonl"
        _write(path)
        lines = path.read_text(encoding="utf-8").splitlines()
        if mutate == "edit":
            entry = json.loads(lines[2])
            entry["data"]["number"] = 99
            lines[2] = json.dumps(entry, ensure_ascii=False)
        elif mutate == "remove":
            del lines[1]
        elif mutate == "swap":
            lines[1], lines[3] = lines[3], lines[1]
        else:
            entry = json.loads(lines[-1])
            entry["seq"] += 1
            entry["action"] = "refuse"
            lines.append(json.dumps(entry, ensure_ascii=False))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        problems = Journal(path).verify()
        assert problems, mutate

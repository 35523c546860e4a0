"""``vbdt archive``: ingest, search --json, show, audit --json with exit codes, backup, disposal."""

from __future__ import annotations

import json
import re

import pytest

from simulator.cli.main import main

from .helpers import doc_meta


def _run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def spec(tmp_path, pdfs):
    meta = doc_meta("Về việc phê duyệt quyết định đầu tư xây dựng đường thôn", type_name="Quyết định",
                    code_number="05", code_notation="QĐ-UBND", issued_date="2026-02-03")
    data = {"record": {"FileCode": "000.01.40.H41.2026.01", "Title": "Hồ sơ đầu tư xây dựng đường thôn",
                       "Maintenance": "goi_thau_trung_thau", "Creator": "UBND xã Diễn Kim",
                       "StartDate": "2026-01-01", "EndDate": "2026-06-30"},
            "documents": [{"path": str(pdfs["plain"]), "metadata": meta}], "agent": "Lê Thị Hoa"}
    path = tmp_path / "ho-so.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_ingest_search_show_audit(capsys, tmp_path, spec):
    folder = str(tmp_path / "luu-tru")
    code, out, err = _run(capsys, "archive", "--folder", folder, "ingest", str(spec), "--json")
    assert code == 0, err
    record_id = json.loads(out)["record"]
    code, out, _ = _run(capsys, "archive", "--folder", folder, "search", "quyet dinh dau tu", "--json")
    hits = json.loads(out)
    assert code == 0 and len(hits) == 1
    assert set(hits[0]) == {"id", "code", "subject", "issuer", "date", "score"}
    assert hits[0]["code"] == "05/QĐ-UBND" and hits[0]["date"] == "2026-02-03"
    code, out, _ = _run(capsys, "archive", "--folder", folder, "show", record_id)
    assert code == 0 and "000.01.40.H41.2026.01" in out and "nộp lưu: thành công" in out
    assert "03/02/2026" in out and "2026-02-03" not in out and "01/01/2026" in out   # dates as people read them
    assert re.search(r"^  \d\d/\d\d/\d{4} \d\d:\d\d  ", out, re.M)   # the events' times too
    code, out, _ = _run(capsys, "archive", "--folder", folder, "search", "quyet dinh dau tu")
    assert "03/02/2026" in out and "2026-02-03" not in out
    code, out, _ = _run(capsys, "archive", "--folder", folder, "audit", "--json")
    report = json.loads(out)
    assert code == 0 and report["success"] is True
    assert list(report) == ["success", "message", "changed", "missing", "untracked", "stuck", "started",
                            "finished"]
    # damage: exit 1 and the file named
    victim = next((tmp_path / "luu-tru" / "packages").rglob("001.pdf"))
    victim.write_bytes(victim.read_bytes()[:-1] + b"\x00")
    code, out, _ = _run(capsys, "archive", "--folder", folder, "audit", "--json")
    report = json.loads(out)
    assert code == 1 and report["success"] is False and len(report["changed"]) == 1
    assert report["changed"][0].endswith("data/originals/001.pdf")
    code, out, _ = _run(capsys, "--lang", "en", "archive", "--folder", folder, "audit")
    assert code == 1 and "changed" in out


def test_bad_input_exits_2_with_one_line(capsys, tmp_path, spec, pdfs):
    folder = str(tmp_path / "luu-tru")
    data = json.loads(spec.read_text(encoding="utf-8"))
    data["documents"].append({"path": str(pdfs["not_pdf"]), "metadata": data["documents"][0]["metadata"]})
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, err = _run(capsys, "archive", "--folder", folder, "ingest", str(bad))
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    code, out, _ = _run(capsys, "archive", "--folder", folder, "search", "", "--json")
    assert json.loads(out) == []  # nothing stored
    code, _, err = _run(capsys, "archive", "--folder", folder, "search", "x", "--from", "hôm qua")
    assert code == 2
    code, _, err = _run(capsys, "archive", "--folder", folder, "show", "HS-khongco")
    assert code == 2 and err.strip()


def test_backup_restore_drill_and_disposal(capsys, tmp_path, spec):
    folder = str(tmp_path / "luu-tru")
    dest = str(tmp_path / "dia-2")
    code, out, _ = _run(capsys, "archive", "--folder", folder, "ingest", str(spec), "--json")
    record_id = json.loads(out)["record"]
    assert _run(capsys, "archive", "--folder", folder, "backup", dest)[0] == 0
    assert _run(capsys, "archive", "--folder", folder, "backup", dest, "--incremental")[0] == 0
    code, out, _ = _run(capsys, "archive", "--folder", folder, "restore", dest, "--drill", "--json")
    assert code == 0 and json.loads(out)["success"] is True
    code, out, _ = _run(capsys, "archive", "--folder", folder, "expired", "--at", "2047-01-02", "--json")
    assert [r["record_id"] for r in json.loads(out)] == [record_id]
    code, out, err = _run(capsys, "archive", "--folder", folder, "dispose", record_id, "--reason",
                          "Hết thời hạn bảo quản", "--by", "Lưu trữ viên", "--at", "2047-01-02")
    assert code == 0, err
    request_id = re.search(r"TH-[0-9a-f]+", out).group(0)
    code, _, err = _run(capsys, "archive", "--folder", folder, "dispose", "--request", request_id, "--by",
                        "Lưu trữ viên", "--at", "2047-01-02")
    assert code == 2 and err.strip()  # no approval yet
    assert _run(capsys, "archive", "--folder", folder, "approve", request_id, "--by", "Chủ tịch UBND xã",
                "--decision", "Quyết định số 12/QĐ-UBND")[0] == 0
    code, out, err = _run(capsys, "archive", "--folder", folder, "dispose", "--request", request_id, "--by",
                          "Lưu trữ viên", "--at", "2047-01-02")
    assert code == 0, err
    code, out, _ = _run(capsys, "archive", "--folder", folder, "show", record_id, "--json")
    info = json.loads(out)
    assert info["record"]["state"] == "disposed" and info["tombstone"]["approval_ref"] == "Quyết định số 12/QĐ-UBND"
    code, out, _ = _run(capsys, "archive", "--folder", folder, "search", "dau tu", "--json")
    assert json.loads(out) == []

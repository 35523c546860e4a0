"""The vbdt CLI of the foundation: exit codes, languages, outputs."""

import json
import os
import subprocess
import sys

import pikepdf
import pytest

from simulator.cli.main import main


def run(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_help_lists_groups(capsys):
    code, out, _ = run(["--help"], capsys)
    assert code == 0 and "province" in out and "doc" in out


def test_sample_writes_a_pdf(tmp_path, capsys):
    target = tmp_path / "x.pdf"
    code, out, _ = run(["doc", "sample", "--seed", "7", "--out", str(target)], capsys)
    assert code == 0 and "Đã tạo" in out
    with pikepdf.open(target) as pdf:
        assert len(pdf.pages) >= 1


def test_province_show_json(capsys):
    code, out, _ = run(["province", "show", "--structure", "2025", "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["level1_code"] == "H41"
    assert sum(1 for u in data["units"] if u["level"] == "commune") == 130


def test_code_explained(capsys):
    code, out, _ = run(["province", "code", "000.00.00.H41"], capsys)
    assert code == 0 and "tỉnh" in out and "Ủy ban nhân dân tỉnh Nghệ An" in out


@pytest.mark.parametrize("args", [
    ["province", "code", "000.00.00.H4"],
    ["province", "show", "--name", "Atlantis"],
    ["doc", "sample", "--seed", "1", "--type", "Thư tình", "--out", "/tmp/never.pdf"],
    ["doc", "sample", "--seed", "1", "--issuer", "Xã Không Có", "--out", "/tmp/never.pdf"],
])
def test_bad_input_exits_2_with_one_vietnamese_line(args, capsys):
    code, _out, err = run(args, capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi:")
    assert not os.path.exists("/tmp/never.pdf")


def test_english_on_request(capsys):
    code, _out, err = run(["--lang", "en", "province", "code", "000.00.00.H4"], capsys)
    from simulator.i18n import set_language

    set_language(None)
    assert code == 2 and err.startswith("Error:") and "13" in err


# Dated before 1/7/2025: the commune writes to its district (the 3-level structure of that day).
@pytest.mark.parametrize("missing", ["subject", "signer", "recipients", "body"])
def test_spec_missing_component(tmp_path, capsys, missing):
    spec = {
        "issuer": "Xã Diễn Kim", "type": "Công văn", "number": 12, "date": "2025-03-03",
        "subject": "V/v báo cáo kết quả thu ngân sách quý I năm 2025",
        "signer": {"full_name": "Nguyễn Văn An", "position": "Chủ tịch", "authority": "TM.", "on_behalf": "Ủy ban nhân dân"},
        "recipients": ["Huyện Diễn Châu"], "body": ["Thực hiện chỉ đạo của Ủy ban nhân dân huyện..."],
    }
    import yaml

    ok = tmp_path / "ok.yaml"
    ok.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    code, out, _ = run(["doc", "render", str(ok), "--out", str(tmp_path / "ok.pdf")], capsys)
    assert code == 0, out
    del spec[missing]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    code, _out, err = run(["doc", "render", str(bad), "--out", str(tmp_path / "bad.pdf")], capsys)
    assert code == 2 and missing in err and "thiếu" in err
    assert not (tmp_path / "bad.pdf").exists()


def test_bad_date_in_spec(tmp_path, capsys):
    bad = tmp_path / "d.yaml"
    bad.write_text("issuer: Xã Diễn Kim\ntype: QĐ\ndate: 2026-02-30\nsubject: x\nbody: [x]\n"
                   "signer: {full_name: A B, position: Chủ tịch}\nrecipients: [Huyện Diễn Châu]\n", encoding="utf-8")
    code, _out, err = run(["doc", "render", str(bad), "--out", str(tmp_path / "d.pdf")], capsys)
    assert code == 2 and "date" in err


def test_console_script_runs_without_traceback(tmp_path):
    exe = os.path.join(os.path.dirname(sys.executable), "vbdt")
    result = subprocess.run([exe, "province", "code", "bad"], capture_output=True, text=True,
                            env={**os.environ, "VBDT_LANG": "vi"})
    assert result.returncode == 2 and "Traceback" not in result.stderr

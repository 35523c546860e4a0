"""``vbdt course``: bad input exits 2 with one line; build and export drive nbgrader."""

from __future__ import annotations

import csv

from simulator.cli.main import main

from .helpers import copy_course


def test_not_a_course_exits_2_with_one_line(capsys, tmp_path):
    code = main(["course", "export", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "nbgrader_config.py" in err


def test_build_one_assignment_then_export(capsys, tmp_path):
    root = copy_course(tmp_path, "quan-tri")
    assert main(["course", "build", str(root), "-a", "02-ma-dinh-danh"]) == 0
    assert "02-ma-dinh-danh" in capsys.readouterr().out
    release = root / "release" / "02-ma-dinh-danh" / "02-ma-dinh-danh.ipynb"
    assert release.is_file() and "BEGIN SOLUTION" not in release.read_text(encoding="utf-8")
    assert main(["course", "build", str(root), "-a", "khong-co-bai-nay"]) == 2
    capsys.readouterr()
    out = tmp_path / "diem.csv"
    assert main(["course", "export", str(root), "-o", str(out)]) == 0
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["assignment", "trainee", "score", "max_score", "timestamp"]
    assert main(["course", "autograde", str(root), "02-ma-dinh-danh"]) == 2   # nothing submitted yet

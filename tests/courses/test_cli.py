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


def test_build_copies_the_course_to_the_instructors_root_and_leaves_the_package_alone(capsys, tmp_path, monkeypatch):
    from simulator.grading.instructor import SOURCES

    before = sorted(p.name for p in (SOURCES / "quan-tri").iterdir())
    mine = tmp_path / "lop-quan-tri"
    assert main(["course", "build", "quan-tri", "-a", "02-ma-dinh-danh", "--root", str(mine)]) == 0
    assert (mine / "quan-tri" / "release" / "02-ma-dinh-danh" / "02-ma-dinh-danh.ipynb").is_file()
    assert (mine / "quan-tri" / "gradebook.db").is_file()
    desk = mine / "quan-tri" / "bang-giang-vien.ipynb"   # every course has the instructor's desk
    assert desk.read_bytes() == (SOURCES / "bang-giang-vien.ipynb").read_bytes()
    desk.write_text(desk.read_text(encoding="utf-8").replace("Bàn giảng viên", "Bàn của tôi"), encoding="utf-8")
    assert main(["course", "build", "quan-tri", "-a", "02-ma-dinh-danh", "--root", str(mine)]) == 0
    assert "Bàn của tôi" in desk.read_text(encoding="utf-8")   # the instructor's own copy is kept
    desk.unlink()
    assert main(["course", "build", "quan-tri", "-a", "02-ma-dinh-danh", "--root", str(mine)]) == 0
    assert desk.is_file()   # a course folder made before every course had the desk gets it at its next build
    assert sorted(p.name for p in (SOURCES / "quan-tri").iterdir()) == before   # nothing written in the package
    out = tmp_path / "diem.csv"
    assert main(["course", "export", "quan-tri", "--root", str(mine), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("assignment,trainee,score")
    # the environment variable, then the current folder
    monkeypatch.setenv("VBDT_COURSE_ROOT", str(mine))
    assert main(["course", "export", "quan-tri", "-o", str(out)]) == 0
    monkeypatch.delenv("VBDT_COURSE_ROOT")
    monkeypatch.chdir(mine)
    assert main(["course", "export", "quan-tri", "-o", str(out)]) == 0


def test_course_root_refuses_the_package_and_a_course_not_built(capsys, tmp_path, monkeypatch):
    from simulator.grading.instructor import SOURCES

    assert main(["course", "build", "quan-tri", "--root", str(SOURCES)]) == 2
    assert "--root" in capsys.readouterr().err
    monkeypatch.chdir(SOURCES.parent)
    assert main(["course", "build", str(SOURCES / "quan-tri")]) == 2       # the sources as a path: refused too
    capsys.readouterr()
    assert not (SOURCES / "quan-tri" / "release").exists()
    assert main(["course", "export", "ke-hoach", "--root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "vbdt course build ke-hoach" in err
    assert not (tmp_path / "ke-hoach").exists()

"""``vbdt portal``: publish, build, search, status and serve from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from simulator.cli.main import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def vietnamese(monkeypatch):
    monkeypatch.setenv("VBDT_LANG", "vi")


def _run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_publish_build_search_status(material, tmp_path, capsys):
    folder = str(tmp_path / "cong")
    pki = str(material.pki.folder)
    code, out, err = _run(capsys, "portal", "--folder", folder, "publish", str(material.decision.pdf), "--pki", pki)
    assert code == 0, err
    assert "Đã đăng Quyết định 05/QĐ-UBND" in out
    code, out, _err = _run(capsys, "portal", "--folder", folder, "publish", str(material.directive.pdf), "--pki", pki,
                           "--json")
    assert code == 0 and json.loads(out)["number_code"] == "03/CT-UBND"
    code, out, _err = _run(capsys, "portal", "--folder", folder, "build", "--on", "2026-04-10", "--json")
    assert code == 0 and json.loads(out)["documents"] == 2
    code, out, _err = _run(capsys, "portal", "--folder", folder, "search", "05/QĐ-UBND", "--json")
    assert json.loads(out)["items"][0]["number_code"] == "05/QĐ-UBND"
    code, out, _err = _run(capsys, "portal", "--folder", folder, "search", "phong chong dich", "--type", "CT")
    assert code == 0 and "03/CT-UBND" in out and "05/QĐ-UBND" not in out
    code, out, _err = _run(capsys, "portal", "--folder", folder, "search", "--field", "đất đai", "--json")
    assert [r["number_code"] for r in json.loads(out)["items"]] == ["05/QĐ-UBND"]
    code, out, _err = _run(capsys, "portal", "--folder", folder, "status", "05/QĐ-UBND", "--set",
                           "het-hieu-luc-mot-phan", "--reason", "Sửa đổi bởi Quyết định 09/QĐ-UBND")
    assert code == 0 and "Hết hiệu lực một phần" in out
    code, out, _err = _run(capsys, "portal", "--folder", folder, "search", "--status", "con-hieu-luc", "--json")
    assert {r["number_code"] for r in json.loads(out)["items"]} == {"05/QĐ-UBND", "03/CT-UBND"}  # partly: in force


def _tree(root: Path) -> set:
    return {(str(p), p.stat().st_size) for p in root.rglob("*")} if root.exists() else set()


@pytest.mark.parametrize("which", ["unsigned", "unsealed", "foreign", "letter"])
def test_refused_publication_exits_2_and_creates_nothing(material, tmp_path, capsys, which):
    pdf = getattr(material, which)
    pdf = getattr(pdf, "pdf", pdf)
    folder = tmp_path / "cong"
    code, _out, err = _run(capsys, "portal", "--folder", str(folder), "publish", str(pdf), "--pki",
                           str(material.pki.folder))
    assert code == 2 and err.startswith("Lỗi: ") and len(err.strip().splitlines()) == 1
    assert not folder.exists()


def test_duplicate_refused_by_the_cli(material, portal_copy, capsys):
    before = _tree(portal_copy)
    code, _out, err = _run(capsys, "portal", "--folder", str(portal_copy), "publish", str(material.duplicate.pdf),
                           "--pki", str(material.pki.folder))
    assert code == 2 and "05/QĐ-UBND" in err
    assert {p for p in _tree(portal_copy) if not p[0].endswith(("-wal", "-shm"))} == \
        {p for p in before if not p[0].endswith(("-wal", "-shm"))}


def test_english_on_request(tmp_path, capsys):
    code, _out, err = _run(capsys, "portal", "--folder", str(tmp_path / "none"), "search", "x", "--lang", "en")
    assert code == 2 and err.startswith("Error: ") and "nothing has been published" in err


def test_serve_answers_on_loopback(published):
    env = {**os.environ, "VBDT_LANG": "vi", "PYTHONPATH": str(REPO)}
    server = subprocess.Popen([sys.executable, "-m", "simulator", "portal", "--folder", str(published), "serve",
                               "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        url = server.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "api/tim-kiem?q=05%2Fqd-ubnd", timeout=10) as response:
            assert json.loads(response.read())["items"][0]["number_code"] == "05/QĐ-UBND"
    finally:
        server.terminate()
        server.wait(10)


def test_serve_refuses_an_unbuilt_portal(tmp_path, capsys):
    (tmp_path / "cong").mkdir()
    code, _out, err = _run(capsys, "portal", "--folder", str(tmp_path / "cong"), "serve", "--port", "0")
    assert code == 2 and "vbdt portal build" in err

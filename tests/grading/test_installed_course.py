"""A hub installs the wheel, not the checkout: ``vbdt course build`` must find the course sources there.

The wheel is built from a copy of the checkout (as ``pip wheel`` does for a hub's administrator), installed with
``pip install --target`` on a temporary path, and its own ``vbdt`` script builds an assignment into a folder of the
instructor's. The test runs the installed code, not the checkout's (checked). pip builds with this environment's
setuptools (>= 77, which the Makefile installs), so the test needs no package index."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
COURSE, ASSIGNMENT = "can-bo-xa", "01-the-thuc-van-ban"
_JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", ".ipynb_checkpoints", "*.egg-info")

pytestmark = pytest.mark.slow   # ~11 s alone, 21 s beside another worker (a wheel built, nbgrader run)


def _run(args: list[str], env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The folder the wheel was installed into (``pip install --no-deps --target``)."""
    base = tmp_path_factory.mktemp("installed")
    src = base / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    for name in ("simulator", "courses"):   # simulator/courses stays a link to ../courses, as in the checkout
        shutil.copytree(REPO / name, src / name, symlinks=True, ignore=_JUNK)
    built = _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w",
                  str(base / "dist"), str(src)])
    assert built.returncode == 0, built.stderr[-3000:]
    wheel, = (base / "dist").glob("vbdt_lab-*.whl")
    target = base / "site"
    done = _run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)])
    assert done.returncode == 0, done.stderr[-3000:]
    return target


def _env(target: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(target))
    env.pop("VBDT_COURSE_ROOT", None)
    return env


def test_the_wheel_carries_the_course_sources_and_vbdt_course_build_copies_them(installed, tmp_path):
    env = _env(installed)
    where = _run([sys.executable, "-c", "import simulator.grading.instructor as i; print(i.__file__); print(i.SOURCES)"],
                 env=env, cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    module, sources = (Path(line) for line in where.stdout.split())
    assert installed in module.parents and installed in sources.parents   # the installed code, not the checkout
    assert not (installed / "simulator" / "courses").is_symlink()
    for name in ("jupyterhub_config.py", "hub_templates/login.html", "quan-tri/nbgrader_config.py",
                 "bang-giang-vien.ipynb", "ke-hoach/source/01-chay-kich-ban/01-chay-kich-ban.ipynb"):
        assert (sources / name).is_file(), name

    root = tmp_path / "lop"
    built = _run([str(installed / "bin" / "vbdt"), "course", "build", COURSE, "-a", ASSIGNMENT, "--root", str(root)],
                 env=env, cwd=tmp_path)
    assert built.returncode == 0, built.stderr[-3000:]
    notebook = Path(COURSE, "source", ASSIGNMENT, f"{ASSIGNMENT}.ipynb")
    assert (root / notebook).read_bytes() == (REPO / "courses" / notebook).read_bytes()
    assert (root / COURSE / "nbgrader_config.py").is_file()
    assert (root / COURSE / "bang-giang-vien.ipynb").read_bytes() == (REPO / "courses" / "bang-giang-vien.ipynb").read_bytes()
    release = root / COURSE / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert release.is_file() and "BEGIN SOLUTION" not in release.read_text(encoding="utf-8")
    assert not (sources / COURSE / "release").exists()   # nothing written inside the installed package


def test_the_installed_sources_are_refused_as_an_instructors_root(installed, tmp_path):
    refused = _run([str(installed / "bin" / "vbdt"), "course", "build", COURSE, "--root",
                    str(installed / "simulator" / "courses")], env=_env(installed), cwd=tmp_path)
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1
    assert not (installed / "simulator" / "courses" / COURSE / "release").exists()

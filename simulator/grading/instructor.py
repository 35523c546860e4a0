"""Instructor tooling over nbgrader's Python API: build, hand out, collect, autograde
(in parallel, one local process per submission), feedback without hidden tests, export.

Layout of a course root (nbgrader's)::

    nbgrader_config.py   source/<a>/   release/<a>/   submitted/<trainee>/<a>/
    autograded/<trainee>/<a>/   feedback/<trainee>/<a>/   gradebook.db

Each submission is graded with ``VBDT_TRAINEE`` set to the trainee's id (the
folder name under ``submitted/``): the checks compare the work folder with the
world that id owns, so plain ``nbgrader autograde`` (which does not say whose
notebook it runs) gives every seat-based check zero. When the course root has a
``trust/`` folder (the instructor's anchors: pinned seat roots, course root
certificates; :mod:`simulator.grading.trust`), ``VBDT_TRUST_ANCHORS`` points
at it, and signatures are verified against it instead of the work folder's PKI.
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("grading")


def _path_with_venv() -> None:
    """Creating a gradebook runs the ``alembic`` executable: the environment's bin/ must be on PATH."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


# The course sources shipped with the package, read only: simulator/courses is a link to the repository's courses/
# in a checkout (editable install) and a copy of it in a wheel (package data).
SOURCES = (Path(__file__).resolve().parents[1] / "courses").resolve()
ROOT_ENV = "VBDT_COURSE_ROOT"
KNOWN = ("can-bo-xa", "quan-tri", "ke-hoach")
INSTRUCTOR_DESK = "bang-giang-vien.ipynb"   # one desk for every course: it reads the course folder it sits in
_NOT_COPIED = shutil.ignore_patterns("release", "submitted", "autograded", "feedback", "gradebook.db", "lam-viec",
                                     "__pycache__", ".ipynb_checkpoints", "diem.csv")


def courses_root(given: str | Path | None = None) -> Path:
    """The folder holding the instructor's course folders: ``given`` (``--root``), else ``$VBDT_COURSE_ROOT``,
    else the current folder. Never the package's own course sources (on a hub they are in site-packages)."""
    root = Path(given or os.environ.get(ROOT_ENV) or Path.cwd()).resolve()
    _outside_sources(root)
    return root


def _outside_sources(path: Path) -> None:
    if path == SOURCES or SOURCES in path.parents:
        raise UserError(_("{path} holds the course sources shipped with the program; keep courses elsewhere "
                          "(--root PATH or VBDT_COURSE_ROOT).", path=path), field="root")


def course_folder(course: str, root: str | Path | None = None, *, create: bool = False) -> Path:
    """A course's folder: a known course name (can-bo-xa, quan-tri, ke-hoach) is ``<root>/<name>``, anything else a
    path to a course folder. With ``create``, a known course missing there is first copied from the sources."""
    if course not in KNOWN:
        path = Path(course).resolve()
        _outside_sources(path)
        return course_root(path)
    folder = courses_root(root) / course
    if not folder.exists():
        if not create:
            raise UserError(_("No course folder {path}: run vbdt course build {course} first (with the same --root).",
                              path=folder, course=course), field="course")
        shutil.copytree(SOURCES / course, folder, ignore=_NOT_COPIED)
        _place_instructor_desk(folder)
    return course_root(folder)


def _place_instructor_desk(folder: Path) -> None:
    """The instructor's desk notebook in a course folder, unless the instructor already has one there."""
    if SOURCES not in folder.resolve().parents and not (folder / INSTRUCTOR_DESK).exists():
        shutil.copy2(SOURCES / INSTRUCTOR_DESK, folder / INSTRUCTOR_DESK)


def course_root(path: str | Path) -> Path:
    root = Path(path).resolve()
    if not (root / "nbgrader_config.py").is_file():
        raise UserError(_("{path} is not a course folder (no nbgrader_config.py).", path=path), field="course")
    return root


def load_config(root: Path):
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config())
    config.CourseDirectory.root = str(root)
    return config


def api_for(root: str | Path):
    import logging
    import warnings

    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    warnings.filterwarnings("ignore", module="nbgrader")
    warnings.filterwarnings("ignore", message=".*SAWarning.*")
    _path_with_venv()
    root = course_root(root)
    config = load_config(root)
    coursedir = CourseDirectory(config=config)
    api = NbGraderAPI(coursedir, config=config)
    api.log.setLevel(logging.ERROR)
    return api


def assignment_names(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "source").iterdir() if p.is_dir() and not p.name.startswith("."))


def _check(outcome: dict, what: str) -> None:
    if not outcome.get("success"):
        raise UserError(_("nbgrader could not {what}: {error}", what=what,
                          error=(outcome.get("error") or outcome.get("log") or "").strip().splitlines()[-1:]))


def _source_keeps_its_grading(root: Path, name: str) -> None:
    """A known assignment's source notebook must keep its graded cell (``coursework.check_source``)."""
    import nbformat

    from simulator.grading.coursework import COURSES, check_source

    known = {a.name: a for a in COURSES.get(root.name, ())}
    path = root / "source" / name / f"{name}.ipynb"
    if name not in known or not path.is_file():
        return
    problems = check_source(nbformat.read(path, as_version=4), known[name])
    if problems:
        raise UserError(_("{course}/{assignment}: {problem}", course=root.name, assignment=name, problem=problems[0]),
                        field="assignment")


def build(root: str | Path, assignments: list[str] | None = None) -> list[str]:
    """Generate the student versions (``release/``) and record the assignments in the gradebook."""
    api = api_for(root)
    root = course_root(root)
    names = assignments or assignment_names(root)
    for name in names:
        if not (root / "source" / name).is_dir():
            raise UserError(_("No assignment {name} in {course}.", name=name, course=root.name), field="assignment")
        _source_keeps_its_grading(root, name)
        _check(api.generate_assignment(name, force=True, create=True), _("generate {name}", name=name))
    _place_instructor_desk(root)   # a course folder copied before every course had the desk gets it too
    return names


def hand_out(root: str | Path, assignment: str, destination: str | Path, trainees: list[str]) -> list[Path]:
    """Copy the released assignment into ``destination/<trainee>/<assignment>/`` (a classroom without a hub)."""
    root = course_root(root)
    release = root / "release" / assignment
    if not release.is_dir():
        raise UserError(_("Build the assignment first: vbdt course build {course}.", course=root.name))
    copies = []
    for trainee in trainees:
        target = Path(destination) / trainee / assignment
        if target.exists():
            raise UserError(_("{path} exists already: the trainee may have started; nothing was copied.",
                              path=target))
        shutil.copytree(release, target)
        copies.append(target)
    return copies


def collect(root: str | Path, assignment: str, source: str | Path) -> list[str]:
    """Take ``source/<trainee>/<assignment>/`` into ``submitted/`` with a timestamp (nbgrader's layout)."""
    root = course_root(root)
    collected = []
    for folder in sorted(Path(source).iterdir()):
        work = folder / assignment
        if not work.is_dir():
            continue
        target = root / "submitted" / folder.name / assignment
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(work, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        (target / "timestamp.txt").write_text(datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
        collected.append(folder.name)
    return collected


@dataclass
class Graded:
    trainee: str
    score: float
    max_score: float
    ok: bool
    error: str = ""


def _grade_one(root: str, assignment: str, trainee: str) -> Graded:
    """One submission, in its own process: autograde with the trainee's id, then their feedback."""
    os.environ["VBDT_TRAINEE"] = trainee
    from simulator.grading.trust import ANCHORS_ENV, ANCHORS_FOLDER

    anchors = Path(root) / ANCHORS_FOLDER
    if anchors.is_dir():
        os.environ[ANCHORS_ENV] = str(anchors)
    from simulator.grading.sandbox import prepare

    prepare(Path(root))
    api = api_for(root)
    outcome = api.autograde(assignment, trainee, force=True, create=True)
    if not outcome.get("success"):
        return Graded(trainee, 0.0, 0.0, False, (outcome.get("error") or outcome.get("log") or "")[-400:])
    feedback = api.generate_feedback(assignment, trainee, force=True)
    if not feedback.get("success"):
        return Graded(trainee, 0.0, 0.0, False, (feedback.get("error") or "")[-400:])
    leak = hidden_in_feedback(Path(root), assignment, trainee)
    with api.gradebook as gb:
        sub = gb.find_submission(assignment, trainee)
        score, max_score = float(sub.score), float(sub.max_score)
    return Graded(trainee, score, max_score, not leak, _("hidden tests in feedback") if leak else "")


def hidden_in_feedback(root: Path, assignment: str, trainee: str) -> bool:
    from simulator.grading.feedback import has_hidden

    folder = root / "feedback" / trainee / assignment
    return any(has_hidden(p.read_text(encoding="utf-8", errors="replace")) for p in folder.rglob("*.html"))


def submissions(root: Path, assignment: str) -> list[str]:
    folder = root / "submitted"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir())


def autograde(root: str | Path, assignment: str, *, workers: int | None = None, progress: bool = True,
              trainees: list[str] | None = None) -> list[Graded]:
    """Autograde every submission of ``assignment`` on ``workers`` local processes (default: CPU count)."""
    from tqdm import tqdm

    root = course_root(root)
    names = trainees or submissions(root, assignment)
    if not names:
        raise UserError(_("No submission of {assignment} in {folder}.", assignment=assignment,
                          folder=root / "submitted"), field="assignment")
    api = api_for(root)
    with api.gradebook as gb:   # create the gradebook and the trainees once, before the workers share it
        for name in names:
            gb.update_or_create_student(name)
    workers = max(1, min(workers or os.cpu_count() or 1, len(names)))
    results: list[Graded] = []
    bar = tqdm(total=len(names), desc=_("Autograding"), unit=_("submission"), disable=not progress)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_grade_one, str(root), assignment, name): name for name in names}
        for future in as_completed(futures):
            try:
                results.append(future.result())
            except Exception as error:  # a broken submission must not stop the class
                results.append(Graded(futures[future], 0.0, 0.0, False, str(error)[-400:]))
            bar.update(1)
    bar.close()
    # SQLite can refuse a write while another process holds it: grade those again, one at a time
    for i, graded in enumerate(results):
        if not graded.ok and "locked" in graded.error:
            results[i] = _grade_one(str(root), assignment, graded.trainee)
    return sorted(results, key=lambda g: g.trainee)


def export(root: str | Path, destination: str | Path | None = None) -> Path:
    """Grades as CSV: one row per trainee and assignment (score, max, submitted at)."""
    api = api_for(root)
    root = course_root(root)
    target = Path(destination) if destination else root / "diem.csv"
    with api.gradebook as gb, target.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["assignment", "trainee", "score", "max_score", "timestamp"])
        for assignment in sorted(gb.assignments, key=lambda a: a.name):
            for student in sorted(gb.students, key=lambda s: s.id):
                try:
                    sub = gb.find_submission(assignment.name, student.id)
                except Exception:  # no submission: nbgrader raises MissingEntry
                    writer.writerow([assignment.name, student.id, 0, assignment.max_score, ""])
                    continue
                writer.writerow([assignment.name, student.id, round(float(sub.score), 2), float(sub.max_score),
                                 sub.timestamp.isoformat() if sub.timestamp else ""])
    return target

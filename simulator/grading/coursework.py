"""The three nbgrader courses: their assignments and the graded cell each one must keep.

The source notebooks are the files of record:
``courses/<course>/source/<assignment>/<assignment>.ipynb``, edited as
notebooks (JupyterLab with nbgrader's *Create Assignment* toolbar, or any
notebook editor); their texts are Vietnamese, the trainees read them. What
lives here is what the grading code relies on: which assignments each course
has, and for each its graded cell (nbgrader ``grade_id``) and the
``simulator.grading`` check that cell calls. :func:`check_source` compares a
source notebook with that list, so a notebook that lost its graded cell, or
whose points no longer match what the cell awards, is refused
(``vbdt course check``, ``vbdt course build``) instead of being handed out
worth less.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from simulator.i18n import translator

_ = translator("grading")
SCHEMA = 3                 # nbgrader's cell metadata schema version
WORK = "lam-viec"          # the work folder, inside the assignment folder so it is handed in with it


@dataclass(frozen=True)
class Assignment:
    """One assignment of a course and its graded cell."""

    name: str            # the folder under source/ and the notebook's stem
    grade_id: str        # nbgrader grade_id of the graded (autograder test) cell
    check: str           # the simulator.grading function that cell calls and awards


COURSES_TITLE = {
    "can-bo-xa": "Cán bộ, công chức cấp xã: văn bản điện tử và chữ ký số",
    "quan-tri": "Quản trị hệ thống: chứng thư số, mã định danh, trục liên thông, lưu trữ",
    "ke-hoach": "Lập kế hoạch: mô phỏng lộ trình gửi, nhận văn bản điện tử",
}

COURSES: dict[str, tuple[Assignment, ...]] = {
    "can-bo-xa": (
        Assignment("01-the-thuc-van-ban", "kiem-tra-the-thuc", "grade_anatomy"),
        Assignment("02-ky-so-xac-thuc", "kiem-tra-xac-thuc", "grade_verification"),
        Assignment("03-van-ban-den", "kiem-tra-van-ban-den", "grade_incoming"),
        Assignment("04-van-ban-di", "kiem-tra-van-ban-di", "grade_outgoing"),
        Assignment("05-ho-so-luu-tru", "kiem-tra-ho-so", "grade_records"),
        Assignment("06-thu-dien-tu", "kiem-tra-thu-dien-tu", "grade_mail"),
        Assignment("07-dang-cong-thong-tin", "kiem-tra-dang-cong", "grade_portal"),
        Assignment("08-lien-thong-lop", "kiem-tra-lien-thong-lop", "grade_class_exchange"),
    ),
    "quan-tri": (
        Assignment("01-chung-thu-so", "kiem-tra-chung-thu", "grade_certificates"),
        Assignment("02-ma-dinh-danh", "kiem-tra-ma", "grade_identifiers"),
        Assignment("03-truc-lien-thong", "kiem-tra-truc", "grade_outage"),
        Assignment("04-sao-luu-kiem-tra", "kiem-tra-sao-luu", "grade_backup"),
        Assignment("05-thu-cong-vu", "kiem-tra-thu-cong-vu", "grade_mail_admin"),
    ),
    "ke-hoach": (
        Assignment("01-chay-kich-ban", "kiem-tra-kich-ban", "grade_scenario"),
        Assignment("02-so-sanh-trung-thuc", "kiem-tra-so-sanh", "grade_comparison"),
        Assignment("03-lo-trinh-2020", "kiem-tra-lo-trinh", "grade_rollout"),
    ),
}


def assignments(course: str) -> list[Assignment]:
    return list(COURSES[course])


def source_path(courses_root: str | Path, course: str, assignment: str) -> Path:
    """Where an assignment's source notebook lives in a courses folder."""
    return Path(courses_root) / course / "source" / assignment / f"{assignment}.ipynb"


def _award(source: str) -> float | None:
    found = re.findall(r"\.award\(\s*([0-9]+(?:\.[0-9]+)?)\s*\)", source)
    return float(found[-1]) if len(found) == 1 else None


def check_source(notebook, assignment: Assignment) -> list[str]:
    """What is wrong with a source notebook's nbgrader cells (empty: nothing).

    The graded cell must be there, locked, with points, call its check and
    award exactly its points; every nbgrader cell has a unique ``grade_id``
    and the schema version nbgrader writes; answer cells hold a solution to
    cut out."""
    problems: list[str] = []
    seen: set[str] = set()
    graded = []
    for n, cell in enumerate(notebook.cells):
        meta = cell.get("metadata", {}).get("nbgrader")
        if meta is None:
            continue
        grade_id = meta.get("grade_id")
        if not grade_id or grade_id in seen:
            problems.append(_("Cell {n}: its grade_id {grade_id!r} is missing or used twice.", n=n, grade_id=grade_id))
        seen.add(grade_id)
        if meta.get("schema_version") != SCHEMA:
            problems.append(_("Cell {n} ({grade_id}): nbgrader schema_version {found!r}, expected {schema}.", n=n,
                              grade_id=grade_id, found=meta.get("schema_version"), schema=SCHEMA))
        if meta.get("solution") and "### BEGIN SOLUTION" not in cell.source:
            problems.append(_("Cell {n} ({grade_id}): an answer cell without ### BEGIN SOLUTION.", n=n,
                              grade_id=grade_id))
        if meta.get("grade"):
            graded.append((grade_id, cell, meta))
    if [g for g, _c, _m in graded] != [assignment.grade_id]:
        problems.append(_("Graded cells: {found}; expected exactly one, {grade_id}.",
                          found=", ".join(g for g, _c, _m in graded) or "-", grade_id=assignment.grade_id))
    for grade_id, cell, meta in graded:
        if grade_id != assignment.grade_id:
            continue
        points = meta.get("points")
        if not meta.get("locked") or cell.cell_type != "code":
            problems.append(_("{grade_id}: the graded cell must be a locked code cell.", grade_id=grade_id))
        if not isinstance(points, (int, float)) or points <= 0:
            problems.append(_("{grade_id}: the graded cell has no points ({points!r}).", grade_id=grade_id,
                              points=points))
        if f"{assignment.check}(" not in cell.source:
            problems.append(_("{grade_id}: the graded cell does not call {check}.", grade_id=grade_id,
                              check=assignment.check))
        elif _award(cell.source) != points:
            problems.append(_("{grade_id}: the cell awards {awarded}, its points are {points}.", grade_id=grade_id,
                              awarded=_award(cell.source), points=points))
    return problems


def check_course(courses_root: str | Path, course: str) -> dict[str, list[str]]:
    """Every assignment of ``course`` whose source notebook is missing or wrong, with its problems."""
    import nbformat

    found = {}
    for assignment in assignments(course):
        path = source_path(courses_root, course, assignment.name)
        if not path.is_file():
            found[assignment.name] = [_("{path} is missing.", path=path)]
            continue
        problems = check_source(nbformat.read(path, as_version=4), assignment)
        if problems:
            found[assignment.name] = problems
    return found

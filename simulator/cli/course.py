"""``vbdt course``: the instructor's commands over nbgrader (build, hand out, collect, autograde, export)."""

from __future__ import annotations

from pathlib import Path

import click

from simulator.cli.common import (Choice, ExistingFolder, Folder, IntRange, OutputFile, OutputFolder, echo_json,
                                  verdict_exit)
from simulator.i18n import translator

_ = translator("grading")
COURSE_NAMES = ("can-bo-xa", "quan-tri", "ke-hoach")


def root_option(command):
    """``--root PATH``: where the instructor's course folders live (else $VBDT_COURSE_ROOT, else the current
    folder); a course name means ``<root>/<name>``, anything else is a path to a course folder."""
    return click.option(
        "--root", "root", type=Folder(), default=None,
        help="Thư mục chứa các khóa học của giảng viên (mặc định: biến VBDT_COURSE_ROOT, nếu không có thì thư mục "
             "hiện tại). Tên khóa học là <thư mục>/<tên>; nếu không phải tên khóa học thì là đường dẫn tới khóa học.",
    )(command)


def _root(course: str, root: Path | None, *, create: bool = False) -> Path:
    """A course name (can-bo-xa, quan-tri, ke-hoach) under the course root, or a path to a course folder."""
    from simulator.grading.instructor import course_folder

    return course_folder(course, root, create=create)


@click.group("course")
def course() -> None:
    """Khóa học chấm điểm tự động (nbgrader): tạo bài, phát bài, thu bài, chấm, xuất điểm."""


@course.command()
@click.argument("course_name", required=False)
@click.option("--assignment", "-a", multiple=True, help="Chỉ tạo các bài này.")
@click.option("--json", "as_json", is_flag=True)
@root_option
def build(course_name: str | None, assignment: tuple[str, ...], as_json: bool, root: Path | None) -> None:
    """Tạo bản phát cho học viên (release/) của một khóa học, hoặc của cả ba; lần đầu chép khóa học vào thư mục
    của giảng viên (--root)."""
    from simulator.grading.instructor import build as build_course

    names = [course_name] if course_name else list(COURSE_NAMES)
    built = {name: build_course(_root(name, root, create=True), list(assignment) or None) for name in names}
    if as_json:
        echo_json(built)
        return
    for name, assignments in built.items():
        click.echo(_("{course}: built {n} assignment(s): {names}", course=name, n=len(assignments),
                     names=", ".join(assignments)))


@course.command()
@click.argument("course_name")
@click.argument("assignment")
@click.argument("destination", type=OutputFolder())
@click.option("--trainee", "-t", "trainees", multiple=True, required=True, help="Mã học viên (lặp lại).")
@root_option
def handout(course_name: str, assignment: str, destination: Path, trainees: tuple[str, ...], root: Path | None) -> None:
    """Phát bài: chép bản phát vào DESTINATION/<học viên>/<bài>/ (lớp không dùng JupyterHub)."""
    from simulator.grading.instructor import hand_out

    for path in hand_out(_root(course_name, root), assignment, destination, list(trainees)):
        click.echo(str(path))


@course.command()
@click.argument("course_name")
@click.argument("assignment")
@click.argument("source", type=ExistingFolder())
@root_option
def collect(course_name: str, assignment: str, source: Path, root: Path | None) -> None:
    """Thu bài: lấy SOURCE/<học viên>/<bài>/ vào submitted/ của khóa học."""
    from simulator.grading.instructor import collect as collect_work

    names = collect_work(_root(course_name, root), assignment, source)
    click.echo(_("Collected {n} submission(s): {names}", n=len(names), names=", ".join(names)))


@course.command()
@click.argument("course_name")
@click.argument("assignment")
@click.option("--workers", "-j", type=IntRange(1, 256), default=None,
              help="Số tiến trình chấm song song (mặc định: số nhân CPU).")
@click.option("--json", "as_json", is_flag=True)
@root_option
def autograde(course_name: str, assignment: str, workers: int | None, as_json: bool, root: Path | None) -> None:
    """Chấm tự động mọi bài đã nộp của một bài tập, song song, kèm phản hồi không lộ phần kiểm tra ẩn."""
    from simulator.grading.instructor import autograde as grade_all

    results = grade_all(_root(course_name, root), assignment, workers=workers, progress=not as_json)
    if as_json:
        echo_json([r.__dict__ for r in results])
    else:
        for r in results:
            line = _("{trainee}: {score:g} / {max:g}", trainee=r.trainee, score=r.score, max=r.max_score)
            click.echo(line if r.ok else line + "  " + _("ERROR: {error}", error=r.error.strip()[-200:]))
    verdict_exit(all(r.ok for r in results))


@course.command()
@click.argument("course_name")
@click.option("--output", "-o", type=OutputFile(), default=None)
@root_option
def export(course_name: str, output: Path | None, root: Path | None) -> None:
    """Xuất bảng điểm ra tệp CSV."""
    from simulator.grading.instructor import export as export_grades

    click.echo(str(export_grades(_root(course_name, root), output)))


@course.command()
@click.argument("course_name", required=False, type=Choice(COURSE_NAMES))
@root_option
def check(course_name: str | None, root: Path | None) -> None:
    """Kiểm tra các sổ tay gốc (source/): mỗi bài giữ đúng ô chấm điểm, đúng số điểm (sửa sổ tay gốc bằng JupyterLab).
    Kiểm tra bản trong thư mục của giảng viên (--root) nếu đã có, nếu chưa thì bản đi kèm chương trình."""
    from simulator.errors import UserError
    from simulator.grading.coursework import check_course
    from simulator.grading.instructor import SOURCES, courses_root

    try:
        mine = courses_root(root)
    except UserError:   # in the sources themselves: reading them is fine
        mine = SOURCES
    bad = False
    for name in [course_name] if course_name else list(COURSE_NAMES):
        problems = check_course(mine if (mine / name).is_dir() else SOURCES, name)
        for assignment, lines in problems.items():
            for line in lines:
                click.echo(_("{course}/{assignment}: {problem}", course=name, assignment=assignment, problem=line))
        if not problems:
            click.echo(_("{course}: every source notebook keeps its graded cell.", course=name))
        bad = bad or bool(problems)
    verdict_exit(not bad)


@course.command()
@click.argument("source", metavar="CLASS_FOLDER", type=ExistingFolder())
@click.option("--course", "course_name", default=None,
              help="Khóa học có sổ điểm (tên hoặc đường dẫn) để lấy điểm đã chấm.")
@click.option("--out", "-o", "out", type=OutputFolder(), default=None,
              help="Thư mục ghi report.html và các tệp CSV (mặc định: CLASS_FOLDER/bao-cao).")
@click.option("--idle-minutes", type=IntRange(1, 10080), default=15, show_default=True,
              help="Số phút (giờ máy) không có dòng nhật ký mới thì coi là đang đứng yên.")
@click.option("--grade", is_flag=True, help="Chấm lại bằng bộ chấm (chỉ đọc) khi sổ điểm không có điểm.")
@root_option
def report(source: Path, course_name: str | None, out: Path | None, idle_minutes: int, grade: bool,
           root: Path | None) -> None:
    """Báo cáo lớp học (HTML và CSV): tiến độ, điểm, thời gian, lỗi theo loại, ai đang đứng yên, số cán bộ đã tập huấn."""
    from simulator.grading.analytics import analyse_class, write_csv
    from simulator.grading.report_html import render

    course = _root(course_name, root) if course_name else None
    result = analyse_class(source, course=course, grade=grade, idle_after=idle_minutes)
    target = out or source / "bao-cao"
    files = write_csv(result, target)
    page = target / "report.html"
    page.write_text(render(result), encoding="utf-8")
    for path in [page, *files]:
        click.echo(str(path))
    click.echo(_("{n} trainee(s), {idle} not acting for {minutes} minutes or more.", n=len(result.trainees),
                 idle=len(result.idle), minutes=idle_minutes))

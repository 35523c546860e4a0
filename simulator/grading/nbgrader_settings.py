"""The nbgrader settings every course shares: Vietnamese stubs and warnings, the gradebook URL,
timeouts, feedback without hidden tests. Each ``courses/<course>/nbgrader_config.py`` calls
:func:`apply` with its own id and stub."""

from __future__ import annotations

import os

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import GetGrades

from simulator.dburl import with_driver
from simulator.grading.feedback import RedactHiddenTests


# Seconds a cell may run when nbgrader executes a notebook (validate, autograde): a lesson's world
# runs in its cells, and a loaded grading machine must not turn slowness into a failed exercise.
EXECUTE_TIMEOUT = 600


def apply(c, course_id: str, code_stub: str) -> None:
    c.CourseDirectory.course_id = course_id
    # The gradebook on any SQLAlchemy URL, e.g. PostgreSQL on a shared server
    # (postgresql+psycopg://grader:PASSWORD@127.0.0.1:5432/can_bo_xa, or ...:///can_bo_xa?host=/run/postgresql
    # over a Unix socket; the database must exist, nbgrader creates its tables); gradebook.db in the course if unset.
    if os.environ.get("VBDT_GRADEBOOK_URL"):
        c.CourseDirectory.db_url = with_driver(os.environ["VBDT_GRADEBOOK_URL"])

    # What the released notebook shows in place of the solution (Vietnamese: trainees read it).
    c.ClearSolutions.code_stub = {"python": code_stub}
    c.ClearSolutions.text_stub = "VIẾT CÂU TRẢ LỜI CỦA ANH/CHỊ VÀO ĐÂY"

    # The validator's messages, in Vietnamese.
    c.Validator.failed_warning = (
        "KIỂM TRA KHÔNG ĐẠT Ở {num_failed} Ô! Nếu nộp bài như hiện tại, anh/chị sẽ KHÔNG được đủ điểm.")
    c.Validator.passed_warning = "CÓ {num_passed} Ô KIỂM TRA ĐÃ ĐẠT dù bài chưa làm."
    c.Validator.changed_warning = (
        "NỘI DUNG CỦA {num_changed} Ô KIỂM TRA ĐÃ BỊ THAY ĐỔI! Dù bây giờ các ô kiểm tra đạt, khi chấm máy dùng lại "
        "ô gốc nên kết quả có thể khác.")
    c.Validator.type_changed_warning = (
        "LOẠI CỦA {num_changed} Ô ĐÃ BỊ THAY ĐỔI! Dù bây giờ các ô kiểm tra đạt, khi chấm kết quả có thể khác.")

    # Autograding re-runs every notebook from the start; a desk with documents to sign takes a while.
    c.ExecutePreprocessor.timeout = EXECUTE_TIMEOUT
    c.Execute.timeout = EXECUTE_TIMEOUT

    # Feedback: hidden tests and their tracebacks are cut out (see simulator/grading/feedback.py).
    c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, RedactHiddenTests]

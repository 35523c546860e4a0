"""nbgrader's Assignment List in Vietnamese: its words rewritten in the installed extension.

nbgrader's JupyterLab extension writes its panel's words straight into its
JavaScript (no translation hooks, unlike JupyterLab's own menus, which the
language pack and ``jupyter/translations`` cover). What a trainee reads in
the Assignment List (headings, empty lists, buttons, messages) is
rewritten there, each phrase with the code around it so that nothing else
changes; rerunning is harmless. The panels only instructors use
(formgrader, create assignment) keep their English.
"""

from __future__ import annotations

import sys
from pathlib import Path

EXTENSION = Path("share") / "jupyter" / "labextensions" / "@jupyter" / "nbgrader" / "static"

# (the phrase as the extension writes it, in its code) -> the same in Vietnamese
WORDS = {
    "Released, downloaded, and submitted assignments for course:": "Bài đã phát, đã nhận và đã nộp của khóa học:",
    '"No courses found."': '"Chưa có khóa học nào."',
    "\\n        Released assignments\\n": "\\n        Bài được phát\\n",   # template text: the JS source writes \\n
    "\\n        Downloaded assignments\\n": "\\n        Bài đã nhận về\\n",   # template text: the JS source writes \\n
    "\\n        Submitted assignments\\n": "\\n        Bài đã nộp\\n",   # template text: the JS source writes \\n
    "<div> There are no assignments to fetch. </div>": "<div> Chưa có bài nào để nhận. </div>",
    "<div> There are no downloaded assignments. </div>": "<div> Chưa nhận bài nào. </div>",
    "<div> There are no submitted assignments. </div>": "<div> Chưa nộp bài nào. </div>",
    'innerText="Fetch"': 'innerText="Nhận bài"',
    '"Fetching..."': '"Đang nhận..."',
    'innerText="Submit"': 'innerText="Nộp bài"',
    '"submitting..."': '"đang nộp..."',
    '"Validate"': '"Tự kiểm tra"',
    '"Validating..."': '"Đang kiểm tra..."',
    '"Fetch Feedback"': '"Nhận nhận xét"',
    '"Fetching Feedback..."': '"Đang nhận nhận xét..."',
    '" (view feedback)"': '" (xem nhận xét)"',
    'title.label="Assignments"': 'title.label="Bài tập"',
    'label:"Assignment List"': 'label:"Danh sách bài tập"',
    '"Refresh assignments list"': '"Tải lại danh sách bài"',
    '"Loading, please wait..."': '"Đang tải, xin chờ..."',
    '"Error fetching courses!"': '"Không tải được danh sách khóa học."',
    '"Error fetching assignment."': '"Không nhận được bài."',
    '"Error submitting assignment."': '"Không nộp được bài."',
    '"Error fetching feedback."': '"Không nhận được nhận xét."',
    '"Error validating assignment."': '"Không kiểm tra được bài."',
    '"Assignment not submitted:"': '"Bài chưa được nộp:"',
    '"Invalid Submission"': '"Bài nộp chưa hợp lệ"',
    '"Validation failed"': '"Kiểm tra chưa đạt"',
    '"Validation Results"': '"Kết quả tự kiểm tra"',
    '"Success! Your notebook passes all the tests."': '"Bài của anh/chị qua mọi phép kiểm tra."',
    '"Validate Assignment"': '"Tự kiểm tra bài"',
}


def localise(prefix: str | Path = sys.prefix) -> list[Path]:
    """Rewrite the Assignment List's words in the extension installed under ``prefix``; the files changed."""
    changed = []
    for path in sorted((Path(prefix) / EXTENSION).glob("*.js")):
        text = path.read_text(encoding="utf-8")
        new = text
        for english, vietnamese in WORDS.items():
            new = new.replace(english, vietnamese)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def not_found(prefix: str | Path = sys.prefix) -> list[str]:
    """The phrases of :data:`WORDS` in neither language in the installed extension: an nbgrader release that
    changed its words (pyproject pins the minor version these phrases were read from)."""
    texts = [p.read_text(encoding="utf-8") for p in (Path(prefix) / EXTENSION).glob("*.js")]
    return [english for english, vietnamese in WORDS.items()
            if not any(english in text or vietnamese in text for text in texts)]


def english_left(prefix: str | Path = sys.prefix) -> list[str]:
    """The phrases of :data:`WORDS` still in the installed extension (none once localised)."""
    texts = [p.read_text(encoding="utf-8") for p in (Path(prefix) / EXTENSION).glob("*.js")]
    return [english for english in WORDS if any(english in text for text in texts)]

"""Feedback that does not leak hidden tests.

nbgrader's autograded notebooks carry the hidden tests again (they are put
back to be run), and its feedback HTML shows them, tracebacks included. This
preprocessor runs in ``GenerateFeedback`` after the grades are read: it cuts
every hidden region out of the source and replaces the traceback of a failed
test cell with its one-line message (the Vietnamese explanation from
:meth:`Result.award`).
"""

from __future__ import annotations

import re

from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
_HIDDEN = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", re.DOTALL)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def redact_source(source: str, placeholder: str) -> str:
    return _HIDDEN.sub(placeholder + "\n", source)


def has_hidden(text: str) -> bool:
    return BEGIN in text or END in text


class RedactHiddenTests(NbGraderPreprocessor):
    """Hidden test code and tracebacks out of what the trainee sees."""

    def preprocess_cell(self, cell, resources, index):
        from simulator.i18n import translator

        _ = translator("grading")
        if cell.cell_type != "code" or not has_hidden(cell.source):
            return cell, resources
        cell.source = redact_source(cell.source, "# " + _("(hidden checks, run when grading)")).rstrip()
        if is_grade(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [_ANSI.sub("", f"{output.get('ename', '')}: {output.get('evalue', '')}")]
        return cell, resources

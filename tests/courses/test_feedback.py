"""The feedback preprocessor cuts hidden tests and their tracebacks."""

from __future__ import annotations

import nbformat

from simulator.grading.feedback import RedactHiddenTests, has_hidden


def test_hidden_region_and_traceback_removed():
    source = ("require_answers(x, ['a'])\n### BEGIN HIDDEN TESTS\nsecret_check(x, expected=42)\n"
              "### END HIDDEN TESTS\n")
    cell = nbformat.v4.new_code_cell(source, metadata={"nbgrader": {"grade": True, "solution": False,
                                                                    "grade_id": "t", "points": 5}})
    cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="Điểm: 0 / 5",
                                           traceback=["\x1b[31msecret_check(x, expected=42)\x1b[0m", "..."])]
    out, _resources = RedactHiddenTests().preprocess_cell(cell, {}, 0)
    assert "secret_check" not in out.source and not has_hidden(out.source)
    assert out.source.startswith("require_answers")
    assert out.outputs[0]["traceback"] == ["AssertionError: Điểm: 0 / 5"]


def test_cells_without_hidden_tests_are_untouched():
    cell = nbformat.v4.new_code_cell("grade_incoming('lam-viec', trainee_id()).award(6)")
    out, _resources = RedactHiddenTests().preprocess_cell(cell, {}, 0)
    assert out.source == "grade_incoming('lam-viec', trainee_id()).award(6)"

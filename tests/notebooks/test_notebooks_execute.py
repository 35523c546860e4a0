"""Every notebook in ``notebooks/`` runs top to bottom in a fresh kernel, and reads as a lesson.

The notebooks are what trainees open: a cell that raises is a lesson that
stops halfway. Each one is executed headless (no widget is clicked: the
code cells do the steps the text describes) in its own folder, with a
fresh work folder, in Vietnamese, within 60 seconds.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(p for p in NOTEBOOK_DIR.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
IDS = [str(p.relative_to(NOTEBOOK_DIR)) for p in NOTEBOOKS]
TIMEOUT = 60  # seconds per notebook (issue 7)
# notebooks that open a seat and act on it: running them twice must continue, not fail or duplicate
RERUN = ["can-bo-xa/05-lap-ho-so-luu-tru.ipynb"]


def execute(path: Path, work: Path, monkeypatch) -> nbformat.NotebookNode:
    """Run ``path`` in a fresh python3 kernel started in its folder; fail with the failing cell's error."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    monkeypatch.setenv("VBDT_WORK", str(work))
    monkeypatch.setenv("VBDT_LANG", "vi")
    monkeypatch.setenv("VBDT_TRAINEE", "hv-kiem-thu")
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError) as exc:
        pytest.fail(f"{path.relative_to(NOTEBOOK_DIR)}: {exc}", pytrace=False)
    return notebook


def outputs_text(notebook) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.append(output.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def test_the_notebooks_are_there():
    names = set(IDS)
    for expected in ("00-bat-dau.ipynb", "can-bo-xa/01-the-thuc-van-ban.ipynb", "can-bo-xa/05-lap-ho-so-luu-tru.ipynb",
                     "quan-tri/01-chung-thu-so.ipynb", "quan-tri/04-sao-luu-kiem-tra-tieu-huy.ipynb",
                     "ke-hoach/01-kich-ban-2018-va-2020.ipynb", "ke-hoach/03-lo-trinh-va-bao-cao-quy.ipynb"):
        assert expected in names, expected


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_executes(path, tmp_path, monkeypatch):
    notebook = execute(path, tmp_path / "work", monkeypatch)
    text = outputs_text(notebook)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            # library chatter (validation logs, warnings) must not reach the trainee as red text
            assert output.get("name") != "stderr", f"{cell.source[:80]!r} wrote to stderr: {output['text'][:300]}"
    assert "Traceback" not in text


@pytest.mark.parametrize("name", RERUN)
def test_running_a_notebook_twice_continues_the_same_work(name, tmp_path, monkeypatch):
    import json

    path = NOTEBOOK_DIR / name
    work = tmp_path / "work"
    execute(path, work, monkeypatch)
    journals = list(work.rglob("journal.jsonl"))
    assert len(journals) == 1
    first = [json.loads(line) for line in journals[0].read_text(encoding="utf-8").splitlines()]
    execute(path, work, monkeypatch)
    second = [json.loads(line) for line in journals[0].read_text(encoding="utf-8").splitlines()]
    assert second[:len(first)] == first, "the second run rewrote the journal instead of continuing it"
    once_only = ("register", "refuse", "reply", "sign", "seal", "dispatch", "create_record", "file", "archive")
    again = [e["action"] for e in second[len(first):] if e["action"] in once_only]
    assert again == [], f"the second run repeated one-time actions: {again}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_reads_as_a_vietnamese_lesson(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    markdown = [c for c in notebook.cells if c.cell_type == "markdown"]
    assert markdown and notebook.cells[0].cell_type == "markdown"
    first = notebook.cells[0].source
    assert first.lstrip().startswith("# "), "the first cell is the lesson's title"
    for heading in ("Dành cho", "Thời gian", "Sau bài này"):
        assert heading in first, f"the first cell must say {heading!r}"
    last = notebook.cells[-1]
    assert last.cell_type == "markdown" and "Tự kiểm tra" in last.source
    assert "<details>" in last.source and "</details>" in last.source, "answers are hidden in a <details> block"
    questions = re.findall(r"^\d+\. ", last.source.split("<details>")[0], flags=re.M)
    assert 3 <= len(questions) <= 5, f"{len(questions)} self-check questions"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_shipped_clean(path):
    """No outputs or execution counts in the shipped file: a trainee starts from a clean page."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:80]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_links_between_notebooks_resolve(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for target in re.findall(r"\]\(([^)#\s]+\.ipynb)\)", cell.source):
            assert (path.parent / target).resolve().exists(), f"{path.name} links to a missing {target}"

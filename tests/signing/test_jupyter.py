"""Signing and verifying inside a real Jupyter kernel, whose event loop is already running."""

from __future__ import annotations

import json

import nbformat
from nbclient import NotebookClient

PASS = "mat-khau-1"  # the passphrase conftest.py gives every holder


def test_sign_and_verify_in_a_kernel(workdir, document, pki, holders):
    out = workdir / "trong-jupyter.pdf"
    setup = (f"from pathlib import Path\n"
             f"from simulator.signing import TrainingPKI, sign_person, sign_seal, verify, async_verify\n"
             f"pki = TrainingPKI.open({str(pki.folder)!r})\n"
             f"doc, out = Path({str(document)!r}), Path({str(out)!r})\n"
             f"person, seal, pw = Path({str(holders.person)!r}), Path({str(holders.seal)!r}), {PASS!r}\n")
    sync_cell = ("import asyncio\n"
                 "asyncio.get_running_loop()  # the kernel's loop is running: asyncio.run() would fail here\n"
                 "signed = sign_person(doc, out.with_name('jp-person.pdf'), person, pw, pki)\n"
                 "sealed = sign_seal(signed, out, seal, pw, pki)\n"
                 "report = verify(sealed, pki)\n"
                 "print(report.indication, report.decree30.ok)")
    async_cell = ("again = await async_verify(out, pki)\n"
                  "import json\n"
                  "print(json.dumps({'indication': again.indication, 'roles': [s.role for s in again.signatures]}))")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(setup), nbformat.v4.new_code_cell(sync_cell),
                nbformat.v4.new_code_cell(async_cell)]
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    printed = nb.cells[1].outputs[0]["text"].split()
    assert printed == ["TOTAL_PASSED", "True"]
    result = json.loads(nb.cells[2].outputs[0]["text"])
    assert result == {"indication": "TOTAL_PASSED", "roles": ["person", "seal"]}
    assert out.exists()

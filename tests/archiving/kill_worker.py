"""Child process of the kill tests. Prints READY once its imports are done, then works.

``python kill_worker.py api FOLDER N PDF...``: files and ingests N records through the Python API until all
are archived (idempotent, so it can be killed at any point and started again).

``python kill_worker.py cli FOLDER SPEC [STEP]``: the real command, ``vbdt archive --folder FOLDER ingest
SPEC --json``; exits with its exit code. With STEP, the process SIGKILLs itself when it reaches that step
(a named point of the journaled ingest, see ``STEPS``) instead of at a random moment.
"""

import importlib
import os
import signal
import sys
from pathlib import Path

import simulator.cli.archive  # noqa: F401  (loaded before READY, and patched for the "output" step)
from simulator.archiving import Archive
from simulator.archiving.store import Store
from simulator.cli.main import main as vbdt

# step -> (module or class, attribute): the process dies on entering it
STEPS = {
    "intent": ("simulator.archiving.journal", "open_intent"),       # nothing written yet
    "build": ("simulator.archiving.ingest", "build"),               # intent committed, nothing built
    "set_built": ("simulator.archiving.journal", "set_built"),      # bag built in tmp, not journaled
    "put_dir": (Store, "put_dir"),                                  # journaled as built, folder not placed
    "commit": ("simulator.archiving.ingest", "commit"),             # folder placed, nothing committed
    "finish": ("simulator.archiving.journal", "finish"),            # inside the commit transaction
    "output": ("simulator.cli.archive", "echo_json"),               # committed, not yet reported
    "adopt": ("simulator.archiving.repair", "commit"),              # a repair about to adopt a package
}


def _die_at(step: str) -> None:
    owner, name = STEPS[step]
    if isinstance(owner, str):
        owner = importlib.import_module(owner)

    def die(*_args, **_kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    setattr(owner, name, die)


def api(folder: str, n: int, pdfs: list[Path]) -> None:
    with Archive(folder) as arc:
        for i in range(n):
            code = f"000.01.40.H41.2026.K{i:03d}"
            rec = arc.find_record(code) or arc.create_record(
                file_code=code, title=f"Hồ sơ thử số {i}", maintenance="cong_van_trao_doi",
                creator="UBND xã Diễn Kim", start_date="2026-01-01")
            if rec.state != "open":
                continue
            have = len(arc.documents(rec.id))
            for j, pdf in enumerate(pdfs[have:], have + 1):
                arc.file_document(rec.id, pdf, {
                    "type_name": "Công văn", "code_number": str(i * 10 + j), "code_notation": "UBND-VP",
                    "issued_date": "2026-03-02", "organ_name": "Ủy ban nhân dân xã Diễn Kim",
                    "subject": f"Về việc thử {i}-{j}", "body": "nội dung"})
            arc.ingest(rec.id, agent="Kiểm thử")
    print("DONE", flush=True)


def main() -> int:
    mode, folder = sys.argv[1], sys.argv[2]
    print("READY", flush=True)
    if mode == "api":
        api(folder, int(sys.argv[3]), [Path(p) for p in sys.argv[4:]])
        return 0
    if len(sys.argv) > 4:
        _die_at(sys.argv[4])
    return vbdt(["archive", "--folder", folder, "ingest", sys.argv[3], "--json"])


if __name__ == "__main__":
    sys.exit(main())

"""Child process of the kill test: files and ingests records until all are archived.

Idempotent, so it can be killed at any point and started again:
``python kill_worker.py FOLDER N PDF...``. Prints READY once imported.
"""

import sys
from pathlib import Path

from simulator.archiving import Archive


def main() -> None:
    folder, n, pdfs = sys.argv[1], int(sys.argv[2]), [Path(p) for p in sys.argv[3:]]
    print("READY", flush=True)
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


if __name__ == "__main__":
    main()

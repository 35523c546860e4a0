"""Regenerate ``data/units-2024.json.gz``: the 3-level structure of every province.

The 3-level structure (province, district, commune; valid until 30/6/2025)
comes from ``vietnam-provinces`` 0.6.0, whose data is dated 2025-01-04
(Nghệ An: 20 district-level units, 412 communes). That release and the
current one (2-level structure, read live) share the import name
``vietnam_provinces``, so they cannot be installed side by side: this command
installs 0.6.0 into a throw-away folder, reads its JSON and writes a compact
copy into the package. Run it with ``make province-data`` or
``python -m simulator.province.build_data``; the output is deterministic.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

VERSION = "0.6.0"
OUTPUT = Path(__file__).with_name("data") / "units-2024.json.gz"


def compact(nested: list[dict]) -> list[dict]:
    return [
        {
            "name": p["name"],
            "code": p["code"],
            "districts": [
                {
                    "name": d["name"],
                    "code": d["code"],
                    "wards": [[w["name"], w["code"]] for w in d["wards"]],
                }
                for d in p["districts"]
            ],
        }
        for p in nested
    ]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
             "--target", tmp, f"vietnam-provinces=={VERSION}"],
            check=True,
        )
        source = Path(tmp) / "vietnam_provinces" / "data" / "nested-divisions.json"
        nested = json.loads(source.read_text(encoding="utf-8"))
    payload = {"source": f"vietnam-provinces {VERSION}", "provinces": compact(nested)}
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the gzip bytes identical between runs
    with open(OUTPUT, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0) as gz:
        gz.write(raw.encode("utf-8"))
    print(f"{OUTPUT.name}: {len(nested)} provinces from vietnam-provinces {VERSION}")


if __name__ == "__main__":
    main()

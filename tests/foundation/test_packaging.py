"""pyproject.toml and environment.yml list the same dependencies; no private keys are committed."""

import re
import subprocess
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _norm(requirement: str) -> str:
    return re.sub(r"\s+", "", requirement).lower().replace("_", "-")


def test_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_norm(r) for r in project["dependencies"]}
    wanted |= {_norm(r) for r in project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_lists = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    listed = {_norm(r) for r in pip_lists[0] if not r.startswith("-e")}
    assert listed == wanted, {"only in environment.yml": listed - wanted, "only in pyproject": wanted - listed}
    python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert python == ["python>=3.11"] and project["requires-python"] == ">=3.11"


def test_no_private_keys_in_the_repository():
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    offenders = []
    for name in filter(None, files.decode().split("\0")):
        path = ROOT / name
        if not path.is_file() or path.stat().st_size > 5_000_000:
            continue
        data = path.read_bytes()
        if re.search(rb"-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----", data) and name != "tests/foundation/test_packaging.py":
            offenders.append(name)
        if name.endswith((".p12", ".pfx", ".key")):
            offenders.append(name)
    assert offenders == []


def test_province_data_file_is_reproducible_in_shape():
    import gzip
    import json

    data = json.load(gzip.open(ROOT / "simulator/province/data/units-2024.json.gz"))
    assert data["source"] == "vietnam-provinces 0.6.0"
    assert len(data["provinces"]) == 63

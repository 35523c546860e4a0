"""No private key, PKCS#12 file or PKI folder is ever committed: keys are made at run time."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Built from pieces so that this file does not match itself.
ARMOR = re.compile(rb"-----BEGIN (?:RSA |EC |ENCRYPTED )?" + b"PRIVATE" + rb" KEY-----\s*[A-Za-z0-9+/=]{40,}")
KEY_SUFFIXES = {".p12", ".pfx", ".key", ".pem"}


def _tracked_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
        return [ROOT / name for name in out.decode().split("\0") if name]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: walk the tree
        skip = {".git", ".venv", "node_modules", "__pycache__"}
        return [p for p in ROOT.rglob("*") if p.is_file() and not skip & set(p.relative_to(ROOT).parts)]


def test_repository_holds_no_private_keys():
    files = _tracked_files()
    assert len(files) > 20  # the scan really looked at the project
    offenders = []
    for path in files:
        if path.suffix.lower() in KEY_SUFFIXES or path.name == "pki.json":
            offenders.append(str(path.relative_to(ROOT)))
            continue
        try:
            if path.stat().st_size > 5_000_000:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        if ARMOR.search(data):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_scan_finds_a_key(tmp_path):
    """The pattern matches a real PEM private key, so the test above can fail."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = rsa.generate_private_key(public_exponent=65537, key_size=1024).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    assert ARMOR.search(b"some text\n" + pem)

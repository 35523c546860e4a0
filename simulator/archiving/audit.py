"""Fixity audit: full validation of every package, orphans and missing files.

Every package is validated in full with bagit-python (every payload and tag
file hashed with sha256 and sha512; the fast Payload-Oxum check alone misses
a same-size corruption, PITFALLS.md), and its manifest is compared with the
hashes the catalogue recorded at ingest. Staging files are hashed against
their names. Folders and files the catalogue does not know are "untracked"
(orphans, e.g. left by a crash between the rename and the commit); an
ingest interrupted by a crash and not yet repaired is "stuck". The report
has the shape storage services use (success, message, changed, missing,
untracked, started, finished) plus the stuck ingests.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import bagit

from simulator.i18n import translator

_ = translator("archiving")


@dataclass
class AuditReport:
    success: bool
    message: str
    changed: list[str]
    missing: list[str]
    untracked: list[str]
    started: datetime
    finished: datetime
    packages: int = 0
    bytes: int = 0
    stuck: list[str] = field(default_factory=list)   # interrupted ingests (``vbdt archive repair``)

    def as_json(self) -> dict:
        """The shape storage services use (``vbdt archive audit --json``), and the stuck ingests."""
        return {"success": self.success, "message": self.message, "changed": list(self.changed),
                "missing": list(self.missing), "untracked": list(self.untracked), "stuck": list(self.stuck),
                "started": self.started.isoformat(), "finished": self.finished.isoformat()}

    @property
    def mb_per_s(self) -> float:
        seconds = (self.finished - self.started).total_seconds()
        return self.bytes / 1e6 / seconds if seconds > 0 else float("inf")


@dataclass
class PackageResult:
    package_id: str
    path: str
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    untracked: list[str] = field(default_factory=list)
    bytes: int = 0

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.untracked)


def check_package(root: Path, package_id: str, rel: str, recorded: dict[str, str]) -> PackageResult:
    """Validate one bag in full; ``recorded`` maps bag paths to the sha256 the catalogue holds."""
    res = PackageResult(package_id, rel)
    path = root / rel
    if not path.is_dir():
        res.missing = [f"{rel}/{p}" for p in sorted(recorded)] or [rel]
        return res
    try:
        bag = bagit.Bag(str(path))
    except bagit.BagError:
        res.changed.append(f"{rel}/bagit.txt")
        return res
    res.bytes = sum((path / p).stat().st_size for p in bag.entries if (path / p).is_file())
    try:
        bag.validate(processes=1, fast=False)
    except bagit.BagValidationError:
        _details(bag, rel, res)
    for bag_path, sha in recorded.items():  # the manifest itself must still say what ingest wrote
        listed = bag.entries.get(bag_path, {}).get("sha256")
        name = f"{rel}/{bag_path}"
        if listed is None:
            if name not in res.missing:
                res.missing.append(name)
        elif listed != sha and name not in res.changed:
            res.changed.append(name)
    return res


def _details(bag: bagit.Bag, rel: str, res: PackageResult) -> None:
    """After a failed validation, collect every problem (bagit stops at the first kind)."""
    try:
        bag._validate_completeness()
    except bagit.BagValidationError as exc:
        for d in exc.details:
            if isinstance(d, bagit.FileMissing):
                res.missing.append(f"{rel}/{d.path}")
            elif isinstance(d, bagit.UnexpectedFile):
                res.untracked.append(f"{rel}/{d.path}")
    try:
        bag._validate_entries(1)
    except bagit.BagValidationError as exc:
        for d in exc.details:
            name = f"{rel}/{d.path}"
            if isinstance(d, bagit.ChecksumMismatch) and name not in res.missing and name not in res.changed:
                res.changed.append(name)
    if res.ok:  # structure problems (bagit.txt, tag files) without a per-file detail
        res.changed.append(f"{rel}/bagit.txt")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def run(root: Path, stored: list[tuple[str, str, dict[str, str]]], on_disk_packages: set[str],
        staged: dict[str, str], on_disk_staging: set[str], stuck: list[str] = ()
        ) -> tuple[AuditReport, list[PackageResult]]:
    """Audit packages (id, path, recorded hashes) and staging files (path -> sha256); ``stuck``: interrupted
    ingests, reported as they are."""
    started = datetime.now(timezone.utc)
    workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(workers) as pool:  # hashlib releases the GIL on large buffers
        results = list(pool.map(lambda t: check_package(root, *t), stored))
    changed, missing, untracked = [], [], []
    total = 0
    for r in results:
        changed += r.changed
        missing += r.missing
        untracked += r.untracked
        total += r.bytes
    known = {p for _id, p, _h in stored}
    untracked += sorted(on_disk_packages - known)
    for rel, sha in staged.items():
        if rel not in on_disk_staging:
            missing.append(rel)
            continue
        total += (root / rel).stat().st_size
        if sha256_file(root / rel) != sha:
            changed.append(rel)
    untracked += sorted(on_disk_staging - set(staged))
    success = not (changed or missing or untracked or stuck)
    if success:
        message = _("Checked {n} packages: all complete and valid.", n=len(stored))
    elif stuck:
        message = _("Damage found: {c} changed, {m} missing, {u} untracked, {s} interrupted ingests "
                    "(run vbdt archive repair).", c=len(changed), m=len(missing), u=len(untracked), s=len(stuck))
    else:
        message = _("Damage found: {c} changed, {m} missing, {u} untracked.",
                    c=len(changed), m=len(missing), u=len(untracked))
    report = AuditReport(success, message, sorted(changed), sorted(missing), sorted(untracked), started,
                         datetime.now(timezone.utc), len(stored), total, sorted(stuck))
    return report, results

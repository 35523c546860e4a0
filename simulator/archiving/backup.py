"""Backups on another medium, full and incremental, restore and the restore drill.

Circular 02/2019/TT-BNV asks for backup copies on independent media, with
incremental backups (daily) and full ones (monthly). A backup folder holds
one set per run, named by time so they sort::

    20260301T020000000000-full/   catalogue.sqlite, packages/..., staging/..., backup.json
    20260302T020000000000-incr/   catalogue.sqlite, the packages and staging files new since the last set

Each set is written into a hidden work folder and renamed when complete, so
a crashed backup leaves no half set. Restore takes the newest set's
catalogue and, for every package it lists, the newest copy in the chain back
to the last full set; each copy is checked against the recorded hashes
before it replaces anything. The drill restores into an empty folder and
audits it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from simulator.archiving.audit import sha256_file
from simulator.archiving.store import fsync_dir, fsync_file, fsync_tree, make_dirs
from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("archiving")

MANIFEST = "backup.json"
CATALOGUE = "catalogue.sqlite"


@dataclass(frozen=True)
class BackupSet:
    id: str
    kind: str              # full or incremental
    path: Path
    based_on: str | None
    packages: int          # package folders copied in this set
    staging: int
    bytes: int

    def as_json(self) -> dict:
        return {"id": self.id, "kind": self.kind, "path": str(self.path), "based_on": self.based_on,
                "packages": self.packages, "staging": self.staging, "bytes": self.bytes}


def list_sets(dest: Path) -> list[dict]:
    """Completed sets in ``dest``, oldest first."""
    if not dest.is_dir():
        return []
    out = []
    for d in sorted(dest.iterdir()):
        m = d / MANIFEST
        if d.is_dir() and not d.name.startswith(".") and m.is_file():
            info = json.loads(m.read_text(encoding="utf-8"))
            info["path"] = d
            out.append(info)
    return out


def _chain(sets: list[dict]) -> list[dict]:
    """The newest set and those before it back to (and with) the last full set."""
    chain = []
    for s in reversed(sets):
        chain.append(s)
        if s["kind"] == "full":
            return chain
    return []


def _snapshot_sqlite(db_path: Path, target: Path) -> None:
    src = sqlite3.connect(db_path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def make_backup(root: Path, db_path: Path | None, stored_packages: dict[str, str], staged: list[str],
                dest: str | Path, full: bool) -> BackupSet:
    """Copy the catalogue and the packages (all, or new since the last set) into a new set in ``dest``."""
    if db_path is None:
        raise UserError(_("Backups here copy an SQLite catalogue; back up another database with its own tools."),
                        field="url")
    dest = Path(dest).resolve()
    if dest == root or root in dest.parents:
        raise UserError(_("The backup must go to another folder or disk, not inside the archive."), field="dest")
    make_dirs(dest)
    for stale in dest.glob(".tmp-*"):  # a set a crashed backup left half-written
        shutil.rmtree(stale, ignore_errors=True)
    sets = list_sets(dest)
    chain = _chain(sets)
    if not full and not chain:
        full = True  # an incremental needs a full set to build on
    have_pk: set[str] = set()
    have_st: set[str] = set()
    if not full:
        for s in chain:
            have_pk |= set(s["packages"].values())
            have_st |= set(s["staging"])
    set_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f") + ("-full" if full else "-incr")
    work = dest / f".tmp-{uuid.uuid4().hex}"
    work.mkdir()
    copied_pk = {pid: rel for pid, rel in stored_packages.items() if rel not in have_pk}
    copied_st = [rel for rel in staged if rel not in have_st]
    total = 0
    for rel in copied_pk.values():
        shutil.copytree(root / rel, work / rel)
    for rel in copied_st:
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, work / rel)
    _snapshot_sqlite(db_path, work / CATALOGUE)
    files = {}
    for p in sorted(work.rglob("*")):
        if p.is_file():
            files[p.relative_to(work).as_posix()] = sha256_file(p)
            total += p.stat().st_size
    manifest = {"id": set_id, "kind": "full" if full else "incremental",
                "based_on": None if full else chain[0]["id"], "created": datetime.now(timezone.utc).isoformat(),
                "packages": copied_pk, "all_packages": stored_packages, "staging": copied_st, "files": files}
    (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    fsync_tree(work)
    final = dest / set_id
    os.replace(work, final)
    fsync_dir(dest)
    return BackupSet(set_id, manifest["kind"], final, manifest["based_on"], len(copied_pk), len(copied_st), total)


def _find(chain: list[dict], rel: str, key: str) -> dict | None:
    for s in chain:  # newest first
        items = s[key].values() if isinstance(s[key], dict) else s[key]
        if rel in items:
            return s
    return None


def _verified(backup_set: dict, rel: str) -> bool:
    """Every file of ``rel`` (a package folder or a staging file) matches the set's recorded hashes."""
    base = Path(backup_set["path"])
    prefix = rel + "/"
    entries = {k: v for k, v in backup_set["files"].items() if k == rel or k.startswith(prefix)}
    return bool(entries) and all((base / k).is_file() and sha256_file(base / k) == v for k, v in entries.items())


def records_missing_from(db_path: Path, src: str | Path) -> list[str]:
    """Record ids in the live catalogue that the newest backup set does not know."""
    chain = _chain(list_sets(Path(src).resolve()))
    if not chain or not db_path.exists():
        return []
    try:
        with sqlite3.connect(db_path) as live, sqlite3.connect(Path(chain[0]["path"]) / CATALOGUE) as old:
            ours = {r[0] for r in live.execute("SELECT id FROM records")}
            theirs = {r[0] for r in old.execute("SELECT id FROM records")}
    except sqlite3.DatabaseError:
        return []  # a damaged live catalogue is a reason to restore, not to refuse
    return sorted(ours - theirs)


def restore_files(root: Path, db_path: Path, src: str | Path, *, session: Path) -> dict:
    """Restore the catalogue and the payload from the newest set in ``src`` into ``root``."""
    src = Path(src).resolve()
    chain = _chain(list_sets(src))
    if not chain:
        raise UserError(_("No complete backup set with a full backup in {path}.", path=str(src)), field="src")
    newest = chain[0]
    if not _verified(newest, CATALOGUE):
        raise UserError(_("The catalogue copy in backup set {id} is damaged.", id=newest["id"]), field="src")
    restored, kept, failed = [], [], []
    for pid, rel in newest["all_packages"].items():
        s = _find(chain, rel, "packages")
        local = root / rel
        if s is None or not _verified(s, rel):
            failed.append(rel)
            continue
        if local.is_dir() and _same_tree(Path(s["path"]) / rel, local, s["files"], rel):
            kept.append(rel)
            continue
        tmp = session / uuid.uuid4().hex
        shutil.copytree(Path(s["path"]) / rel, tmp)
        fsync_tree(tmp)
        if local.exists():
            old = session / ("old-" + uuid.uuid4().hex)
            os.replace(local, old)
            shutil.rmtree(old, ignore_errors=True)
        make_dirs(local.parent)
        os.replace(tmp, local)
        fsync_dir(local.parent)
        restored.append(rel)
    staged = []
    for s in reversed(chain):
        for rel in s["staging"]:
            local = root / rel
            intact = local.is_file() and sha256_file(local) == Path(rel).stem  # staging names are their sha256
            if not intact and _verified(s, rel):
                make_dirs(local.parent)
                tmp = session / uuid.uuid4().hex
                shutil.copy2(Path(s["path"]) / rel, tmp)
                fsync_file(tmp)
                os.replace(tmp, local)
                fsync_dir(local.parent)
                staged.append(rel)
    tmp_db = session / CATALOGUE
    _snapshot_sqlite(Path(newest["path"]) / CATALOGUE, tmp_db)
    fsync_file(tmp_db)
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    os.replace(tmp_db, db_path)
    fsync_dir(db_path.parent)
    return {"set": newest["id"], "restored": restored, "kept": kept, "failed": failed, "staging": staged}


def _same_tree(backup_dir: Path, local: Path, files: dict, rel: str) -> bool:
    """The local package equals the backup copy file for file (by the backup's recorded hashes)."""
    prefix = rel + "/"
    expected = {k[len(prefix):]: v for k, v in files.items() if k.startswith(prefix)}
    actual = {p.relative_to(local).as_posix() for p in local.rglob("*") if p.is_file()}
    if actual != set(expected):
        return False
    return all(sha256_file(local / k) == v for k, v in expected.items())

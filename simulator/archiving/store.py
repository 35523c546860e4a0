"""Crash-safe file placement in the archive folder.

The rule that held under repeated SIGKILL (PITFALLS.md): write to a
temporary file on the same filesystem, fsync it, ``os.replace`` it into
place, fsync the folder, and only then commit the catalogue transaction.
A crash before the rename leaves only temporary files, removed at the next
start; a crash between the rename and the commit leaves an orphan that the
repair step adopts or removes (``repair.py``) and the audit reports until
then. Nothing the catalogue points to can be half-written.

Layout of an archive folder::

    catalogue.sqlite          the catalogue (unless another URL is given)
    staging/ab/<sha256>.pdf   documents filed into open records (content-addressed)
    packages/ab/cd/<id>/      one BagIt preservation package per record
    tmp/<session>/            work areas, one per open Archive, removed at start
"""

from __future__ import annotations

import fcntl
import os
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

STAGING = "staging"
PACKAGES = "packages"
TMP = "tmp"
LOCK = "archive.lock"


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_dirs(path: Path) -> None:
    """``mkdir -p`` that fsyncs each parent whose entry it created."""
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        d.mkdir(exist_ok=True)
        fsync_dir(d.parent)


def fsync_tree(root: Path) -> None:
    """fsync every file, then every folder (deepest first). The files are flushed from a few threads
    at once: each fsync mostly waits on the disk, and the waits overlap."""
    files, dirs = [], []
    for dirpath, _dirs, names in os.walk(root):
        dirs.append(Path(dirpath))
        files += [Path(dirpath) / n for n in names]
    _fsync_all(files)
    for d in reversed(dirs):
        fsync_dir(d)


def _fsync_all(files: list[Path]) -> None:
    if len(files) > 2:
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(fsync_file, files))
    else:
        for f in files:
            fsync_file(f)


def staging_path(sha256: str) -> str:
    return f"{STAGING}/{sha256[:2]}/{sha256}.pdf"


def package_path(package_id: str) -> str:
    return f"{PACKAGES}/{package_id[:2]}/{package_id[2:4]}/{package_id}"


class Store:
    """The files of one archive folder. Holds a shared lock while open.

    ``read_only``: the folder as evidence (the grader): nothing is created, locked or removed, and the
    methods that place or remove files refuse."""

    def __init__(self, folder: str | Path, *, read_only: bool = False) -> None:
        self.root = Path(folder).resolve()
        self.read_only = read_only
        if read_only:
            self.recovering, self.session = False, None
            return
        make_dirs(self.root)
        for sub in (STAGING, PACKAGES, TMP):
            make_dirs(self.root / sub)
        self._lock_fd = os.open(self.root / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        self.recovering = self._try_exclusive()
        self.session = self.root / TMP / uuid.uuid4().hex
        self.session.mkdir()
        self._session_lock = os.open(self.session / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self._session_lock, fcntl.LOCK_EX)

    def _try_exclusive(self) -> bool:
        """True when no other Archive has this folder open: then it is safe to clean up."""
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            fcntl.flock(self._lock_fd, fcntl.LOCK_SH)
            return False

    def clean_temporary(self) -> list[str]:
        """Remove work areas left by crashed sessions (those whose lock nobody holds)."""
        removed = []
        for area in (self.root / TMP).iterdir():
            if area == self.session:
                continue
            lock = area / ".lock"
            try:
                fd = os.open(lock, os.O_RDWR)
            except FileNotFoundError:
                fd = None
            try:
                if fd is not None:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except BlockingIOError:
                        continue  # a live session
                shutil.rmtree(area, ignore_errors=True)
                removed.append(area.name)
            finally:
                if fd is not None:
                    os.close(fd)
        fsync_dir(self.root / TMP)
        return removed

    def session_alive(self, name: str) -> bool:
        """Is the work session ``name`` (of this or another process) still running? Its lock says so."""
        if self.session is not None and name == self.session.name:
            return True
        try:  # flock needs no write access: a read-only folder can be asked too
            fd = os.open(self.root / TMP / name / ".lock", os.O_RDONLY)
        except (FileNotFoundError, NotADirectoryError):
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)  # closing releases a lock this call took
        return False

    def done_recovering(self) -> None:
        if self.recovering:
            fcntl.flock(self._lock_fd, fcntl.LOCK_SH)
            self.recovering = False

    def close(self) -> None:
        if self.read_only:
            return
        shutil.rmtree(self.session, ignore_errors=True)
        for fd in (self._session_lock, self._lock_fd):
            try:
                os.close(fd)
            except OSError:
                pass

    # -- placing files ---------------------------------------------------
    def _writable(self) -> None:
        if self.read_only:
            raise PermissionError(f"the archive {self.root} is open read-only")

    def temp_dir(self) -> Path:
        self._writable()
        path = self.session / uuid.uuid4().hex
        path.mkdir()
        return path

    def put_file(self, source: Path, relative: str) -> Path:
        """Copy ``source`` to ``relative`` atomically and durably; an existing target is kept."""
        return self.put_files([(source, relative)])[0]

    def put_files(self, pairs: list[tuple[Path, str]]) -> list[Path]:
        """Several ``put_file`` with each folder fsynced once after all the renames."""
        self._writable()
        targets, moves, folders = [], [], set()
        for source, relative in pairs:
            target = self.root / relative
            targets.append(target)
            if target.exists() or any(t == target for _tmp, t in moves):
                continue
            tmp = self.session / (uuid.uuid4().hex + ".part")
            shutil.copyfile(source, tmp)
            moves.append((tmp, target))
        _fsync_all([tmp for tmp, _t in moves])
        for tmp, target in moves:
            make_dirs(target.parent)
            os.replace(tmp, target)
            folders.add(target.parent)
        for folder in folders:
            fsync_dir(folder)
        return targets

    def put_dir(self, built: Path, relative: str) -> Path:
        """Move a fully built folder into place: fsync its tree, rename, fsync the parent."""
        self._writable()
        target = self.root / relative
        fsync_tree(built)
        make_dirs(target.parent)
        os.replace(built, target)
        fsync_dir(target.parent)
        return target

    def remove_dir(self, relative: str) -> None:
        """Remove a package folder: rename it into the work area first so no half-deleted package remains."""
        self._writable()
        target = self.root / relative
        if not target.exists():
            return
        trash = self.session / ("trash-" + uuid.uuid4().hex)
        os.replace(target, trash)
        fsync_dir(target.parent)
        shutil.rmtree(trash, ignore_errors=True)

    def remove_file(self, relative: str) -> None:
        """Remove a staging copy; no fsync: if the removal is lost in a crash, the next start removes it."""
        self._writable()
        try:
            (self.root / relative).unlink()
        except FileNotFoundError:
            return

    # -- what is on disk -------------------------------------------------
    def package_dirs(self) -> set[str]:
        found = set()
        base = self.root / PACKAGES
        if not base.is_dir():
            return found
        for a in base.iterdir():
            if not a.is_dir():
                found.add(f"{PACKAGES}/{a.name}")
                continue
            for b in a.iterdir():
                if not b.is_dir():
                    found.add(f"{PACKAGES}/{a.name}/{b.name}")
                    continue
                for c in b.iterdir():
                    found.add(f"{PACKAGES}/{a.name}/{b.name}/{c.name}")
        return found

    def staging_files(self) -> set[str]:
        base = self.root / STAGING
        return {p.relative_to(self.root).as_posix() for p in base.rglob("*") if p.is_file()}

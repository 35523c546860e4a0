"""What a user hands the program: files to read, places to write, addresses.

Every check refuses with a :class:`~simulator.errors.UserError` that names the
field, before anything is read or written: a path that is not a regular file
(a folder, a device such as ``/dev/zero``, a FIFO) is refused without opening
it, a file read whole is read only up to its cap, and an output place is
proved writable before the command starts its work. The command line's
parameter types (``simulator.cli.common``) are built on these functions; the
widgets can call them directly.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("vbdt")

KB, MB = 1024, 1024 * 1024
SQLITE_MAGIC = b"SQLite format 3\x00"


def reason(exc: OSError) -> str:
    """The operating system's reason, in the user's language."""
    reasons = {
        errno.ENOENT: _("it does not exist"), errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"), errno.EROFS: _("the disk is read-only"),
        errno.ENOSPC: _("the disk is full"), errno.ENOTDIR: _("a part of the path is not a folder"),
        errno.EISDIR: _("it is a folder"), errno.EEXIST: _("it already exists"),
        errno.ENAMETOOLONG: _("the name is too long"), errno.EIO: _("input/output error"),
        errno.EADDRINUSE: _("the address is already in use"),
        errno.EADDRNOTAVAIL: _("the address is not available on this machine"),
    }
    return reasons.get(exc.errno, exc.strerror or str(exc))


def as_path(value: str | os.PathLike, field: str) -> Path:
    """A path as typed; a NUL byte (possible from a program, not from a shell) names no file."""
    if "\x00" in os.fspath(value):
        raise UserError(_("{field}: {value!r} is not a valid path.", field=field, value=os.fspath(value)),
                        field=field)
    return Path(value)


def _not_regular(path: Path, mode: int, field: str) -> UserError:
    if stat.S_ISDIR(mode):
        return UserError(_("{field}: {path} is a folder, not a file.", field=field, path=path), field=field)
    return UserError(_("{field}: {path} is not a regular file (a device, a pipe or a socket); give a file.",
                       field=field, path=path), field=field)


def readable_file(path: str | os.PathLike, *, max_bytes: int, field: str, allow_empty: bool = False) -> Path:
    """A regular, readable file of at most ``max_bytes``; nothing is opened if it is anything else."""
    path = as_path(path, field)
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise UserError(_("{field}: the file {path} does not exist.", field=field, path=path), field=field) from None
    except OSError as exc:
        raise UserError(_("{field}: cannot read {path}: {reason}.", field=field, path=path, reason=reason(exc)),
                        field=field) from None
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(path, st.st_mode, field)
    if st.st_size > max_bytes:
        raise UserError(_("{field}: {path} is too large ({size} bytes; at most {limit}).", field=field, path=path,
                          size=st.st_size, limit=max_bytes), field=field)
    if st.st_size == 0 and not allow_empty:
        raise UserError(_("{field}: the file {path} is empty.", field=field, path=path), field=field)
    if not os.access(path, os.R_OK):
        raise UserError(_("{field}: cannot read {path}: {reason}.", field=field, path=path,
                          reason=_("permission denied")), field=field)
    return path


def read_file(path: str | os.PathLike, *, max_bytes: int, field: str, allow_empty: bool = False) -> bytes:
    """The bytes of a regular file, read no further than ``max_bytes`` (the file may change meanwhile)."""
    path = readable_file(path, max_bytes=max_bytes, field=field, allow_empty=allow_empty)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):  # replaced between the check and the opening
                raise _not_regular(path, st.st_mode, field)
            with os.fdopen(fd, "rb", closefd=False) as fh:
                data = fh.read(max_bytes + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        raise UserError(_("{field}: cannot read {path}: {reason}.", field=field, path=path, reason=reason(exc)),
                        field=field) from None
    if len(data) > max_bytes:
        raise UserError(_("{field}: {path} is too large ({size} bytes; at most {limit}).", field=field, path=path,
                          size=len(data), limit=max_bytes), field=field)
    if not data and not allow_empty:
        raise UserError(_("{field}: the file {path} is empty.", field=field, path=path), field=field)
    return data


def read_text(path: str | os.PathLike, *, max_bytes: int, field: str) -> str:
    """A UTF-8 text file (YAML, JSON, a passphrase); binary content is refused."""
    data = read_file(path, max_bytes=max_bytes, field=field)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        raise UserError(_("{field}: {path} is not a text file (UTF-8).", field=field, path=path), field=field)
    return text


def _nearest_existing(path: Path) -> Path:
    probe = path.absolute().parent
    while not os.path.lexists(probe) and probe != probe.parent:
        probe = probe.parent
    return probe


def _probe_folder(folder: Path, shown: Path, field: str) -> None:
    """Prove that files can be created in ``folder`` (permission bits do not bind root; a read-only disk does)."""
    try:
        st = os.stat(folder)
    except OSError as exc:
        raise UserError(_("{field}: cannot write {path}: {reason}.", field=field, path=shown, reason=reason(exc)),
                        field=field) from None
    if not stat.S_ISDIR(st.st_mode):
        raise UserError(_("{field}: cannot write {path}: {parent} is not a folder.", field=field, path=shown,
                          parent=folder), field=field)
    try:
        fd, name = tempfile.mkstemp(prefix=".vbdt-probe-", dir=folder)
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        raise UserError(_("{field}: cannot write {path}: no file can be created in {folder} ({reason}).",
                          field=field, path=shown, folder=folder, reason=reason(exc)), field=field) from None


def writable_output(path: str | os.PathLike, field: str) -> Path:
    """A file the command may create or replace: not a folder, not a device, in a folder that takes files."""
    path = as_path(path, field)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise UserError(_("{field}: cannot write {path}: {reason}.", field=field, path=path, reason=reason(exc)),
                        field=field) from None
    if st is not None:
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(path, st.st_mode, field)
        if not os.access(path, os.W_OK):
            raise UserError(_("{field}: cannot write {path}: {reason}.", field=field, path=path,
                              reason=_("permission denied")), field=field)
    _probe_folder(_nearest_existing(path), path, field)
    return path


def distinct_output(output: Path, field: str, *sources: Path | None) -> None:
    """An output must not overwrite one of the command's own inputs (a key file, a spec, a main document)."""
    if not output.exists():
        return
    for source in sources:
        if source is not None and source.exists() and os.path.samefile(output, source):
            raise UserError(_("{field}: {path} is also an input of this command; write to another file.",
                              field=field, path=output), field=field)


def writable_folder(path: str | os.PathLike, field: str) -> Path:
    """A folder the command may create or fill."""
    path = as_path(path, field)
    if os.path.lexists(path):
        if not path.is_dir():
            raise UserError(_("{field}: {path} is a file, not a folder.", field=field, path=path), field=field)
        _probe_folder(path, path, field)
    else:
        _probe_folder(_nearest_existing(path), path, field)
    return path


def existing_folder(path: str | os.PathLike, field: str) -> Path:
    """A folder that must already exist (something is read from it)."""
    path = as_path(path, field)
    if not path.exists():
        raise UserError(_("{field}: the folder {path} does not exist.", field=field, path=path), field=field)
    if not path.is_dir():
        raise UserError(_("{field}: {path} is a file, not a folder.", field=field, path=path), field=field)
    return path


def url(value: str, field: str, schemes: tuple[str, ...] = ("http", "https")) -> str:
    """An absolute URL with one of ``schemes``, a host and a valid port."""
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in schemes or not parts.hostname or any(c.isspace() for c in value):
        raise UserError(_("{field}: {value!r} is not a URL such as {example}.", field=field, value=value,
                          example=f"{schemes[0]}://127.0.0.1:8790"), field=field)
    return value.strip()


def database(value: str, field: str) -> str:
    """A SQLite file (created if absent) or an SQLAlchemy URL whose driver is installed."""
    if "://" in value:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError

        try:
            make_url(value).get_dialect().import_dbapi()
        except (ArgumentError, NoSuchModuleError, ValueError):
            raise UserError(_("{field}: {value!r} is not a database URL such as {example}.", field=field,
                              value=value, example="postgresql+psycopg://user@127.0.0.1/vbdt"),
                            field=field) from None
        except ImportError as exc:
            raise UserError(_("{field}: the database driver {name} is not installed.", field=field,
                              name=exc.name or value.split("://")[0]), field=field) from None
        return value
    if value == ":memory:":
        return value
    path = writable_output(value, field)
    if path.exists() and path.stat().st_size:
        if _head(path, field) != SQLITE_MAGIC:
            raise UserError(_("{field}: {path} is not a SQLite database.", field=field, path=path), field=field)
    return value


def _head(path: Path, field: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise UserError(_("{field}: cannot read {path}: {reason}.", field=field, path=path, reason=reason(exc)),
                        field=field) from None

"""Helpers shared by the command modules: output, exit codes, and parameter types that refuse bad input.

The parameter types check what a user typed before the command does any work
(``simulator.inputs`` holds the checks): a file to read must be a regular file
under its size cap, an output must be writable, a URL must be a URL, a number
must be in range. A refusal is a :class:`UserError`, one line in the user's
language naming the option.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click

from simulator import inputs
from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("vbdt")

MAX_PDF = 200 * inputs.MB       # the signing library's own cap (MAX_PDF_BYTES)
MAX_KEY = 1 * inputs.MB         # a .p12 holds a key and a short chain
MAX_PASSPHRASE = 64 * inputs.KB
MAX_TEXT = 4 * inputs.MB        # scenarios, document specs, ingest files, envelope descriptions
MAX_ENVELOPE = 300 * inputs.MB  # an edXML envelope carries its attachments in base64
MAX_ATTACHMENT = MAX_PDF


def echo_json(payload: Any) -> None:
    """Print JSON with Vietnamese kept readable (no \\u escapes)."""
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


def verdict_exit(ok: bool) -> None:
    """Exit 1 for a negative verdict (a signature that fails, an audit that finds damage)."""
    if not ok:
        sys.exit(1)


def typed(param: click.Parameter | None, ctx: click.Context | None) -> bool:
    """Whether the user gave the value (line or environment); a default place is checked where it is used."""
    if param is None or ctx is None:
        return True
    source = ctx.get_parameter_source(param.name)
    return source not in (click.core.ParameterSource.DEFAULT, click.core.ParameterSource.DEFAULT_MAP)


def field_of(param: click.Parameter | None) -> str:
    """How the user wrote the parameter: ``--out`` for an option, ``IN_PDF`` for an argument."""
    if param is None:
        return "?"
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return param.human_readable_name.upper()


class InputFile(click.ParamType):
    """A regular file to read, under ``max_bytes``; ``text`` (UTF-8), ``structured`` (YAML or JSON: not nested
    beyond what a parser can follow) or ``pdf`` content checked too. Syntax errors are left to the reader,
    which names the line."""

    name = "file"

    def __init__(self, max_bytes: int, *, text: bool = False, structured: bool = False, pdf: bool = False,
                 allow_empty: bool = False) -> None:
        self.max_bytes, self.text, self.pdf, self.allow_empty = max_bytes, text or structured, pdf, allow_empty
        self.structured = structured

    def convert(self, value, param, ctx) -> Path:
        field = field_of(param)
        if self.text:
            text = inputs.read_text(value, max_bytes=self.max_bytes, field=field)
            if self.structured:
                _parsable(text, Path(value), field)
            return Path(value)
        path = inputs.readable_file(value, max_bytes=self.max_bytes, field=field, allow_empty=self.allow_empty)
        if self.pdf:
            head = inputs.read_file(path, max_bytes=self.max_bytes, field=field)[:1024]
            if b"%PDF-" not in head:
                raise UserError(_("{field}: {path} is not a PDF file.", field=field, path=path), field=field)
        return path


def _parsable(text: str, path: Path, field: str) -> None:
    """Refuse YAML or JSON nested so deep that parsing it would exhaust Python's stack."""
    import yaml

    try:  # the pure-Python loader, as the readers use (libyaml stops at depth 1000 with a syntax error)
        yaml.load(text, Loader=yaml.SafeLoader)  # JSON is YAML: one parser answers for both
    except RecursionError:
        raise UserError(_("{field}: {path} is nested too deeply to be read.", field=field, path=path),
                        field=field) from None
    except (yaml.YAMLError, ValueError):
        pass  # the command's own reader reports the syntax error with its line


class OutputFile(click.ParamType):
    """A file the command writes (created with its folders, or replaced)."""

    name = "file"

    def convert(self, value, param, ctx) -> Path:
        return inputs.writable_output(value, field_of(param))


class OutputFolder(click.ParamType):
    """A folder the command creates or fills (a default one is checked by the command that uses it)."""

    name = "folder"

    def convert(self, value, param, ctx) -> Path:
        if not typed(param, ctx):
            return Path(value)
        return inputs.writable_folder(value, field_of(param))


class ExistingFolder(click.ParamType):
    """A folder that must exist (the command reads from it)."""

    name = "folder"

    def convert(self, value, param, ctx) -> Path:
        return inputs.existing_folder(value, field_of(param))


class Folder(click.ParamType):
    """A folder named by a default or an environment variable: anything but a file (the command says if empty)."""

    name = "folder"

    def convert(self, value, param, ctx) -> str:
        field = field_of(param)
        path = inputs.as_path(value, field)
        if path.exists() and not path.is_dir():
            raise UserError(_("{field}: {path} is a file, not a folder.", field=field, path=path), field=field)
        return str(value)


class Url(click.ParamType):
    """An absolute URL with one of ``schemes``."""

    name = "url"

    def __init__(self, schemes: tuple[str, ...] = ("http", "https")) -> None:
        self.schemes = schemes

    def convert(self, value, param, ctx) -> str:
        return inputs.url(value, field_of(param), self.schemes)


class SchedulerAddress(click.ParamType):
    """A Dask scheduler: tcp://host:port (host:port means tcp)."""

    name = "address"

    def convert(self, value, param, ctx) -> str:
        full = value if "://" in value else f"tcp://{value}"
        try:
            inputs.url(full, field_of(param), ("tcp", "tls", "ws", "wss", "inproc", "ucx"))
        except UserError:
            field = field_of(param)
            raise UserError(_("{field}: {value!r} is not a scheduler address such as {example}.", field=field,
                              value=value, example="tcp://127.0.0.1:8786"), field=field) from None
        return value


class Database(click.ParamType):
    """A SQLite file (created if absent) or, with ``urls_only``, only an SQLAlchemy URL."""

    name = "database"

    def __init__(self, urls_only: bool = False) -> None:
        self.urls_only = urls_only

    def convert(self, value, param, ctx) -> str:
        field = field_of(param)
        if self.urls_only and "://" not in value:
            raise UserError(_("{field}: {value!r} is not a database URL such as {example}.", field=field,
                              value=value, example="postgresql+psycopg://user@127.0.0.1/vbdt"), field=field)
        if not typed(param, ctx):  # the default file: checked by the command that opens it (use_database)
            return value
        return inputs.database(value, field)


def use_database(value: str, field: str = "--db") -> str:
    """Check the database a command is about to open (a default one included)."""
    return inputs.database(value, field)


class IsoDate(click.ParamType):
    """A calendar date written YYYY-MM-DD (kept as text: the library parses it)."""

    name = "date"

    def convert(self, value, param, ctx) -> str:
        try:
            date.fromisoformat(value)
        except (TypeError, ValueError):
            field = field_of(param)
            raise UserError(_("{field}: expected a date as YYYY-MM-DD, got {value!r}.", field=field, value=value),
                            field=field) from None
        return value


class IsoTime(click.ParamType):
    """A moment written in ISO 8601 with its time zone (kept as text: the command parses it)."""

    name = "time"

    def convert(self, value, param, ctx) -> str:
        from datetime import datetime

        try:
            zoned = datetime.fromisoformat(value).tzinfo is not None
        except (TypeError, ValueError):
            zoned = None
        if not zoned:
            field = field_of(param)
            raise UserError(_("{field}: expected a time with its zone such as {example}, got {value!r}.", field=field,
                              example="2026-03-02T09:15:30+07:00", value=value), field=field)
        return value


@contextmanager
def naming(path: Path, field: str):
    """Refusals about a file's content name the file (the library speaks of the content only)."""
    try:
        yield
    except UserError as exc:
        if str(path) in str(exc) or path.name in str(exc):
            raise
        raise UserError(f"{field} {path.name}: {exc}", field=field) from None


def require_store(value: str, field: str = "--db") -> None:
    """For a look-up: a database file that does not exist holds nothing to find, and is not created to say so."""
    if "://" in value or value == ":memory:" or Path(value).exists():
        return
    raise UserError(_("{field}: there is no database at {path} yet; nothing has been recorded there.", field=field,
                      path=value), field=field)


def read_envelope(path: Path, field: str = "FILE") -> bytes:
    """The bytes of an edXML envelope or status package, refused before any database is opened if invalid."""
    from simulator.routing import edxml

    data = inputs.read_file(path, max_bytes=MAX_ENVELOPE, field=field)
    with naming(path, field):
        edxml.read(data)
    return data


class IntRange(click.IntRange):
    """A whole number between two bounds, refused in the user's language."""

    def __init__(self, low: int, high: int) -> None:
        super().__init__(low, high)

    def convert(self, value, param, ctx) -> int:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            field = field_of(param)
            raise UserError(_("{field}: {value!r} is not a whole number from {low} to {high}.", field=field,
                              value=value, low=self.min, high=self.max), field=field) from None


def port_type() -> IntRange:
    """A TCP port: 0 (any free port) to 65535."""
    return IntRange(0, 65535)


SEED = IntRange(0, 2 ** 32 - 1)


def free_port(port: int, host: str = "127.0.0.1", field: str = "--port") -> None:
    """Refuse a port another program listens on, before anything is opened or written."""
    import socket

    if port == 0:
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise UserError(_("{field}: cannot listen on port {port}: {reason}.", field=field, port=port,
                              reason=inputs.reason(exc)), field=field) from None


class Choice(click.Choice):
    """One of a fixed list, refused in the user's language."""

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            field = field_of(param)
            raise UserError(_("{field}: {value!r} is not one of: {choices}.", field=field, value=value,
                              choices=", ".join(map(str, self.choices))), field=field) from None


STRUCTURE = Choice(["2024", "2025"])

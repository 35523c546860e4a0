"""A real PostgreSQL server for the tests (pytest plugin, registered from tests/conftest.py).

``pg_server`` (session): Debian's ``initdb``/``pg_ctl`` (the newest
/usr/lib/postgresql/<version>/bin) build a cluster in a private temporary
folder and start it listening on a Unix socket in that folder only (no TCP
port, so parallel workers never collide). Each pytest-xdist worker starts
its own server once, on first use, and stops it at the end. As root (CI),
the server runs as the ``postgres`` system user (a ``vbdt-pg`` user is
created when there is none): initdb refuses to run as root.

``db`` (per test, parametrised "sqlite" and "postgresql"): ``db("registers")``
gives a SQLite file path or the URL of a fresh PostgreSQL database, the same
one for the same name within a test; the databases are dropped afterwards.
Tests written against ``db`` run unchanged on both.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

PACKAGE = "postgresql"
SERVICE_USER = "postgres"
FALLBACK_USER = "vbdt-pg"
DB_USER = "vbdt"
BACKENDS = ("sqlite", "postgresql")


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: [int(x) for x in re.findall(r"\d+", p)])
    if not found:
        pytest.fail(f"PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql: "
                    f"install the Debian package '{PACKAGE}' (apt-get install -y {PACKAGE})", pytrace=False)
    return Path(found[-1]).parent


def _service_user() -> str | None:
    """None: run as ourselves. As root: the postgres account, or a dedicated one made now."""
    if os.geteuid() != 0:
        return None
    for name in (SERVICE_USER, FALLBACK_USER):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            pass
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", FALLBACK_USER],
                   capture_output=True)  # may lose a race with another worker: checked just below
    pwd.getpwnam(FALLBACK_USER)
    return FALLBACK_USER


class PgServer:
    def __init__(self, bin_dir: Path, user: str | None) -> None:
        self.bin_dir, self.user = bin_dir, user
        self.root = Path(tempfile.mkdtemp(prefix="vbdt-pg-"))
        self.data, self.socket_dir, self.log = self.root / "data", self.root / "run", self.root / "server.log"
        self.socket_dir.mkdir()
        if user is not None:
            entry = pwd.getpwnam(user)
            for path in (self.root, self.socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self.root.chmod(0o711)

    def _run(self, *args: str, timeout: float = 120) -> None:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if self.user is not None:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        done = subprocess.run(cmd, cwd=self.root, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}{done.stderr}{log}")

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", DB_USER, "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        options = (f"-k {self.socket_dir} -c listen_addresses='' -c max_connections=200 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        """The socket form of the SQLAlchemy URL (``postgresql+psycopg://user@/db?host=/folder``)."""
        return f"postgresql+psycopg://{DB_USER}@/{database}?host={self.socket_dir}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), dbname="postgres", user=DB_USER, autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self, prefix: str = "t") -> str:
        name = f"{re.sub(r'[^a-z0-9_]', '_', prefix.lower())[:30]}_{uuid.uuid4().hex[:10]}"
        self.admin(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # FORCE: ends pooled connections


@pytest.fixture(scope="session")
def pg_server():
    server = PgServer(_bin_dir(), _service_user())
    try:
        server.start()
        yield server
    finally:
        server.stop()


class Databases:
    """``db(name)``: the same database for the same name within one test."""

    def __init__(self, backend: str, folder: Path, server: PgServer | None) -> None:
        self.backend, self.folder, self.server = backend, folder, server
        self.made: dict[str, str] = {}

    def __call__(self, name: str = "db") -> str:
        if name not in self.made:
            if self.server is None:
                self.made[name] = str(self.folder / f"{name}.sqlite")
            else:
                self.made[name] = self.server.url(self.server.create_database(name))
        return self.made[name]

    @property
    def postgresql(self) -> bool:
        return self.server is not None

    def cleanup(self) -> None:
        if self.server is None:
            return
        from simulator.routing.db import dispose

        for url in self.made.values():
            dispose(url)
            self.server.drop_database(url.rsplit("/", 1)[1].split("?")[0])


@contextlib.contextmanager
def database(request, backend: str, name: str = "db"):
    """For fixtures of any scope: None for SQLite (the caller's default file), else a fresh PostgreSQL
    database's URL, dropped afterwards."""
    if backend == "sqlite":
        yield None
        return
    server = request.getfixturevalue("pg_server")
    database = server.create_database(name)
    try:
        yield server.url(database)
    finally:
        server.drop_database(database)


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    server = request.getfixturevalue("pg_server") if request.param == "postgresql" else None
    dbs = Databases(request.param, tmp_path, server)
    yield dbs
    dbs.cleanup()

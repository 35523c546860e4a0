"""The official mail server: Dovecot (IMAP + LMTP) and the submission service, run from a work folder.

Dovecot 2.3 runs as an ordinary child process with a configuration generated
in the folder by :mod:`simulator.mail.dovecot`: ``base_dir``, ``state_dir``, the mailboxes, the
logs and the pid files all live there, every listener is on 127.0.0.1, and
the password database is the folder's ``passwd`` file of SHA512-CRYPT hashes
written by :mod:`simulator.mail.accounts`. SMTP submission (with
authentication against the same file) is :mod:`simulator.mail.submission`,
an aiosmtpd process that queues each accepted message on disk, fsynced,
before it answers, and delivers the queue into Dovecot over LMTP.

Folder layout::

    dovecot.conf  server.json  passwd  accounts.json
    run/     Dovecot's base_dir (sockets, master.pid)   state/   its state_dir
    mail/<domain>/<local>/   one Maildir per account    log/     dovecot.log, submission.log, delivery.jsonl
    queue/   new/ (accepted, not yet delivered)  tmp/ (being written)
"""

from __future__ import annotations

import json
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from simulator.errors import UserError
from simulator.i18n import translator
from simulator.inputs import reason
from simulator.mail.dovecot import Ports, dovecot_binary, dovecot_conf, identity

_ = translator("mail")

MAX_MESSAGE = 25 * 1024 * 1024   # what submission accepts (SIZE); Dovecot takes what submission passes
START_TIMEOUT = 20.0             # how long start() waits for the listeners before it gives up


def _alive(pid: int | None) -> bool:
    """A running process (a zombie awaiting its parent counts as gone)."""
    if not pid:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def _answers(port: int, greeting: bytes) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            return sock.recv(200).startswith(greeting)
    except OSError:
        return False


def free_ports(n: int = 3) -> list[int]:
    """Ports free right now on 127.0.0.1 (for tests and benchmarks: one server per worker)."""
    socks, ports = [], []
    try:
        for _i in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in socks:
            s.close()
    return ports


def check_ports(ports: Ports) -> None:
    """Refuse a port another program listens on (one line naming the option), before anything is written."""
    fields = {"smtp": "--port", "imap": "--imap-port", "lmtp": "--lmtp-port"}
    values = asdict(ports)
    if len(set(values.values())) < 3:
        raise UserError(_("The SMTP, IMAP and LMTP ports must differ ({ports}).",
                          ports=", ".join(map(str, values.values()))), field="--port")
    for name, port in values.items():
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError as exc:
                raise UserError(_("{field}: cannot listen on port {port}: {reason}.", field=fields[name], port=port,
                                  reason=reason(exc)), field=fields[name]) from None


@dataclass(frozen=True)
class Status:
    folder: str
    dovecot_pid: int | None
    submission_pid: int | None
    ports: dict | None
    queued: int

    @property
    def running(self) -> bool:
        return self.dovecot_pid is not None and self.submission_pid is not None


class MailServer:
    """Dovecot and the submission service of one mail folder."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder).absolute()

    @property
    def conf(self) -> Path:
        return self.folder / "dovecot.conf"

    def _config(self) -> dict | None:
        try:
            return json.loads((self.folder / "server.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def ports(self) -> Ports | None:
        config = self._config()
        return Ports(**config["ports"]) if config else None

    def status(self) -> Status:
        from simulator.mail.spool import Spool

        dovecot = _read_pid(self.folder / "run" / "master.pid")
        submission = _read_pid(self.folder / "submission.pid")
        config = self._config()
        return Status(str(self.folder), dovecot if _alive(dovecot) else None,
                      submission if _alive(submission) else None, config["ports"] if config else None,
                      Spool(self.folder).count())

    def _prepare(self, ports: Ports, domain: str, max_message: int) -> None:
        for sub in ("run", "state", "log", "mail", "queue"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            who = identity()
            os.chmod(self.folder, 0o711)  # the mailboxes' owner must pass through to mail/
            os.chown(self.folder / "mail", who.uid, who.gid)
            _check_reachable(self.folder / "mail")
        passwd = self.folder / "passwd"
        if not passwd.exists():
            passwd.touch(mode=0o640)
        config = {"domain": domain, "ports": asdict(ports), "max_message": max_message}
        (self.folder / "server.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
        self.conf.write_text(dovecot_conf(self.folder, ports), encoding="utf-8")

    def refuse_running(self) -> None:
        """One line when a server (or half of one: Dovecot or the submission service) already runs here."""
        current = self.status()
        if current.dovecot_pid or current.submission_pid:
            raise UserError(_("A mail server already runs in {folder} (stop it first: vbdt mail stop).",
                              folder=self.folder), field="--folder")

    def start(self, ports: Ports | None = None, *, domain: str | None = None, max_message: int = MAX_MESSAGE) -> Status:
        """Start Dovecot and the submission service (both left running); return when both answer."""
        self.refuse_running()
        binary = dovecot_binary()
        stale = self.folder / "run" / "master.pid"
        if stale.exists() and not _alive(_read_pid(stale)):  # left by a crash (a zombie still counts for Dovecot)
            stale.unlink()
        if ports is None:
            ports = self.ports() or Ports(*free_ports(3))
        check_ports(ports)
        from simulator.mail.accounts import MailBook

        self._prepare(ports, domain or MailBook(self.folder).domain, max_message)
        with tempfile.TemporaryFile() as said:  # not a pipe: the daemon keeps it open after it forks
            done = subprocess.run([binary, "-c", str(self.conf)], stdin=subprocess.DEVNULL, stdout=said,
                                  stderr=subprocess.STDOUT)
            said.seek(0)
            lines = said.read().decode("utf-8", "replace").strip().splitlines()
        if done.returncode != 0:
            raise UserError(_("Dovecot did not start: {reason}", reason=(lines or ["?"])[-1]))
        log = (self.folder / "log" / "submission.log").open("ab")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(Path(__file__).parents[2]),
                                                                         os.environ.get("PYTHONPATH")])))
        self._child = subprocess.Popen([sys.executable, "-m", "simulator.mail.submission", str(self.folder)],
                                       stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env,
                                       start_new_session=True, cwd=self.folder)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._child.poll() is not None:
                break
            if (_answers(ports.imap, b"* OK") and _answers(ports.smtp, b"220")
                    and _read_pid(self.folder / "submission.pid") == self._child.pid):
                return self.status()
            time.sleep(0.02)
        self.stop()
        raise UserError(_("The mail server did not answer within {n} s; see {log}.", n=int(START_TIMEOUT),
                          log=self.folder / "log"))

    def stop(self, *, timeout: float = 15.0) -> bool:
        """Stop both (SIGTERM, then wait); False when nothing was running."""
        return self._signal(signal.SIGTERM, timeout)

    def kill(self, *, dovecot: bool = True, submission: bool = True) -> None:
        """SIGKILL them, as a crash would (tests)."""
        self._signal(signal.SIGKILL, 15.0, dovecot=dovecot, submission=submission)

    def _signal(self, sig: int, timeout: float, *, dovecot: bool = True, submission: bool = True) -> bool:
        current = self.status()
        pids = [p for p, wanted in ((current.dovecot_pid, dovecot), (current.submission_pid, submission))
                if p and wanted]
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        child = getattr(self, "_child", None)
        deadline = time.monotonic() + timeout
        while any(_alive(p) for p in pids) and time.monotonic() < deadline:
            if child is not None:
                child.poll()
            time.sleep(0.02)
        if child is not None and submission and child.pid in pids:
            try:
                child.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        if sig == signal.SIGKILL and dovecot:  # a crashed Dovecot's children exit once the master is gone
            self._wait_listeners_gone(deadline)
        return bool(pids)

    def _wait_listeners_gone(self, deadline: float) -> None:
        ports = self.ports()
        while ports and time.monotonic() < deadline and (_answers(ports.imap, b"") or _answers(ports.lmtp, b"")):
            time.sleep(0.05)


def settle_passwd(folder: str | os.PathLike) -> bool:
    """Return once a running Dovecot sees the passwd-file just written (False at once when none runs).

    Dovecot checks a passwd-file for changes at most once a second (by its time stamp in whole seconds),
    so an account made just after a login would be unknown for up to a second, and two rewrites within
    one second could look like one. Waiting into the next second settles both; a SIGHUP would too, but
    it drops the connections that arrive while Dovecot reloads."""
    if not _alive(_read_pid(Path(folder) / "run" / "master.pid")):
        return False
    now = time.time()
    time.sleep(math.floor(now) + 1.02 - now)
    return True


def _check_reachable(path: Path) -> None:
    """As root, the mailboxes belong to nobody: every folder above them must let others pass (x)."""
    for parent in path.resolve().parents:
        if not parent.stat().st_mode & 0o001:
            raise UserError(_("--folder: the mailboxes' owner (nobody) cannot reach {path}: {parent} lets no other "
                              "user through; choose a folder elsewhere (e.g. under /tmp) or run as an ordinary "
                              "user.", path=path.parent, parent=parent), field="--folder")

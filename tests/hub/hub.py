"""A real JupyterHub for the tests: Unix accounts, the hub started from ``courses/jupyterhub_config.py`` with
configurable-http-proxy, PAM logins, and the calls a user's browser or a grader's terminal would make.

Everything here runs as real processes under real accounts: the hub (root, as on a server), each user's
server (LocalProcessSpawner, as that user), the grader's commands (``runuser``), the trainee's desk work
(code sent to a kernel of the trainee's own server).
"""

from __future__ import annotations

import asyncio
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "courses" / "jupyterhub_config.py"
BIN = Path(sys.executable).parent
COURSE = "can-bo-xa"
GRADER = f"grader-{COURSE}"
INSTRUCTOR = "gv-hub"
TRAINEES = ("hv-hub-1", "hv-hub-2", "hv-hub-3")
PROXY = Path(sys.prefix) / "node" / "node_modules" / ".bin" / "configurable-http-proxy"


def _reachable_by_others(path: Path) -> bool:
    path = path.resolve()
    return all(p.stat().st_mode & 0o001 for p in (path, *path.parents))


def open_to_accounts(*paths: Path) -> list[tuple[Path, int]]:
    """Let other accounts pass through the folders above ``paths`` (the execute bit only, no listing): a clone
    in a private folder (``mktemp -d`` is 0700, a home under /root) is otherwise out of the test accounts'
    reach, and with it the project they import. Returns what to give back to :func:`restore_modes`."""
    changed = []
    for path in paths:
        for folder in (path.resolve(), *path.resolve().parents):
            mode = folder.stat().st_mode
            if not mode & 0o001 and folder not in [f for f, _m in changed]:
                folder.chmod((mode & 0o7777) | 0o001)
                changed.append((folder, mode & 0o7777))
    return changed


def restore_modes(changed: list[tuple[Path, int]]) -> None:
    for folder, mode in reversed(changed):
        folder.chmod(mode)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)      # instant, and no space, on the same file system
    except OSError:
        shutil.copy2(source, target)


def python_for_accounts(base: Path) -> tuple[Path, dict[str, str]]:
    """A ``bin/`` the test accounts can run, and the environment it needs: this environment's, or, when its
    Python lives where other accounts cannot reach it (pyenv under /root), a hard-linked copy of that Python
    in ``base`` with a thin environment that reads this environment's packages and shares its Jupyter data and
    settings (a Python installed for everybody, as on a real hub server)."""
    if _reachable_by_others(Path(sys.executable)):
        return BIN, {}
    prefix, python = Path(sys.base_prefix), base / "cpython"
    shutil.copytree(prefix, python, symlinks=True, copy_function=_link_or_copy,   # its own packages are not used
                    ignore=shutil.ignore_patterns("site-packages", "test", "idle_test", "tkinter", "ensurepip"))
    extra = {"LD_LIBRARY_PATH": str(python / "lib")}   # its libpython, found through an absolute RUNPATH otherwise
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    env = base / "python"
    subprocess.run([str(python / "bin" / version), "-m", "venv", "--without-pip", str(env)], check=True,
                   capture_output=True, env={**os.environ, **extra})
    site = env / "lib" / version / "site-packages"
    mine = Path(sys.prefix) / "lib" / version / "site-packages"
    (site / "vbdt-lab.pth").write_text(f"import site; site.addsitedir({str(mine)!r})\n")
    for name in ("share", "etc"):   # lab extensions, language pack, kernels; nbgrader's server extensions
        (env / name).symlink_to(Path(sys.prefix) / name)
    shebang = f"#!{BIN / 'python'}"
    for script in BIN.iterdir():
        target = env / "bin" / script.name
        if script.is_file() and not target.exists() and not script.name.startswith(("python", "activate")):
            if script.read_bytes()[:200].startswith(shebang.encode()):
                target.write_text(f"#!{env / 'bin' / 'python'}" + script.read_text()[len(shebang):])
                target.chmod(0o755)
    for folder in (base, env, *env.rglob("*")):
        if folder.is_dir() and not folder.is_symlink():
            folder.chmod(0o755)
    return env / "bin", extra


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def proxy_command() -> str | None:
    return str(PROXY) if PROXY.exists() else shutil.which("configurable-http-proxy")


def why_not_here() -> str | None:
    """The reason this machine cannot run a hub with real accounts, or None."""
    if os.geteuid() != 0:
        return "the hub test creates Unix accounts and spawns servers as them: run as root (CI is)"
    for tool in ("useradd", "userdel", "chpasswd", "runuser"):
        if not shutil.which(tool):
            return f"{tool} is missing"
    if not shutil.which("jupyterhub", path=str(BIN)):
        return "jupyterhub is not installed in this environment (pip install -e '.[test]')"
    if not proxy_command():
        return "configurable-http-proxy is missing (make test installs it from npm into .venv/node)"
    return None


@dataclass
class Account:
    name: str
    home: Path
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12))


def _pids_of(user: str) -> list[int]:
    out = subprocess.run(["ps", "-u", user, "-o", "pid="], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def remove_account(name: str) -> None:
    """Stop the processes the test started under ``name`` (by their ids), then delete the account and its home."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        return
    for pid in _pids_of(name):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    subprocess.run(["userdel", "-r", "-f", name], capture_output=True)


def create_account(name: str, homes: Path) -> Account:
    remove_account(name)   # a run that was killed may have left it
    account = Account(name, homes / name)
    subprocess.run(["useradd", "--create-home", "--home-dir", str(account.home), "--shell", "/bin/bash",
                    "--user-group", name], check=True, capture_output=True)
    account.home.chmod(0o700)   # nobody else reads a trainee's work
    subprocess.run(["chpasswd"], input=f"{name}:{account.password}\n", text=True, check=True, capture_output=True)
    return account


def run_as(account: Account, args: list[str], *, cwd: Path | None = None, env: dict | None = None,
           check: bool = True, bin_dir: Path = BIN, python_env: dict | None = None) -> subprocess.CompletedProcess:
    """A command in a process of ``account`` (as a grader types it in their terminal); messages in Vietnamese."""
    base = {"HOME": str(account.home), "USER": account.name, "LOGNAME": account.name,
            "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", **(python_env or {})}
    command = ["runuser", "-u", account.name, "--", "env", "-i",
               *[f"{k}={v}" for k, v in {**base, **(env or {})}.items()], *args]
    done = subprocess.run(command, cwd=cwd or account.home, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(args)} as {account.name} failed ({done.returncode}):\n"
                             f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


def browser_login(page, hub_url: str, account: Account, password: str | None = None) -> None:
    """The hub's sign-in page, filled in as a person does (headless Chromium through Playwright)."""
    page.goto(f"{hub_url}/hub/login", timeout=60_000)
    page.fill("#username_input", account.name)
    page.fill("#password_input", password or account.password)
    page.click("#login_submit")


class Hub:
    """``jupyterhub -f courses/jupyterhub_config.py`` on free loopback ports, its state in ``state``."""

    def __init__(self, state: Path, homes: Path, env: dict[str, str], bin_dir: Path = BIN,
                 python_env: dict | None = None):
        self.state, self.homes, self.bin = state, homes, bin_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = state / "jupyterhub.log"
        self.env = {**os.environ, "PATH": f"{bin_dir}:{Path(proxy_command()).parent}:{os.environ.get('PATH', '')}",
                    "VBDT_HUB_STATE": str(state), "VBDT_HOME_ROOT": str(homes),
                    "VBDT_HUB_PORT": str(self.port), "VBDT_HUB_API_PORT": str(free_port()),
                    "VBDT_HUB_PROXY_API_PORT": str(free_port()), "VBDT_HUB_SERVICE_PORT": str(free_port()),
                    "VBDT_HUB_COURSES": COURSE, **(python_env or {}), **env}
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 120) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen([str(self.bin / "jupyterhub"), "-f", str(CONFIG)], cwd=self.state, env=self.env,
                                        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError("JupyterHub stopped:\n" + self.log())
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise AssertionError("JupyterHub did not answer:\n" + self.log())

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)   # the hub stops the users' servers and the proxy
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        for pid_file in ("jupyterhub-proxy.pid",):
            path = self.state / pid_file
            if path.exists():   # a proxy the hub could not stop
                try:
                    os.kill(int(path.read_text().strip()), signal.SIGTERM)
                except (ValueError, ProcessLookupError):
                    pass

    # --- what a user does -------------------------------------------------------------------------------

    def login(self, account: Account, password: str | None = None) -> requests.Session:
        """The hub's login form, as a browser posts it; PAM checks the password."""
        session = requests.Session()
        session.get(f"{self.url}/hub/login", timeout=30).raise_for_status()
        answer = session.post(f"{self.url}/hub/login", allow_redirects=False, timeout=60, data={
            "username": account.name, "password": password or account.password,
            "_xsrf": session.cookies.get("_xsrf", "")})
        session.login_status = answer.status_code
        return session

    def token(self, account: Account) -> str:
        session = self.login(account)
        assert session.login_status == 302, (session.login_status, self.log())
        answer = session.post(f"{self.url}/hub/api/users/{account.name}/tokens", timeout=30,
                              json={"note": "vbdt hub test", "expires_in": 3600},
                              headers={"X-XSRFToken": session.cookies.get("_xsrf", "")})
        assert answer.status_code == 201, answer.text
        return answer.json()["token"]

    def api(self, token: str, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, f"{self.url}{path}", headers={"Authorization": f"token {token}"},
                                timeout=kwargs.pop("timeout", 300), **kwargs)

    def spawn(self, accounts: list[Account], tokens: dict[str, str], timeout: float = 300) -> None:
        """Start the users' servers (all at once, as a class arriving) and wait until each is ready."""
        for account in accounts:
            answer = self.api(tokens[account.name], "POST", f"/hub/api/users/{account.name}/server")
            assert answer.status_code in (201, 202), answer.text
        waiting = list(accounts)
        deadline = time.monotonic() + timeout
        while waiting and time.monotonic() < deadline:
            for account in list(waiting):
                model = self.api(tokens[account.name], "GET", f"/hub/api/users/{account.name}").json()
                if (model.get("servers", {}).get("") or {}).get("ready"):
                    waiting.remove(account)
            time.sleep(0.5)
        if waiting:
            raise AssertionError(f"servers of {[a.name for a in waiting]} did not start:\n" + self.log())

    def server(self, account: Account, token: str, method: str, path: str, **kwargs) -> requests.Response:
        """A call to the user's own server, through the proxy (what their JupyterLab does)."""
        return self.api(token, method, f"/user/{account.name}{path}", **kwargs)

    def run_in_kernel(self, account: Account, token: str, notebook: str, code: str, timeout: float = 600) -> str:
        """Run ``code`` in a kernel of the user's server opened for ``notebook`` (its folder is the cwd)."""
        session = self.server(account, token, "POST", "/api/sessions", json={
            "path": notebook, "type": "notebook", "name": Path(notebook).name, "kernel": {"name": "python3"}})
        assert session.status_code == 201, session.text
        model = session.json()
        try:
            ws = f"ws://127.0.0.1:{self.port}/user/{account.name}/api/kernels/{model['kernel']['id']}/channels"
            return asyncio.run(_execute(ws, token, code, timeout))
        finally:
            self.server(account, token, "DELETE", f"/api/sessions/{model['id']}")


async def _execute(url: str, token: str, code: str, timeout: float) -> str:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    connection = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {token}"}))
    msg_id = uuid.uuid4().hex
    connection.write_message(json.dumps({
        "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex, "msg_type": "execute_request",
                   "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True}}))
    out: list[str] = []
    replied = idle = False
    deadline = time.monotonic() + timeout
    while True:
        raw = await asyncio.wait_for(connection.read_message(), max(1.0, deadline - time.monotonic()))
        if raw is None:
            raise AssertionError("the kernel's connection closed")
        message = json.loads(raw)
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = message["header"]["msg_type"]
        if kind == "stream":
            out.append(message["content"]["text"])
        elif kind == "error":
            raise AssertionError("\n".join(message["content"]["traceback"])[-3000:])
        elif kind == "execute_reply":
            replied = True
        elif kind == "status" and message["content"]["execution_state"] == "idle":
            idle = True
        if replied and idle:   # the reply (shell) and the last output (iopub) may come in either order
            connection.close()
            return "".join(out)

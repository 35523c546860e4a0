"""A JupyterLab started as ``make lab`` starts it, for the browser tests; Chromium's path and flags.

Needs Debian's Chromium (``.ci/run`` installs it). Elsewhere the tests skip
with the reason; in CI a missing Chromium fails. Screenshots go to
``out/screenshots/`` for people to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "out" / "screenshots"
TOKEN = "vbdt-test-token"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing in CI: .ci/run must install it")
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium to run the browser test")


@contextmanager
def running_lab(root: Path, work: Path, log: Path, *, trainee: bool = False):
    """JupyterLab on 127.0.0.1 over ``root`` with the Vietnamese interface installed; yields its base URL.

    ``trainee``: the trainee configuration `make lab` puts on JUPYTER_CONFIG_PATH (nbgrader's
    instructor tools hidden, the exchange set up) and a fresh workspace."""
    from simulator.lab.setup_jupyter import TRAINEE_CONFIG, install

    install(sys.prefix)  # as the Makefile's install step does
    port = free_port()
    env = {**os.environ, "VBDT_WORK": str(work), "VBDT_LANG": "vi",
           "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
    args = [sys.executable, "-m", "jupyterlab", "--ip=127.0.0.1", f"--port={port}", "--no-browser",
            f"--IdentityProvider.token={TOKEN}", "--ServerApp.allow_root=True", f"--ServerApp.root_dir={root}"]
    if trainee:
        env["JUPYTER_CONFIG_PATH"] = str(TRAINEE_CONFIG)
        args.append(f"--LabApp.workspaces_dir={root.parent / (root.name + '-workspaces')}")  # nothing reopened
    with log.open("wb") as sink:
        server = subprocess.Popen(args, env=env, stdout=sink, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start: " + log.read_text(errors="replace")[-2000:])
    try:
        yield base
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


def run_all(page, url: str, *, idle=None) -> None:
    """Open the notebook at ``url`` as a trainee does and choose Run > Run All Cells in the Vietnamese menu.

    ``idle``: the locator that says the kernel is ready (default: the notebook's execution indicator)."""
    page.goto(url)
    page.get_by_text("Tệp", exact=True).first.wait_for(timeout=60_000)   # the Lab, in Vietnamese
    page.locator(".jp-Notebook").first.wait_for(timeout=60_000)
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    try:  # "choose a kernel" may pop up while the kernel list loads: take the default
        accept.wait_for(timeout=8_000)
        accept.click()
    except Exception:
        pass
    (idle or page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).wait_for(timeout=60_000)
    page.get_by_text("Chạy", exact=True).first.click()  # the "Run" menu
    page.locator('li[data-command="runmenu:run-all"]').click()

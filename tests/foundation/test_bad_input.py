"""Every bad input is a refusal: a walk over the whole ``vbdt`` command tree (``bad_input_walk.py``).

Each parameter of every command gets the bad values of its kind - missing path, folder, unreadable file,
unwritable output, device, FIFO, oversized, empty, binary and too deeply nested files, paths with a NUL
byte, non-URLs, out-of-range numbers, a wrong passphrase, a certificate from another PKI - through the
command line and through the environment variables, and click's own usage errors are provoked for every
command. The contract (ARCHITECTURE.md): exit 2, one line on stderr in the user's language, no traceback,
nothing changed on disk.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
import pytest

from tests.foundation.bad_input_walk import (CASES, CHILD, CONTENT, IN_PROCESS_ONLY, LEAVES, SERVERS, Case, World,
                                             argv_for, bad_value, build_world, check, good_value, key_of, kind_of,
                                             own_params, path_of, run, run_child, snapshot)


def test_every_parameter_is_classified():
    """A new parameter must say what it takes, so that the walk can feed it bad values."""
    unclassified = [f"{path_of(levels)} {key_of(p)}" for levels in LEAVES for _n, c in levels
                    for p in own_params(c) if kind_of(levels, p) == "unclassified"]
    assert not unclassified


def test_numbers_have_ranges():
    """Every number has both bounds, so that an out-of-range value is refused by its type."""
    unbounded = [f"{path_of(levels)} {key_of(p)}" for levels in LEAVES for _n, c in levels for p in own_params(c)
                 if kind_of(levels, p) == "int"
                 and not (isinstance(p.type, click.IntRange) and p.type.min is not None and p.type.max is not None)]
    assert not unbounded


def test_the_walk_covers_the_tree():
    paths = {path_of(levels) for levels in LEAVES}
    assert {"sign", "verify", "simulate", "doc sample", "axis send", "archive ingest", "pki serve"} <= paths
    assert len(CASES) > 300


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    return build_world(tmp_path_factory.mktemp("bad-input"))

@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for var in list(os.environ):
        if var.startswith("VBDT_") and var != "VBDT_LANG":
            monkeypatch.delenv(var)
    monkeypatch.setenv("VBDT_LANG", "vi")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input_is_refused(case: Case, world: World, clean_env, capsys):
    cwd = clean_env
    argv, value = argv_for(world, case, cwd)
    before = snapshot(cwd, world.root)
    child = case.bad in CHILD or path_of(case.levels) in SERVERS
    code, err = run(argv, cwd, capsys, child)
    check(case, code, err, before, snapshot(cwd, world.root), value, "vi")


# One case of each kind of refusal, in English on request (--lang en anywhere on the line).
SAMPLE = list({c.bad: c for c in CASES if c.bad not in CHILD and path_of(c.levels) not in SERVERS}.values())


@pytest.mark.parametrize("case", SAMPLE, ids=lambda c: c.id)
def test_english_on_request(case: Case, world: World, clean_env, capsys):
    cwd = clean_env
    argv, value = argv_for(world, case, cwd)
    before = snapshot(cwd, world.root)
    code, err = run(argv + ["--lang", "en"], cwd, capsys, child=False)
    check(case, code, err, before, snapshot(cwd, world.root), value, "en")


# The same values through the environment variables the options read (VBDT_PKI, VBDT_AXIS_URL, ...).
ENV_CASES = [c for c in CASES if c.param is not None
             and c.bad not in CHILD | CONTENT | IN_PROCESS_ONLY | {"omitted", "no-value"}
             and path_of(c.levels) not in SERVERS
             and next(p for p in own_params(c.levels[c.level][1]) if p.name == c.param).envvar]
ENV_CASES = list({(path_of(c.levels[:c.level + 1]), c.param, c.bad): c for c in ENV_CASES}.values())


@pytest.mark.parametrize("case", ENV_CASES, ids=lambda c: c.id)
def test_bad_environment_variable(case: Case, world: World, clean_env, capsys, monkeypatch):
    cwd = clean_env
    param = next(p for p in own_params(case.levels[case.level][1]) if p.name == case.param)
    value = bad_value(world, param, case.bad)
    monkeypatch.setenv(param.envvar, value)
    bare = Case(case.levels, None, None, "env")
    argv, _value = argv_for(world, bare, cwd)
    flag = param.opts[0]
    if flag in argv:  # the option given on the line would win over the variable
        i = argv.index(flag)
        del argv[i:i + 2]
    before = snapshot(cwd, world.root)
    code, err = run(argv, cwd, capsys, child=False)
    check(Case(case.levels, case.level, case.param, "env"), code, err, before, snapshot(cwd, world.root), value,
          "vi")


def test_no_passphrase_and_no_terminal(world: World, clean_env):
    """Without a passphrase file, VBDT_PASSPHRASE or a terminal to ask on: a refusal, not a hang."""
    cwd = clean_env
    argv = ["sign", str(world.pdf), "--as", str(world.p12), "--pki", str(world.pki), "--out", str(cwd / "o.pdf")]
    before = snapshot(cwd, world.root)
    code, err = run_child(argv, cwd)
    check(Case(LEAVES[0], None, None, "no-command"), code, err, before, snapshot(cwd, world.root), None, "vi")


@pytest.mark.parametrize("bad", ["device", "fifo", "directory", "huge", "missing"])
def test_ingest_file_naming_a_bad_document(bad: str, world: World, clean_env):
    """The documents an ingest file lists are inputs too: checked before the archive is opened."""
    import yaml

    cwd = clean_env
    spec = cwd / "ingest.yaml"
    spec.write_text(yaml.safe_dump({"record": {"file_code": "01.01", "title": "Hồ sơ", "maintenance": "5y"},
                                    "documents": [{"path": str(world.bad[bad])}]}, allow_unicode=True),
                    encoding="utf-8")
    before = snapshot(cwd, world.root)
    code, err = run_child(["archive", "--folder", str(cwd / "luu-tru"), "ingest", str(spec)], cwd)
    check(Case(LEAVES[0], None, None, "no-command"), code, err, before, snapshot(cwd, world.root), None, "vi")


PORTED = [levels for levels in LEAVES if any(key_of(p) == "--port" for p in own_params(levels[-1][1]))]


@pytest.mark.parametrize("levels", PORTED, ids=path_of)
def test_a_port_in_use_is_refused(levels, world: World, clean_env):
    """A server asked to listen where another program already listens: one line, and nothing created."""
    import socket

    cwd = clean_env
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        argv, _value = argv_for(world, Case(levels, None, None, "busy"), cwd)
        before = snapshot(cwd, world.root)
        code, err = run_child(argv + ["--port", str(port)], cwd)
    check(Case(levels, None, None, "busy"), code, err, before, snapshot(cwd, world.root), str(port), "vi")


# Names of things that were never recorded (free text the walk leaves alone): asked in an empty folder,
# the refusal must not leave an empty database or archive behind.
LOOKUPS = [
    ["admin", "org", "retire", "000.99.99.H41", "--by", "x"], ["admin", "user", "remove", "nobody", "--by", "x"],
    ["register", "show", "5", "--unit", "000.00.00.H41"], ["archive", "show", "nope"],
    ["archive", "hold", "nope", "--by", "x"], ["archive", "approve", "nope", "--by", "x", "--decision", "d"],
    ["archive", "dispose", "--request", "nope", "--by", "x"], ["archive", "dispose", "r1", "--by", "x"],
    ["axis", "resend", "x", "000.00.00.H41"], ["axis", "confirm", "x", "000.00.00.H41"],
    ["axis", "get", "x", "000.00.00.H41"],
]


@pytest.mark.parametrize("argv", LOOKUPS, ids=" ".join)
def test_a_lookup_in_an_empty_place_creates_nothing(argv, clean_env, capsys):
    cwd = clean_env
    before = snapshot(cwd)
    code, err = run(argv, cwd, capsys, child=False)
    check(Case(LEAVES[0], None, None, "no-command"), code, err, before, snapshot(cwd), None, "vi")


# An output named like one of the command's own inputs would destroy it (a key, a spec, the main document).
SAME = [("sign", "--as"), ("sign", "--passphrase-file"), ("sign", "--attachment-of"), ("doc render", "spec"),
        ("edxml build", "spec"), ("edxml build", "--attach")]


@pytest.mark.parametrize("command, source", SAME, ids=lambda v: v)
def test_an_output_over_an_input_is_refused(command, source, world: World, clean_env, capsys):
    cwd = clean_env
    levels = next(lv for lv in LEAVES if path_of(lv) == command)
    leaf = levels[-1][1]
    src = next(p for p in own_params(leaf) if key_of(p) == source)
    out = next(p for p in own_params(leaf) if kind_of(levels, p) == "out-file")
    victim = cwd / ("victim" + Path(good_value(world, levels, src, cwd)).suffix)
    victim.write_bytes(Path(good_value(world, levels, src, cwd)).read_bytes())
    argv, _value = argv_for(world, Case(levels, None, None, "same"), cwd)
    extra = [] if src.required or isinstance(src, click.Argument) else [src.opts[0], str(victim)]
    if src.required or isinstance(src, click.Argument):
        argv[argv.index(good_value(world, levels, src, cwd))] = str(victim)
    argv += extra + [out.opts[0], str(victim)]
    before = snapshot(cwd, world.root)
    code, err = run(argv, cwd, capsys, child=False)
    check(Case(levels, len(levels) - 1, out.name, "same"), code, err, before, snapshot(cwd, world.root),
          str(victim), "vi")


AXIS_USERS = [lv for lv in LEAVES if path_of(lv).startswith("axis ") and path_of(lv) not in SERVERS]


@pytest.fixture(scope="module")
def not_an_axis():
    """A web server that is not the exchange axis (it answers every request with a page)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Page(BaseHTTPRequestHandler):
        def _page(self):
            self.send_response(404 if "document" in self.path else 200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html><body>Hello</body></html>")

        do_GET = do_POST = do_PUT = do_DELETE = _page

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("levels", AXIS_USERS, ids=path_of)
def test_a_url_that_is_not_the_axis(levels, world: World, clean_env, capsys, not_an_axis):
    cwd = clean_env
    argv, _value = argv_for(world, Case(levels, None, None, "url"), cwd)
    argv = argv[:1] + ["--url", not_an_axis] + argv[1:]
    before = snapshot(cwd, world.root)
    code, err = run(argv, cwd, capsys, child=False)
    check(Case(levels, None, None, "url"), code, err, before, snapshot(cwd, world.root), not_an_axis, "vi")

"""The walk behind ``test_bad_input.py``: the ``vbdt`` command tree, what each parameter takes, good and bad
values for it, how a case is run, and the contract a refusal must keep (exit 2, one line in the user's
language, no traceback, nothing changed on disk).

The commands and their parameters are discovered from ``simulator.cli.main.cli``; nothing here lists the
commands by hand. Values that could block or exhaust memory on a faulty program (devices, FIFOs, huge files,
the servers) run in a child process with a memory limit and a watchdog; everything else runs in-process
through ``main(argv)``.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from simulator.cli.main import cli, main

PASS = "mat-khau-1"
REPO = Path(__file__).resolve().parents[2]
VI_LETTER = re.compile("[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)
IS_ROOT = os.geteuid() == 0


# ----------------------------------------------------------------------------------------------------------- the tree
def _walk(command: click.Command, levels: tuple):
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        yield levels, True
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                yield from _walk(sub, levels + ((name, sub),))
    else:
        yield levels, False


TREE = list(_walk(cli, (("vbdt", cli),)))
LEAVES = [levels for levels, is_group in TREE if not is_group]
GROUPS = [levels for levels, is_group in TREE if is_group]


def path_of(levels) -> str:
    return " ".join(name for name, _cmd in levels[1:])


def own_params(command: click.Command) -> list[click.Parameter]:
    return [p for p in command.params if p.name not in ("help", "version")]


def key_of(param: click.Parameter) -> str:
    return param.opts[0] if isinstance(param, click.Option) else param.name


# --------------------------------------------------------------------------------------------- what each value is
# By the parameter's name (option string or argument name), per command where names are shared.
KINDS = {
    "--pki": "pki-folder", "--folder": "archive-folder", "in_pdf": "pdf", "pdf": "pdf", "--main": "pdf",
    "--attachment-of": "pdf", "--as": "p12", "--passphrase-file": "passphrase", "scenario": "scenario",
    "scenario_a": "scenario", "scenario_b": "scenario", "spec": "spec", "file": "envelope", "--attach": "attach",
    "--out": "out-file", "-o": "out-file", "--output": "out-file", "dest": "out-folder", "destination": "out-folder",
    "src": "in-folder", "source": "in-folder", "--url": "url", "--db": "db", "--scheduler": "address",
    "--at": "date", "--valid-from": "date", "--valid-to": "date", "--from": "date", "--to": "date", "--on": "date",
    "--province": "province", "course_name": "course", "--root": "course-root",
}
BY_COMMAND = {("pki init", "folder"): "out-folder", ("archive", "--url"): "db-url",
              ("simulate", "--out"): "out-folder", ("compare", "--out"): "out-folder",
              ("sweep", "--out"): "out-folder", ("calibrate", "--out"): "out-folder",
              ("calibrate", "--then"): "scenario", ("course report", "--course"): "course",
              ("course report", "--out"): "out-folder", ("class open", "folder"): "out-folder",
              ("class seat", "folder"): "class-folder", ("class serve", "folder"): "class-folder",
              ("class status", "folder"): "class-folder",
              ("class open", "--start"): "date", ("optimize", "--out"): "out-folder"}
# Free text: any value is a question the command answers (an unknown code is refused by the library).
TEXT = {"code", "name", "--name", "--type", "--issuer", "--position", "--unit", "--code", "certificate", "--record",
        "--agent", "--by", "--decision", "--council", "record_id", "request_id", "record_ids", "query", "text",
        "doc_id", "org", "--status", "--description", "--district", "--set", "--request",
        "assignment", "--assignment", "--trainee", "username", "--parent", "--reason", "--seal", "--json",
        "--incremental", "--drill", "--force", "--handover", "--release", "--history", "--derivatives", "--up",
        "--all", "--no-events", "--rows"}


def kind_of(levels, param: click.Parameter) -> str:
    key = key_of(param)
    for j, (_name, command) in enumerate(levels):
        if param in own_params(command) and (path_of(levels[:j + 1]), key) in BY_COMMAND:
            return BY_COMMAND[(path_of(levels[:j + 1]), key)]
    if isinstance(param.type, click.Choice):
        return "choice"
    if isinstance(param.type, (click.types.IntParamType, click.IntRange)):
        return "int"
    if isinstance(param.type, click.types.FloatParamType):
        return "float"
    if key in KINDS:
        return KINDS[key]
    if key in TEXT or getattr(param, "is_flag", False):
        return "text"
    return "unclassified"


FILE_BAD = ["missing", "directory", "unreadable", "device", "fifo", "huge", "empty", "garbage", "nul"]
BAD = {
    "pdf": FILE_BAD, "scenario": FILE_BAD + ["deep"], "spec": FILE_BAD + ["deep"], "envelope": FILE_BAD,
    "p12": FILE_BAD + ["foreign"], "passphrase": FILE_BAD + ["wrong"],
    "attach": ["missing", "directory", "unreadable", "device", "fifo", "huge", "empty", "nul"],
    "out-file": ["directory", "read-only", "under-a-file", "fifo", "nul", "too-long"],
    "out-folder": ["a-file", "read-only", "under-a-file", "nul"],
    "archive-folder": ["a-file", "read-only", "under-a-file", "nul"],
    "in-folder": ["missing", "a-file", "nul"],
    "pki-folder": ["a-file", "missing-folder", "nul"],
    "url": ["not a url", "http://", "ftp://example.org/x"],
    "db-url": ["not a url", "nosuch://x"],
    "db": ["directory", "garbage", "read-only", "nosuch://x", "nul"],
    "address": ["not an address", "tcp://"],
    "date": ["not-a-date"],
    "choice": ["nope"],
    "int": ["abc", "below", "above"],
    "float": ["abc", "below", "above"],
    "course-root": ["a-file", "nul"],
    "class-folder": ["missing", "a-file", "nul"],
    "province": ["Atlantis"],
    "course": ["no-such-course"],
    "text": [],
}
# Only where the value means it: a wrong passphrase opens a key; a foreign certificate signs.
ONLY = {"wrong": {"sign"}, "foreign": {"sign"}}
CHILD = {"device", "fifo", "huge"}  # could block or eat memory on a faulty program
SERVERS = {"pki serve", "axis serve", "portal serve", "mail serve"}  # would serve forever on a value wrongly accepted
CONTENT = {"wrong", "foreign"}  # judged after reading: the line names the key file, not the option
IN_PROCESS_ONLY = {"nul"}  # neither a command line nor the environment can carry a NUL byte


@dataclass(frozen=True)
class Case:
    levels: tuple
    level: int | None      # which level the bad parameter belongs to
    param: str | None
    bad: str               # a bad value's label, or a usage error

    @property
    def id(self) -> str:
        where = path_of(self.levels) or "vbdt"
        return f"{where}:{self.param or ''}:{self.bad}"


def _int_bad(param) -> list[str]:
    return ["abc", "below", "above"] if isinstance(param.type, click.IntRange) else ["abc", "below"]


def _cases() -> list[Case]:
    cases = []
    for levels in LEAVES:
        path = path_of(levels)
        for i, (_name, command) in enumerate(levels):
            for param in own_params(command):
                kind = kind_of(levels, param)
                values = _int_bad(param) if kind == "int" else BAD.get(kind, [])
                for bad in values:
                    if bad in ONLY and path not in ONLY[bad]:
                        continue
                    if kind == "pki-folder" and path == "pki init" and bad == "missing-folder":
                        continue  # init creates its own folder (the argument), not the group's
                    if bad in IN_PROCESS_ONLY and path in SERVERS:
                        continue  # a child's command line cannot carry it, and a server must run in a child
                    cases.append(Case(levels, i, param.name, bad))
        leaf = levels[-1][1]
        cases.append(Case(levels, None, None, "unknown-option"))
        if not any(isinstance(p, click.Argument) and p.nargs == -1 for p in leaf.params):
            cases.append(Case(levels, None, None, "extra-argument"))
        for param in own_params(leaf):
            if param.required:
                cases.append(Case(levels, len(levels) - 1, param.name, "omitted"))
        valued = [p for p in own_params(leaf) if isinstance(p, click.Option) and not p.is_flag]
        if valued:  # an option at the end of the line, its value forgotten
            cases.append(Case(levels, len(levels) - 1, valued[0].name, "no-value"))
    for levels in GROUPS:
        cases.append(Case(levels, None, None, "no-command"))
        cases.append(Case(levels, None, None, "unknown-command"))
    return cases


CASES = _cases()

# ------------------------------------------------------------------------------------------------------ materials
@dataclass
class World:
    root: Path
    pki: Path
    p12: Path
    foreign_p12: Path
    passphrase: Path
    wrong_passphrase: Path
    pdf: Path
    doc_spec: Path
    edxml_spec: Path
    ingest_spec: Path
    envelope: Path
    scenario: Path
    empty_dir: Path
    bad: dict
    classroom: Path       # a class opened for the department of science (vbdt class open)
    rollout: Path         # a scenario with a rollout, which vbdt optimize needs


def build_world(root: Path) -> World:
    """The files and the PKI the walk feeds the commands, good and bad, in ``root``."""
    import json

    import yaml

    from simulator.documents.content import ContentGenerator
    from simulator.documents.render import render_pdf
    from simulator.province import load_province
    from simulator.routing import edxml, envelope_from_document
    from simulator.routing.envelope import Attachment, envelope_to_dict
    from simulator.signing import TrainingPKI

    province = load_province()
    issuer = next(u for u in province.units if u.level.name == "COMMUNE")
    doc = ContentGenerator(11).document(issuer, province)
    pki = TrainingPKI.create(root / "pki")
    p12 = pki.issue_person(doc.signer.full_name, doc.signer.position, issuer.name, issuer.code, PASS)
    other = TrainingPKI.create(root / "foreign", name="Nơi khác")
    foreign = other.issue_person(doc.signer.full_name, doc.signer.position, issuer.name, issuer.code, PASS)
    (root / "pass.txt").write_text(PASS + "\n", encoding="utf-8")
    (root / "wrong-pass.txt").write_text("not-the-passphrase\n", encoding="utf-8")
    pdf = root / "van-ban.pdf"
    render_pdf(doc, pdf)
    doc_spec = root / "spec.yaml"
    doc_spec.write_text(yaml.safe_dump({
        "issuer": "Xã Diễn Kim", "type": "Công văn", "number": 12, "date": "2026-03-02",
        "subject": "V/v báo cáo", "signer": {"full_name": "Nguyễn Văn An", "position": "Chủ tịch"},
        "recipients": ["Huyện Diễn Châu"], "body": ["Thực hiện chỉ đạo."]}, allow_unicode=True),
        encoding="utf-8")
    numbered = ContentGenerator(12).document(issuer, province)
    env = envelope_from_document(numbered, attachments=[Attachment("a.pdf", pdf.read_bytes(), "application/pdf")])
    envelope = root / "env.xml"
    envelope.write_bytes(edxml.build(env))
    edxml_spec = root / "env.json"
    edxml_spec.write_text(json.dumps(envelope_to_dict(env), ensure_ascii=False, default=str), encoding="utf-8")
    ingest_spec = root / "ingest.yaml"
    ingest_spec.write_text(yaml.safe_dump({"record": {"file_code": "01.01", "title": "Hồ sơ", "maintenance": "5y"},
                                           "documents": [{"path": str(pdf)}]}, allow_unicode=True),
                           encoding="utf-8")
    empty_dir = root / "empty-folder"
    empty_dir.mkdir()

    folder = root / "a-folder"
    folder.mkdir()
    (folder / "inside.txt").write_text("x", encoding="utf-8")
    empty = root / "empty.pdf"
    empty.touch()
    garbage = root / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 8 + b"\x00\xff\xfe" * 100)
    deep = root / "deep.json"  # valid JSON and YAML, nested past what a recursive parser can follow
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    plain = root / "plain.txt"
    plain.write_text("a plain file\n", encoding="utf-8")
    huge = root / "huge.pdf"
    with huge.open("wb") as fh:  # sparse: takes no room, but says 3 GiB
        fh.truncate(3 * 1024 ** 3)
    fifo = root / "pipe"
    os.mkfifo(fifo)
    if IS_ROOT:
        unreadable = Path("/proc/self/mem")  # reading it fails even for root
    else:
        unreadable = root / "secret.pdf"
        unreadable.write_bytes(b"%PDF-1.7\n")
        unreadable.chmod(0)
    read_only = Path("/proc/vbdt-cannot-write/out.pdf")  # nobody, root included, can create files there
    bad = {
        "missing": root / "absent.pdf", "directory": folder, "unreadable": unreadable, "device": Path("/dev/zero"),
        "fifo": fifo, "huge": huge, "empty": empty, "garbage": garbage, "deep": deep, "a-file": plain,
        "read-only": read_only,
        "under-a-file": plain / "out.pdf", "missing-folder": root / "absent-folder",
        "nul": root / "nul\x00.pdf",  # only a program can pass it (argv cannot), e.g. a widget
        "too-long": root / ("x" * 300) / "out.pdf",
        "foreign": foreign, "wrong": root / "wrong-pass.txt",
    }
    classroom = root / "lop"
    assert main(["class", "open", str(classroom), "--unit", GOOD_PER_COMMAND[("class open", "--unit")],
                 "--start", "2026-03-02", "--port", "0"]) == 0
    return World(root, pki.folder, p12, foreign, root / "pass.txt", root / "wrong-pass.txt", pdf, doc_spec,
                 edxml_spec, ingest_spec, envelope, REPO / "scenarios" / "baseline-2018.yaml", empty_dir, bad,
                 classroom, REPO / "scenarios" / "rollout-2019-2020.yaml")

GOOD_TEXT = {"code": "000.00.00.H41", "--unit": "000.00.00.H41", "--by": "quan_tri", "--name": "Nguyễn Văn An",
             "certificate": "1001", "number": "1", "course_name": "can-bo-xa", "assignment": "a1",
             "--trainee": "hv01", "--set": "adoption.interagency.electronic=0.5,0.8", "--decision": "QĐ 1",
             "doc_id": "x", "org": "000.00.00.H41", "username": "u1", "request_id": "1", "record_id": "1"}
GOOD_PER_COMMAND = {("class open", "--unit"): "Sở Khoa học và Công nghệ", ("class seat", "--unit"): "Xã Hải Châu"}
ALWAYS = {"--pki", "--passphrase-file", "--days", "--replications"}  # never prompt, never run long


def good_value(world: World, levels, param, cwd: Path) -> str | None:
    kind, key, path = kind_of(levels, param), key_of(param), path_of(levels)
    if (path, key) in GOOD_PER_COMMAND:
        return GOOD_PER_COMMAND[(path, key)]
    if kind == "int":
        return {"--days": "1", "--replications": "1"}.get(key, "1")
    if kind == "float":
        return "0.9"
    if kind == "class-folder":
        return str(world.classroom)
    if kind == "course-root":
        return str(cwd / "lop-hoc")
    if kind == "scenario" and path == "optimize":
        return str(world.rollout)
    if kind == "choice":
        return param.type.choices[0]
    if kind == "date":
        return "2026-03-02"
    simple = {"pki-folder": world.pki, "passphrase": world.passphrase, "p12": world.p12, "pdf": world.pdf,
              "scenario": world.scenario, "envelope": world.envelope, "attach": world.pdf,
              "out-file": cwd / "out" / "result.pdf", "out-folder": cwd / "out-folder",
              "in-folder": world.empty_dir, "archive-folder": cwd / "luu-tru", "db": cwd / "work" / "db.sqlite"}
    if kind in simple:
        return str(simple[kind])
    if kind == "spec":
        return str({"doc render": world.doc_spec, "edxml build": world.edxml_spec}.get(path, world.ingest_spec))
    return GOOD_TEXT.get(key, "x")


def bad_value(world: World, param, bad: str) -> str:
    if bad in world.bad:
        return str(world.bad[bad])
    if bad in ("below", "above"):
        rng = param.type
        if isinstance(rng, (click.IntRange, click.FloatRange)):
            bound = rng.min if bad == "below" else rng.max
            return str(bound - 1 if bad == "below" else bound + 1)
        return "-1"
    return bad


def argv_for(world: World, case: Case, cwd: Path) -> tuple[list[str], str | None]:
    """The command line of a case, and the bad value put in it."""
    argv: list[str] = []
    value_given = None
    for i, (name, command) in enumerate(case.levels):
        if i:
            argv.append(name)
        options, arguments = [], []
        for param in own_params(command):
            target = case.level == i and param.name == case.param
            if target and case.bad in ("omitted", "no-value"):
                continue
            if target:
                value = value_given = bad_value(world, param, case.bad)
            elif (param.required or key_of(param) in ALWAYS
                  or (case.bad == "extra-argument" and isinstance(param, click.Argument) and param.nargs == 1)):
                value = good_value(world, case.levels, param, cwd)
            else:
                continue
            if isinstance(param, click.Argument):
                arguments.append(value)
            elif getattr(param, "is_flag", False):
                options.append(param.opts[0])
            else:
                options += [param.opts[0], value]
        argv += options + arguments
    if case.bad == "no-value":
        command = case.levels[case.level][1]
        argv.append(next(p for p in own_params(command) if p.name == case.param).opts[0])
    if case.bad == "unknown-option":
        argv.append("--nope-nope")
    elif case.bad == "extra-argument":
        argv.append("extra-argument")
    elif case.bad == "unknown-command":
        argv.append("nope-nope")
    return argv, value_given


# ------------------------------------------------------------------------------------------------------ the runs
def snapshot(*roots: Path) -> dict:
    seen = {}
    for root in roots:
        for folder, dirs, files in os.walk(root):
            for name in dirs + files:
                path = os.path.join(folder, name)
                st = os.lstat(path)
                seen[path] = (st.st_mode, st.st_size, st.st_mtime_ns if not os.path.isdir(path) else 0)
    return seen


def _limit_memory():  # a faulty program reading /dev/zero must die, not take the machine with it
    resource.setrlimit(resource.RLIMIT_AS, (4 * 1024 ** 3, 4 * 1024 ** 3))


def run_child(argv: list[str], cwd: Path) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VBDT_")}
    env.update(VBDT_LANG="vi", OPENBLAS_NUM_THREADS="1", PYTHONPATH=str(REPO))
    code = "import sys; from simulator.cli.main import main; sys.exit(main(sys.argv[1:]))"
    try:
        done = subprocess.run([sys.executable, "-c", code, *argv], cwd=cwd, env=env, capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=60, preexec_fn=_limit_memory, text=True)
    except subprocess.TimeoutExpired:
        return -1, "HUNG: no answer after 60 s"
    return done.returncode, done.stderr


def run(argv: list[str], cwd: Path, capsys, child: bool) -> tuple[int, str]:
    if child:
        return run_child(argv, cwd)
    capsys.readouterr()
    code = main(argv)
    return code, capsys.readouterr().err

def names_for(case: Case, value: str | None) -> list[str]:
    """What the one line may name: the parameter, or the value it was given."""
    names = []
    if case.param is not None:
        command = case.levels[case.level][1]
        param = next(p for p in own_params(command) if p.name == case.param)
        names += [o for o in param.opts if o.startswith("-")] + [param.human_readable_name.upper()]
        if case.bad == "omitted" and isinstance(param, click.Argument):  # the ones after it move up a place
            names += [p.human_readable_name.upper() for p in command.params if isinstance(p, click.Argument)]
    if value:
        names += [value, os.path.basename(value.rstrip("/")) or value]
    if case.bad == "unknown-option":
        names.append("--nope-nope")
    if case.bad == "unknown-command":
        names.append("nope-nope")
    if case.bad == "extra-argument":
        names.append("extra-argument")
    return [n for n in names if n]


def check(case: Case, code: int, err: str, before: dict, after: dict, value: str | None, lang: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err, err[-3000:]
    assert code == 2, (code, err[-2000:])
    assert len(lines) == 1, err[-2000:]
    line = lines[0]
    if lang == "vi":
        assert line.startswith("Lỗi:"), line
        assert VI_LETTER.search(line[len("Lỗi:"):].replace(value or "\0", "")), f"not Vietnamese: {line}"
    else:
        assert line.startswith("Error:"), line
        assert not VI_LETTER.search(line.replace(value or "\0", "")), f"not English: {line}"
    if case.bad in ("missing-command", "no-command") or case.bad in CONTENT:
        pass
    else:
        names = names_for(case, value)
        assert any(n in line for n in names), f"{line!r} names none of {names}"
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    assert not changed, f"changed on disk: {sorted(changed)[:5]}"

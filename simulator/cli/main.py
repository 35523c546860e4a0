"""The ``vbdt`` command: a thin front end over the library.

Each command group lives in its own module and is imported only when used,
so ``vbdt --help`` stays fast. Exit codes (ARCHITECTURE.md): 0 success,
1 a negative verdict, 2 bad input or usage, with one line in the user's
language and no traceback.
"""

from __future__ import annotations

import importlib
import sys

import click

from simulator.errors import UserError
from simulator.i18n import current_forced_language, set_language, translator

_ = translator("vbdt")

# name -> "module:attribute"; a group whose module is absent is not listed.
COMMANDS = {
    "province": "simulator.cli.province:province",
    "doc": "simulator.cli.doc:doc",
    "pki": "simulator.cli.pki:pki",
    "sign": "simulator.cli.signing:sign",
    "verify": "simulator.cli.signing:verify",
    "register": "simulator.cli.register:register",
    "edxml": "simulator.cli.edxml:edxml",
    "axis": "simulator.cli.axis:axis",
    "admin": "simulator.cli.admin:admin",
    "archive": "simulator.cli.archive:archive",
    "simulate": "simulator.cli.simulate:simulate",
    "compare": "simulator.cli.simulate:compare",
    "sweep": "simulator.cli.simulate:sweep",
    "lab": "simulator.cli.lab:lab",
    "course": "simulator.cli.course:course",
}


def _load(name: str) -> click.Command | None:
    module_name, attribute = COMMANDS[name].split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    return getattr(module, attribute)


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return [name for name in COMMANDS if importlib.util.find_spec(COMMANDS[name].split(":")[0])]

    def get_command(self, ctx, name):
        return _load(name) if name in COMMANDS else None


def _take_lang(argv: list[str]) -> list[str]:
    """Accept ``--lang en`` anywhere on the line (before or after the subcommand)."""
    out, i = [], 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
            i += 2
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
            i += 1
        else:
            out.append(arg)
            i += 1
            continue
        try:
            set_language(value)
        except ValueError:
            raise UserError(_("Unknown language {value!r}; use vi or en.", value=value)) from None
    return out


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vbdt-lab")
def cli() -> None:
    """vbdt: phòng thực hành văn bản điện tử (electronic documents lab).

    Add --lang en for English, --lang vi for Vietnamese.
    """


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    previous = current_forced_language()
    try:
        return _run(argv)
    finally:  # --lang holds for this command only (main() is also called in-process by tests and widgets)
        set_language(previous)


def _run(argv: list[str]) -> int:
    try:
        argv = _take_lang(argv)
        cli.main(args=argv, prog_name="vbdt", standalone_mode=False)
    except UserError as exc:
        click.echo(f"{_('Error')}: {exc}", err=True)
        return 2
    except click.exceptions.Abort:
        click.echo(_("Aborted."), err=True)
        return 2
    except click.ClickException as exc:  # usage errors: click's own exit code is 2
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())

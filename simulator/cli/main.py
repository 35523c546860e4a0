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
from simulator.cli.help_text import localise, use_click_catalog
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
    "calibrate": "simulator.cli.calibrate:calibrate",
    "optimize": "simulator.cli.optimize:optimize",
    "lab": "simulator.cli.lab:lab",
    "course": "simulator.cli.course:course",
    "mail": "simulator.cli.mail:mail",
    "portal": "simulator.cli.portal:portal",
    "class": "simulator.cli.classroom:classroom",
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
        command = _load(name) if name in COMMANDS else None
        return localise(command) if command is not None else None


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
        use_click_catalog()
        localise(cli)
        cli.main(args=argv, prog_name="vbdt", standalone_mode=False)
    except UserError as exc:
        return _refuse(str(exc))
    except click.exceptions.Abort:
        return _refuse(_("Aborted."), prefix=False)
    except click.UsageError as exc:  # click's own usage errors: one translated line, exit 2
        return _refuse(usage_line(exc, argv))
    except click.ClickException as exc:
        return _refuse(" ".join(exc.format_message().split()))
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    except OSError as exc:  # the machine said no (disk full, permissions changed meanwhile): not a bug
        from simulator.inputs import reason

        where = exc.filename or ""
        return _refuse(_("Cannot use {path}: {reason}.", path=where, reason=reason(exc)) if where else reason(exc))
    return 0


def _refuse(message: str, *, prefix: bool = True) -> int:
    line = " ".join(message.split())
    click.echo(f"{_('Error')}: {line}" if prefix else line, err=True)
    return 2


def _hint(exc: click.UsageError, argv: list[str]) -> str:
    if exc.ctx is not None:
        path = exc.ctx.command_path
    else:  # the parser's own errors carry no context: follow the command names on the line
        names, command = ["vbdt"], cli
        for arg in argv:
            if not isinstance(command, click.Group):
                break
            command = command.get_command(click.Context(command), arg)
            if command is None:
                break
            names.append(arg)
        path = " ".join(names)
    return _("See: {command} --help", command=path)


def usage_line(exc: click.UsageError, argv: list[str] = ()) -> str:
    """click's usage errors, by type, in the user's language (click's own text is English)."""
    from simulator.cli.common import field_of

    ctx = exc.ctx
    if isinstance(exc, click.exceptions.NoArgsIsHelpError) or exc.message == "Missing command.":
        names = ", ".join(ctx.command.list_commands(ctx)) if isinstance(ctx.command, click.Group) else ""
        text = _("Give a command: {names}.", names=names)
    elif isinstance(exc, click.exceptions.NoSuchCommand):
        text = _("Unknown command {name!r}.", name=exc.command_name)
    elif isinstance(exc, click.NoSuchOption):
        text = _("Unknown option {name}.", name=exc.option_name)
        if exc.possibilities:
            text += " " + _("Did you mean {names}?", names=", ".join(sorted(exc.possibilities)))
    elif isinstance(exc, click.MissingParameter):
        name = field_of(exc.param) if exc.param is not None else "?"
        text = (_("Missing argument {name}.", name=name) if isinstance(exc.param, click.Argument)
                else _("Missing option {name}.", name=name))
    elif isinstance(exc, click.BadOptionUsage):
        text = (_("Option {name} takes no value.", name=exc.option_name) if "does not take" in exc.message
                else _("Option {name} needs a value.", name=exc.option_name))
    elif isinstance(exc, click.BadParameter):
        name = field_of(exc.param) if exc.param is not None else (exc.param_hint or "?")
        param_type = getattr(exc.param, "type", None)
        if isinstance(param_type, click.Choice):
            text = _("Invalid value for {name}; choose one of: {choices}.", name=name,
                     choices=", ".join(map(str, param_type.choices)))
        elif isinstance(param_type, click.IntRange):
            text = _("Invalid value for {name}; give a whole number from {low} to {high}.", name=name,
                     low=param_type.min, high=param_type.max)
        elif isinstance(param_type, click.types.IntParamType):
            text = _("Invalid value for {name}; give a whole number.", name=name)
        else:
            text = _("Invalid value for {name}.", name=name)
    elif "unexpected extra argument" in exc.message:
        extra = exc.message[exc.message.find("(") + 1:exc.message.rfind(")")]
        text = _("Unexpected argument(s): {args}.", args=extra)
    else:
        text = _("Wrong command line.")
    return f"{text} {_hint(exc, list(argv))}"


if __name__ == "__main__":
    sys.exit(main())

"""The command line's help in the user's language.

Help texts are written in the code (mostly English); their Vietnamese is in
the ``clihelp`` catalog, looked up with each paragraph's whitespace folded,
so a docstring's indentation does not matter. Click's own words (Usage,
Options, Commands, "Show this message and exit.") come from the ``click``
catalog: click looks each one up with the ``gettext`` function every one of
its modules imports as ``_``, the hook gettext-based translation of a
library goes through; we point that hook at our catalog.
"""

from __future__ import annotations

import importlib
import inspect
import re

import click

from simulator.i18n import translator

_help = translator("clihelp")
_click = translator("click")

CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")
_ORIGINAL = "_vbdt_help_msgids"   # the texts as written, kept on each command and option


def msgid(text: str) -> str:
    """The catalog key of a help text: paragraphs with their whitespace folded, joined by a blank line."""
    paragraphs = re.split(r"\n\s*\n", inspect.cleandoc(text))
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _translated(text: str | None) -> str | None:
    if not text:
        return text
    key = msgid(text)
    found = _help(key)
    return text if found == key else found


def localise(command: click.Command) -> click.Command:
    """Put the help of ``command`` (and of its options and loaded subcommands) in the current language."""
    targets = [command] + [p for p in command.params if isinstance(p, click.Option)]
    for target in targets:
        fields = ("help", "short_help", "epilog") if target is command else ("help",)
        original = target.__dict__.setdefault(_ORIGINAL, {f: getattr(target, f, None) for f in fields})
        for field, text in original.items():
            setattr(target, field, _translated(text))
    help_option = command.__dict__.get("_help_option")   # click builds it once per command, in the language of then
    if isinstance(help_option, click.Option):
        help_option.help = _click("Show this message and exit.")
    for sub in getattr(command, "commands", {}).values():
        localise(sub)
    return command


def use_click_catalog() -> None:
    """Click's own words through our ``click`` catalog (once per process; the language is read per call)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if getattr(module, "_", None) is not _click:
            module._ = _click

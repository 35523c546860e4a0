"""The command line's help reads in Vietnamese by default, English with --lang en: click's own words too."""

from __future__ import annotations

import re

import click
import pytest

from simulator.cli.help_text import msgid
from simulator.cli.main import cli, main

VIETNAMESE = re.compile(r"[à-ỹĐ]")   # a letter with a mark or đ: the text is written in Vietnamese already
CLICK_ENGLISH = ("Usage:", "Options:", "Commands:", "Show this message and exit.", "[default:", "[required]")


def _commands():
    """Every command's path and object, the lazy groups loaded."""
    ctx = click.Context(cli)
    out = []

    def walk(command, path):
        out.append((path, command))
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                walk(command.get_command(ctx, name), path + [name])

    walk(cli, [])
    return out


def _texts(command):
    kept = command.__dict__.get("_vbdt_help_msgids", {})
    yield kept.get("help", command.help)
    for param in command.params:
        if isinstance(param, click.Option):
            yield param.__dict__.get("_vbdt_help_msgids", {}).get("help", param.help)


def test_every_english_help_text_has_its_vietnamese():
    from simulator.i18n import translator

    catalog = translator("clihelp")
    missing = sorted({msgid(t) for _path, command in _commands() for t in _texts(command)
                      if t and not VIETNAMESE.search(t) and catalog(msgid(t)) == msgid(t)})
    assert not missing, f"{len(missing)} help texts without Vietnamese in clihelp.po: {missing[:5]}"


@pytest.mark.parametrize("path", [["pki", "issue"], ["axis"], ["archive", "audit"], ["mail", "user", "add"], []])
def test_help_is_vietnamese_by_default_and_english_on_request(capsys, path):
    assert main([*path, "--help"]) == 0
    vi = capsys.readouterr().out
    assert vi.startswith("Cách dùng: vbdt") and "Hiện hướng dẫn này rồi thoát." in vi
    assert not [word for word in CLICK_ENGLISH if word in vi]
    assert main(["--lang", "en", *path, "--help"]) == 0
    en = capsys.readouterr().out
    assert en.startswith("Usage: vbdt") and "Show this message and exit." in en
    assert main([*path, "--help"]) == 0   # and back: --lang held for one command only
    assert capsys.readouterr().out == vi


def test_option_help_and_extras_translated(capsys):
    assert main(["pki", "issue", "--help"]) == 0
    out = capsys.readouterr().out
    assert "Cấp chứng thư con dấu của cơ quan do văn thư giữ." in out
    assert "[bắt buộc]" in out and "[mặc định: 730" in out
    assert "Issue the agency-seal certificate" not in out


def test_msgid_folds_a_docstrings_indentation():
    doc = """First line
        goes on.

        Second paragraph."""
    assert msgid(doc) == "First line goes on.\n\nSecond paragraph."

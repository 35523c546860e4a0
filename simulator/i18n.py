"""Translations: what users read is Vietnamese by default, English on request.

Message ids in the code are English. Each area of the package keeps its own
gettext catalog (``locale/<lang>/LC_MESSAGES/<domain>.po``) so that areas do
not edit one shared file. Babel compiles a catalog in memory the first time
it is needed; there is no build step and no generated file to forget.

Language choice, first match wins: :func:`set_language`, ``VBDT_LANG``,
then ``LANGUAGE`` / ``LC_ALL`` / ``LANG`` starting with ``en`` (English),
otherwise Vietnamese.
"""

from __future__ import annotations

import gettext
import io
import os
import threading
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("vi", "en")
_state = threading.local()
_forced: str | None = None


def set_language(lang: str | None) -> None:
    """Force the language for this process (``None`` returns to the environment)."""
    global _forced
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _forced = lang


def current_forced_language() -> str | None:
    return _forced


def current_language() -> str:
    if _forced:
        return _forced
    env = os.environ.get("VBDT_LANG", "").strip().lower()
    if env[:2] in LANGUAGES:
        return env[:2]
    for var in ("LANGUAGE", "LC_ALL", "LANG"):
        value = os.environ.get(var, "").lower()
        if value.startswith("en"):
            return "en"
        if value.startswith("vi"):
            return "vi"
    return "vi"


@lru_cache(maxsize=None)
def _catalog(domain: str, lang: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Translator:
    """``_ = Translator("signing")``; ``_("Signed by {name}", name=n)``."""

    def __init__(self, domain: str) -> None:
        self.domain = domain

    def __call__(self, message: str, /, **values) -> str:
        text = _catalog(self.domain, current_language()).gettext(message)
        return text.format(**values) if values else text

    def plural(self, singular: str, plural: str, n: int, /, **values) -> str:
        text = _catalog(self.domain, current_language()).ngettext(singular, plural, n)
        return text.format(n=n, **values)


def translator(domain: str) -> Translator:
    return Translator(domain)

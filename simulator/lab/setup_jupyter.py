"""Install JupyterLab settings into an environment: Vietnamese interface, no news pop-ups.

``python -m simulator.lab.setup_jupyter PREFIX`` (the Makefile's install step)

- writes ``PREFIX/share/jupyter/lab/settings/overrides.json`` (JupyterLab
  reads overrides from the environment it runs in): the ``vi_VN`` locale;
- fills the gaps of the ``jupyterlab-language-pack-vi-VN`` dependency with
  the project's own translations (``jupyter/translations/vi_VN/<domain>.json``):
  the pack (made for Lab 4.5) leaves parts of the Run and Kernel menus, the
  restart dialog, the cell toolbar and the status bar in English. The Lab
  reads the pack's ``jupyterlab.json`` in the browser and its
  ``jupyterlab.mo`` on the server (menu titles come from settings schemas
  translated there), so both are updated; and rewrites the words of
  nbgrader's Assignment List, which has no translation hooks
  (:mod:`simulator.lab.nbgrader_words`). Rerunning is harmless.

What only a trainee's ``make lab`` needs (nbgrader's instructor tools hidden,
its exchange in the work area) lives in ``jupyter/`` and is put on
``JUPYTER_CONFIG_PATH`` by ``make lab``: see :data:`TRAINEE_CONFIG`.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from simulator.lab.nbgrader_words import localise as localise_nbgrader

OVERRIDES = {
    "@jupyterlab/translation-extension:plugin": {"locale": "vi_VN"},
    "@jupyterlab/apputils-extension:notification": {"checkForUpdates": False, "fetchNews": "false"},
}
# Code and outputs in a monospace font that has every Vietnamese letter (Debian's fonts-noto-mono): DejaVu
# Sans Mono, the browser's usual monospace, lacks 46 of them, and the marks it stacks instead sit out of line.
# The theme reads its overrides from user settings only: see seed_user_settings.
USER_SETTINGS = {
    "@jupyterlab/apputils-extension/themes.jupyterlab-settings": {
        "overrides": {"code-font-family": "'Noto Sans Mono', monospace"}},
}

HERE = Path(__file__).resolve().parent / "jupyter"
TRANSLATIONS = HERE / "translations" / "vi_VN"  # one JSON per gettext domain, in the language pack's format
TRAINEE_CONFIG = HERE  # JUPYTER_CONFIG_PATH of `make lab`: labconfig/, jupyter_server_config.d/, nbgrader_config.py
LANGUAGE_PACK = "jupyterlab_language_pack_vi_VN"
CONTEXT_SEPARATOR = "\u0004"  # gettext's msgctxt separator, as the pack's JSON keys carry it


def install(prefix: str | Path) -> Path:
    target = Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    current = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
    current.update(OVERRIDES)
    target.write_text(json.dumps(current, indent=2, ensure_ascii=False), encoding="utf-8")
    install_translations()
    localise_nbgrader(prefix)
    return target


def seed_user_settings(folder: Path) -> Path:
    """A trainee Lab's user settings folder with :data:`USER_SETTINGS` where the trainee has not chosen."""
    for name, values in USER_SETTINGS.items():
        path = folder / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values, indent=2, ensure_ascii=False), encoding="utf-8")
    return folder


def overrides(domain: str = "jupyterlab") -> dict[str, list[str]]:
    """The project's translations of one domain, keyed like the pack's JSON (``context\\x04msgid``).

    A plural message carries two forms (the browser looks a plural up only
    when there are at least two), a singular one carries one.
    """
    data = json.loads((TRANSLATIONS / f"{domain}.json").read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if key}


def language_pack_messages() -> Path | None:
    """The pack's ``LC_MESSAGES`` folder in this environment (None: the pack is not installed)."""
    spec = importlib.util.find_spec(LANGUAGE_PACK)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "locale" / "vi_VN" / "LC_MESSAGES"


def install_translations() -> list[Path]:
    """Merge our translations into the installed pack, domain by domain; the files written."""
    folder = language_pack_messages()
    if folder is None:
        return []
    written = []
    for source in sorted(TRANSLATIONS.glob("*.json")):
        domain = source.stem
        ours = overrides(domain)
        browser = folder / f"{domain}.json"
        data = json.loads(browser.read_text(encoding="utf-8")) if browser.exists() else {
            "": json.loads(source.read_text(encoding="utf-8"))[""]}
        data.update(ours)
        browser.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        _update_mo(folder / f"{domain}.mo", domain, ours)
        written.append(browser)
    return written


def _update_mo(path: Path, domain: str, ours: dict[str, list[str]]) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import read_mo, write_mo

    if path.exists():
        with path.open("rb") as handle:
            catalog = read_mo(handle)
    else:
        catalog = Catalog(locale="vi_VN", domain=domain)
    for key, strings in ours.items():
        context, _, msgid = key.rpartition(CONTEXT_SEPARATOR)
        existing = catalog.get(msgid, context=context or None)
        if existing is None:
            catalog.add(msgid, strings[0], context=context or None)
        elif not existing.pluralizable:  # plural forms are only asked for in the browser (JSON)
            existing.string = strings[0]
    with path.open("wb") as handle:
        write_mo(handle, catalog)


if __name__ == "__main__":
    print(install(sys.argv[1] if len(sys.argv) > 1 else sys.prefix))

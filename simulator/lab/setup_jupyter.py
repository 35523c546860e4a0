"""Install JupyterLab settings into an environment: Vietnamese interface, no news pop-ups.

``python -m simulator.lab.setup_jupyter PREFIX`` writes
``PREFIX/share/jupyter/lab/settings/overrides.json`` (JupyterLab reads
overrides from the environment it runs in). ``make lab`` calls it once per
install. The language pack itself is the ``jupyterlab-language-pack-vi-VN``
dependency.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OVERRIDES = {
    "@jupyterlab/translation-extension:plugin": {"locale": "vi_VN"},
    "@jupyterlab/apputils-extension:notification": {"checkForUpdates": False, "fetchNews": "false"},
}


def install(prefix: str | Path) -> Path:
    target = Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    current = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
    current.update(OVERRIDES)
    target.write_text(json.dumps(current, indent=2, ensure_ascii=False), encoding="utf-8")
    return target


if __name__ == "__main__":
    print(install(sys.argv[1] if len(sys.argv) > 1 else sys.prefix))

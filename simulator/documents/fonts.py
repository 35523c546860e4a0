"""Fonts for documents and signature stamps.

Decree 30 asks for Times New Roman; we use Noto Serif, a free serif that
covers Vietnamese and whose ``unitsPerEm`` is 1000, which pyHanko's stamp
code assumes (fonts with 2048 units render with spread-out letters,
PITFALLS.md). It comes from Debian's ``fonts-noto-core``, which the
Makefile installs; ``VBDT_FONT_DIR`` points elsewhere. There is no
fallback: a document in another font would not be the document we promise.
"""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable

from simulator.errors import UserError

STYLES = {"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/noto"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
)
FAMILY = "VbdtSerif"


def cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    path = base / "vbdt-lab" / "fonts"
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_once(target: Path, save: Callable[[Path], None]) -> Path:
    """Create ``target`` with ``save(tmp)`` unless it exists.

    Several processes (test workers, kernels) may build the same file at
    once: each writes its own temporary file in the same folder and
    renames it into place, so a reader never sees a half-written file.
    """
    if target.exists():
        return target
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        save(Path(tmp))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


@lru_cache(maxsize=None)
def font_path(style: str = "") -> Path:
    """Noto Serif in ``style``: '', 'B', 'I' or 'BI'."""
    style = "".join(sorted(style.upper()))
    if style not in STYLES:
        raise ValueError(f"unknown font style {style!r}")
    override = os.environ.get("VBDT_FONT_DIR")
    dirs = ((Path(override),) if override else ()) + FONT_DIRS
    name = f"NotoSerif-{STYLES[style]}.ttf"
    for folder in dirs:
        if (folder / name).exists():
            return folder / name
    from simulator.i18n import translator

    _ = translator("vbdt")
    raise UserError(_("The font {name} is missing: run `make install` (it installs Debian's fonts-noto-core) "
                      "or set VBDT_FONT_DIR.", name=name))

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


# Vietnamese needs Latin, Latin-1, Latin Extended-A/B, combining marks and
# Latin Extended Additional (precomposed letters with tone marks).
_VIETNAMESE_UNICODES = [*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x300, 0x370),
                        *range(0x1E00, 0x1F00), *range(0x2010, 0x2030), 0x20AB]


@lru_cache(maxsize=None)
def cut_font(style: str = "") -> Path:
    """Noto Serif in ``style`` cut down to what Vietnamese text needs, cached on disk.

    pyHanko subsets the font it embeds in each stamp or form field; starting from
    the full Noto Serif (thousands of glyphs, large layout tables) that takes
    ~0.1–0.4 s each time, from this cut ~20 ms. unitsPerEm stays 1000."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    source = font_path(style)
    stat = source.stat()

    def save(tmp):
        font = TTFont(source)
        options = subset.Options()
        options.layout_features = []  # NFC Vietnamese is precomposed: no shaping tables needed
        options.name_IDs = ["*"]
        options.notdef_outline = True
        sub = subset.Subsetter(options)
        sub.populate(unicodes=_VIETNAMESE_UNICODES)
        sub.subset(font)
        font.save(tmp)

    return write_once(cache_dir() / f"stamp2-{source.stem}-{stat.st_size}-{int(stat.st_mtime)}.ttf", save)


"""Fonts for documents and signature stamps.

Decree 30 asks for Times New Roman; we use Noto Serif, a free serif that
covers Vietnamese and whose ``unitsPerEm`` is 1000, which pyHanko's stamp
code assumes (fonts with 2048 units render with spread-out letters,
PITFALLS.md). It comes from Debian's ``fonts-noto-core`` (installed by
``.ci/run``). Where it is missing we fall back to matplotlib's DejaVu Serif,
rescaled once to 1000 units with fontTools into a cache folder.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

STYLES = {"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}
_NOTO_DIRS = (
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/noto"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
)
_DEJAVU = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf",
           "I": "DejaVuSerif-Italic.ttf", "BI": "DejaVuSerif-BoldItalic.ttf"}


def _cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    path = base / "vbdt-lab" / "fonts"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _rescaled_dejavu(style: str) -> Path:
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem
    import matplotlib

    target = _cache_dir() / f"DejaVuSerif1000-{STYLES[style]}.ttf"
    if not target.exists():
        source = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / _DEJAVU[style]
        font = TTFont(source)
        scale_upem(font, 1000)
        tmp = target.with_suffix(".tmp")
        font.save(tmp)
        os.replace(tmp, target)
    return target


@lru_cache(maxsize=None)
def font_path(style: str = "") -> Path:
    """A TTF covering Vietnamese with unitsPerEm 1000. ``style``: '', 'B', 'I' or 'BI'."""
    style = "".join(sorted(style.upper()))
    if style not in STYLES:
        raise ValueError(f"unknown font style {style!r}")
    override = os.environ.get("VBDT_FONT_DIR")
    dirs = ((Path(override),) if override else ()) + _NOTO_DIRS
    for folder in dirs:
        candidate = folder / f"NotoSerif-{STYLES[style]}.ttf"
        if candidate.exists():
            return candidate
    return _rescaled_dejavu(style)


FAMILY = "VbdtSerif"

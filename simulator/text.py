"""Vietnamese text normalisation shared by every layer.

``fold`` is the search key: NFD, drop combining marks, đ→d, NFC, lower case.
It makes "quyết định", "QUYẾT ĐỊNH" and "quyet dinh" equal and also absorbs
the old and new tone placement (hoà / hòa). SQLite's own
``remove_diacritics`` does not fold đ, hence this (PITFALLS.md).
"""

from __future__ import annotations

import re
import unicodedata

_PREFIXES = ("thanh pho ", "tinh ", "thi xa ", "thi tran ", "huyen ", "quan ", "phuong ", "xa ")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", stripped).lower()


def name_key(name: str) -> str:
    """Key for matching unit names: folded, prefix ("Tỉnh", "Huyện"...) and punctuation dropped."""
    key = re.sub(r"[^a-z0-9 ]+", " ", fold(name))
    key = " ".join(key.split())
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix):]
            break
    return key


def initials(name: str) -> str:
    """Upper-case initials of a Vietnamese name: 'Nguyễn Văn An' -> 'NVA'."""
    return "".join(word[0] for word in nfc(name).split() if word).upper()

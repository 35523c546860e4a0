"""Stable addresses for published documents, in the shape of the European Legislation Identifier.

ELI (Council conclusions 2012/C 325/02) builds an address from named parts:
``/eli/{jurisdiction}/{agent}/{year}/{type}/{natural identifier}/``. Here the
jurisdiction is the country and the province (``vn/nghe-an``), the agent the
issuer's identifier code (QCVN 102: ``000.00.00.h41``), because a number and
code such as ``05/QĐ-UBND`` is unique only within one issuer and one year
(Decree 30, Art. 15), then the year of issue, the type and the number and
code. Every part is folded to ASCII lower case (tone marks dropped, đ→d), so
the address is the same whoever types it and never changes once published.
"""

from __future__ import annotations

import re

from simulator.text import fold

ROOT = "eli/vn"


def slug(text: str) -> str:
    """'Nghệ An' -> 'nghe-an'; '05/QĐ-UBND' -> '05-qd-ubnd' (dots kept: identifier codes use them)."""
    return re.sub(r"[^a-z0-9.]+", "-", fold(text)).strip("-.")


def eli_path(province: str, meta) -> str:
    """The document's address below the site root, ending with '/': 'eli/vn/nghe-an/000.00.00.h41/2026/...'."""
    return "/".join((ROOT, slug(province), slug(meta.issuer_code), str(meta.issued.year),
                     meta.type_key.replace("_", "-"), slug(meta.number_code))) + "/"

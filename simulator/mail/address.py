"""The address convention of the province's official mail (thư điện tử công vụ).

- The domain is the province's name folded to ASCII: Nghệ An → ``nghean.gov.vn``.
- A unit's slug is its administrative name folded to ASCII, tone marks, đ,
  spaces and punctuation dropped, the kind of unit kept in front:
  "Xã Diễn Kim" → ``xadienkim``, "Huyện Diễn Châu" → ``huyendienchau``,
  "Sở Nội vụ" → ``sonoivu``. Two units with the same name (two "Xã Hưng
  Phúc" in different districts) are told apart by the parent's slug without
  its kind: ``xahungphuc-hungnguyen``. Slugs are cut at 40 characters.
- A unit's mailbox (the clerk's desk, văn thư): ``vanthu.<unit-slug>@<domain>``.
- A person's mailbox: ``<given>.<family-initials>.<unit-slug>@<domain>``, the
  given name (the last word) and the initials of the family and middle names,
  all folded: "Nguyễn Văn An" at Xã Diễn Kim → ``an.nv.xadienkim@nghean.gov.vn``.
  A second person of the same name in the same unit gets a number after the
  given name (``an2.nv.xadienkim``), given explicitly by the administrator.
- A group (a list delivering to several mailboxes) is any free address of
  the domain the administrator chooses, e.g. ``lanhdao.xadienkim@…``.
"""

from __future__ import annotations

import re

from simulator.errors import UserError
from simulator.i18n import translator
from simulator.text import fold, nfc

_ = translator("mail")

UNIT_PREFIX = "vanthu"
MAX_SLUG = 40
_LOCAL = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$")
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")


def ascii_word(text: str) -> str:
    """Folded to lower-case ASCII letters and digits only ("Diễn Châu" → "dienchau")."""
    return re.sub(r"[^a-z0-9]+", "", fold(nfc(text)))


def domain_for(province_name: str) -> str:
    return f"{ascii_word(province_name)}.gov.vn"


def _bare(short_name: str, division_type: str) -> str:
    """The name without its kind ("Xã Hưng Phúc" → "hungphuc")."""
    name = fold(short_name)
    kind = fold(division_type)
    if kind and name.startswith(kind + " "):
        name = name[len(kind) + 1:]
    return ascii_word(name)


def unit_slugs(units) -> dict[str, str]:
    """Identifier code → slug for every unit of a province, unique within it."""
    by_code = {u.code: u for u in units}
    first = {u.code: ascii_word(u.short_name)[:MAX_SLUG] for u in units}
    counts: dict[str, int] = {}
    for slug in first.values():
        counts[slug] = counts.get(slug, 0) + 1
    out = {}
    for code, slug in first.items():
        if counts[slug] > 1:
            unit = by_code[code]
            parent = by_code.get(unit.parent or "")
            tag = _bare(parent.short_name, parent.division_type) if parent else code.replace(".", "")
            slug = f"{slug[:MAX_SLUG - len(tag) - 1]}-{tag}"
        out[code] = slug
    taken: dict[str, str] = {}
    for code in sorted(out):  # a last collision (same name, same parent): the code decides
        if out[code] in taken:
            out[code] = f"{out[code][:MAX_SLUG - 12]}-{code.replace('.', '').lower()}"
        taken[out[code]] = code
    return out


def unit_address(slug: str, domain: str) -> str:
    return f"{UNIT_PREFIX}.{slug}@{domain}"


def person_local(full_name: str, slug: str, number: int | None = None, *, field: str = "--name") -> str:
    words = [ascii_word(w) for w in nfc(full_name).split()]
    words = [w for w in words if w]
    if len(words) < 2:
        raise UserError(_("{field}: give the person's full name (family and given name), e.g. {example}.",
                          field=field, example="Nguyễn Văn An"), field=field)
    given, initials = words[-1], "".join(w[0] for w in words[:-1])
    return f"{given}{number or ''}.{initials}.{slug}"


def person_address(full_name: str, slug: str, domain: str, number: int | None = None) -> str:
    return f"{person_local(full_name, slug, number)}@{domain}"


def check_address(address: str, domain: str | None = None, *, field: str = "ADDRESS") -> str:
    """A well-formed address (lower case), of ``domain`` when given; one line otherwise."""
    text = (address or "").strip().lower()
    local, at, dom = text.rpartition("@")
    if not at or not _LOCAL.match(local) or ".." in local or not _DOMAIN.match(dom):
        raise UserError(_("{field}: {value!r} is not a mail address such as {example}.", field=field,
                          value=address, example="vanthu.xadienkim@nghean.gov.vn"), field=field)
    if domain and dom != domain:
        raise UserError(_("{field}: {value!r} is not an address of {domain}.", field=field, value=address,
                          domain=domain), field=field)
    return text

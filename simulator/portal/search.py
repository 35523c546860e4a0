"""Finding a published document: by its number, by words with or without tone marks, by filters.

Each document becomes one index record: the facts people filter on and two
search keys over number, trích yếu, issuer, signer, type and field: the
lower-case NFC text (``exact``) and the same through
:func:`simulator.text.fold` (``key``: tone marks dropped, đ→d, as the archive
searches, PITFALLS.md). A query matches when every folded word of it starts a word
of the folded key, so "quyet dinh dat dai" finds "Quyết định ... đất đai"
(and "rung" finds "rừng", not "trung").
Results come in tiers: the number itself, then the exact form as a phrase,
then every exact word (someone typing "sở" wants "sở" before "số"), then
folded matches; newest first within a tier.

The same records feed the static list page (as a script the page reads) and
the search endpoint of ``vbdt portal serve``, so both answer alike. The whole
index is kept in memory: 10,000 documents are a few megabytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from simulator.portal.status import LABELS, in_force, status_on
from simulator.text import fold, nfc

MAX_LIMIT = 1000
_PUNCTUATION = re.compile(r"[,.;:()\[\]\"“”'!?]")


def words_of(text: str) -> str:
    """Lower-case NFC words, punctuation between them dropped ('/' and '-' stay: numbers and codes use them)."""
    return " ".join(_PUNCTUATION.sub(" ", nfc(text)).lower().split())


def record(row: dict, on: date) -> dict:
    """The index record of a published row (``Portal.rows()``), its status as of ``on``."""
    status = status_on(date.fromisoformat(row["effective"]), row.get("status"), on)
    code = row["number_code"]  # "05/QĐ-UBND" also as the words "qđ-ubnd", "qđ", "ubnd"
    parts = [code, code.replace("/", " "), re.sub(r"[/-]", " ", code)]
    parts += [str(row[k]) for k in ("subject", "issuer_name", "signer", "type_name", "field")]
    exact = words_of(" ".join(parts))
    return {"path": row["path"], "number_code": row["number_code"], "issued": row["issued"], "year": row["year"],
            "type_key": row["type_key"], "type_name": row["type_name"], "issuer_code": row["issuer_code"],
            "issuer_name": row["issuer_name"], "signer": row["signer"], "effective": row["effective"],
            "field": row["field"], "subject": row["subject"], "status": status, "status_label": LABELS[status],
            "in_force": in_force(status), "key": fold(exact), "exact": exact}


@dataclass(frozen=True)
class Query:
    """What someone asks: words, and filters (each optional)."""

    text: str = ""
    type: str = ""          # type key ("quyet_dinh") or name ("Quyết định")
    issuer: str = ""        # identifier code, or words of the issuer's name
    year: int | None = None
    field: str = ""
    in_force: bool | None = None
    limit: int = 50
    offset: int = 0


class SearchIndex:
    """Index records in memory, newest first; :meth:`search` answers a :class:`Query`."""

    def __init__(self, records: list[dict]) -> None:
        self.records = sorted(records, key=lambda r: (r["issued"], r["path"]), reverse=True)
        # folded once here, not per query: (record, number, field, issuer code, issuer name)
        self._folded = [(r, fold(r["number_code"]), fold(r["field"]), fold(r["issuer_code"]), fold(r["issuer_name"]))
                        for r in self.records]
        self._keys = [" " + r["key"] for r in self.records]  # a word matches at the start of a word

    def search(self, q: Query) -> tuple[int, list[dict]]:
        """(how many match, the page of records asked for), best first."""
        type_key = _type_key(q.type)
        issuer, field = fold(q.issuer.strip()), fold(q.field.strip())
        exact_words = words_of(q.text).split()
        words = [fold(w) for w in exact_words]
        phrase, joined = " ".join(exact_words), " ".join(words)
        candidates = range(len(self.records))
        for word in sorted((" " + w for w in words), key=len, reverse=True):  # the rarest first, in one pass each
            keys = self._keys
            candidates = [n for n in candidates if word in keys[n]]
        scored = []
        for n in candidates:
            rec, number, rec_field, issuer_code, issuer_name = self._folded[n]
            if ((type_key and rec["type_key"] != type_key) or (q.year is not None and rec["year"] != q.year)
                    or (field and rec_field != field) or (q.in_force is not None and rec["in_force"] != q.in_force)
                    or (issuer and issuer != issuer_code and issuer not in issuer_name)):
                continue
            tier = 0
            if words:
                exact = rec["exact"]
                if number == joined:
                    tier = 3
                elif phrase in exact:
                    tier = 2
                elif all(" " + w in " " + exact for w in exact_words):
                    tier = 1
            scored.append((-tier, n, rec))
        scored.sort(key=lambda item: item[:2])
        limit = max(0, min(q.limit, MAX_LIMIT))
        return len(scored), [rec for _tier, _n, rec in scored[q.offset:q.offset + limit]]

    def facets(self) -> dict[str, list]:
        """The values the filters offer: types, issuers, years, fields."""
        types = sorted({(r["type_key"], r["type_name"]) for r in self.records}, key=lambda t: t[1])
        issuers = sorted({(r["issuer_code"], r["issuer_name"]) for r in self.records}, key=lambda t: fold(t[1]))
        years = sorted({r["year"] for r in self.records}, reverse=True)
        fields = sorted({r["field"] for r in self.records}, key=fold)
        return {"types": types, "issuers": issuers, "years": years, "fields": fields}


def _type_key(value: str) -> str:
    if not value.strip():
        return ""
    from simulator.documents.types import document_type

    return document_type(value).key  # a UserError names an unknown type

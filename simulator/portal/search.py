"""Finding a published document: by its number, by words with or without tone marks, by filters.

Each document becomes one index record: the facts people filter on and two
search keys over number, trích yếu, issuer, signer, type and field: the
lower-case NFC text (``exact``) and the same through
:func:`simulator.text.fold` (``key``: tone marks dropped, đ→d, as the archive
searches, PITFALLS.md). A query matches when every folded word of it is in
the folded key, so "quyet dinh dat dai" finds "Quyết định ... đất đai".
Results come in tiers: the number itself, then the exact form as a phrase,
then every exact word (someone typing "sở" wants "sở" before "số"), then
folded matches; newest first within a tier.

The same records feed the static list page (as a script the page reads) and
the search endpoint of ``vbdt portal serve``, so both answer alike. The whole
index is kept in memory: 10,000 documents are a few megabytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from simulator.portal.status import LABELS, in_force, status_on
from simulator.text import fold, nfc

MAX_LIMIT = 1000


def record(row: dict, on: date) -> dict:
    """The index record of a published row (``Portal.rows()``), its status as of ``on``."""
    status = status_on(date.fromisoformat(row["effective"]), row.get("status"), on)
    exact = " ".join(nfc(str(row[k])).lower() for k in ("number_code", "subject", "issuer_name", "signer",
                                                         "type_name", "field"))
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

    def _keep(self, rec: dict, q: Query, type_key: str, issuer: str, field: str) -> bool:
        if type_key and rec["type_key"] != type_key:
            return False
        if q.year is not None and rec["year"] != q.year:
            return False
        if field and fold(rec["field"]) != field:
            return False
        if q.in_force is not None and rec["in_force"] != q.in_force:
            return False
        if issuer and issuer != fold(rec["issuer_code"]) and issuer not in fold(rec["issuer_name"]):
            return False
        return True

    def search(self, q: Query) -> tuple[int, list[dict]]:
        """(how many match, the page of records asked for), best first."""
        type_key = _type_key(q.type)
        issuer, field = fold(q.issuer.strip()), fold(q.field.strip())
        words = fold(nfc(q.text)).split()
        exact_words = nfc(q.text).lower().split()
        phrase = " ".join(exact_words)
        scored = []
        for n, rec in enumerate(self.records):
            key = rec["key"]
            if words and not all(w in key for w in words):
                continue
            if not self._keep(rec, q, type_key, issuer, field):
                continue
            tier = 0
            if words:
                exact = rec["exact"]
                if fold(rec["number_code"]).lower() == " ".join(words):
                    tier = 3
                elif phrase in exact:
                    tier = 2
                elif all(w in exact for w in exact_words):
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

"""Vietnamese full-text search over the catalogue.

Each document has one row in the FTS5 table ``doc_search`` (rowid = the
document id) with two columns over its subject, code, issuer, signer and
body: ``exact`` (lower-case NFC) and ``folded`` (``simulator.text.fold``:
tone marks dropped and đ→d, computed in Python because FTS5's
``remove_diacritics`` keeps đ, PITFALLS.md). The query is folded the same way,
so "quyet dinh", "QUYẾT ĐỊNH" and "quyết định" find the same documents, and
old/new tone placement (hoà/hòa) meet. Results come in tiers: the exact form
as a phrase, the exact form as separate words, then the same on the folded
text (someone typing "sở" wants "sở" before "số"); each tier by BM25.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import and_, select, text
from sqlalchemy.engine import Connection

from simulator.archiving.catalogue import documents, is_sqlite
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.text import fold, nfc

_ = translator("archiving")

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_LIMIT = 1000


@dataclass(frozen=True)
class Hit:
    id: int
    code: str
    subject: str
    issuer: str
    date: str
    score: float
    record_id: str = ""
    exact: bool = False

    def as_json(self) -> dict:
        """The shape ``vbdt archive search --json`` prints."""
        d = asdict(self)
        return {k: d[k] for k in ("id", "code", "subject", "issuer", "date", "score")}


def search_fields(meta: dict, body: str) -> list[str]:
    code = meta.get("code") or ""
    return [meta.get("subject", ""), code, meta.get("organ_name", ""), meta.get("signer_full_name", ""), body]


def exact_text(parts: list[str]) -> str:
    return " ".join(nfc(p).lower() for p in parts if p)


def folded_text(parts: list[str]) -> str:
    return " ".join(fold(p) for p in parts if p)


def _match(column: str, words: list[str], phrase: bool) -> str:
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    if phrase:
        return f"{column} : (" + " + ".join(quoted) + ")"
    return f"{column} : (" + " AND ".join(quoted) + ")"


def _tiers(exact_words: list[str], folded_words: list[str]):
    """Ranking tiers, best first: exact phrase, exact words, folded phrase, folded words."""
    several = len(folded_words) > 1
    return [("exact", exact_words if several else None, True), ("exact", exact_words, False),
            ("folded", folded_words if several else None, True), ("folded", folded_words, False)]


def _filters(date_from, date_to, issuer, doc_type, record) -> tuple[list[str], dict]:
    where, params = [], {}
    if date_from:
        where.append("d.issued_date >= :date_from")
        params["date_from"] = _as_date(date_from, "date_from").isoformat()
    if date_to:
        where.append("d.issued_date <= :date_to")
        params["date_to"] = _as_date(date_to, "date_to").isoformat()
    if issuer:
        where.append("(d.organ_name = :issuer OR json_extract(d.metadata, '$.organ_id') = :issuer)")
        params["issuer"] = nfc(issuer)
    if doc_type:
        where.append("lower(d.type_name) = :doc_type")
        params["doc_type"] = nfc(doc_type).lower()
    if record:
        where.append("d.record_id = :record")
        params["record"] = record
    return where, params


def _as_date(value, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise UserError(_("The field {field} must be a date (YYYY-MM-DD).", field=field), field=field) from None


def _score(bm25: float, tier: int) -> float:
    """Tier first (0 best of 4), then BM25 (negative, lower is better) mapped into the tier's quarter."""
    s = -bm25 / (1.0 - bm25) if bm25 < 0 else 0.0
    return round(0.25 * (3 - tier) + 0.25 * s, 6)


def search(conn: Connection, query: str, *, limit: int = 20, date_from=None, date_to=None, issuer=None,
           doc_type=None, record=None) -> list[Hit]:
    if not 1 <= int(limit) <= MAX_LIMIT:
        raise UserError(_("The limit must be between 1 and {n}.", n=MAX_LIMIT), field="limit")
    exact_words = _WORD.findall(nfc(query or "").lower())
    folded_words = _WORD.findall(fold(query or ""))
    where, params = _filters(date_from, date_to, issuer, doc_type, record)
    if not is_sqlite(conn.engine):
        return _search_like(conn, folded_words, exact_words, limit, date_from, date_to, issuer, doc_type, record)
    ranked: list[tuple[int, float, int]] = []
    if not folded_words:
        sql = ("SELECT d.id, 0.0 FROM documents d WHERE 1 = 1"
               + "".join(" AND " + w for w in where) + " ORDER BY d.issued_date DESC, d.id DESC LIMIT :n")
        rows = conn.execute(text(sql), params | {"n": limit}).all()
        ranked = [(r[0], 0.0, 3) for r in rows]
    else:
        seen: set[int] = set()
        for tier, (column, words, phrase) in enumerate(_tiers(exact_words, folded_words)):
            if len(ranked) >= limit:
                break
            if words is None:
                continue
            sql = ("SELECT doc_search.rowid, bm25(doc_search) AS r FROM doc_search"
                   + (" JOIN documents d ON d.id = doc_search.rowid" if where else "")
                   + " WHERE doc_search MATCH :q" + "".join(" AND " + w for w in where)
                   + " ORDER BY r LIMIT :n")
            q = _match(column, words, phrase)
            for rowid, r in conn.execute(text(sql), params | {"q": q, "n": limit + len(seen)}).all():
                if rowid not in seen and len(ranked) < limit:
                    seen.add(rowid)
                    ranked.append((rowid, r, tier))
    return _hits(conn, ranked)


def _hits(conn: Connection, ranked: list[tuple[int, float, int]]) -> list[Hit]:
    if not ranked:
        return []
    ids = [r[0] for r in ranked]
    rows = {row.id: row for row in conn.execute(
        select(documents.c.id, documents.c.code, documents.c.subject, documents.c.organ_name,
               documents.c.issued_date, documents.c.record_id).where(documents.c.id.in_(ids)))}
    hits = []
    for rowid, r, tier in ranked:
        row = rows.get(rowid)
        if row is None:
            continue
        hits.append(Hit(row.id, row.code or "", row.subject, row.organ_name or "",
                        row.issued_date.isoformat() if row.issued_date else "", _score(r, tier),
                        row.record_id, tier < 2))
    return hits


def _search_like(conn, folded_words, exact_words, limit, date_from, date_to, issuer, doc_type, record) -> list[Hit]:
    """Portable fallback for non-SQLite catalogues: LIKE over the folded column."""
    d = documents.c
    cond = [d.folded.is_not(None)] + [d.folded.like(f"%{w}%") for w in folded_words]
    if date_from:
        cond.append(d.issued_date >= _as_date(date_from, "date_from"))
    if date_to:
        cond.append(d.issued_date <= _as_date(date_to, "date_to"))
    if issuer:
        cond.append(d.organ_name == nfc(issuer))
    if doc_type:
        cond.append(d.type_name == nfc(doc_type))
    if record:
        cond.append(d.record_id == record)
    rows = conn.execute(select(d.id, d.subject).where(and_(*cond)).order_by(d.issued_date.desc()).limit(limit * 5)).all()
    ranked = []
    for row in rows:
        exact = all(w in nfc(row.subject).lower() for w in exact_words)
        ranked.append((row.id, -1.0, 1 if exact else 3))
    ranked.sort(key=lambda t: t[2])
    return _hits(conn, ranked[:limit])

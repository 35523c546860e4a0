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

from sqlalchemy import and_, func, select, text
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


def _alnum(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(text))


def facet_tokens(type_name: str, organ_name: str, organ_id: str, issued: date | str | None, record_id: str) -> str:
    """Filter values as single tokens, so a filter narrows the FTS match instead of a scan."""
    tokens = [f"t{_alnum(type_name)}", f"i{_alnum(organ_name)}", f"r{_alnum(record_id)}"]
    if organ_id:
        tokens.append(f"c{_alnum(organ_id)}")
    if issued:
        day = issued if isinstance(issued, date) else date.fromisoformat(str(issued))
        tokens += [f"y{day.year:04d}", f"m{day.year:04d}{day.month:02d}"]
    return " ".join(tokens)


def _match(column: str, words: list[str]) -> str:
    """All the words in one column; each quoted, so FTS5 syntax typed by a user is never interpreted."""
    return f"{column} : (" + " AND ".join('"' + w.replace('"', '""') + '"' for w in words) + ")"


def _facet_match(date_from: date | None, date_to: date | None, issuer, doc_type, record) -> str:
    parts = []
    if issuer:
        parts.append(f'facets : ("i{_alnum(issuer)}" OR "c{_alnum(issuer)}")')
    if doc_type:
        parts.append(f'facets : "t{_alnum(doc_type)}"')
    if record:
        parts.append(f'facets : "r{_alnum(record)}"')
    if date_from and date_to and date_from <= date_to:
        months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
        if months <= 36:
            toks = [f"m{(date_from.year * 12 + date_from.month - 1 + k) // 12:04d}"
                    f"{(date_from.month - 1 + k) % 12 + 1:02d}" for k in range(months)]
        else:
            toks = [f"y{y:04d}" for y in range(date_from.year, date_to.year + 1)]
        parts.append("facets : (" + " OR ".join(f'"{t}"' for t in toks) + ")")
    return " AND ".join(parts)


def _as_date(value, field: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise UserError(_("The field {field} must be a date (YYYY-MM-DD).", field=field), field=field) from None


def _date_where(date_from: date | None, date_to: date | None) -> tuple[str, dict]:
    """Exact day bounds, checked per candidate (the facet tokens only narrow to months or years)."""
    sql, params = "", {}
    if date_from:
        sql += " AND (SELECT issued_date FROM documents WHERE id = doc_search.rowid) >= :date_from"
        params["date_from"] = date_from.isoformat()
    if date_to:
        sql += " AND (SELECT issued_date FROM documents WHERE id = doc_search.rowid) <= :date_to"
        params["date_to"] = date_to.isoformat()
    if date_from and date_to and date_from > date_to:
        sql += " AND 0"
    return sql, params


def _features(text: str, words: list[str]) -> float:
    """How well the subject and code match: the words as a phrase (0.6), all of them (0.3)."""
    tokens = _WORD.findall(text)
    joined = " " + " ".join(tokens) + " "
    if " " + " ".join(words) + " " in joined:
        return 0.6 if len(words) > 1 else 0.45
    if set(words) <= set(tokens):
        return 0.3
    return 0.0


def search(conn: Connection, query: str, *, limit: int = 20, date_from=None, date_to=None, issuer=None,
           doc_type=None, record=None) -> list[Hit]:
    """Tiered search over the newest matches of each form, re-ranked in Python.

    Tiers, best first: the exact form as a phrase, the exact form as separate
    words, the folded form as a phrase, the folded form as words; within a
    tier, documents whose subject or code holds the words come first, then
    the newest. BM25 and FTS phrase queries are avoided on purpose: both make
    FTS5 walk every matching row (hundreds of milliseconds for common words
    in a million documents), while "the newest N matches" stops early. So
    ranking looks at the newest ``candidates`` matches of each form only.
    """
    if not 1 <= int(limit) <= MAX_LIMIT:
        raise UserError(_("The limit must be between 1 and {n}.", n=MAX_LIMIT), field="limit")
    exact_words = _WORD.findall(nfc(query or "").lower())
    folded_words = _WORD.findall(fold(query or ""))
    d_from, d_to = _as_date(date_from, "date_from"), _as_date(date_to, "date_to")
    if not is_sqlite(conn.engine):
        return _search_like(conn, folded_words, exact_words, limit, d_from, d_to, issuer, doc_type, record)
    facets = _facet_match(d_from, d_to, issuer, doc_type, record)
    date_sql, params = _date_where(d_from, d_to)
    candidates = min(max(4 * limit, 100), 2000)
    if not folded_words:
        if not facets:
            rows = conn.execute(text(
                "SELECT id FROM documents WHERE 1 = 1"
                + (" AND issued_date >= :date_from" if d_from else "")
                + (" AND issued_date <= :date_to" if d_to else "")
                + " ORDER BY issued_date DESC, id DESC LIMIT :n"), params | {"n": limit}).all()
        else:
            rows = conn.execute(text("SELECT rowid FROM doc_search WHERE doc_search MATCH :q" + date_sql
                                     + " ORDER BY rowid DESC LIMIT :n"), params | {"q": facets, "n": limit}).all()
        return _hits(conn, [(r[0], 0.0, 3) for r in rows])
    found: list[tuple[float, int, int]] = []   # (score, rowid, tier)
    seen: set[int] = set()
    for group, (column, words) in enumerate((("exact", exact_words), ("folded", folded_words))):
        if group == 0 and exact_words == folded_words:
            continue  # a query without marks states no preferred form (and unmarked tokens are costly here)
        if sum(1 for f in found if f[2] < 2) >= limit:
            break  # enough exact-form matches: folded ones would all rank below them
        q = _match(column, words) + (f" AND {facets}" if facets else "")
        rows = [r for r in conn.execute(text(f"SELECT rowid, {column} FROM doc_search WHERE doc_search MATCH :q"
                                             + date_sql + " ORDER BY rowid DESC LIMIT :n"),
                                        params | {"q": q, "n": candidates}).all() if r[0] not in seen]
        if not rows:
            continue
        ids = [r[0] for r in rows]
        subjects = dict(conn.execute(select(documents.c.id, documents.c.subject + " " + func.coalesce(
            documents.c.code, "")).where(documents.c.id.in_(ids))).all())
        normal = (lambda s: nfc(s).lower()) if column == "exact" else fold
        phrase = " " + " ".join(words) + " "
        for pos, (rowid, body) in enumerate(rows):
            tier = 2 * group + (0 if len(words) == 1 or phrase in " " + " ".join(_WORD.findall(body)) + " " else 1)
            fit = _features(normal(subjects.get(rowid, "")), words)
            found.append((0.25 * (3 - tier) + 0.2 * fit + 0.05 * (1 - pos / len(rows)), rowid, tier))
            seen.add(rowid)
    found.sort(reverse=True)
    ranked = [(rowid, score, tier) for score, rowid, tier in found[:limit]]
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
                        row.issued_date.isoformat() if row.issued_date else "", round(r, 6),
                        row.record_id, tier < 2))
    return hits


def _search_like(conn, folded_words, exact_words, limit, date_from, date_to, issuer, doc_type, record) -> list[Hit]:
    """Portable fallback for non-SQLite catalogues: LIKE over the folded column."""
    d = documents.c
    cond = [d.folded.is_not(None)] + [d.folded.like(f"%{w}%") for w in folded_words]
    if date_from:
        cond.append(d.issued_date >= date_from)
    if date_to:
        cond.append(d.issued_date <= date_to)
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
        ranked.append((row.id, 0.5 if exact else 0.0, 1 if exact else 3))
    ranked.sort(key=lambda t: t[2])
    return _hits(conn, ranked[:limit])

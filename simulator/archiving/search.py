"""Vietnamese full-text search over the catalogue.

Each document has one row in ``doc_search`` (rowid = the document id) with
two columns over its subject, code, issuer, signer and body: ``exact`` (the
lower-case NFC words) and ``folded`` (the same words through
``simulator.text.fold``: tone marks dropped and đ→d, computed in Python
because FTS5's ``remove_diacritics`` keeps đ, PITFALLS.md), plus filter
values as ``facets`` tokens. The query is folded the same way, so "quyet
dinh", "QUYẾT ĐỊNH" and "quyết định" find the same documents, and old/new
tone placement (hoà/hòa) meet. Results come in tiers: the exact form as a
phrase, the exact form as separate words, then the same on the folded text
(someone typing "sở" wants "sở" before "số").

Words are tokenised in Python for both backends, so SQLite (an FTS5 table)
and PostgreSQL (GIN indexes over the token arrays) find the same documents;
only ``_matching`` differs between them.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import and_, delete, false, func, insert, literal_column, select, true
from sqlalchemy.engine import Connection

from simulator.archiving.catalogue import doc_search, documents, is_sqlite, tokens
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
    """The words of ``parts``, lower-case NFC, space-separated (the tokens both dialects match on)."""
    return " ".join(w for p in parts if p for w in _WORD.findall(nfc(p).lower()))


def folded_text(parts: list[str]) -> str:
    return " ".join(w for p in parts if p for w in _WORD.findall(fold(p)))


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


def search_row(parts: list[str], type_name: str, organ_name: str, organ_id: str, issued, record_id: str) -> dict:
    """The ``doc_search`` values of one document except its rowid (JSON-safe)."""
    return {"exact": exact_text(parts), "folded": folded_text(parts),
            "facets": facet_tokens(type_name, organ_name, organ_id, issued, record_id)}


def index(conn: Connection, doc_id: int, row: dict) -> None:
    conn.execute(insert(doc_search).values(rowid=doc_id, **row))


def unindex(conn: Connection, ids: list[int]) -> None:
    if ids:
        conn.execute(delete(doc_search).where(doc_search.c.rowid.in_([int(i) for i in ids])))


def _quoted(words) -> list[str]:
    """Each word quoted, so FTS5 syntax typed by a user is never interpreted."""
    return ['"' + w.replace('"', '""') + '"' for w in words]


def _facet_groups(date_from: date | None, date_to: date | None, issuer, doc_type, record) -> list[list[str]]:
    """Filters as facet tokens: a document must hold one token of every group."""
    groups = []
    if issuer:
        groups.append([f"i{_alnum(issuer)}", f"c{_alnum(issuer)}"])
    if doc_type:
        groups.append([f"t{_alnum(doc_type)}"])
    if record:
        groups.append([f"r{_alnum(record)}"])
    if date_from and date_to and date_from <= date_to:
        months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
        if months <= 36:
            groups.append([f"m{(date_from.year * 12 + date_from.month - 1 + k) // 12:04d}"
                           f"{(date_from.month - 1 + k) % 12 + 1:02d}" for k in range(months)])
        else:
            groups.append([f"y{y:04d}" for y in range(date_from.year, date_to.year + 1)])
    return groups


def _matching(conn: Connection, column: str | None, words: list[str], groups: list[list[str]]):
    """Every word in ``column`` and one token of each facet group: FTS5 MATCH on SQLite, else array
    containment (``@>``, ``&&``) on the GIN-indexed token arrays. The only dialect-specific part."""
    if is_sqlite(conn.engine):
        parts = [f"{column} : (" + " AND ".join(_quoted(words)) + ")"] if words else []
        parts += ["facets : (" + " OR ".join(_quoted(g)) + ")" for g in groups]
        return literal_column("doc_search").op("MATCH")(" AND ".join(parts))
    cond = [tokens(doc_search.c[column]).contains(words)] if words else []
    cond += [tokens(doc_search.c.facets).overlap(g) for g in groups]
    return and_(*cond)


def _candidates(conn: Connection, column: str | None, words: list[str], groups: list[list[str]],
                date_from: date | None, date_to: date | None, n: int) -> list[tuple[int, str]]:
    """(rowid, column text) of the newest ``n`` matches; exact day bounds checked per candidate (the
    facet tokens only narrow to months or years)."""
    stmt = select(doc_search.c.rowid, doc_search.c[column or "folded"]).where(_matching(conn, column, words, groups))
    issued = select(documents.c.issued_date).where(documents.c.id == doc_search.c.rowid).scalar_subquery()
    if date_from:
        stmt = stmt.where(issued >= date_from)
    if date_to:
        stmt = stmt.where(issued <= date_to)
    if date_from and date_to and date_from > date_to:
        stmt = stmt.where(false())
    return [tuple(r) for r in conn.execute(stmt.order_by(doc_search.c.rowid.desc()).limit(n))]


def _as_date(value, field: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise UserError(_("The field {field} must be a date (YYYY-MM-DD).", field=field), field=field) from None


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
    groups = _facet_groups(d_from, d_to, issuer, doc_type, record)
    candidates = min(max(4 * limit, 100), 2000)
    if not folded_words:
        if not groups:
            d = documents.c
            stmt = select(d.id).where(d.issued_date >= d_from if d_from else true(),
                                      d.issued_date <= d_to if d_to else true())
            rows = conn.execute(stmt.order_by(d.issued_date.desc(), d.id.desc()).limit(limit)).all()
        else:
            rows = _candidates(conn, None, [], groups, d_from, d_to, limit)
        return _hits(conn, [(r[0], 0.0, 3) for r in rows])
    found: list[tuple[float, int, int]] = []   # (score, rowid, tier)
    seen: set[int] = set()
    for group, (column, words) in enumerate((("exact", exact_words), ("folded", folded_words))):
        if group == 0 and exact_words == folded_words:
            continue  # a query without marks states no preferred form (and unmarked tokens are costly here)
        if sum(1 for f in found if f[2] < 2) >= limit:
            break  # enough exact-form matches: folded ones would all rank below them
        rows = [r for r in _candidates(conn, column, words, groups, d_from, d_to, candidates) if r[0] not in seen]
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

"""The archive catalogue: records, documents, packages, events, fixity log, disposal.

SQLAlchemy Core tables; SQLite in the archive folder by default (WAL,
``synchronous=FULL``, so a committed transaction survives a crash), any
SQLAlchemy URL when given (PostgreSQL is tested). The search table
``doc_search`` has the same columns everywhere (rowid = the document id;
``exact``, ``folded``, ``facets``: space-separated tokens): an FTS5 table on
SQLite, a plain table with GIN indexes over the token arrays on PostgreSQL
(``search.py``).
"""

from __future__ import annotations

from sqlalchemy import (JSON, BigInteger, Boolean, Column, Date, DateTime, ForeignKey, Integer, MetaData, String,
                        Index, Table, Text, create_engine, event, func, literal_column, select, text)
from sqlalchemy.engine import Engine

from simulator.dburl import with_driver

metadata = MetaData()

records = Table(
    "records", metadata,
    Column("id", String(40), primary_key=True),
    Column("file_code", String(60), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("maintenance", String(60), nullable=False),
    Column("retention_years", Integer),           # None = permanent
    Column("rights", String(200)),
    Column("creator", String(300)),
    Column("language", String(60)),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date),
    Column("description", Text),
    Column("state", String(20), nullable=False),  # open, archived, disposed
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("archived_at", DateTime(timezone=True)),
    Column("metadata", JSON, nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id", String(40), ForeignKey("records.id"), nullable=False, index=True),
    Column("ordinal", Integer, nullable=False),
    Column("filename", String(200), nullable=False),    # name inside the package
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("staging", String(200)),                     # path under staging/ until ingest
    Column("signed", Boolean, nullable=False, default=False),
    Column("type_name", String(60), index=True),
    Column("code", String(60), index=True),
    Column("issued_date", Date, index=True),
    Column("organ_name", String(300), index=True),
    Column("subject", Text, nullable=False),
    Column("signer", String(200)),
    Column("pages", Integer),
    Column("metadata", JSON, nullable=False),
)

packages = Table(
    "packages", metadata,
    Column("id", String(40), primary_key=True),
    Column("record_id", String(40), ForeignKey("records.id"), nullable=False, index=True),
    Column("path", String(300), nullable=False, unique=True),  # relative to the archive folder
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("payload_oxum", String(40), nullable=False),
    Column("state", String(20), nullable=False),              # stored, disposed
)

package_files = Table(
    "package_files", metadata,
    Column("package_id", String(40), ForeignKey("packages.id"), primary_key=True),
    Column("path", String(300), primary_key=True),            # relative to the bag
    Column("role", String(20), nullable=False),               # original, derivative, metadata
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("sha512", String(128), nullable=False),
)

events = Table(
    "events", metadata,
    Column("id", String(40), primary_key=True),
    Column("seq", BigInteger, nullable=False, index=True),   # nanoseconds: beyond 32 bits
    Column("event_type", String(60), nullable=False),
    Column("event_datetime", DateTime(timezone=True), nullable=False),
    Column("detail", Text),
    Column("outcome", String(40)),
    Column("outcome_detail", Text),
    Column("object_id", String(80), index=True),
    Column("agents", JSON, nullable=False),
)

fixity_log = Table(
    "fixity_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started", DateTime(timezone=True), nullable=False),
    Column("finished", DateTime(timezone=True), nullable=False),
    Column("success", Boolean, nullable=False),
    Column("packages", Integer, nullable=False),
    Column("bytes", BigInteger, nullable=False),
    Column("changed", JSON, nullable=False),
    Column("missing", JSON, nullable=False),
    Column("untracked", JSON, nullable=False),
    Column("message", Text),
)

holds = Table(
    "holds", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id", String(40), ForeignKey("records.id"), nullable=False, index=True),
    Column("reason", Text, nullable=False),
    Column("placed_by", String(200), nullable=False),
    Column("placed_at", DateTime(timezone=True), nullable=False),
    Column("released_at", DateTime(timezone=True)),
)

disposal_requests = Table(
    "disposal_requests", metadata,
    Column("id", String(40), primary_key=True),
    Column("record_ids", JSON, nullable=False),
    Column("reason", Text, nullable=False),
    Column("requested_by", String(200), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),  # pending, approved, rejected, done
    Column("council", Text),
    Column("approved_by", String(200)),
    Column("approval_ref", String(200)),
    Column("approved_at", DateTime(timezone=True)),
)

tombstones = Table(
    "tombstones", metadata,
    Column("record_id", String(40), primary_key=True),
    Column("file_code", String(60), nullable=False),
    Column("title", Text, nullable=False),
    Column("disposed_at", DateTime(timezone=True), nullable=False),
    Column("request_id", String(40), nullable=False),
    Column("approval_ref", String(200), nullable=False),
    Column("approved_by", String(200), nullable=False),
    Column("hashes", JSON, nullable=False),    # package file path -> sha256
    Column("summary", JSON, nullable=False),   # record metadata and its document list
)

# Created apart from ``metadata``: on SQLite it is the FTS5 virtual table below.
search_metadata = MetaData()
doc_search = Table(
    "doc_search", search_metadata,
    Column("rowid", BigInteger, primary_key=True, autoincrement=False),  # = documents.id
    Column("exact", Text, nullable=False),    # lower-case NFC words
    Column("folded", Text, nullable=False),   # the same words folded (simulator.text.fold)
    Column("facets", Text, nullable=False),   # filter values as single tokens
)


def tokens(column):
    """The token array of a ``doc_search`` column (PostgreSQL); the GIN indexes are on this very expression."""
    from sqlalchemy.dialects.postgresql import ARRAY

    return func.string_to_array(column, literal_column("' '"), type_=ARRAY(Text))


for _name in ("exact", "folded", "facets"):
    Index(f"ix_doc_search_{_name}", tokens(doc_search.c[_name]), postgresql_using="gin")

SCHEMA_LOCK = 0x76626474  # the PostgreSQL advisory lock held while the tables are created
FTS_DDL = ("CREATE VIRTUAL TABLE IF NOT EXISTS doc_search USING fts5("
           "exact, folded, facets, tokenize = 'unicode61 remove_diacritics 0')")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def read_only_engine(url: str) -> Engine:
    """The catalogue at ``url`` read as evidence (nothing written, not even beside an SQLite file); a missing
    SQLite catalogue reads as an empty one, kept in memory."""
    from sqlalchemy.pool import StaticPool

    from simulator.routing.registers_readonly import read_only_engine as reader  # the one read-only open

    try:
        return reader(url)
    except FileNotFoundError:
        from simulator.archiving import journal

        engine = make_engine("sqlite://", poolclass=StaticPool)
        journal.create(engine)
        return engine


def make_engine(url: str, **options) -> Engine:
    engine = create_engine(with_driver(url), future=True, **options)
    if is_sqlite(engine):
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # durability: WAL and a full fsync at every commit
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
    with engine.begin() as conn:
        if not is_sqlite(engine):  # other processes may be creating the tables right now: queue
            conn.execute(select(func.pg_advisory_xact_lock(SCHEMA_LOCK)))
        metadata.create_all(conn)
        if is_sqlite(engine):
            conn.execute(text(FTS_DDL))
        else:
            search_metadata.create_all(conn)
    return engine


__all__ = ["records", "documents", "packages", "package_files", "events", "fixity_log", "holds",
           "disposal_requests", "tombstones", "doc_search", "tokens", "make_engine", "read_only_engine",
           "is_sqlite"]

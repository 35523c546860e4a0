"""The tables of the two register books (Decree 30/2020, Appendix VI) and their migration.

One row per entry; the columns are the form's columns. A register written
before a column existed gets it, empty, when it is opened again.
"""

from __future__ import annotations

from sqlalchemy import (
    Column, Date, Integer, LargeBinary, MetaData, String, Table, Text, UniqueConstraint, inspect, text,
)

metadata = MetaData()

counters = Table(
    "register_counters", metadata,
    Column("unit", String(13), primary_key=True),
    Column("book", String(8), primary_key=True),   # "in" or "out"
    Column("year", Integer, primary_key=True),
    Column("last", Integer, nullable=False),
)

_COMMON = lambda: [  # noqa: E731 - columns both books share (Appendix VI)
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit", String(13), nullable=False),
    Column("year", Integer, nullable=False),
    Column("number", Integer, nullable=False),
    Column("document_id", String(300), nullable=False),
    Column("issuer_code", String(13), nullable=False),
    Column("issuer_name", String(500), nullable=False),
    Column("code_number", String(20), nullable=False),
    Column("code_notation", String(100), nullable=False),
    Column("type_name", String(100), nullable=False),
    Column("issued_date", Date, nullable=False),
    Column("subject", String(500), nullable=False),
    Column("subject_folded", String(500), nullable=False),
    Column("signer_position", String(200), nullable=False),
    Column("signer_name", String(200), nullable=False),
    Column("priority", Integer, nullable=False),
    Column("due_date", Date),
    Column("page_amount", Integer, nullable=False),
    Column("by", String(100), nullable=False),
]

incoming_table = Table(
    "register_incoming", metadata, *_COMMON(),
    Column("arrival_at", String(40), nullable=False),
    Column("to_places", Text, nullable=False),      # JSON list
    Column("traces", Text, nullable=False),         # JSON list of [organ_id, timestamp]
    Column("source", LargeBinary),                  # the edXML as received, when it came as edXML
    Column("recipient", String(300)),               # đơn vị hoặc người nhận (set at assignment)
    Column("receipt", String(300)),                 # ký nhận
    Column("notes", Text),                          # ghi chú
    Column("handling_due", Date),
    UniqueConstraint("unit", "document_id", name="uq_incoming_document"),
    UniqueConstraint("unit", "year", "number", name="uq_incoming_number"),
)

outgoing_table = Table(
    "register_outgoing", metadata, *_COMMON(),
    Column("registered_at", String(40), nullable=False),
    Column("recipients", Text, nullable=False),     # JSON list of [code, name]
    Column("copies", Integer, nullable=False),
    Column("kept_by", String(300)),                 # đơn vị, người nhận bản lưu
    Column("sent_at", String(40)),                  # ngày chuyển
    Column("receipt", String(300)),                 # ký nhận
    Column("notes", Text),                          # ghi chú
    UniqueConstraint("unit", "year", "number", name="uq_outgoing_number"),
)

flow_events = Table(
    "register_flow_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit", String(13), nullable=False),
    Column("book", String(8), nullable=False),
    Column("document_id", String(300), nullable=False),
    Column("action", String(40), nullable=False),
    Column("state", String(40), nullable=False),
    Column("by", String(100), nullable=False),
    Column("at", String(40), nullable=False),
    Column("details", Text, nullable=False),
)



def _add_new_columns(engine) -> None:
    """Registers written before a column of the form existed get it (empty): nothing else changes."""
    for table in (incoming_table, outgoing_table):
        have = {c["name"] for c in inspect(engine).get_columns(table.name)}
        missing = [c for c in table.columns if c.name not in have]
        if not missing:
            continue
        with engine.begin() as conn:
            for column in missing:
                kind = column.type.compile(dialect=conn.dialect)
                conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))

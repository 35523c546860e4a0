"""What the exchange axis keeps: its messages, their deliveries, the documents' traces and the outages.

A message is one document (``kind`` "edoc", ``code`` "" for a new one or
"B1".."B3" for a recall, update or replace request) or one status package
(``kind`` "status", ``code`` its status code), stored once per sender. A
delivery is one message waiting for one recipient: pending, fetched, done
or refused, with its failed push attempts and when to try again. The
traces are the documents' histories as the axis saw them (QCVN 102: get
and update traces). An outage is the whole axis (key "*") or one
organisation's link down, until a moment or until lifted.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Integer, LargeBinary, MetaData, String, Table, Text, UniqueConstraint

metadata = MetaData()

messages = Table(
    "axis_messages", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(8), nullable=False),           # "edoc" or "status"
    Column("doc_id", String(300), nullable=False),
    Column("sender", String(13), nullable=False),
    Column("code", String(2), nullable=False),            # the status code, "" for a document
    Column("payload", LargeBinary, nullable=False),
    Column("created_at", String(40), nullable=False),
    UniqueConstraint("kind", "doc_id", "sender", "code", name="uq_axis_message"),
)

deliveries = Table(
    "axis_deliveries", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", Integer, ForeignKey("axis_messages.id"), nullable=False),
    Column("org_id", String(13), nullable=False),
    Column("state", String(10), nullable=False),          # pending, fetched, done, refused
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt", Float, nullable=False, default=0.0),  # POSIX seconds
    Column("last_error", Text, nullable=False, default=""),
    Column("updated_at", String(40), nullable=False),
    UniqueConstraint("message_id", "org_id", name="uq_axis_delivery"),
)

traces_table = Table(
    "axis_traces", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(300), nullable=False),
    Column("org_id", String(13), nullable=False),
    Column("code", String(2), nullable=False),
    Column("description", Text, nullable=False),
    Column("at", String(40), nullable=False),
)

outages = Table(
    "axis_outages", metadata,
    Column("org_id", String(13), primary_key=True),
    Column("until", Float),                              # POSIX seconds; None: until lifted
)

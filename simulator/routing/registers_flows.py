"""The handling of each registered document, kept step by step beside the register books.

Every step of a document's workflow (Decree 30, Art. 10-24: receive,
register, submit, assign, finish...; sign, issue, seal, dispatch...) is
one row of ``register_flow_events``: who, when, what and the state it led
to, in the order it happened. The workflow of a document is rebuilt by
replaying its rows (:meth:`~simulator.routing.workflow.IncomingFlow.replay`),
so a reopened register resumes where the work stopped.
"""

from __future__ import annotations

import json

from sqlalchemy import and_, insert, select

from simulator.calendar import iso_vn
from simulator.routing.registers_tables import flow_events
from simulator.routing.workflow import IncomingFlow, OutgoingFlow


def _row(unit: str, book: str, document_id: str, step) -> dict:
    return dict(unit=unit, book=book, document_id=document_id, action=step.action, state=step.state, by=step.by,
                at=iso_vn(step.at), details=json.dumps(step.details, ensure_ascii=False, default=str))


def record(engine, unit: str, book: str, document_id: str, transition) -> None:
    """Keep one workflow transition (who, when, what) with the register."""
    with engine.begin() as conn:
        conn.execute(insert(flow_events).values(**_row(unit, book, document_id, transition)))


def save_flow(engine, unit: str, document_id: str, flow) -> int:
    """Record the steps of ``flow`` not yet recorded (create included); returns how many were added."""
    book = "in" if isinstance(flow, IncomingFlow) else "out"
    with engine.begin() as conn:
        done = len(conn.execute(select(flow_events.c.id).where(and_(
            flow_events.c.unit == unit, flow_events.c.book == book,
            flow_events.c.document_id == document_id))).all())
        fresh = flow.history[done:]
        for step in fresh:
            conn.execute(insert(flow_events).values(**_row(unit, book, document_id, step)))
    return len(fresh)


def events(engine, unit: str, document_id: str, book: str | None = None) -> list[dict]:
    """The recorded steps of a document, oldest first (of one book when ``book`` is given)."""
    query = select(flow_events).where(and_(flow_events.c.unit == unit, flow_events.c.document_id == document_id))
    if book:
        query = query.where(flow_events.c.book == book)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(flow_events.c.id)).all()
    return [{"action": r.action, "state": r.state, "by": r.by, "at": r.at, "details": json.loads(r.details)}
            for r in rows]


def load_flow(engine, unit: str, document_id: str, book: str = "in", calendar=None):
    """The workflow of a document rebuilt from its recorded steps (None if nothing was recorded)."""
    history = events(engine, unit, document_id, book)
    if not history:
        return None
    return (IncomingFlow if book == "in" else OutgoingFlow).replay(history, calendar)

"""The receiving clerk's round: fetch what waits on the axis, register it, confirm.

Each document is registered (idempotent on its DocumentId) before the
receipt is confirmed, and the delivery stays open until the last status
(03) is sent, so a crash anywhere only means the axis offers it again:
the register keeps one entry and a repeated status is ignored.
"""

from __future__ import annotations

from datetime import datetime

from simulator.routing.axis import Axis
from simulator.routing.envelope import StatusCode, now_vn
from simulator.routing.registers import IncomingEntry, Registers


def receive_all(axis: Axis, registers: Registers, by: str, at: datetime | None = None,
                *, accept: bool = True) -> list[IncomingEntry]:
    """Register every new document pending for ``registers.unit``; confirm 01 (arrived) and, if ``accept``, 03.

    Recall, update and replace requests stay pending for the clerk."""
    at = at or now_vn()
    entries = []
    for item in axis.pending(registers.unit, at=at):
        if item.code:  # recall, update, replace: a person decides (IncomingFlow), not this round
            continue
        payload = axis.get(item.doc_id, registers.unit, code="", at=at)
        entry = registers.register_incoming(payload, at, by)
        axis.confirm(item.doc_id, registers.unit, StatusCode.ARRIVED, staff=by, close=not accept,
                     business=0, at=at)
        if accept:
            axis.confirm(item.doc_id, registers.unit, StatusCode.ACCEPTED, staff=by, business=0, at=at)
        entries.append(entry)
    return entries

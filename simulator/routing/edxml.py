"""edXML envelopes and status packages (QCVN 102:2016/BTTTT): build, parse, validate.

The public face of four modules, one concept each:

- :mod:`~simulator.routing.edxml_schema` - the namespace, limits, value
  checks and the element table (what may appear where, how often);
- :mod:`~simulator.routing.edxml_validate` - :func:`validate`: every
  problem of some bytes, located by element path, in the user's language;
- :mod:`~simulator.routing.edxml_write` - :func:`build`,
  :func:`status_package`: records to bytes, refusing to write anything
  invalid;
- :mod:`~simulator.routing.edxml_read` - :func:`parse`,
  :func:`parse_status`, :func:`read`, :func:`is_status`, and the
  ``ResponseFor`` blocks :func:`response_for`, :func:`response_for_id`.

``parse`` validates first and refuses anything invalid; ``build`` refuses
to produce an invalid envelope. The records themselves are in
:mod:`simulator.routing.envelope`.
"""

from __future__ import annotations

from datetime import datetime

from simulator.routing.edxml_read import is_status, parse, parse_status, read, response_for, response_for_id
from simulator.routing.edxml_schema import (
    ENVELOPE, MAX_ATTACHMENT_BYTES, MAX_MESSAGE_BYTES, MESSAGE_HEADER, NS, PREFIX, STATUS, TRACE_LIST, EdxmlError,
    El, Error,
)
from simulator.routing.edxml_validate import validate
from simulator.routing.edxml_write import build, status_package

__all__ = [
    "ENVELOPE", "MAX_ATTACHMENT_BYTES", "MAX_MESSAGE_BYTES", "MESSAGE_HEADER", "NS", "PREFIX", "STATUS",
    "TRACE_LIST", "EdxmlError", "El", "Error", "add_trace", "build", "is_status", "parse", "parse_status", "read",
    "response_for", "response_for_id", "status_package", "validate",
]


def add_trace(data: bytes, organ_id: str, timestamp: datetime) -> bytes:
    """The same envelope with one more ``TraceHeader`` (one hop)."""
    return build(parse(data).with_trace(organ_id, timestamp))

"""Routing: registers, workflows with deadlines, edXML envelopes and the exchange axis.

Entry points (everything else is detail):

- :class:`Registers` - the incoming and outgoing registers of a unit;
- :class:`IncomingFlow`, :class:`OutgoingFlow` - Decree 30 workflows;
- :mod:`edxml` - ``build``, ``parse``, ``validate``, ``status_package``;
- :class:`Axis` - the exchange axis (in-process, state in a database);
  ``vbdt axis serve`` puts it on HTTP (:mod:`simulator.routing.server`);
- :class:`Directory` - the identifier registry and users, audited.
"""

from simulator.routing import edxml
from simulator.routing.axis import Axis, Pending, SendResult, Trace
from simulator.routing.axis_operator import AxisUnavailable
from simulator.routing.directory import AuditEntry, Directory, Org, User
from simulator.routing.edxml import EdxmlError, Error
from simulator.routing.envelope import (
    Attachment, Business, BusinessDocType, Envelope, Organization, ResponseFor, StatusCode, StatusPackage,
    SteeringType, TraceHeader, envelope_from_document, organization_of,
)
from simulator.routing.receiving import receive_all
from simulator.routing.registers import IncomingEntry, OutgoingEntry, Registers
from simulator.routing.workflow import IncomingFlow, OutgoingFlow, Transition

__all__ = [
    "Attachment", "AuditEntry", "Axis", "AxisUnavailable", "Business", "BusinessDocType", "Directory",
    "EdxmlError", "Envelope", "Error", "IncomingEntry", "IncomingFlow", "Org", "Organization", "OutgoingEntry",
    "OutgoingFlow", "Pending", "Registers", "ResponseFor", "SendResult", "StatusCode", "StatusPackage",
    "SteeringType", "Trace", "TraceHeader", "Transition", "User", "edxml", "envelope_from_document",
    "organization_of", "receive_all",
]

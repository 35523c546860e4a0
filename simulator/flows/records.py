"""Codes and compact columnar records of the world.

Documents and deliveries live in the hot path as integers in typed arrays
(``array('d')``, ``bytearray``), not as ``Document`` objects: a year of a
province is over a million deliveries. Codes below are stable: tables,
event logs and the seat API use them.
"""

from __future__ import annotations

from array import array

# Flows of documents (each has a rate per unit in Volumes).
INTERNAL, DOWN, UP, LATERAL, CITIZENS_OUT, CITIZENS_IN, REPLY = range(7)
FLOW_KEYS = ("internal", "down", "up", "lateral", "citizens_out", "citizens_in", "reply")

# Groups of the plan's table: I internal, II between agencies, III businesses and citizens.
G_INTERNAL, G_AGENCY, G_CITIZENS = range(3)

# How the sender dispatches a document.
M_ELECTRONIC, M_ELECTRONIC_PAPER, M_PAPER = range(3)
MODE_KEYS = ("electronic", "electronic_with_paper", "paper")

# How it was signed.
S_PAPER, S_DIGITAL, S_SCANNED = range(3)

# Why a document is not sent electronically only, as its sender decided (the channel per recipient
# can still fall back to post where the two ends have no electronic path).
W_NONE, W_SECRET, W_NO_SYSTEM, W_EXCEPTION, W_HABIT = range(5)
WHY_KEYS = ("none", "secret", "no_system", "exception", "habit")

# Channels of one delivery.
C_LGSP, C_NATIONAL, C_EMAIL, C_SYSTEM, C_PUBLIC, C_HAND, C_POST = range(7)
CHANNEL_KEYS = ("lgsp", "national_axis", "email", "internal_system", "public_portal", "hand", "post")
ELECTRONIC_CHANNELS = frozenset({C_LGSP, C_NATIONAL, C_EMAIL, C_SYSTEM, C_PUBLIC})

# Stages of work; each is done by one role's pool at one unit.
DRAFT, SIGN, DISPATCH, REGISTER, ASSIGN, HANDLE, TRANSIT = range(7)
STAGE_KEYS = ("draft", "sign", "dispatch", "register", "assign", "handle", "transit")
CLERK, LEADER, SPECIALIST = range(3)
STAGE_ROLE = (SPECIALIST, LEADER, CLERK, CLERK, LEADER, SPECIALIST, -1)

# Final states of a delivery (live ones are found by walking the world).
V_LIVE, V_FILED, V_RETURNED, V_DELIVERED_OUT = range(4)
DELIVERY_STATE_KEYS = ("live", "filed", "returned", "delivered_out")
# A document is in its sender's pipeline until dispatched.
D_PIPELINE, D_DISPATCHED = range(2)

# Event log activities.
ACTIVITY_KEYS = ("create", "draft", "sign", "dispatch", "send", "arrive", "register", "assign",
                 "handle", "file", "return", "publish", "deliver")
A_CREATE, A_DRAFT, A_SIGN, A_DISPATCH, A_SEND, A_ARRIVE, A_REGISTER, A_ASSIGN, A_HANDLE, A_FILE, \
    A_RETURN, A_PUBLISH, A_DELIVER = range(13)
STAGE_ACTIVITY = (A_DRAFT, A_SIGN, A_DISPATCH, A_REGISTER, A_ASSIGN, A_HANDLE)
START, COMPLETE = 0, 1
NO_ROLE = 255


class DocumentTable:
    """One row per document the world creates."""

    def __init__(self) -> None:
        self.issuer = array("i")      # unit index; -1 a citizen or business
        self.flow = bytearray()
        self.group = bytearray()
        self.kind = bytearray()       # index into the world's document type keys
        self.urgent = bytearray()
        self.secret = bytearray()
        self.mode = bytearray()       # wanted dispatch mode
        self.signed = bytearray()
        self.final = bytearray()      # 0 fully electronic, 1 electronic + paper, 2 paper only
        self.why = bytearray()        # W_*: why the sender did not choose electronic only
        self.pages = array("H")
        self.legal = bytearray()
        self.published = bytearray()
        self.state = bytearray()
        self.parent = array("i")      # the document this one answers, -1 none
        self.created = array("d")
        self.dispatched = array("d")
        self.key = array("q")         # random-number key (common random numbers across scenarios)

    def __len__(self) -> int:
        return len(self.flow)


class DeliveryTable:
    """One row per copy of a document travelling to one recipient."""

    def __init__(self) -> None:
        self.doc = array("i")
        self.unit = array("i")        # recipient unit index; -1 a citizen or business
        self.channel = bytearray()
        self.action = bytearray()     # needs handling by a specialist
        self.digitised = bytearray()  # searchable in the archive when filed (I.5)
        self.retries = array("H")
        self.state = bytearray()
        self.sent = array("d")
        self.arrived = array("d")
        self.registered = array("d")
        self.handled = array("d")     # filed (after handling or reading)
        self.key = array("q")

    def __len__(self) -> int:
        return len(self.doc)


class EventLog:
    """Activities as columns; written out by :mod:`simulator.flows.eventlog`."""

    def __init__(self) -> None:
        self.doc = array("i")
        self.delivery = array("i")
        self.activity = bytearray()
        self.time = array("d")
        self.unit = array("i")
        self.role = bytearray()
        self.lifecycle = bytearray()

    def add(self, doc: int, delivery: int, activity: int, time: float, unit: int, role: int,
            lifecycle: int) -> None:
        self.doc.append(doc)
        self.delivery.append(delivery)
        self.activity.append(activity)
        self.time.append(time)
        self.unit.append(unit)
        self.role.append(role)
        self.lifecycle.append(lifecycle)

    def __len__(self) -> int:
        return len(self.doc)

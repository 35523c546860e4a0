"""The seat: one unit and role handed to an outside controller (a trainee).

The world runs with every desk automated except the seat. When a task
reaches the seat, :meth:`World.next_task` stops the world at that moment
and returns a :class:`SeatTask`; the controller looks at it (the Lab renders
a real PDF for it) and calls :meth:`World.decide` with a :class:`Decision`.
The seat is one person: the decision takes ``minutes`` of working time,
during which the next task waits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# The actions a seat may take at each stage; the first is the default.
STAGE_ACTIONS: dict[str, tuple[str, ...]] = {
    "draft": ("submit",),
    "sign": ("sign", "reject"),          # reject: back to the drafter
    "dispatch": ("dispatch",),
    "register": ("register", "return"),  # return: invalid or misaddressed, back to the sender
    "assign": ("assign", "file"),        # assign for handling, or read and file
    "handle": ("done", "reply"),         # reply: a new outgoing document to the sender
}


@dataclass(frozen=True)
class SeatTask:
    """What lands on the seat's desk; plain values, enough to render the document."""

    task_id: int
    stage: str                 # draft, sign, dispatch, register, assign, handle
    unit_code: str             # the seat's unit
    role: str                  # Role value (van_thu, lanh_dao, chuyen_vien)
    document: int              # document index in the world (stable for a scenario + seed)
    delivery: int | None       # delivery index for incoming work, None for outgoing
    doc_type: str              # key of DOCUMENT_TYPES
    issuer_code: str | None    # None: a citizen or business
    recipient_codes: tuple[str, ...]
    flow: str                  # internal, down, up, lateral, citizens_out, citizens_in, reply
    urgent: bool
    secret: bool
    pages: int
    channel: str | None        # how it arrived (incoming work)
    mode: str                  # electronic, electronic_with_paper, paper
    signed: str                # digital, scanned, paper
    created: datetime
    arrived: datetime          # when it reached the seat
    due: datetime | None       # handling or registration deadline
    seed: int                  # seed for content generation (stable per document)
    actions: tuple[str, ...] = field(default=())
    # At registration: what is wrong with an electronic arrival, if anything ("forged_signature",
    # "expired_certificate", "misaddressed"); the Lab builds the artefact accordingly and the
    # right decision is "return". None: a sound document.
    defect: str | None = None

    @property
    def default_action(self) -> str:
        return self.actions[0]


@dataclass(frozen=True)
class Decision:
    """The controller's answer; ``minutes`` of working time spent (None: the stage's mean)."""

    action: str
    minutes: float | None = None
    note: str = ""


def seat_document(world, task: SeatTask):
    """A full :class:`~simulator.documents.model.Document` for a task, generated from its seed.

    The same task always gives the same document (number, subject, signer);
    None for petitions from citizens, which have no issuing agency."""
    if task.issuer_code is None:
        return None
    from simulator.documents.content import ContentGenerator
    from simulator.documents.model import Priority, Recipient, Secrecy

    province = world.province
    issuer = province.unit(task.issuer_code)
    recipients = tuple(Recipient(province.unit(code).name, code) for code in task.recipient_codes)
    return ContentGenerator(task.seed).document(
        issuer, province, task.doc_type, issued=task.created.date(), number=task.document % 999 + 1,
        recipients=recipients or None, priority=Priority.URGENT if task.urgent else Priority.NORMAL,
        secrecy=Secrecy.SECRET if task.secret else Secrecy.NONE)

"""What reaches a seat: plain values enough to rebuild each document from the seed.

An :class:`Arrival` is made from the world's task (:mod:`simulator.seat.world`)
or, when the seat returned a document, from the sender's answer: a corrected
copy of a forged or defective one, or the same document again when the
sender insists it was sound. The document it carries is rebuilt here, the
same for the Lab (which renders, signs and sends it) and for the grader
(which compares what the trainee received).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from datetime import datetime, time

from simulator.documents import ContentGenerator, Document, Priority, Recipient
from simulator.flows.traps import CORRECTED, MISADDRESSED, RECALL
from simulator.province import Province, Unit

# The sender of a returned document answers at this hour of the next working day after the refusal:
# corrected (QCVN 102 BusinessDocType 3, replace) or, if it was sound, the same document again.
ANSWERED_AT = (8, 0)


@dataclass(frozen=True)
class Arrival:
    """One document on its way to the seat."""

    index: int
    seed: int
    sender_code: str
    doc_type: str
    arrived: datetime
    trap: str | None                # simulator.flows.traps.TRAPS, or None: a sound document
    recalls: int | None = None      # index of the arrival a recall refers to
    urgent: bool = False
    corrects: int | None = None     # index of the returned arrival this one answers
    insists: bool = False           # the sender re-sends a sound document the seat returned, unchanged


def sender_answer(original: Arrival, index: int, refused_at: datetime, calendar) -> Arrival | None:
    """What the sender of a returned ``original`` sends back the next working morning: the corrected copy
    of a forged or defective document, the same document (insisting) if it was sound; None for a
    misaddressed one (it goes to its right addressee) or a recall."""
    if original.trap in CORRECTED:
        insists = False
    elif original.trap is None and original.corrects is None:
        insists = True
    else:
        return None
    day = calendar.next_working_day(refused_at.date())
    return replace(original, index=index, arrived=datetime.combine(day, time(*ANSWERED_AT)), trap=None,
                   recalls=None, corrects=original.index, insists=insists)


def registration_due(arrival: Arrival, calendar) -> datetime:
    """When the seat must have registered and submitted ``arrival`` (Decree 30, Art. 22): the one
    rule of the calendar (:meth:`simulator.calendar.WorkingCalendar.due`) at the document's priority.
    The desk shows it and the grader marks by it."""
    priority = Priority.URGENT if arrival.urgent else Priority.NORMAL
    return calendar.due(arrival.arrived, priority=int(priority))


def issued_number(arrivals: list[Arrival], index: int) -> int:
    """The number the sender's register gives arrival ``index``: each sender issues what reaches the
    seat in the order it arrives (a recall sends an earlier document again, with its number; an answer
    to a refusal keeps the returned one's number)."""
    arrival = arrivals[index]
    if arrival.trap == RECALL and arrival.recalls is not None:
        return issued_number(arrivals, arrival.recalls)
    if arrival.corrects is not None:
        return issued_number(arrivals, arrival.corrects)
    return 1 + sum(1 for a in arrivals[:index] if a.sender_code == arrival.sender_code and a.trap != RECALL
                   and a.corrects is None and a.arrived.year == arrival.arrived.year)


def content_of(arrivals: list[Arrival], index: int) -> Arrival:
    """The arrival whose text arrival ``index`` carries: a recall the earlier document's; an answer to a
    return the returned document's (same text, date and number, now soundly signed)."""
    arrival = arrivals[index]
    if arrival.trap == RECALL:
        return arrivals[arrival.recalls]
    if arrival.corrects is not None:
        return replace(arrivals[arrival.corrects], trap=None)
    return arrival


def document_of(arrivals: list[Arrival], index: int, seat: Unit, province: Province) -> Document:
    """The numbered document arrival ``index`` carries: a recall carries the earlier one, an answer to a
    refusal the returned one's text, number and date of issue."""
    arrival = arrivals[index]
    doc = build_document(content_of(arrivals, index), seat, province, number=issued_number(arrivals, index))
    if arrival.corrects is not None:
        doc = doc.with_number(doc.number, arrivals[arrival.corrects].arrived.date())
    return doc


def build_document(arrival: Arrival, seat: Unit, province: Province, number: int | None = None) -> Document:
    """The document ``arrival`` carries; ``number``: the one its sender's register gave (None: the draft)."""
    sender = province.unit(arrival.sender_code)
    generator = ContentGenerator(arrival.seed)
    addressee = seat
    if arrival.trap == MISADDRESSED:  # meant for a neighbour with a similar task
        neighbours = [u for u in province.units if u.parent == seat.parent and u.code != seat.code]
        addressee = neighbours[arrival.seed % len(neighbours)] if neighbours else province.committee
    doc = generator.document(sender, province, arrival.doc_type, issued=arrival.arrived.date(),
                             number=1 + arrival.seed % 400,  # drawn as before (the same texts), then replaced
                             priority=Priority.URGENT if arrival.urgent else Priority.NORMAL,
                             recipients=(Recipient(addressee.name, addressee.code),))
    doc = replace(doc, number=number)
    if arrival.trap in ("revoked", "expired"):
        return doc  # signed by someone whose certificate is no longer good
    # The same leader signs everything a unit sends in this world (their certificate is reused).
    leader = ContentGenerator(zlib.crc32(f"{arrival.seed // 2**31}:{sender.code}".encode())).signer(sender)
    return replace(doc, signer=leader)

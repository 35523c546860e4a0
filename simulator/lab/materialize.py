"""Make an arrival real: a rendered Decree-30 PDF, signed by the sender, in an edXML envelope.

Some arrivals are traps, chosen by the seat's seed (ARCHITECTURE.md, "the
idea"): the PDF changed after signing, a signature by a revoked or an
expired certificate, a document addressed to another unit, or a recall of
an earlier document. The trainee's job is to tell them apart.
"""

from __future__ import annotations

import json
import random
import zlib
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from simulator.calendar import VN_TZ
from simulator.documents import ContentGenerator, Document, Priority, Recipient, render_pdf
from simulator.province import Province, Unit

TRAPS = ("tampered", "revoked", "expired", "misaddressed", "recall")
SIGNED_BEFORE_SENT = 5  # minutes between the sender's leader signing and the clerk sending
SENDER_PASSPHRASE = "training-sender"  # senders' keys are part of the simulated world, not the trainee's


@dataclass(frozen=True)
class Arrival:
    """One document on its way to the seat (plain values: enough to rebuild it from the seed)."""

    index: int
    seed: int
    sender_code: str
    doc_type: str
    arrived: datetime
    trap: str | None
    recalls: int | None = None  # index of the arrival a recall refers to
    urgent: bool = False
    corrects: int | None = None  # index of the refused arrival this one re-sends, corrected


# The sender of a refused (forged or defective) document fixes it and re-sends it, under the same
# number, at this hour of the next working day after the refusal (QCVN 102 BusinessDocType 3, replace).
CORRECTED_AT = (8, 0)
CORRECTED_TRAPS = ("tampered", "revoked", "expired")  # a misaddressed one goes to its right addressee instead


def corrected_arrival(original: Arrival, index: int, refused_at: datetime, calendar) -> Arrival:
    """The sound copy of ``original`` its sender re-sends after the seat refused it."""
    day = calendar.next_working_day(refused_at.date())
    return replace(original, index=index, arrived=datetime.combine(day, time(*CORRECTED_AT)), trap=None,
                   recalls=None, corrects=original.index)


def plan_arrivals(seat: Unit, province: Province, seed: int, count: int, start: datetime,
                  trap_share: float, scenario: str | Path = "plan-2020") -> list[Arrival]:
    """What the running world sends to the seat: the first ``count`` digitally signed documents
    that reach the seat's desk for registration, in the seat's district, from ``start``.

    The world (``simulator.flows``) runs with every other desk automated; each
    task that reaches the seat is taken with the default action so the world
    moves on. Which arrivals are traps is drawn from the same seed."""
    from simulator.flows import Scenario, World
    from simulator.flows.scenario import scenario_path
    from simulator.province import Role

    path = scenario_path(scenario)
    overrides = {"period.start": start.date().isoformat(), "period.days": 90}
    if seat.district:
        overrides["only_district"] = seat.district
    world = World(Scenario.load(path).override(overrides), seed, seat=(seat.code, Role.CLERK))
    rng = random.Random(seed)
    arrivals: list[Arrival] = []
    while len(arrivals) < count:
        task = world.next_task()
        if task is None:
            break
        world.decide(task, task.default_action)
        usable = (task.stage == "register" and task.issuer_code and task.signed == "digital"
                  and task.issuer_code != seat.code  # the seat's own unit's keys belong to the trainee
                  and task.issuer_code in {u.code for u in province.units} and task.arrived >= start)
        if not usable:
            continue
        index = len(arrivals)
        trap = rng.choice(TRAPS) if index > 0 and rng.random() < trap_share else None
        recalls = None
        if trap == "recall":  # take back one earlier, genuine document, once
            taken = {a.recalls for a in arrivals}
            candidates = [a.index for a in arrivals if a.trap is None and a.index not in taken]
            recalls = rng.choice(candidates) if candidates else None
            trap = trap if candidates else None
        arrivals.append(Arrival(index, task.seed % 2**31, task.issuer_code, task.doc_type,
                                task.arrived.replace(microsecond=0), trap, recalls, task.urgent))
    return arrivals


def with_corrections(arrivals: list[Arrival], entries, calendar) -> list[Arrival]:
    """The world's planned arrivals followed by the corrected copies the journal's refusals call for
    (the seat's rule, :meth:`simulator.lab.answers.WorldAnswers._plan_correction`, for the grader)."""
    out = list(arrivals)
    for entry in entries:
        if entry["action"] != "refuse" or not entry["data"]["item"].isdigit():
            continue
        original = out[int(entry["data"]["item"])]
        if original.trap in CORRECTED_TRAPS and not any(a.corrects == original.index for a in out):
            refused_at = datetime.fromisoformat(entry["at"]).replace(tzinfo=None)
            out.append(corrected_arrival(original, len(out), refused_at, calendar))
    return out


def registration_due(arrival: Arrival, calendar) -> datetime:
    """When the seat must have registered and submitted ``arrival`` (Decree 30, Art. 22): the one
    rule of the calendar (:meth:`simulator.calendar.WorkingCalendar.due`) at the document's priority.
    The desk shows it and the grader marks by it."""
    priority = Priority.URGENT if arrival.urgent else Priority.NORMAL
    return calendar.due(arrival.arrived, priority=int(priority))


def issued_number(arrivals: list[Arrival], index: int) -> int:
    """The number the sender's register gives arrival ``index``: each sender issues what reaches the
    seat in the order it arrives (a recall sends an earlier document again, with its number)."""
    arrival = arrivals[index]
    if arrival.trap == "recall" and arrival.recalls is not None:
        return issued_number(arrivals, arrival.recalls)
    if arrival.corrects is not None:  # re-sent under the refused one's number
        return issued_number(arrivals, arrival.corrects)
    return 1 + sum(1 for a in arrivals[:index] if a.sender_code == arrival.sender_code and a.trap != "recall"
                   and a.corrects is None and a.arrived.year == arrival.arrived.year)


def document_of(arrivals: list[Arrival], index: int, seat: Unit, province: Province) -> Document:
    """The numbered document arrival ``index`` carries: a recall carries the earlier one, a corrected
    copy the refused one's number and date of issue."""
    arrival = arrivals[index]
    source = arrivals[arrival.recalls] if arrival.trap == "recall" else arrival
    doc = build_document(source, seat, province, number=issued_number(arrivals, index))
    if arrival.corrects is not None:
        doc = doc.with_number(doc.number, arrivals[arrival.corrects].arrived.date())
    return doc


def build_document(arrival: Arrival, seat: Unit, province: Province, number: int | None = None) -> Document:
    """The document ``arrival`` carries; ``number``: the one its sender's register gave (None: the draft)."""
    sender = province.unit(arrival.sender_code)
    generator = ContentGenerator(arrival.seed)
    addressee = seat
    if arrival.trap == "misaddressed":  # meant for a neighbour with a similar task
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


def _flip_a_signed_byte(path: Path) -> None:
    """Change one byte inside the signed range, outside the signature value: the
    classic 'edited after signing' case (the hash no longer matches)."""
    data = bytearray(path.read_bytes())
    start = data.find(b"/Contents <")
    target = data.find(b"CreationDate")
    position = target if 0 < target < start else len(data) // 3
    data[position] = ord("X") if data[position] != ord("X") else ord("Y")
    path.write_bytes(bytes(data))


def materialize(arrival: Arrival, seat: Unit, province: Province, pki, folder: Path,
                registers_of, reissue: tuple[int, date] | None = None) -> tuple[Document, Path]:
    """Issue the document of ``arrival`` the way every document is issued: render the draft (blank
    number and date), the sender's leader signs, the sender's register (``registers_of(code)``)
    gives the number and the clerk writes it in, the agency seals. Returns the numbered document
    and the final PDF in ``folder``. ``reissue``: the number and date of issue the document already
    has (a corrected copy re-sent under its number)."""
    from simulator.signing import sign_person, sign_seal
    from simulator.signing.issuance import issue_pdf

    doc = build_document(arrival, seat, province)
    sender = province.unit(arrival.sender_code)
    folder.mkdir(parents=True, exist_ok=True)
    original = render_pdf(doc, folder / "original.pdf").path
    signer = doc.signer
    # On the world's clock: the leader signs shortly before the document leaves, the clerk numbers
    # and seals it as it is sent; a trap's certificate was revoked, or had expired, before that.
    at = arrival.arrived.replace(tzinfo=VN_TZ)
    signed_at = at - timedelta(minutes=SIGNED_BEFORE_SENT)
    if arrival.trap == "revoked":
        person = pki.issue_person(signer.full_name, signer.position, sender.name, sender.code, SENDER_PASSPHRASE)
        serial = next(i.serial for i in pki.list() if Path(i.p12) == Path(person))
        pki.revoke(serial, "key_compromise", at=signed_at - timedelta(days=1))
    elif arrival.trap == "expired":
        ended = signed_at - timedelta(days=30)
        person = pki.issue_person(signer.full_name, signer.position, sender.name, sender.code,
                                  SENDER_PASSPHRASE, valid_from=ended - timedelta(days=300), valid_to=ended)
    else:
        person = _person_for(pki, signer.full_name, signer.position, sender, signed_at)
    seal = _seal_for(pki, sender, at)
    signed = folder / "signed-person.pdf"
    sign_person(original, signed, person, SENDER_PASSPHRASE, pki,
                allow_invalid_certificate=arrival.trap in ("revoked", "expired"), at=signed_at)
    issued = folder / "issued.pdf"
    if reissue is None:
        doc = registers_of(sender.code).issue(doc, by="van_thu", at=at).document
    else:
        doc = doc.with_number(*reissue)
    issue_pdf(signed, issued, doc)
    final = folder / "document.pdf"
    # a careless sender seals over a bad personal signature: exactly what the trainee must catch
    sign_seal(issued, final, seal, SENDER_PASSPHRASE, pki, require_person=arrival.trap not in ("revoked", "expired"),
              at=at)
    signed.unlink()
    issued.unlink()
    if arrival.trap == "tampered":
        _flip_a_signed_byte(final)
    return doc, final


def _person_for(pki, full_name: str, position: str, unit: Unit, at: datetime) -> Path:
    """A sender's personal certificate valid at ``at``, issued on first use and reused afterwards."""
    for info in pki.list():
        if (info.kind.value == "person" and info.unit_code == unit.code and info.full_name == full_name
                and info.status(at) == "valid"):
            return Path(info.p12)
    return pki.issue_person(full_name, position, unit.name, unit.code, SENDER_PASSPHRASE)


def _seal_for(pki, unit: Unit, at: datetime) -> Path:
    """The unit's agency-seal certificate valid at ``at``, issued on first use."""
    for info in pki.list():
        if info.kind.value == "seal" and info.unit_code == unit.code and info.status(at) == "valid":
            return Path(info.p12)
    return pki.issue_seal(unit.name, unit.code, SENDER_PASSPHRASE)


def save_arrivals(arrivals: list[Arrival], path: Path) -> None:
    rows = [{**asdict(a), "arrived": a.arrived.isoformat()} for a in arrivals]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


def load_arrivals(path: Path) -> list[Arrival]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [Arrival(**{**row, "arrived": datetime.fromisoformat(row["arrived"])}) for row in rows]

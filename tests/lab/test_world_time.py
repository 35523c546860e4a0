"""One clock (issue 12): every date a trainee can see at the seat is a date of the world.

A lesson-like scripted run (receive, check, register, reply, the leader signs,
the clerk numbers, seals and dispatches) in a seat dated March 2026; then
every date the trainee can see (the PDFs' text and signature appearances, the
signing times and time stamps, the certificates' validity, the registers, the
journal, the axis traces and the envelopes) must fall within the world's
clock: not before the world's first day, not after the seat's clock, never
the machine's today. Traps made in the world stay what they claim when the
desk judges them at the seat's clock.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from simulator.calendar import VN_TZ
from simulator.lab import SEAT_PASSPHRASE, Session
from tests.signing.pdfseen import gen_time, shown_text, signatures

START = datetime(2026, 3, 2, 7, 30)  # the lessons' world (simulator.lab.session.DEFAULT_START)

DATE_LINE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
VN_DATE = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2})?")


def dates_in_text(text: str) -> list[date]:
    found = [date(int(y), int(m), int(d)) for d, m, y in DATE_LINE.findall(text)]
    found += [date(int(y), int(m), int(d)) for d, m, y in VN_DATE.findall(text)]
    found += [date(int(y), int(m), int(d)) for y, m, d in ISO_DATE.findall(text)]
    return found


def signature_times(pdf) -> list[tuple[str, datetime]]:
    """(what, moment) for each signature: its signing time and its time stamp, checked against its
    certificate's validity."""
    out = []
    for sig in signatures(pdf):
        out += [(f"{sig.field_name} signing time", sig.self_reported_timestamp),
                (f"{sig.field_name} time stamp", gen_time(sig))]
        validity = sig.signer_cert["tbs_certificate"]["validity"]
        assert validity["not_before"].native <= sig.self_reported_timestamp <= validity["not_after"].native
    return out


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    """A clerk's morning: the first documents arrive, one is checked, registered and answered."""
    folder = tmp_path_factory.mktemp("world-time") / "seat"
    session = Session.open(folder, unit="Xã Hải Châu", trainee_id="hv-mot-dong-ho", arrivals=2, trap_share=0.0,
                           start=START)
    batch = session.receive()
    while not batch:  # nothing yet: the clerk lets the morning or afternoon go on
        session.wait_until_end_of_session()
        batch = session.receive()
    item = batch[0]
    report = session.verify(item.item_id)
    assert report.indication == "TOTAL_PASSED" and report.decree30.ok
    session.register(item.item_id)
    out = session.reply(item.item_id)
    session.sign(out.item_id, SEAT_PASSPHRASE)
    session.issue(out.item_id)
    session.seal(out.item_id, SEAT_PASSPHRASE)
    session.dispatch(out.item_id)
    return session


def _within(lesson: Session, what: str, moment: datetime | date) -> None:
    first_day, now = START.date(), lesson.clock.replace(tzinfo=VN_TZ)
    if isinstance(moment, datetime):
        moment = moment if moment.tzinfo else moment.replace(tzinfo=VN_TZ)
        assert first_day <= moment.astimezone(VN_TZ).date() and moment <= now, (what, moment, now)
    else:
        assert first_day <= moment <= now.date(), (what, moment, now)


def test_signatures_carry_the_worlds_time(lesson):
    pdfs = sorted((lesson.folder / "inbox").rglob("document.pdf")) + sorted((lesson.folder / "outbox").rglob("*.pdf"))
    seen = 0
    for pdf in pdfs:
        for what, moment in signature_times(pdf):
            _within(lesson, f"{pdf.relative_to(lesson.folder)}: {what}", moment)
            seen += 1
    assert seen >= 6  # the sender's person and seal, the seat's person and seal, each with its time stamp


def test_the_pdfs_show_only_world_dates(lesson):
    pdfs = sorted((lesson.folder / "inbox").rglob("document.pdf")) + sorted((lesson.folder / "outbox").rglob("*.pdf"))
    shown = 0
    for pdf in pdfs:
        text = shown_text(pdf)
        for day in dates_in_text(text):
            _within(lesson, f"{pdf.relative_to(lesson.folder)} shows {day}", day)
            shown += 1
        if pdf.name in ("document.pdf", "sealed.pdf"):  # numbered and signed: the stamp shows dd/mm/yyyy HH:MM
            assert re.search(r"\b\d{2}/\d{2}/2026 \d{2}:\d{2}\b", text), pdf
            assert DATE_LINE.search(text), pdf
    assert shown >= 4


def test_registers_journal_and_traces_are_on_the_worlds_clock(lesson):
    from simulator.routing import edxml

    entries = lesson.registers.incoming() + lesson.registers.outgoing()
    assert entries
    for entry in lesson.registers.incoming():
        _within(lesson, f"incoming {entry.number} arrival", entry.arrival_at)
    for entry in lesson.registers.outgoing():
        _within(lesson, f"outgoing {entry.number} registered", entry.registered_at)
    for entry in lesson.journal.entries():
        _within(lesson, f"journal {entry['action']}", datetime.fromisoformat(entry["at"]))
    for kept in sorted(lesson.folder.rglob("envelope.xml")):
        envelope = edxml.parse(kept.read_bytes())
        _within(lesson, f"{kept.parent.name}: promulgation date", envelope.promulgation_date)
        for header in envelope.traces:
            _within(lesson, f"{kept.parent.name}: trace {header.organ_id}", header.timestamp)


def test_the_outgoing_trace_shows_no_status_from_the_future(lesson):
    out = next(iter(lesson.outbox.values()))
    traces = lesson.axis.traces(out.document.document_id)
    assert traces
    for trace in traces:
        _within(lesson, f"trace {trace.code} from {trace.org_id}", datetime.fromisoformat(trace.at))


def test_the_seats_certificates_cover_the_worlds_period(lesson):
    start = START.replace(tzinfo=VN_TZ)
    mine = [c for c in lesson.pki.list() if c.unit_code == lesson.seat.code]
    assert {c.kind.value for c in mine} == {"person", "seal"}
    for cert in lesson.pki.list():
        assert cert.valid_from <= start - timedelta(days=300), cert.label
        assert cert.status(lesson.clock.replace(tzinfo=VN_TZ)) == "valid", cert.label


@pytest.mark.parametrize("trap", ["revoked", "expired"])
def test_traps_fail_when_judged_at_the_seats_clock(lesson, trap, tmp_path):
    """A world trap, made with the seat's PKI on the world's clock, fails at the seat's clock: revoked
    (before it signed) or expired (before it signed)."""
    from simulator.lab.materialize import materialize
    from simulator.seat import Arrival
    from simulator.routing import Registers
    from simulator.signing import verify

    genuine = lesson.arrivals[0]
    arrival = Arrival(90, genuine.seed + 7, genuine.sender_code, genuine.doc_type,
                      lesson.clock - timedelta(minutes=30), trap)
    _doc, pdf = materialize(arrival, lesson.seat, lesson.province, lesson.pki, tmp_path,
                            lambda code: Registers(tmp_path / "registers.sqlite", code))
    report = verify(pdf, lesson.pki, at=lesson.clock.replace(tzinfo=VN_TZ))
    person = next(s for s in report.signatures if s.role == "person")
    assert not report.passed and person.indication != "TOTAL_PASSED"
    signed_at = person.timestamp_at
    assert signed_at.astimezone(VN_TZ).replace(tzinfo=None) == arrival.arrived - timedelta(minutes=5)
    info = lesson.pki.find_by_serial(person.serial)
    if trap == "revoked":
        assert person.subindication == "REVOKED"
        assert info.revocation.at < signed_at
    else:
        assert info.valid_to < signed_at
        assert info.status(signed_at) == "expired"

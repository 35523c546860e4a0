"""Make an arrival real: a rendered Decree-30 PDF, signed and sealed by the sender.

Some arrivals are traps, as the world chose them (:mod:`simulator.flows.traps`):
the PDF changed after signing, a signature by a revoked or an expired
certificate, a document addressed to another unit, or a recall of an earlier
document. The trainee's job is to tell them apart.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from simulator.calendar import VN_TZ
from simulator.documents import Document, render_pdf
from simulator.flows.traps import EXPIRED, REVOKED, TAMPERED
from simulator.province import Province, Unit
from simulator.seat.arrivals import Arrival, build_document

SIGNED_BEFORE_SENT = 5  # minutes between the sender's leader signing and the clerk sending
SENDER_PASSPHRASE = "training-sender"  # senders' keys are part of the simulated world, not the trainee's


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
                registers_of, reissue: tuple[int, date] | None = None,
                content: Arrival | None = None) -> tuple[Document, Path]:
    """Issue the document of ``arrival`` the way every document is issued: render the draft (blank
    number and date), the sender's leader signs, the sender's register (``registers_of(code)``)
    gives the number and the clerk writes it in, the agency seals. Returns the numbered document
    and the final PDF in ``folder``. ``reissue``: the number and date of issue the document already
    has (a corrected copy re-sent under its number)."""
    from simulator.signing import sign_person, sign_seal
    from simulator.signing.issuance import issue_pdf

    doc = build_document(content or arrival, seat, province)  # content: the text a re-sent document keeps
    sender = province.unit(arrival.sender_code)
    folder.mkdir(parents=True, exist_ok=True)
    original = render_pdf(doc, folder / "original.pdf").path
    signer = doc.signer
    # On the world's clock: the leader signs shortly before the document leaves, the clerk numbers
    # and seals it as it is sent; a trap's certificate was revoked, or had expired, before that.
    at = arrival.arrived.replace(tzinfo=VN_TZ)
    signed_at = at - timedelta(minutes=SIGNED_BEFORE_SENT)
    if arrival.trap == REVOKED:
        person = pki.issue_person(signer.full_name, signer.position, sender.name, sender.code, SENDER_PASSPHRASE)
        serial = next(i.serial for i in pki.list() if Path(i.p12) == Path(person))
        pki.revoke(serial, "key_compromise", at=signed_at - timedelta(days=1))
    elif arrival.trap == EXPIRED:
        ended = signed_at - timedelta(days=30)
        person = pki.issue_person(signer.full_name, signer.position, sender.name, sender.code,
                                  SENDER_PASSPHRASE, valid_from=ended - timedelta(days=300), valid_to=ended)
    else:
        person = _person_for(pki, signer.full_name, signer.position, sender, signed_at)
    seal = _seal_for(pki, sender, at)
    signed = folder / "signed-person.pdf"
    sign_person(original, signed, person, SENDER_PASSPHRASE, pki,
                allow_invalid_certificate=arrival.trap in (REVOKED, EXPIRED), at=signed_at)
    issued = folder / "issued.pdf"
    if reissue is None:
        doc = registers_of(sender.code).issue(doc, by="van_thu", at=at).document
    else:
        doc = doc.with_number(*reissue)
    issue_pdf(signed, issued, doc)
    final = folder / "document.pdf"
    # a careless sender seals over a bad personal signature: exactly what the trainee must catch
    sign_seal(issued, final, seal, SENDER_PASSPHRASE, pki, require_person=arrival.trap not in (REVOKED, EXPIRED),
              at=at)
    signed.unlink()
    issued.unlink()
    if arrival.trap == TAMPERED:
        _flip_a_signed_byte(final)
    return doc, final


def _person_for(pki, full_name: str, position: str, unit: Unit, at: datetime) -> Path:
    """A sender's personal certificate valid at ``at``, issued on first use and reused afterwards (one whose
    key this PKI holds: a class seat has its classmates' certificates, not their keys)."""
    for info in pki.list():
        if (info.kind.value == "person" and info.unit_code == unit.code and info.full_name == full_name
                and info.status(at) == "valid" and Path(info.p12).is_file()):
            return Path(info.p12)
    return pki.issue_person(full_name, position, unit.name, unit.code, SENDER_PASSPHRASE)


def _seal_for(pki, unit: Unit, at: datetime) -> Path:
    """The unit's agency-seal certificate valid at ``at``, issued on first use."""
    for info in pki.list():
        if (info.kind.value == "seal" and info.unit_code == unit.code and info.status(at) == "valid"
                and Path(info.p12).is_file()):
            return Path(info.p12)
    return pki.issue_seal(unit.name, unit.code, SENDER_PASSPHRASE)

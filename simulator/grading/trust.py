"""Whose certificates the grader trusts: the instructor's anchors, never the trainee's folder alone.

A seat's training PKI lives in the work folder (``pki/``, made by the desk
when the seat opens): its root key is there too, so whoever holds the folder
can make any certificate "trusted" by that root, or swap the PKI for another
one. A verdict must rest on something the trainee cannot change.

The anchors are a folder the instructor keeps outside every work folder
(``VBDT_TRUST_ANCHORS``; the course tooling points it at ``<course>/trust``):

- ``seats.json``: ``{trainee id: SHA-256 of the seat's root certificate}``,
  the fingerprint of the PKI each seat was given (pinned when the seat was
  handed out: :func:`pin_seat`);
- ``*.cer`` / ``*.pem``: course root certificates; a seat whose root is
  issued by one of them is trusted (the PKI a course issues from its root
  once the desk can take an issued root, see the report of issue 12).

With anchors set, a seat whose root is neither pinned for this trainee nor
issued by a course root is not graded (:class:`NotTheirWork`). Without
anchors (the trainee's own practice check at the desk) the seat's PKI is
used as it is: there is nothing the trainee could gain there.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from simulator.grading.seat import NotTheirWork, SeatView
from simulator.i18n import translator

_ = translator("grading")

ANCHORS_ENV = "VBDT_TRUST_ANCHORS"
ANCHORS_FOLDER = "trust"          # under the course root, beside source/ and release/ (never released)
SEATS_FILE = "seats.json"


def fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


@dataclass(frozen=True)
class TrustAnchors:
    """What the instructor trusts: pinned seat roots (by trainee) and course root certificates (DER)."""

    pins: dict = field(default_factory=dict)
    roots: tuple = ()

    @classmethod
    def load(cls, folder: str | os.PathLike) -> "TrustAnchors":
        from cryptography import x509

        folder = Path(folder)
        seats = folder / SEATS_FILE
        pins = json.loads(seats.read_text(encoding="utf-8")) if seats.is_file() else {}
        roots = []
        for path in sorted(folder.glob("*.cer")) + sorted(folder.glob("*.pem")):
            data = path.read_bytes()
            cert = x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data else x509.load_der_x509_certificate(data)
            roots.append(cert)
        return cls(pins, tuple(roots))

    def accepts(self, trainee: str, seat_root) -> bool:
        """``seat_root`` (a cryptography certificate) is pinned for ``trainee`` or issued by a course root."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.serialization import Encoding

        der = seat_root.public_bytes(Encoding.DER)
        if self.pins.get(trainee) == fingerprint(der):
            return True
        for root in self.roots:
            try:
                seat_root.verify_directly_issued_by(root)
                return True
            except (ValueError, TypeError, InvalidSignature):  # another issuer, key type or signature
                continue
        return False


def configured() -> TrustAnchors | None:
    """The instructor's anchors, when the grading run names them (``VBDT_TRUST_ANCHORS``)."""
    folder = os.environ.get(ANCHORS_ENV)
    return TrustAnchors.load(folder) if folder else None


def seat_pki(view: SeatView, anchors: TrustAnchors | None = None):
    """The seat's PKI, once its root is one the instructor trusts (see the module docstring)."""
    from cryptography import x509

    from simulator.signing import TrainingPKI

    anchors = anchors or configured()
    try:
        pki = TrainingPKI.open(view.folder / "pki")
        root = x509.load_der_x509_certificate(pki.root.dump())
    except Exception:  # noqa: BLE001 - a missing or broken PKI: nothing to trust
        raise NotTheirWork(_("The training certificates in the work folder are missing or damaged; open a new "
                             "desk and do the work again in it.")) from None
    if anchors is not None and not anchors.accepts(view.trainee, root):
        raise NotTheirWork(_("The training certificates in the work folder are not the ones your course gave "
                             "this desk; signatures made with other certificates get no points."))
    return pki


def pin_seat(anchors_folder: str | os.PathLike, trainee: str, pki_folder: str | os.PathLike) -> str:
    """Pin the root of the PKI in ``pki_folder`` as ``trainee``'s (the instructor's side); returns the fingerprint.

    A seat is pinned once: pinning another root for the same trainee is refused."""
    from simulator.errors import UserError
    from simulator.signing import TrainingPKI

    folder = Path(anchors_folder)
    folder.mkdir(parents=True, exist_ok=True)
    seats = folder / SEATS_FILE
    pins = json.loads(seats.read_text(encoding="utf-8")) if seats.is_file() else {}
    value = fingerprint(TrainingPKI.open(pki_folder).root.dump())
    if pins.get(trainee, value) != value:
        raise UserError(_("Another training PKI is already pinned for {trainee}.", trainee=trainee),
                        field="trainee")
    pins[trainee] = value
    tmp = seats.with_suffix(".tmp")
    tmp.write_text(json.dumps(pins, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, seats)
    return value

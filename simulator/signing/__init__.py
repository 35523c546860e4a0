"""Digital signatures as Decree 30 asks for them, over a training PKI.

Entry points (each ``sign_*``/``verify`` has an ``async_*`` twin; the
synchronous ones also work inside a Jupyter kernel)::

    pki = TrainingPKI.create(folder)            # or TrainingPKI.open(folder)
    p12 = pki.issue_person(name, position, unit_name, unit_code, passphrase)
    seal = pki.issue_seal(unit_name, unit_code, passphrase)
    sign_person(doc, signed, p12, passphrase, pki)
    sign_seal(signed, sealed, seal, passphrase, pki)
    sign_attachment(annex, annex_signed, sealed, seal, passphrase, pki)
    report = verify(sealed, pki)                # .indication, .signatures, .decree30, .to_json(), .explain()

Traps for exercises: ``pki.issue_expired_person(...)``,
``pki.issue_revoked_person(...)`` or ``pki.revoke(serial, reason)``, then
sign with ``allow_invalid_certificate=True``.
"""

import logging as _logging

# pyHanko reports every failed check through logging with a traceback; our reports say it
# in plain words, so keep that noise off a trainee's screen unless an application
# configures logging itself (records still propagate to its handlers).
for _name in ("pyhanko", "pyhanko_certvalidator", "certomancer"):
    _logging.getLogger(_name).addHandler(_logging.NullHandler())

from simulator.signing.pki import CertInfo, Kind, Revocation, TrainingPKI  # noqa: E402
from simulator.signing.sign import (  # noqa: E402
    ATTACHMENT_FIELD,
    PERSON_FIELD,
    SEAL_FIELD,
    async_sign_attachment,
    async_sign_person,
    async_sign_seal,
    sign_attachment,
    sign_person,
    sign_seal,
)
from simulator.signing.pdfread import SignedIdentity, signed_identity  # noqa: E402
from simulator.signing.report import Decree30Check, Problem, SignatureReport, VerificationReport  # noqa: E402
from simulator.signing.verify import async_verify, verify  # noqa: E402

__all__ = [
    "ATTACHMENT_FIELD", "PERSON_FIELD", "SEAL_FIELD", "CertInfo", "Decree30Check", "Kind", "Problem",
    "Revocation", "SignatureReport", "SignedIdentity", "TrainingPKI", "VerificationReport", "async_sign_attachment",
    "async_sign_person", "async_sign_seal", "async_verify", "sign_attachment", "sign_person",
    "sign_seal", "signed_identity", "verify",
]

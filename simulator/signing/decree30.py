"""The Decree-30 rules over a document's signatures and its signed identity.

Order and roles: the person with authority signs first, the agency seal
last, covering the whole document; an attachment carries the clerk's seal
and names its main document. Identity (issuer, number and code, date),
an attachment's binding and the signer's printed name come only from what
the last signature covers (:mod:`simulator.signing.pdfread`); a change to
them afterwards is a problem of its own.
"""

from __future__ import annotations

from simulator.i18n import translator
from simulator.signing.pdfread import SignedIdentity, same_name
from simulator.signing.policy import Kind
from simulator.signing.report import Decree30Check, Problem, SignatureReport

_ = translator("signing")


def _attachment_problems(identity: SignedIdentity, main: SignedIdentity | None, seals, add) -> None:
    if not seals:
        add("ATTACHMENT_NOT_SEALED", _("An attachment must be signed by the clerk with the agency's "
                                       "certificate."))
    if main is None:
        add("MAIN_NOT_CHECKED", _("This file is an attachment of document no. {named}; the main document "
                                  "was not checked (give it with --main).", named=identity.attachment_of))
        return
    if not main.signed or not main.number_code:
        add("MAIN_NOT_SIGNED", _("The main document carries no signed number and code; it cannot vouch "
                                 "for this attachment."))
        return
    if identity.main_document_id and main.document_id:
        wrong = identity.main_document_id != main.document_id
    else:
        wrong = identity.attachment_of != main.number_code
    if wrong:
        add("ATTACHMENT_WRONG_MAIN", _("The attachment names document no. {named}, not the main document "
                                       "no. {main}.", named=identity.attachment_of, main=main.number_code))


def _main_problems(signatures, persons, seals, identity: SignedIdentity, add) -> None:
    last = signatures[-1]
    if not persons:
        add("NO_PERSON", _("The signature of the person with authority is missing."))
    if not seals:
        add("NO_SEAL", _("The agency's digital signature (seal) is missing."))
    if persons and seals and seals[0].revision < persons[0].revision:
        add("SEAL_BEFORE_PERSON", _("The agency seal was applied before the person signed; Decree 30 "
                                    "requires the person's signature first."))
    if len(persons) > 1:
        add("SEVERAL_PERSONS", _("The document carries more than one personal signature."))
    if seals and last.role != Kind.SEAL.value:
        add("SEAL_NOT_LAST", _("The agency seal must be the last signature and cover the whole document."))
    if persons and seals and persons[0].unit and seals[-1].unit and persons[0].unit != seals[-1].unit:
        add("SEAL_OTHER_AGENCY", _("The seal belongs to {seal}, but the signer works at {unit}.",
                                   seal=seals[-1].unit, unit=persons[0].unit))
    issuer = identity.issuer_code
    if seals and issuer and seals[-1].unit_code and seals[-1].unit_code != issuer:
        add("SEAL_NOT_ISSUER", _("The seal of {seal} ({code}) is not the seal of the issuing agency ({issuer}).",
                                 seal=seals[-1].unit, code=seals[-1].unit_code, issuer=issuer))
    if persons and identity.person_name and not same_name(persons[0].signer, identity.person_name):
        add("PERSON_NOT_SIGNER", _("The signature block names {named}, but the personal signature is "
                                   "{signer}'s.", named=identity.person_name, signer=persons[0].signer or "?"))


def decree30_check(signatures: list[SignatureReport], identity: SignedIdentity,
                   main: SignedIdentity | None = None) -> Decree30Check:
    """Every Decree-30 problem of a document (``main``: the signed identity of its main document)."""
    problems: list[Problem] = []

    def add(code: str, message: str) -> None:
        problems.append(Problem(code, message))

    if not signatures:
        add("NO_SIGNATURE", _("The document carries no digital signature."))
        return Decree30Check(False, problems)
    persons = [s for s in signatures if s.role == Kind.PERSON.value]
    seals = [s for s in signatures if s.role == Kind.SEAL.value]
    for s in signatures:
        if s.role not in (Kind.PERSON.value, Kind.SEAL.value):
            add("UNKNOWN_ROLE", _("The signature of {signer} is neither a person's nor an agency's "
                                  "certificate of the training PKI.", signer=s.signer or "?"))
    if identity.changed_after_signing:
        add("IDENTITY_CHANGED_AFTER_SIGNING",
            _("The document's identity ({entries}) was changed after the last signature; only what the "
              "signatures cover counts.", entries=", ".join(identity.changed_after_signing)))
    if identity.field_mismatch:
        add("IDENTITY_FIELDS_DISAGREE",
            _("The number or date written in the document ({fields}) differs from its DocumentId {doc_id}.",
              fields=", ".join(identity.field_mismatch), doc_id=identity.document_id or "?"))
    if identity.attachment_of is not None:
        _attachment_problems(identity, main, seals, add)
    else:
        _main_problems(signatures, persons, seals, identity, add)
    last = signatures[-1]
    if last.modification_level not in (None, "NONE", "LTA_UPDATES") or last.coverage not in (
            "ENTIRE_FILE", "ENTIRE_REVISION"):
        add("LAST_NOT_WHOLE", _("Content was added after the last signature; the last signature does not "
                                "cover the whole document."))
    return Decree30Check(not problems, problems)

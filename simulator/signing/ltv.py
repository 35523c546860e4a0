"""Long-term validation of PDF signatures with pyHanko's AdES processes.

:func:`lta_validate` runs pyHanko's ``ades_lta_validation`` (ETSI EN 319
102-1, validation of signatures with long-term availability, § 5.6.3) at
the time asked about. It validates the signature at that time and, when
the signer's certificate has expired or been revoked by then, runs the
standard's past signature validation with the signature's time stamp as
proof of existence (POE) of the signature. pyHanko reads the document's DSS
(the CRLs and certificates embedded at signing) by itself; the
:func:`validation_spec` adds what a relying party of the training PKI knows
locally, nothing being fetched online:

- the trust anchor: the training root, for signatures and time stamps;
- revocation data from the PKI's archive: its CRLs as issued at the time
  asked and at each signature's time stamp;
- proofs of existence from the same archive: the PKI's own certificates
  (root, CA, TSA, OCSP responder, and a signer's certificate when it is
  byte for byte the one this PKI issued) from their notBefore, and those
  CRLs from their thisUpdate.

Why the archive's POEs are needed: our signatures are PAdES B-LT
(signature time stamp and DSS, no document time stamp), and pyHanko takes
POEs for certificates and revocation data only from document and content
time stamps, never from a signature time stamp. Anything else gets the
machine's clock as POE, so past validation stops with NO_POE, even for a
freshly sealed document, and always in a world dated before the machine's
today.
"""

from __future__ import annotations

from datetime import datetime

from asn1crypto import x509 as asn1_x509

from simulator.signing.pki import TrainingPKI


def _parsed(value):
    """The same ASN.1 value loaded from its encoding: certomancer builds certificates and CRLs field
    by field, and asn1crypto re-encodes such a value at every ``dump()`` (pyHanko hashes them often)."""
    return type(value).load(value.dump())


def _archived(kind: str, value, since: datetime):
    """A POE the PKI's archive gives: ``value`` existed from ``since``."""
    from pyhanko_certvalidator.ltv.poe import KnownPOE, POEType, ValidationObject, ValidationObjectType, \
        digest_for_poe

    data = value.dump() if kind == "cert" else value.crl_data.dump()
    vo_type = ValidationObjectType.CERTIFICATE if kind == "cert" else ValidationObjectType.CRL
    return KnownPOE(poe_type=POEType.PROVIDED, digest=digest_for_poe(data), poe_time=since,
                    validation_object=ValidationObject(vo_type, value))


def record_of(pki: TrainingPKI, cert: asn1_x509.Certificate | None):
    """The PKI's record (:class:`CertInfo`) of ``cert`` if it is exactly one this PKI issued, else None."""
    if cert is None or not pki.trusts(cert):
        return None
    try:
        info = pki.find_by_serial(cert.serial_number)
        return info if info is not None and pki.cert(info.label).dump() == cert.dump() else None
    except Exception:
        return None


def stamp_times(emb) -> list[datetime]:
    """The times the signature's time stamps claim (not yet validated: used to pick archived CRLs)."""
    from pyhanko.sign.validation.generic_cms import extract_tst_data_iter

    try:
        return [tst["encap_content_info"]["content"].parsed["gen_time"].native
                for tst in extract_tst_data_iter(emb.signer_info, signed=False)]
    except Exception:
        return []


def validation_spec(pki: TrainingPKI, at: datetime, signer_certs=(), stamped=()):
    """The pyHanko AdES validation settings for signatures of this PKI, judged at ``at``.

    ``signer_certs``: the certificates of the signatures to validate (those this PKI issued get a
    POE); ``stamped``: the times their time stamps claim (the PKI's CRLs of those times are added).
    """
    from pyhanko.sign.validation.policy_decl import (
        CertificateFetchingRule, LocalKnowledge, PdfSignatureValidationSpec, RevinfoOnlineFetchingRule,
        RevocationInfoGatheringSpec, SignatureValidationSpec,
    )
    from pyhanko_certvalidator.context import CertValidationPolicySpec
    from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
    from pyhanko_certvalidator.registry import SimpleTrustManager
    from pyhanko_certvalidator.revinfo.archival import CRLContainer

    services = [_parsed(c) for c in (pki.root, pki.issuing_ca, pki.tsa_cert, pki.cert("ocsp"))]
    poes = [_archived("cert", c, c.not_valid_before) for c in services]
    poes += [_archived("cert", c, c.not_valid_before) for c in signer_certs if record_of(pki, c)]
    start, crls = services[1].not_valid_before, []
    # A hostile time stamp may claim any time: only moments the CA lived through, up to the time asked.
    for moment in sorted({at, *(t for t in stamped if start <= t <= at)}):
        for crl in pki.crls(moment):
            container = CRLContainer(_parsed(crl))
            crls.append(container)
            poes.append(_archived("crl", container, moment))
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=services[:1]),
        # Not retroactive: a CRL issued years later must not judge the moment of a past validation.
        revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO))
    return PdfSignatureValidationSpec(SignatureValidationSpec(
        cert_validation_policy=policy,
        revinfo_gathering_policy=RevocationInfoGatheringSpec(
            RevinfoOnlineFetchingRule.LOCAL_ONLY, certificate_fetching_rule=CertificateFetchingRule.NEVER_FETCH),
        local_knowledge=LocalKnowledge(known_crls=crls, known_certs=services[1:], known_poes=poes)))


async def lta_validate(emb, spec, at: datetime, *, live: bool):
    """pyHanko's AdES LTA result for ``emb`` at ``at`` (``live``: ``at`` is now, not a time asked about)."""
    from pyhanko.sign.validation.ades import ades_lta_validation
    from pyhanko_certvalidator.ltv.types import ValidationTimingInfo

    timing = ValidationTimingInfo(validation_time=at, best_signature_time=at, point_in_time_validation=not live)
    return await ades_lta_validation(emb, spec, timing_info=timing)

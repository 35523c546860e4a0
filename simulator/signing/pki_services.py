"""The training PKI's services in process: CRLs, time stamps and pyHanko's validation context.

A mixin of :class:`~simulator.signing.pki.TrainingPKI`: it reads the
hierarchy (``architecture``, ``root``, ``issuing_ca``, ``tsa_cert``), the
state file and the CRL cache that class keeps.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterable

from asn1crypto import crl as asn1_crl

from simulator.signing.certinfo import as_utc as _as_utc, now as _now, parse as _parse

CRL_VALIDITY = timedelta(days=7)
CRL_REUSE = timedelta(seconds=30)


def revoked_entries(arch, info, at: datetime) -> list:
    """The entries of the CRL ``info`` (a certomancer ``CRLRepoServiceInfo``) issued at ``at``.

    What certomancer's ``get_revoked_certs_at_time`` gives, without building and signing every certificate
    of the issuer only to read a serial number that their specifications already hold: for a class of
    thirty seats, sixty certificates at the first CRL of each seat (most of its first verification).
    """
    if info.indirect:
        return list(arch.get_revoked_certs_at_time(at_time=at, crl_info=info))
    reasons = set(info.covered_reasons.native) if info.covered_reasons is not None else None
    entries = []
    for issuer, specs in arch.enumerate_certs_by_issuer():
        if issuer != info.for_issuer:
            continue
        for spec in specs:
            revo = spec.revocation
            if revo is None or revo.revoked_since > at:
                continue
            if reasons is None or (revo.reason is not None and revo.reason.native in reasons):
                extensions = [ext.to_asn1(arch, asn1_crl.CRLEntryExtension) for ext in revo.crl_entry_extensions]
                entries.append(revo.to_crl_entry_asn1(spec.serial, extensions))
    return entries


class PKIServices:
    def crl(self, issuer: str = "ca", at: datetime | None = None) -> asn1_crl.CertificateList:
        """A CRL for ``issuer`` ('ca' or 'root') issued at ``at`` (default now), valid a week.

        Certomancer's own repository rounds ``thisUpdate`` down to its update
        schedule; in process we issue at the exact moment so that a
        revocation shows at once (strict checking, no grace period).
        """
        from certomancer.registry import CertLabel, ServiceLabel
        from certomancer.services import CRLBuilder, choose_signed_digest

        if at is None:
            # A CRL issued moments ago is as good as a new one; any revocation clears the cache.
            now = _now()
            hit = self._crl_cache.get(f"{issuer}@latest")
            if hit is not None and timedelta(0) <= now - hit[0] <= CRL_REUSE:
                return hit[1]
            result = self.crl(issuer, now)
            self._crl_cache[f"{issuer}@latest"] = (now, result)
            return result
        at = _as_utc(at)
        cache_key = f"{issuer}@{at.isoformat()}"
        hit = self._crl_cache.get(cache_key)
        if hit is not None:
            return hit[1]
        arch = self.architecture
        info = arch.service_registry.get_crl_repo_info(ServiceLabel(issuer))
        key = arch.key_set.get_asym_key(info.signing_key)
        iss_cert = arch.get_cert(CertLabel(issuer))
        builder = CRLBuilder(
            issuer_name=arch.entities[info.for_issuer], issuer_key=key.private,
            signature_algo=choose_signed_digest("sha256", key.public),
            authority_key_identifier=iss_cert.key_identifier_value)
        revoked = revoked_entries(arch, info, at)
        number = int((at - _parse(self._state["service_valid_from"])).total_seconds())
        result = builder.build_crl(crl_number=max(number, 1), this_update=at, next_update=at + CRL_VALIDITY,
                                   revoked_certs=revoked, distpoint=info.format_idp(arch.entities))
        if len(self._crl_cache) > 64:
            self._crl_cache.clear()
        self._crl_cache[cache_key] = (at, result)
        return result

    def crls(self, at: datetime | None = None) -> list[asn1_crl.CertificateList]:
        return [self.crl("ca", at), self.crl("root", at)]

    def publish_crl(self, at: datetime | None = None) -> list[Path]:
        """Write fresh CRLs (DER) to ``crl/`` in the PKI folder; returns their paths."""
        out = []
        for issuer in ("ca", "root"):
            path = self.folder / "crl" / f"{issuer}.crl"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(self.crl(issuer, at).dump())
            out.append(path)
        return out

    def timestamper(self, at: datetime | None = None):
        """An in-process RFC 3161 time-stamping client backed by certomancer's TSA."""
        from simulator.signing.services import InProcessTimeStamper
        from certomancer.registry import ServiceLabel

        return InProcessTimeStamper(self.architecture.service_registry.summon_timestamper(
            ServiceLabel("tsa"), at_time=at))

    def validation_context(self, at: datetime | None = None, *, extra_crls: Iterable = (),
                           extra_ocsps: Iterable = (), crls_at: datetime | None = None,
                           for_signing: bool = False):
        """A strict (hard-fail) pyHanko validation context trusting only this root."""
        from pyhanko_certvalidator import ValidationContext

        crls = self.crls(crls_at or at) + list(extra_crls)
        return ValidationContext(
            trust_roots=[self.root], other_certs=[self.issuing_ca, self.tsa_cert],
            crls=crls, ocsps=list(extra_ocsps), allow_fetching=False,
            revocation_mode="hard-fail", moment=at, retroactive_revinfo=not for_signing)


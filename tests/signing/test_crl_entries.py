"""A CRL is made from the certificates' specifications: no certificate is built for it, and it lists what
certomancer's own ``get_revoked_certs_at_time`` (which builds every certificate of the issuer) lists, byte for
byte, at every moment around the revocations (simulator.signing.pki_services.revoked_entries)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

T0 = datetime(2025, 1, 6, 1, 0, tzinfo=timezone.utc)
PASS = "mat-khau-1"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    from simulator.signing import TrainingPKI

    folder = tmp_path_factory.mktemp("crl") / "pki"
    pki = TrainingPKI.create(folder, valid_from=T0)
    unit, code = "Ủy ban nhân dân xã Hưng Lộc", "000.00.31.H41"
    for i in range(4):
        pki.issue_person(f"Nguyễn Văn Thử {i}", "Chủ tịch", unit, code, PASS)
    pki.issue_seal(unit, code, PASS)
    holders = pki.list()
    pki.revoke(holders[0].serial, "key_compromise", at=T0 + timedelta(days=2))
    pki.revoke(holders[2].serial, "affiliation_changed", at=T0 + timedelta(days=5))
    pki.renew(holders[4].serial, PASS, at=T0 + timedelta(days=7))   # the old seal revoked as superseded
    return folder


def test_no_certificate_is_built_for_a_crl(folder, monkeypatch):
    from certomancer.registry import PKIArchitecture

    from simulator.signing import TrainingPKI

    built = []
    real = PKIArchitecture.get_cert

    def counted(self, label):
        built.append(str(label))
        return real(self, label)

    monkeypatch.setattr(PKIArchitecture, "get_cert", counted)
    pki = TrainingPKI.open(folder)
    crls = pki.crls(T0 + timedelta(days=6))
    holders = {c.label for c in pki.list()}
    assert not holders & set(built), built
    assert sorted(e["user_certificate"].native for e in crls[0]["tbs_cert_list"]["revoked_certificates"]) == \
        sorted(c.serial for c in pki.list() if c.revocation and c.revocation.at <= T0 + timedelta(days=6))


@pytest.mark.parametrize("days", [0, 2, 3, 5, 7, 30])
def test_the_entries_are_certomancers_own(folder, days):
    from certomancer.registry import ServiceLabel

    from simulator.signing import TrainingPKI
    from simulator.signing.pki_services import revoked_entries

    at = T0 + timedelta(days=days)   # 2, 5 and 7: at the very second of a revocation
    arch = TrainingPKI.open(folder).architecture
    listed = {}
    for issuer in ("ca", "root"):
        info = arch.service_registry.get_crl_repo_info(ServiceLabel(issuer))
        listed[issuer] = [e.dump() for e in revoked_entries(arch, info, at)]
        assert listed[issuer] == [e.dump() for e in arch.get_revoked_certs_at_time(at_time=at, crl_info=info)]
    assert len(listed["ca"]) == sum(d <= days for d in (2, 5, 7)) and listed["root"] == []

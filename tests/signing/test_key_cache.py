"""The service keys are loaded once per process (simulator.signing.crypto), whatever opens the PKI folder.

Every seat of a class opens its own copy of the class's PKI and builds its certomancer architecture at its first
verification; issuing and revoking rebuild it too. Loading the four RSA service keys (OpenSSL's key check, twice
per key) was most of a seat's first verification. The cache holds keys only, by file content: a key file that
changes is loaded anew, and what issuing or revoking changes (pki.json) is read at every opening."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives import serialization

from .conftest import PASS

T0 = datetime(2025, 1, 6, 1, 0, tzinfo=timezone.utc)


@pytest.fixture
def key_loads(monkeypatch) -> list[str]:
    """The private keys loaded from here on (the real loaders, counted)."""
    seen: list[str] = []
    for name in ("load_pem_private_key", "load_der_private_key"):
        real = getattr(serialization, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            seen.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(serialization, name, counted)
    return seen


def test_opening_a_pki_folder_again_loads_no_private_key(tmp_path, key_loads):
    from simulator.signing import TrainingPKI

    folder = tmp_path / "pki"
    TrainingPKI.create(folder, valid_from=T0)
    assert key_loads   # the new service keys were loaded once
    key_loads.clear()
    for seat in ("hv01", "hv02"):   # two seats' copies of the class's PKI, as sync_class_pki makes them
        copy = shutil.copytree(folder, tmp_path / seat / "pki")
        pki = TrainingPKI.open(copy)
        pki.crls(T0 + timedelta(days=3))   # what a first verification builds: certificates and CRLs, signed
        assert pki.root.dump() == TrainingPKI.open(folder).root.dump()
    assert key_loads == []


def test_a_key_file_with_new_content_is_loaded_anew(tmp_path):
    from simulator.signing import TrainingPKI

    folder = tmp_path / "pki"
    first = TrainingPKI.create(folder, valid_from=T0).root
    shutil.rmtree(folder)
    second = TrainingPKI.create(folder, valid_from=T0)   # same folder, same file names, new keys
    assert second.root.public_key.dump() != first.public_key.dump()
    ca_crl = TrainingPKI.open(folder).crl("ca", T0 + timedelta(days=1))
    assert ca_crl["tbs_cert_list"]["issuer"] == second.issuing_ca.subject
    from cryptography import x509

    crl = x509.load_der_x509_crl(ca_crl.dump())
    assert crl.is_signature_valid(x509.load_der_x509_certificate(second.issuing_ca.dump()).public_key())


def test_what_the_instructor_issues_and_revokes_is_seen_by_the_next_opening(tmp_path, document, unit):
    """Two PKI objects on one folder (the instructor's and a seat's), the keys already cached: a certificate
    issued after the seat's first build verifies; once revoked, a later signature with it fails."""
    from simulator.signing import TrainingPKI, sign_person, verify

    folder = tmp_path / "pki"
    TrainingPKI.create(folder, valid_from=T0)
    TrainingPKI.open(folder).crls(T0 + timedelta(days=1))   # the seat's first build
    instructor = TrainingPKI.open(folder)
    p12 = instructor.issue_person(unit.signer, unit.position, unit.name, unit.code, PASS)

    t1 = T0 + timedelta(days=10)
    signed = sign_person(document, tmp_path / "truoc.pdf", p12, PASS, TrainingPKI.open(folder), at=t1)
    before = verify(signed, TrainingPKI.open(folder), at=t1 + timedelta(minutes=5)).signatures[0]
    assert before.indication == "TOTAL_PASSED", before.explanation

    instructor.revoke(instructor.find(p12.stem).serial, "key_compromise", at=t1 + timedelta(days=1))
    t3 = t1 + timedelta(days=2)
    late = sign_person(document, tmp_path / "sau.pdf", p12, PASS, TrainingPKI.open(folder), at=t3,
                       allow_invalid_certificate=True)
    after = verify(late, TrainingPKI.open(folder), at=t3 + timedelta(minutes=5)).signatures[0]
    assert after.indication == "TOTAL_FAILED", after.explanation
    assert after.revoked is not None and after.revoked["reason"] == "key_compromise"


def test_a_full_cache_drops_the_least_recently_used_key_only(key_loads):
    """A process that has opened many PKIs keeps the keys it used last: emptying the whole cache when it was
    full dropped the keys of the PKI being created, and its next opening loaded them again."""
    from cryptography.hazmat.primitives.asymmetric import ec

    from simulator.signing.crypto import CACHED_KEYS, _CachingBackend

    backend = _CachingBackend()
    keys = [ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        for _ in range(CACHED_KEYS + 2)]
    for key in keys:
        backend.load_private_key(key, None)
    backend.load_private_key(keys[2], None)   # used again: now the most recent
    key_loads.clear()
    for key in keys[2:]:
        backend.load_private_key(key, None)
    assert key_loads == []
    backend.load_private_key(keys[0], None)   # the least recently used went out
    assert key_loads == ["load_pem_private_key"]

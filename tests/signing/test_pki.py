"""The training PKI: hierarchy, holders, PKCS#12 under a passphrase, revocation, renewal."""

from __future__ import annotations

import stat

import pytest
from asn1crypto import crl as asn1_crl
from cryptography.hazmat.primitives.serialization import pkcs12

from simulator.errors import UserError
from simulator.signing import Kind, TrainingPKI
from simulator.signing.pki import POLICY_PERSON, POLICY_SEAL, TRAINING_MARK

PASS = "mat-khau-1"  # the passphrase conftest.py gives every holder


def _load(p12):
    key, cert, chain = pkcs12.load_key_and_certificates(p12.read_bytes(), PASS.encode())
    return key, cert, chain


def test_hierarchy_is_marked_for_training_only(pki):
    for label in ("root", "ca", "tsa", "ocsp"):
        subject = pki.cert(label).subject.native
        assert subject["organizational_unit_name"] == TRAINING_MARK
    assert pki.root.self_signed == "maybe" or pki.root.self_signed == "yes"
    assert pki.issuing_ca.issuer == pki.root.subject
    assert pki.issuing_ca.ca and pki.root.ca


def test_service_keys_are_private_and_rsa_2048(pki):
    for label in ("root", "ca", "tsa", "ocsp"):
        path = pki.folder / "keys" / f"{label}.key.pem"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert pki.cert(label).public_key.bit_size == 2048


def test_person_certificate_names_person_position_unit_and_code(pki, holders, unit):
    key, cert, chain = _load(holders.person)
    assert key.key_size == 2048
    from cryptography.x509.oid import NameOID

    def attr(oid):
        return cert.subject.get_attributes_for_oid(oid)[0].value

    assert attr(NameOID.COMMON_NAME) == unit.signer
    assert attr(NameOID.TITLE) == unit.position
    assert attr(NameOID.ORGANIZATION_NAME) == unit.name
    assert attr(NameOID.ORGANIZATION_IDENTIFIER) == unit.code
    assert attr(NameOID.ORGANIZATIONAL_UNIT_NAME) == TRAINING_MARK
    policies = [p.policy_identifier.dotted_string for p in
                cert.extensions.get_extension_for_class(__import__("cryptography").x509.CertificatePolicies).value]
    assert policies == [POLICY_PERSON]
    assert len(chain) == 2  # CA and root travel with the key
    assert stat.S_IMODE(holders.person.stat().st_mode) == 0o600


def test_seal_certificate_has_the_seal_policy(holders):
    from cryptography import x509

    _key, cert, _chain = _load(holders.seal)
    policies = [p.policy_identifier.dotted_string
                for p in cert.extensions.get_extension_for_class(x509.CertificatePolicies).value]
    assert policies == [POLICY_SEAL]


def test_p12_needs_the_passphrase(holders):
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(holders.person.read_bytes(), b"wrong")


def test_list_status_and_find(pki, holders):
    items = {c.label: c for c in pki.list()}
    assert items[holders.person.stem].status() == "valid"
    assert items[holders.person.stem].kind is Kind.PERSON
    assert items[holders.seal.stem].kind is Kind.SEAL
    assert items[holders.revoked.stem].status() == "revoked"
    assert items[holders.expired.stem].status() == "expired"
    info = items[holders.person.stem]
    assert pki.find(info.serial) == info
    assert pki.find(hex(info.serial)) == info
    assert pki.find(str(holders.person)) == info
    with pytest.raises(UserError):
        pki.find("nobody at all")


def test_reopen_sees_the_same_state(pki, holders):
    again = TrainingPKI.open(pki.folder)
    assert [c.serial for c in again.list()] == [c.serial for c in pki.list()]
    assert again.cert(holders.person.stem).dump() == pki.cert(holders.person.stem).dump()


def test_revocation_shows_in_the_crl_at_once(tmp_path):
    pki = TrainingPKI.create(tmp_path / "pki")
    p12 = pki.issue_person("Đỗ Văn Thử", "Chủ tịch", "Ủy ban nhân dân xã Thử", "000.11.40.H41", PASS)
    serial = pki.find(p12.stem).serial
    before = {r["user_certificate"].native for r in pki.crl("ca")["tbs_cert_list"]["revoked_certificates"]}
    assert serial not in before
    info = pki.revoke(serial, "key_compromise")
    assert info.status() == "revoked" and info.revocation.reason == "key_compromise"
    entries = pki.crl("ca")["tbs_cert_list"]["revoked_certificates"]
    revoked = {r["user_certificate"].native: r for r in entries}
    assert serial in revoked
    written = pki.publish_crl()
    loaded = asn1_crl.CertificateList.load(written[0].read_bytes())
    assert serial in {r["user_certificate"].native for r in loaded["tbs_cert_list"]["revoked_certificates"]}
    with pytest.raises(UserError):
        pki.revoke(serial, "key_compromise")
    with pytest.raises(UserError):
        pki.revoke(serial, "because I said so")
    # renewal: a new key and serial; the old certificate is superseded
    p12b = pki.issue_person("Ngô Thị Gia Hạn", "Phó Chủ tịch", "Ủy ban nhân dân xã Thử", "000.11.40.H41", PASS)
    new = pki.renew(pki.find(p12b.stem).serial, PASS)
    old_info, new_info = pki.find(p12b.stem), pki.find(new.stem)
    assert new_info.serial != old_info.serial and new_info.full_name == old_info.full_name
    assert old_info.revocation.reason == "superseded" and new_info.status() == "valid"
    assert _load(new)[0].public_key().public_numbers() != _load(p12b)[0].public_key().public_numbers()


def test_bad_input_is_refused(tmp_path, pki):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x")
    with pytest.raises(UserError):
        TrainingPKI.create(tmp_path / "full")
    with pytest.raises(UserError):
        TrainingPKI.create(pki.folder)
    with pytest.raises(UserError):
        TrainingPKI.open(tmp_path / "missing")
    with pytest.raises(UserError):
        pki.issue_person("A", "B", "C", "not-a-code", PASS)
    with pytest.raises(UserError):
        pki.issue_person("A", "B", "C", "", "123")
    with pytest.raises(UserError):
        pki.issue_person("", "B", "C", "", PASS)

"""Signing on the world's clock (issue 12, "one clock"): a world dated March 2026 signs in March 2026.

The signing time (``/M``, the CMS signing-time attribute), the training TSA's
time stamp, the certificates' validity and the person's stamp text all follow
the moment given, whatever the machine's date; traps stay what they claim
when judged at the world's time.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from simulator.calendar import VN_TZ
from simulator.errors import UserError
from tests.signing.pdfseen import gen_time, shown_text, signatures

PASS = "mat-khau-1"
WORLD_START = datetime(2026, 3, 2, 7, 30, tzinfo=VN_TZ)
AT = datetime(2026, 3, 5, 9, 15, tzinfo=VN_TZ)  # the world's clock when the leader signs


@pytest.fixture(scope="module")
def world(tmp_path_factory, unit):
    """A PKI for a world's period (a year before its start to two years after) and its holders."""
    from simulator.signing import TrainingPKI

    folder = tmp_path_factory.mktemp("world-time")
    pki = TrainingPKI.create(folder / "pki", valid_from=WORLD_START - timedelta(days=365),
                             valid_to=WORLD_START + timedelta(days=730))
    person = pki.issue_person(unit.signer, unit.position, unit.name, unit.code, PASS)
    seal = pki.issue_seal(unit.name, unit.code, PASS)
    return folder, pki, person, seal


@pytest.fixture(scope="module")
def sealed_in_march(world, document):
    from simulator.signing import sign_person, sign_seal

    folder, pki, person, seal = world
    signed = sign_person(document, folder / "signed.pdf", person, PASS, pki, at=AT)
    return sign_seal(signed, folder / "sealed.pdf", seal, PASS, pki, at=AT + timedelta(minutes=3))


def test_signing_time_and_time_stamp_are_the_worlds(sealed_in_march):
    person, seal = signatures(sealed_in_march)
    for sig, moment in ((person, AT), (seal, AT + timedelta(minutes=3))):
        assert sig.self_reported_timestamp == moment
        assert gen_time(sig) == moment
        assert str(sig.sig_object["/M"]).startswith(f"D:{moment:%Y%m%d%H%M}")


def test_revocation_data_embedded_for_the_long_term_is_of_the_worlds_moment(sealed_in_march):
    from asn1crypto import crl
    from pyhanko.pdf_utils.reader import PdfFileReader

    with open(sealed_in_march, "rb") as fh:
        dss = PdfFileReader(fh, strict=False).root["/DSS"]
        issued = {crl.CertificateList.load(ref.get_object().data)["tbs_cert_list"]["this_update"].native
                  for ref in dss["/CRLs"]}
    assert issued == {AT, AT + timedelta(minutes=3)}


def test_certificates_cover_the_worlds_period_not_the_machines_today(sealed_in_march):
    machine_today = datetime.now(timezone.utc)
    for sig in signatures(sealed_in_march):
        validity = sig.signer_cert["tbs_certificate"]["validity"]
        not_before, not_after = validity["not_before"].native, validity["not_after"].native
        assert not_before <= WORLD_START - timedelta(days=364) and not_after >= WORLD_START + timedelta(days=729)
        assert not_before < AT < not_after
        assert abs(not_before - machine_today) > timedelta(days=2)  # not issued "from today"


def test_verified_at_the_worlds_time(sealed_in_march, world):
    from simulator.signing import verify

    report = verify(sealed_in_march, world[1], at=AT + timedelta(hours=2))
    assert report.indication == "TOTAL_PASSED" and report.decree30.ok
    assert [s.timestamp_at for s in report.signatures] == [AT, AT + timedelta(minutes=3)]


def test_the_person_stamp_reads_in_vietnamese_date_format(sealed_in_march):
    text = shown_text(sealed_in_march)
    assert "05/03/2026 09:15" in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text)


def test_the_attachment_text_keeps_iso_8601(world, sealed_in_march, annex):
    """Decree 30, Appendix I: the attachment's signing time is written in ISO 8601 with +07:00."""
    from simulator.signing import sign_attachment

    folder, pki, _person, seal = world
    at = AT + timedelta(minutes=10)
    out = sign_attachment(annex, folder / "annex-signed.pdf", sealed_in_march, seal, PASS, pki, at=at)
    (sig,) = signatures(out)
    assert sig.self_reported_timestamp == at and gen_time(sig) == at
    assert "2026-03-05T09:25:00+07:00" in shown_text(out)


def test_a_revoked_trap_is_revoked_at_the_worlds_time(world, document, unit):
    """Revoked the day before the world's signing moment: REVOKED when judged in the world."""
    from simulator.signing import sign_person, verify

    folder, pki, _person, _seal = world
    p12 = pki.issue_revoked_person("Trần Thị Bị Thu Hồi", "Phó Chủ tịch", unit.name, unit.code, PASS,
                                   revoked_at=AT - timedelta(days=1))
    with pytest.raises(UserError):  # refused at the world's moment, not just at the machine's
        sign_person(document, folder / "refused.pdf", p12, PASS, pki, at=AT)
    signed = sign_person(document, folder / "revoked.pdf", p12, PASS, pki, at=AT, allow_invalid_certificate=True)
    (sig,) = verify(signed, pki, at=AT + timedelta(hours=1)).signatures
    assert sig.indication == "TOTAL_FAILED" and sig.subindication == "REVOKED"
    assert datetime.fromisoformat(sig.revoked["at"]) == AT - timedelta(days=1)


def test_an_expired_trap_had_expired_before_it_signed_in_the_world(world, document, unit):
    from simulator.signing import sign_person, verify

    folder, pki, _person, _seal = world
    p12 = pki.issue_expired_person("Lê Văn Hết Hạn", "Chủ tịch", unit.name, unit.code, PASS, at=AT)
    info = pki.find(p12.stem)
    assert info.valid_to == AT - timedelta(days=30) and info.status(AT) == "expired"
    with pytest.raises(UserError):
        sign_person(document, folder / "refused.pdf", p12, PASS, pki, at=AT)
    signed = sign_person(document, folder / "expired.pdf", p12, PASS, pki, at=AT, allow_invalid_certificate=True)
    report = verify(signed, pki, at=AT + timedelta(hours=1))
    assert report.indication != "TOTAL_PASSED" and not report.passed


def test_signing_before_the_certificate_starts_is_refused(world, document):
    from simulator.signing import sign_person

    folder, pki, person, _seal = world
    with pytest.raises(UserError):
        sign_person(document, folder / "too-early.pdf", person, PASS, pki, at=WORLD_START - timedelta(days=400))


def test_a_time_without_zone_is_refused(world, document):
    from simulator.signing import sign_person

    folder, pki, person, _seal = world
    with pytest.raises(UserError):
        sign_person(document, folder / "naive.pdf", person, PASS, pki, at=datetime(2026, 3, 5, 9, 15))
    assert not (folder / "naive.pdf").exists()


def test_administrators_drill_on_a_world_clock_from_the_command_line(tmp_path, capsys, monkeypatch, document, unit):
    """``vbdt pki init --valid-from/--valid-to`` for a world's period, ``vbdt sign --at dd/mm/yyyy HH:MM``."""
    import json

    from simulator.cli.main import main
    from simulator.i18n import set_language

    def run(*args):
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    monkeypatch.chdir(tmp_path)
    pw = tmp_path / "pw.txt"
    pw.write_text(PASS + "\n", encoding="utf-8")
    try:
        code, _out, _err = run("pki", "init", "pki", "--valid-from", "02/03/2025 07:30",
                               "--valid-to", "2028-03-02T07:30:00+07:00")
        assert code == 0
        code, out, _err = run("pki", "--pki", "pki", "issue", "--name", unit.signer, "--position", unit.position,
                              "--unit", unit.name, "--code", unit.code, "--passphrase-file", pw, "--json")
        person = json.loads(out)
        assert person["valid_from"].startswith("2025-03-02T00:30:00")
        code, out, err = run("sign", "--at", "31/02/2026 09:15", document, "--as", person["p12"],
                             "--passphrase-file", pw, "--out", "bad.pdf", "--pki", "pki")
        assert code == 2 and "05/03/2026 09:15" in err and not (tmp_path / "bad.pdf").exists()
        code, out, _err = run("sign", "--at", "05/03/2026 09:15", document, "--as", person["p12"],
                              "--passphrase-file", pw, "--out", "ky.pdf", "--pki", "pki")
        assert code == 0, out
        (sig,) = signatures(tmp_path / "ky.pdf")
        assert sig.self_reported_timestamp == AT and gen_time(sig) == AT
        code, out, _err = run("verify", "ky.pdf", "--at", "2026-03-05T10:00:00+07:00", "--json", "--pki", "pki")
        assert json.loads(out)["signatures"][0]["signed_at"] == "2026-03-05T09:15:00+07:00"
    finally:
        set_language(None)

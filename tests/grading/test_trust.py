"""The grader verifies signatures against the instructor's anchors, not against whatever PKI the folder holds.

The attack: the work folder's ``pki/`` is replaced by a PKI the trainee made themselves (their own root, the
same names), and the reply is signed again with it. Trusting the folder, the grader calls those signatures
valid; with the seat's root pinned by the instructor, the folder gets no points and is told why.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta

import pytest

from simulator.grading import grade_outgoing
from simulator.grading.trust import ANCHORS_ENV, TrustAnchors, pin_seat

PASS = "tap-huan-2026"


def forge_pki(folder):
    """Swap the seat's PKI for a self-made one with the same holders, and sign the reply again with it."""
    from simulator.signing import TrainingPKI, sign_person, sign_seal

    old = TrainingPKI.open(folder / "pki")
    holders = old.list()
    period = json.loads((folder / "pki" / "pki.json").read_text(encoding="utf-8"))["period"]
    shutil.rmtree(folder / "pki")
    new = TrainingPKI.create(folder / "pki", name="Tự tạo", valid_from=datetime.fromisoformat(period["from"]),
                             valid_to=datetime.fromisoformat(period["to"]))
    leader = next(h for h in holders if h.kind.value == "person")      # the seat's own holders come first
    unit = next(h for h in holders if h.kind.value == "seal" and h.unit_code == leader.unit_code)
    person = new.issue_person(leader.full_name, leader.position, leader.unit_name, leader.unit_code, PASS)
    seal = new.issue_seal(unit.unit_name, unit.unit_code, PASS)
    entries = [json.loads(line) for line in (folder / "journal.jsonl").read_text(encoding="utf-8").splitlines()]
    at = datetime.fromisoformat(next(e["at"] for e in entries if e["action"] == "seal"))
    out = folder / "outbox" / "001"
    sign_person(out / "draft.pdf", out / "forged.pdf", person, PASS, new, at=at - timedelta(minutes=5))
    sign_seal(out / "forged.pdf", out / "sealed.pdf", seal, PASS, new, at=at, require_person=False)


@pytest.fixture(scope="module")
def forged(seats, tmp_path_factory):
    folder = tmp_path_factory.mktemp("forged") / "good"
    shutil.copytree(seats["good"], folder)
    forge_pki(folder)
    return folder


def test_trusting_the_folder_lets_a_self_made_pki_pass(forged, ids, monkeypatch):
    """The hole pinning closes: without the instructor's anchors the self-made signatures verify."""
    monkeypatch.delenv(ANCHORS_ENV, raising=False)
    result = grade_outgoing(forged, ids["good"])
    assert result.passed, result.explain()   # every mark, on signatures the trainee's own root vouches for


def test_a_pinned_seat_is_graded_and_a_swapped_pki_gets_nothing(seats, forged, ids, tmp_path, monkeypatch):
    anchors = tmp_path / "course" / "trust"     # the instructor's, outside every work folder
    pin_seat(anchors, ids["good"], seats["good"] / "pki")
    monkeypatch.setenv(ANCHORS_ENV, str(anchors))
    good = grade_outgoing(seats["good"], ids["good"])
    assert good.passed, good.explain()
    result = grade_outgoing(forged, ids["good"])
    assert result.points == 0, result.explain()
    assert "chứng thư" in result.explain()


def test_a_seat_pinned_for_someone_else_is_not_trusted(seats, ids, tmp_path, monkeypatch):
    anchors = tmp_path / "trust"
    pin_seat(anchors, ids["mistakes"], seats["mistakes"] / "pki")
    monkeypatch.setenv(ANCHORS_ENV, str(anchors))
    assert grade_outgoing(seats["good"], ids["good"]).points == 0


def test_a_pin_is_given_once(seats, ids, tmp_path):
    from simulator.errors import UserError

    anchors = tmp_path / "trust"
    first = pin_seat(anchors, ids["good"], seats["good"] / "pki")
    assert pin_seat(anchors, ids["good"], seats["good"] / "pki") == first
    with pytest.raises(UserError):
        pin_seat(anchors, ids["good"], seats["mistakes"] / "pki")
    assert TrustAnchors.load(anchors).pins == {ids["good"]: first}


def test_a_root_issued_by_the_course_root_is_trusted(tmp_path):
    """The course-root design: a seat root signed by the instructor's root is accepted, another is not."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    def cert(subject, issuer, key, signer):
        now = datetime(2026, 1, 1)
        return (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
                .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now).not_valid_after(now + timedelta(days=365))
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .sign(signer, hashes.SHA256()))

    course_key, seat_key, other_key = (rsa.generate_private_key(public_exponent=65537, key_size=2048)
                                       for _ in range(3))
    course = cert("Course root", "Course root", course_key, course_key)
    (tmp_path / "course-root.cer").write_bytes(course.public_bytes(serialization.Encoding.DER))
    anchors = TrustAnchors.load(tmp_path)
    assert anchors.accepts("hv-1", cert("Seat hv-1", "Course root", seat_key, course_key))
    assert not anchors.accepts("hv-1", cert("Seat hv-1", "Course root", seat_key, other_key))
    assert not anchors.accepts("hv-1", cert("Seat hv-1", "Seat hv-1", seat_key, seat_key))

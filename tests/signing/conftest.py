"""Shared, session-scoped material for the signing tests.

One training PKI per test process, generated at run time in a temporary
folder (never committed), with the holders the tests need; one rendered
Decree-30 document; and signed copies of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

PASS = "mat-khau-1"


@dataclass
class Holders:
    person: Path
    seal: Path
    other_seal: Path       # the seal of another agency
    revoked: Path          # revoked one day before the tests
    expired: Path          # expired thirty days before the tests
    late_revoked: Path     # valid when it signs; revoked by a test afterwards


@dataclass
class Unit:
    name: str
    code: str
    signer: str
    position: str


@pytest.fixture(scope="session")
def unit() -> Unit:
    return _unit_and_document()[0]


def _unit_and_document():
    from simulator.documents.content import ContentGenerator
    from simulator.province import load_province

    province = load_province()
    issuer = next(u for u in province.units if u.level.name == "COMMUNE")
    doc = ContentGenerator(11).document(issuer, province)
    return Unit(issuer.name, issuer.code, doc.signer.full_name, doc.signer.position), doc


@pytest.fixture(scope="session")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("signing")


@pytest.fixture(scope="session")
def pki(workdir):
    from simulator.signing import TrainingPKI

    return TrainingPKI.create(workdir / "pki")


@pytest.fixture(scope="session")
def holders(pki, unit) -> Holders:
    person = pki.issue_person(unit.signer, unit.position, unit.name, unit.code, PASS)
    seal = pki.issue_seal(unit.name, unit.code, PASS)
    other = pki.issue_seal("Ủy ban nhân dân xã Nghi Lộc Thử", "000.99.40.H41", PASS)
    revoked = pki.issue_revoked_person("Trần Thị Bị Thu Hồi", "Phó Chủ tịch", unit.name, unit.code, PASS)
    expired = pki.issue_expired_person("Lê Văn Hết Hạn", "Chủ tịch", unit.name, unit.code, PASS)
    late = pki.issue_person("Phạm Văn Sau Này", "Chủ tịch", unit.name, unit.code, PASS)
    return Holders(person, seal, other, revoked, expired, late)


@pytest.fixture(scope="session")
def document(workdir) -> Path:
    """A real Decree-30 document rendered by simulator.documents (PDF/A-2b)."""
    from simulator.documents.render import render_pdf

    _unit, doc = _unit_and_document()
    path = workdir / "van-ban.pdf"
    render_pdf(doc, path)
    return path


@pytest.fixture(scope="session")
def doc_number_code() -> str:
    return _unit_and_document()[1].number_code


@pytest.fixture(scope="session")
def person_signed(workdir, document, pki, holders) -> Path:
    from simulator.signing import sign_person

    return sign_person(document, workdir / "nguoi-ky.pdf", holders.person, PASS, pki)


@pytest.fixture(scope="session")
def sealed(workdir, person_signed, pki, holders) -> Path:
    from simulator.signing import sign_seal

    return sign_seal(person_signed, workdir / "da-ky.pdf", holders.seal, PASS, pki)


@pytest.fixture(scope="session")
def annex(workdir) -> Path:
    """A one-page attachment made with fpdf2 and the project's font."""
    from fpdf import FPDF

    from simulator.documents.fonts import font_path

    pdf = FPDF(format="A4", unit="mm")
    pdf.add_font("S", "", str(font_path("")))
    pdf.add_page()
    pdf.set_font("S", "", 12)
    pdf.set_y(40)
    pdf.multi_cell(0, 7, "PHỤ LỤC\nDanh sách hộ gia đình được hỗ trợ: 25 hộ, tổng kinh phí 125.000.000 đồng.")
    path = workdir / "phu-luc.pdf"
    pdf.output(str(path))
    return path


@pytest.fixture(scope="session")
def foreign_pki(tmp_path_factory):
    """Another PKI nobody trusts here (for the 'untrusted certificate' case)."""
    from simulator.signing import TrainingPKI

    other = TrainingPKI.create(tmp_path_factory.mktemp("foreign") / "pki", name="Nơi khác")
    p12 = other.issue_person("Kẻ Giả Mạo", "Chủ tịch", "Ủy ban nhân dân xã Giả", "000.98.40.H41", PASS)
    return other, p12


def now() -> datetime:
    return datetime.now(timezone.utc)


def days(n: float) -> timedelta:
    return timedelta(days=n)

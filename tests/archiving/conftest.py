"""Fixtures for the archiving tests: a few real PDFs made once per session, fresh archives per test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from simulator.archiving import Archive

from .helpers import record_fields


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """Rendered documents (PDF/A-2b), a plain unsigned PDF, a signed PDF and a non-PDF."""
    from fpdf import FPDF

    from simulator.documents import ContentGenerator, render_pdf
    from simulator.documents.fonts import font_path
    from simulator.province import load_province

    base = tmp_path_factory.mktemp("pdfs")
    province = load_province("Nghệ An")
    unit = next(u for u in province.units if u.level.name == "COMMUNE")
    gen = ContentGenerator(7)
    out: dict[str, Path] = {}
    for i, kind in enumerate(("quyet_dinh", "cong_van", "bao_cao")):
        doc = gen.document(unit, province, kind, issued=dt.date(2026, 2, 1 + i), number=i + 1)
        out[kind] = render_pdf(doc, base / f"{kind}.pdf").path
        out[kind + ".doc"] = doc
    plain = FPDF()
    plain.add_font("S", "", str(font_path("")))
    plain.add_page()
    plain.set_font("S", size=12)
    plain.cell(0, 10, "Biên bản họp thôn Đồng Xuân về đầu tư đường giao thông")
    plain.output(str(base / "plain.pdf"))
    out["plain"] = base / "plain.pdf"
    out["signed"] = _signed_copy(out["cong_van"], base / "signed.pdf")
    (base / "not-a-pdf.pdf").write_text("Đây không phải là tệp PDF", encoding="utf-8")
    out["not_pdf"] = base / "not-a-pdf.pdf"
    return out


def _signed_copy(source: Path, target: Path) -> Path:
    """Sign ``source`` with a throw-away self-signed RSA key (incremental update, never a rewrite)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigFieldSpec
    from pyhanko_certvalidator.registry import SimpleCertificateStore
    from asn1crypto import keys as asn1_keys, x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Văn thư UBND xã (thử nghiệm)")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30)).sign(key, hashes.SHA256()))
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        cert_registry=SimpleCertificateStore())
    with source.open("rb") as fh:
        writer = IncrementalPdfFileWriter(fh)
        with target.open("wb") as out:
            signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="VanThu"), signer=signer,
                             new_field_spec=SigFieldSpec("VanThu"), output=out)
    return target


@pytest.fixture
def catalogue_url(db):
    """The catalogue: SQLite in the archive folder, or a fresh PostgreSQL database (``db`` runs both)."""
    return db("catalogue") if db.postgresql else None


@pytest.fixture
def archive(tmp_path, catalogue_url):
    arc = Archive(tmp_path / "luu-tru", catalogue_url)
    yield arc
    arc.close()


@pytest.fixture
def archived(archive, pdfs):
    """An archive with one ingested record of three rendered documents."""
    rec = archive.create_record(record_fields())
    from simulator.archiving import from_document

    for kind in ("quyet_dinh", "cong_van", "bao_cao"):
        archive.file_document(rec.id, pdfs[kind], from_document(pdfs[kind + ".doc"]))
    pkg = archive.ingest(rec.id, agent="Lê Thị Hoa")
    return archive, rec, pkg

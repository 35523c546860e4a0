"""Signing in the order Decree 30 asks for: the person, then the agency, then attachments.

1. The person with authority signs (PAdES, RFC 3161 time stamp, validation
   data embedded: B-LT). In the same revision the empty field for the
   agency seal is created, so the clerk's later signature only fills a field
   that already exists (creating fields after a signature is a modification
   validators frown on, PITFALLS.md).
2. The clerk (văn thư) applies the agency seal, only on a document that
   already carries a valid personal signature.
3. The clerk signs each attachment file: text only at the top right of
   page 1, naming the main document's number and code and the time.

Each signing function takes ``at`` (aware): the moment of signing on the
world's clock (PITFALLS.md, "signing on a simulated clock"). The signing time
(``/M``, the CMS signing-time attribute), the training TSA's RFC 3161 time
stamp, the CRLs embedded for long-term validation and the certificate checks
are all of that moment; without it, of the machine's now (the CLI's default).
The person's stamp shows it as people read it (``05/03/2026 09:15``); the
attachment text keeps ISO 8601, as Decree 30 (Appendix I) prescribes.

Every function has an ``async_*`` twin; the synchronous ones are safe in a
Jupyter kernel (see :mod:`simulator.signing.runner`). Traps for exercises
(a revoked or expired certificate) are signed with
``allow_invalid_certificate=True``; without it such a certificate is refused.
"""

from __future__ import annotations

import io
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
from cryptography.hazmat.primitives.serialization import pkcs12

from simulator.signing.crypto import HolderSigner

from simulator.calendar import iso_vn, vn_datetime
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.signing import appearance
from simulator.signing.appearance import Box
from simulator.signing.pdfread import MAX_PDF_BYTES, info_value, open_reader, read_pdf, signed_identity  # noqa: F401
from simulator.signing.pki import TrainingPKI
from simulator.signing.policy import Kind, role_of
from simulator.signing.runner import run_sync
from simulator.signing.verify import async_verify_bytes

_ = translator("signing")


class _QuietOfflineEmbedding(logging.Filter):
    """We embed validation data on purpose from in-process CRLs; pyHanko's warning about it is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_QuietOfflineEmbedding())

PERSON_FIELD = "PersonSignature"
SEAL_FIELD = "AgencySeal"
ATTACHMENT_FIELD = "AttachmentSignature"
VN_TZ = timezone(timedelta(hours=7))


@dataclass(frozen=True)
class Holder:
    """Key material loaded from a .p12 with its certificate's role."""

    signer: signers.SimpleSigner
    cert: asn1_x509.Certificate
    kind: Kind | None

    @property
    def name(self) -> str:
        return self.cert.subject.native.get("common_name", "")

    @property
    def unit_name(self) -> str:
        return self.cert.subject.native.get("organization_name", "")

    @property
    def unit_code(self) -> str:
        return self.cert.subject.native.get("organization_identifier", "")


def load_holder(p12: str | os.PathLike, passphrase: str, pki: TrainingPKI) -> Holder:
    """Open a .p12; a wrong passphrase is a clear error (pyHanko's ``load`` would return None)."""
    from simulator.inputs import read_file

    path = Path(p12)
    data = read_file(path, max_bytes=1024 * 1024, field="p12")  # a key file is a few kB
    try:
        key, cert, others = pkcs12.load_key_and_certificates(data, passphrase.encode("utf-8"))
        if key is None or cert is None:
            raise ValueError("no key")
    except Exception:  # wrong passphrase, not PKCS#12, or an algorithm this machine cannot read
        raise UserError(_("Wrong passphrase, or {path} is not a PKCS#12 key file.", path=path.name),
                        field="passphrase") from None
    from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, \
        translate_pyca_cryptography_key_to_asn1
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    try:
        asn1_cert = translate_pyca_cryptography_cert_to_asn1(cert)
        store = SimpleCertificateStore()
        store.register_multiple([pki.issuing_ca, pki.root]
                                + [translate_pyca_cryptography_cert_to_asn1(c) for c in others or ()])
        signer = HolderSigner(key, signing_key=translate_pyca_cryptography_key_to_asn1(key),
                              signing_cert=asn1_cert, cert_registry=store)
    except UserError:
        raise
    except Exception:  # a key or certificate pyHanko cannot use
        raise UserError(_("The key file {path} holds a key or certificate that cannot sign here.",
                          path=path.name), field="p12") from None
    cert = signer.signing_cert
    return Holder(signer, cert, role_of(cert))


def _moment(at: datetime | None) -> datetime:
    """The signing moment: ``at`` (aware, the world's clock) or the machine's now, to the second."""
    if at is None:
        return datetime.now(VN_TZ).replace(microsecond=0)
    if at.tzinfo is None:
        raise UserError(_("Give times with a time zone, e.g. 2026-03-02T09:15:30+07:00."), field="at")
    return at.astimezone(VN_TZ).replace(microsecond=0)


class _PdfSignerAt(signers.PdfSigner):
    """pyHanko's PdfSigner signing at a given moment (``/M``, the CMS signing-time attribute and the
    appearance's time) instead of the machine's clock: the session's ``system_time`` is public."""

    def __init__(self, *args, signing_time: datetime, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self.signing_time
        return session


def _check_certificate(holder: Holder, pki: TrainingPKI, expected: Kind | None, now: datetime) -> None:
    """Refuse a certificate that cannot sign at ``now`` (the signing moment)."""
    cert = holder.cert
    if not pki.trusts(cert):
        raise UserError(_("This certificate was not issued by the training PKI; it cannot sign here."),
                        field="p12")
    valid = cert["tbs_certificate"]["validity"]
    not_after = valid["not_after"].native
    not_before = valid["not_before"].native
    if now > not_after:
        raise UserError(_("The certificate of {name} expired on {date}; ask the administrator to renew it.",
                          name=holder.name, date=vn_datetime(not_after.astimezone(VN_TZ).date())),
                        field="p12")
    if now < not_before:
        raise UserError(_("The certificate of {name} is not valid before {date}.",
                          name=holder.name, date=vn_datetime(not_before.astimezone(VN_TZ).date())),
                        field="p12")
    info = pki.find_by_serial(cert.serial_number)
    if info is not None and info.revocation is not None and info.revocation.at <= now:
        raise UserError(_("The certificate of {name} was revoked on {date}; it can no longer sign.",
                          name=holder.name,
                          date=vn_datetime(info.revocation.at)),
                        field="p12")
    if expected is Kind.SEAL and holder.kind is not Kind.SEAL:
        raise UserError(_("The agency seal must be applied with the agency's seal certificate, "
                          "not a personal one."), field="p12")
    if expected is Kind.PERSON and holder.kind is not Kind.PERSON:
        raise UserError(_("A person signs with a personal certificate, not the agency seal."), field="p12")


def _writer(data: bytes, name: str) -> IncrementalPdfFileWriter:
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        writer.root
        if writer.prev.encrypted:
            raise UserError(_("{path} is encrypted; sign only unprotected documents.", path=name),
                            field="pdf")
        return writer
    except UserError:
        raise
    except Exception:
        raise UserError(_("{path} is not a readable PDF file.", path=name), field="pdf") from None


def _page_size(reader, page: int) -> tuple[float, float]:
    try:
        pg = reader.root["/Pages"]
        page_obj = reader.find_page_for_modification(page)[0]
        box = page_obj.get("/MediaBox") or pg.get("/MediaBox")
        x1, y1, x2, y2 = (float(v) for v in box)
        return x2 - x1, y2 - y1
    except Exception:
        return 595.28, 841.89


def _page_count(reader) -> int:
    try:
        return int(reader.root["/Pages"]["/Count"])
    except Exception:
        return 1


def signature_box(reader) -> Box:
    """The box ``simulator.documents.render`` stored, or bottom right of the last page."""
    value = info_value(reader, "/VbdtSignatureBox")
    pages = _page_count(reader)
    if value:
        try:
            page, x1, y1, x2, y2 = value.split()
            page = int(page)
            if 0 <= page < pages:
                return Box(page, float(x1), float(y1), float(x2), float(y2))
        except ValueError:
            pass
    last = max(pages - 1, 0)
    width, _height = _page_size(reader, last)
    return appearance.default_signature_box(width, last)


def _person_name(reader) -> str:
    """The person who signed (for placing a seal when our prepared field is missing)."""
    try:
        for emb in reader.embedded_regular_signatures:
            cert = emb.signer_cert
            if role_of(cert) is Kind.PERSON:
                return cert.subject.native.get("common_name", "?")
    except Exception:
        pass
    return "?"


def _existing_fields(reader) -> dict[str, bool]:
    """Signature field name -> already signed?"""
    out = {}
    try:
        for name, value, _ref in fields.enumerate_sig_fields(reader, filled_status=None):
            out[str(name)] = value is not None
    except Exception:
        pass
    return out


def _metadata(field: str, holder: Holder, pki: TrainingPKI, *, reason: str, embed: bool,
              location: str = "", at: datetime | None = None):
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata

    return PdfSignatureMetadata(
        field_name=field, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES,
        reason=reason, location=location or None, name=holder.name,
        embed_validation_info=embed,
        validation_context=pki.validation_context(at, for_signing=True) if embed else None,
    )


async def _sign(data: bytes, name: str, out_pdf: str | os.PathLike, holder: Holder, pki: TrainingPKI,
                meta, style, field_spec: SigFieldSpec | None, text_params: dict,
                extra_fields: list[SigFieldSpec] = (), info_updates: dict[str, str] | None = None, *,
                moment: datetime, at: datetime | None) -> Path:
    writer = _writer(data, name)
    for spec in extra_fields:
        fields.append_signature_field(writer, spec)
    if info_updates:
        info = writer.trailer["/Info"] if "/Info" in writer.trailer else None
        info = info.get_object() if info is not None else generic.DictionaryObject()
        for key, value in info_updates.items():
            info[generic.NameObject(key)] = generic.TextStringObject(value)
        writer.set_info(writer.add_object(info) if not isinstance(info, generic.DictionaryObject)
                        or info.container_ref is None else info)
        if info.container_ref is not None:
            writer.update_container(info)
    pdf_signer = _PdfSignerAt(meta, holder.signer, timestamper=pki.timestamper(at),
                              stamp_style=style, new_field_spec=field_spec, signing_time=moment)
    buffer = io.BytesIO()
    try:
        await pdf_signer.async_sign_pdf(writer, output=buffer, appearance_text_params=text_params)
    except UserError:
        raise
    except Exception as exc:
        from pyhanko_certvalidator.errors import PathValidationError, PathBuildingError

        if isinstance(exc, (PathValidationError, PathBuildingError)):
            raise UserError(_("The certificate could not be validated: {reason}", reason=exc),
                            field="p12") from None
        raise
    out = Path(out_pdf)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(buffer.getvalue())
    os.replace(tmp, out)
    return out


async def async_sign_person(in_pdf: str | os.PathLike, out_pdf: str | os.PathLike,
                            p12: str | os.PathLike, passphrase: str, pki: TrainingPKI, *,
                            allow_invalid_certificate: bool = False, at: datetime | None = None) -> Path:
    """The authorised person signs ``in_pdf`` at ``at`` (default now); writes ``out_pdf`` (PAdES B-LT,
    visible)."""
    moment = _moment(at)
    data = read_pdf(in_pdf)
    reader = open_reader(data, Path(in_pdf).name)
    holder = load_holder(p12, passphrase, pki)
    if not allow_invalid_certificate:
        _check_certificate(holder, pki, Kind.PERSON, moment)
    existing = _existing_fields(reader)
    if existing.get(PERSON_FIELD):
        raise UserError(_("This document already carries the person's signature."), field="pdf")
    box = signature_box(reader)
    person = appearance.person_box(box, holder.name)
    seal = appearance.seal_box(person)
    extra = [] if SEAL_FIELD in existing else [SigFieldSpec(SEAL_FIELD, on_page=box.page, box=seal.rect())]
    field_spec = None if PERSON_FIELD in existing else SigFieldSpec(PERSON_FIELD, on_page=box.page,
                                                                    box=person.rect())
    meta = _metadata(PERSON_FIELD, holder, pki, reason=_("Signed by the person with authority"),
                     embed=not allow_invalid_certificate, location=holder.unit_name, at=at)
    return await _sign(data, Path(in_pdf).name, out_pdf, holder, pki, meta,
                       appearance.person_style(holder.name), field_spec,
                       {"signer": holder.name, "time": vn_datetime(moment)}, extra, moment=moment, at=at)


async def async_sign_seal(in_pdf: str | os.PathLike, out_pdf: str | os.PathLike,
                          p12: str | os.PathLike, passphrase: str, pki: TrainingPKI, *,
                          allow_invalid_certificate: bool = False, require_person: bool = True,
                          at: datetime | None = None) -> Path:
    """The clerk applies the agency seal, at ``at`` (default now), on a document the person has
    already signed (checked as of that moment).

    ``require_person=False`` exists only to build the "seal before the
    person" trap for exercises and tests.
    """
    moment = _moment(at)
    data = read_pdf(in_pdf)
    name = Path(in_pdf).name
    reader = open_reader(data, name)
    holder = load_holder(p12, passphrase, pki)
    if not allow_invalid_certificate:
        _check_certificate(holder, pki, Kind.SEAL, moment)
    existing = _existing_fields(reader)
    if existing.get(SEAL_FIELD):
        raise UserError(_("This document already carries the agency seal."), field="pdf")
    if require_person:
        report = await async_verify_bytes(data, name, pki, at)
        persons = [s for s in report.signatures if s.role == Kind.PERSON.value]
        if not persons:
            raise UserError(_("The person with authority has not signed this document yet; "
                              "the agency seal comes after the person's signature."), field="pdf")
        bad = [s for s in persons if s.indication != "TOTAL_PASSED"]
        if bad:
            raise UserError(_("The person's signature is not valid ({reason}); do not apply the seal.",
                              reason=bad[0].explanation), field="pdf")
    field_spec = None
    if SEAL_FIELD not in existing:  # signed elsewhere, without our prepared field
        box = signature_box(reader)
        seal = appearance.seal_box(appearance.person_box(box, _person_name(reader)))
        field_spec = SigFieldSpec(SEAL_FIELD, on_page=box.page, box=seal.rect())
    meta = _metadata(SEAL_FIELD, holder, pki, reason=_("Digital signature of the agency"),
                     embed=not allow_invalid_certificate, location=holder.unit_name, at=at)
    return await _sign(data, name, out_pdf, holder, pki, meta, appearance.seal_style(holder.unit_name),
                       field_spec, {}, moment=moment, at=at)


async def async_sign_attachment(in_pdf: str | os.PathLike, out_pdf: str | os.PathLike,
                                main_pdf: str | os.PathLike, p12: str | os.PathLike, passphrase: str,
                                pki: TrainingPKI, *, allow_invalid_certificate: bool = False,
                                at: datetime | None = None) -> Path:
    """The clerk signs an attachment file of ``main_pdf`` at ``at`` (default now): text only, top right
    of page 1, the time in ISO 8601 (Decree 30, Appendix I)."""
    moment = _moment(at)
    main = signed_identity(read_pdf(main_pdf), Path(main_pdf).name)  # what its signatures cover, only
    main_code = main.number_code
    if not main.signed:
        raise UserError(_("The main document {path} is not signed; the person signs and the clerk seals it "
                          "before its attachments are signed.", path=Path(main_pdf).name), field="main")
    if not main_code:
        raise UserError(_("The main document {path} carries no number and code; "
                          "number and register it before signing its attachments.",
                          path=Path(main_pdf).name), field="main")
    data = read_pdf(in_pdf)
    name = Path(in_pdf).name
    reader = open_reader(data, name)
    holder = load_holder(p12, passphrase, pki)
    if not allow_invalid_certificate:
        _check_certificate(holder, pki, Kind.SEAL, moment)
    if _existing_fields(reader).get(ATTACHMENT_FIELD):
        raise UserError(_("This attachment is already signed."), field="pdf")
    width, height = _page_size(reader, 0)
    box = appearance.attachment_box(width, height)
    text = _("attached to document no. {code}", code=main_code) + "\n" + iso_vn(moment)
    meta = _metadata(ATTACHMENT_FIELD, holder, pki, reason=_("Attachment signed by the clerk"),
                     embed=not allow_invalid_certificate, location=holder.unit_name, at=at)
    main_id = main.document_id or main_code
    return await _sign(data, name, out_pdf, holder, pki, meta, appearance.attachment_style(text),
                       SigFieldSpec(ATTACHMENT_FIELD, on_page=0, box=box.rect()), {},
                       info_updates={"/VbdtAttachmentOf": main_code, "/VbdtMainDocumentId": main_id},
                       moment=moment, at=at)


def sign_person(in_pdf, out_pdf, p12, passphrase, pki, **kwargs) -> Path:
    return run_sync(lambda: async_sign_person(in_pdf, out_pdf, p12, passphrase, pki, **kwargs))


def sign_seal(in_pdf, out_pdf, p12, passphrase, pki, **kwargs) -> Path:
    return run_sync(lambda: async_sign_seal(in_pdf, out_pdf, p12, passphrase, pki, **kwargs))


def sign_attachment(in_pdf, out_pdf, main_pdf, p12, passphrase, pki, **kwargs) -> Path:
    return run_sync(lambda: async_sign_attachment(in_pdf, out_pdf, main_pdf, p12, passphrase, pki, **kwargs))

"""A training PKI shaped like the government's, kept in one folder.

The hierarchy: a root, an issuing CA for government bodies, a time-stamping
authority (issued by the root) and an OCSP responder (issued by the CA).
Every subject carries "TRAINING ONLY – NOT FOR REAL USE". Personal
certificates name the person, position, unit and the unit's identifier code
(QCVN 102); agency-seal certificates name the unit and are held by its
clerk (văn thư).

Certomancer does the certificate, CRL, OCSP and time-stamp work. Its
configuration is rebuilt in memory from ``pki.json`` each time the folder
is opened, so issuing, revoking and renewing only edit that file. Keys are
RSA-2048, generated at run time (PITFALLS.md):

- the service keys (root, CA, TSA, OCSP) live in ``keys/`` as PEM files
  readable by the owner only: the services must run unattended;
- each holder's private key lives only in ``holders/<label>.p12``, a
  PKCS#12 file under the holder's passphrase; the PKI keeps the public half.

The folder is created by :meth:`TrainingPKI.create` and must never be
committed to a repository.

A PKI may serve a simulated world dated apart from the machine's clock
(PITFALLS.md, "signing on a simulated clock"): created with ``valid_from``
and ``valid_to`` (the world's period), its services start at ``valid_from``
and holder certificates are valid over the period by default, not from the
machine's today; CRLs, time stamps and validation take the world's moment.
"""

from __future__ import annotations

import json
import os
import re
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from simulator.calendar import vn_datetime
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.signing.certinfo import CertInfo, Revocation, as_utc as _as_utc, iso as _iso, now as _now, parse as _parse
from simulator.signing.pki_config import ARCH, SERVICE_KEYS as _SERVICE_KEYS, TRAINING_MARK, certomancer_config  # noqa: F401
from simulator.signing.pki_services import PKIServices
from simulator.signing.policy import POLICY_PERSON, POLICY_ROOT, POLICY_SEAL, Kind, role_of  # noqa: F401
from simulator.text import fold, nfc

_ = translator("signing")

STATE_FILE = "pki.json"
DEFAULT_PORT = 9717

REASONS = (
    "unspecified", "key_compromise", "ca_compromise", "affiliation_changed",
    "superseded", "cessation_of_operation", "certificate_hold", "privilege_withdrawn",
)


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")
    return slug[:40] or "holder"


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


class TrainingPKI(PKIServices):
    """The training PKI in ``folder``. Use :meth:`create` or :meth:`open`."""

    def __init__(self, folder: Path, state: dict) -> None:
        self.folder = Path(folder).resolve()
        self._state = state
        self._lock = threading.RLock()
        self._arch = None
        self._crl_cache: dict[str, tuple[datetime, Any]] = {}

    # ------------------------------------------------------------------ setup
    @classmethod
    def create(cls, folder: str | os.PathLike, *, name: str = "Nghệ An",
               url: str | None = None, valid_from: datetime | None = None,
               valid_to: datetime | None = None) -> "TrainingPKI":
        """Make a new PKI in an empty (or missing) ``folder``: keys, root, CA, TSA, OCSP.

        ``valid_from`` (aware): when the services start (default 1/1/2020). Given,
        it is also the start of the world's period: holder certificates are
        valid from it (instead of from the machine's today) to ``valid_to``
        (default ``valid_from`` plus the ``days`` of each issue).
        """
        if valid_from is not None and valid_to is not None and _as_utc(valid_to) <= _as_utc(valid_from):
            raise UserError(_("The certificate would end before it starts."), field="valid_to")
        folder = Path(folder)
        if (folder / STATE_FILE).exists():
            raise UserError(_("A training PKI already exists in {folder}.", folder=folder), field="folder")
        if folder.exists() and any(folder.iterdir()):
            raise UserError(_("The folder {folder} is not empty; choose an empty folder for a new PKI.",
                              folder=folder), field="folder")
        folder.mkdir(parents=True, exist_ok=True)
        for label in _SERVICE_KEYS:
            key = _new_key()
            _write_private(folder / "keys" / f"{label}.key.pem", key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption()))
        start = _as_utc(valid_from).replace(microsecond=0) if valid_from else datetime(2020, 1, 1, tzinfo=timezone.utc)
        state = {
            "version": 1,
            "name": nfc(name),
            "url": url or f"http://127.0.0.1:{DEFAULT_PORT}",
            "created": _iso(_now()),
            "service_valid_from": _iso(start),
            "next_serial": 0x1001,
            "holders": {},
        }
        if valid_from is not None:  # a world's period: holders' default validity
            state["period"] = {"from": _iso(start), "to": _iso(_as_utc(valid_to)) if valid_to else None}
        (folder / "holders").mkdir(exist_ok=True)
        pki = cls(folder, state)
        pki._save()
        pki.architecture  # build once: proves the configuration is sound
        return pki

    @classmethod
    def open(cls, folder: str | os.PathLike) -> "TrainingPKI":
        folder = Path(folder)
        try:
            state = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UserError(_("No training PKI in {folder}; create one with `vbdt pki init {folder}`.",
                              folder=folder), field="pki") from None
        except (OSError, ValueError):
            raise UserError(_("The PKI file {path} is damaged.", path=folder / STATE_FILE), field="pki") from None
        return cls(folder, state)

    def _save(self) -> None:
        path = self.folder / STATE_FILE
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._state, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)
        self._arch = None
        self._crl_cache.clear()

    # ---------------------------------------------------------- certomancer
    def _config(self) -> dict:
        return certomancer_config(self.folder, self._state)

    @property
    def architecture(self):
        """The certomancer ``PKIArchitecture`` for the current state."""
        with self._lock:
            if self._arch is None:
                from certomancer.registry import CertomancerConfig

                from simulator.signing.crypto import install_service_key_cache

                install_service_key_cache()
                config = CertomancerConfig(self._config(), key_search_dir=str(self.folder))
                self._arch = config.get_pki_arch(ARCH)
            return self._arch

    def cert(self, label: str) -> asn1_x509.Certificate:
        from certomancer.registry import CertLabel

        return self.architecture.get_cert(CertLabel(label))

    @property
    def root(self) -> asn1_x509.Certificate:
        return self.cert("root")

    @property
    def issuing_ca(self) -> asn1_x509.Certificate:
        return self.cert("ca")

    @property
    def tsa_cert(self) -> asn1_x509.Certificate:
        return self.cert("tsa")

    @property
    def url(self) -> str:
        return self._state["url"]

    # --------------------------------------------------------------- issuing
    def _issue(self, kind: Kind, full_name: str, position: str, unit_name: str, unit_code: str,
               passphrase: str, valid_from: datetime | None, valid_to: datetime | None,
               days: int, revoked_at: datetime | None = None, reason: str = "key_compromise") -> Path:
        full_name, position, unit_name = nfc(full_name).strip(), nfc(position).strip(), nfc(unit_name).strip()
        if not full_name:
            raise UserError(_("The holder's name is empty."), field="name")
        if not unit_name:
            raise UserError(_("The unit's name is empty."), field="unit")
        if unit_code:
            from simulator.province.codes import validate

            try:
                validate(unit_code)
            except ValueError as exc:
                raise UserError(_("Invalid identifier code {code!r}: {reason}", code=unit_code, reason=exc),
                                field="unit_code") from None
        if not passphrase or len(passphrase) < 4:
            raise UserError(_("The passphrase must have at least 4 characters."), field="passphrase")
        period = self._state.get("period") or {}
        if valid_from:
            start = _as_utc(valid_from)
        elif period.get("from"):
            start = _parse(period["from"])
        else:
            start = _now() - timedelta(minutes=5)
        if valid_to:
            end = _as_utc(valid_to)
        elif valid_from is None and period.get("to"):
            end = _parse(period["to"])
        else:
            end = start + timedelta(days=days)
        start, end = start.replace(microsecond=0), end.replace(microsecond=0)
        if end <= start:
            raise UserError(_("The certificate would end before it starts."), field="valid_to")
        if start < self._service_start():
            raise UserError(_("The certificate cannot start before the issuing CA ({date}).",
                              date=self._state["service_valid_from"][:10]), field="valid_from")
        with self._lock:
            serial = self._state["next_serial"]
            label = f"{_slug(full_name)}-{serial:x}"
            key = _new_key()
            pub = self.folder / "holders" / f"{label}.pub.pem"
            pub.parent.mkdir(exist_ok=True)
            pub.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                         serialization.PublicFormat.SubjectPublicKeyInfo))
            holder = {"kind": kind.value, "serial": serial, "full_name": full_name, "position": position,
                      "unit_name": unit_name, "unit_code": unit_code,
                      "valid_from": _iso(start), "valid_to": _iso(end), "issued": _iso(_now())}
            if revoked_at is not None:
                if reason not in REASONS:
                    raise UserError(_("Unknown revocation reason {reason!r}.", reason=reason), field="reason")
                holder["revoked_at"] = _iso(_as_utc(revoked_at).replace(microsecond=0))
                holder["revocation_reason"] = reason
            self._state["holders"][label] = holder
            self._state["next_serial"] = serial + 1
            try:
                self._save()
                cert = self.cert(label)
            except Exception:
                del self._state["holders"][label]
                self._save()
                pub.unlink(missing_ok=True)
                raise
            from cryptography import x509 as pyca_x509

            chain = [pyca_x509.load_der_x509_certificate(c.dump()) for c in (self.issuing_ca, self.root)]
            blob = pkcs12.serialize_key_and_certificates(
                label.encode(), key, pyca_x509.load_der_x509_certificate(cert.dump()), chain,
                serialization.BestAvailableEncryption(passphrase.encode("utf-8")))
            p12 = self.folder / "holders" / f"{label}.p12"
            _write_private(p12, blob)
            (self.folder / "holders" / f"{label}.cer").write_bytes(cert.dump())
            return p12

    def issue_person(self, full_name: str, position: str, unit_name: str, unit_code: str,
                     passphrase: str, *, valid_from: datetime | None = None,
                     valid_to: datetime | None = None, days: int = 730) -> Path:
        """A personal certificate for someone who signs with authority; returns the .p12 path.

        Pass ``valid_from``/``valid_to`` in the past to make an already expired
        certificate (a trap for exercises).
        """
        return self._issue(Kind.PERSON, full_name, position, unit_name, unit_code, passphrase,
                           valid_from, valid_to, days)

    def issue_seal(self, unit_name: str, unit_code: str, passphrase: str, *,
                   valid_from: datetime | None = None, valid_to: datetime | None = None,
                   days: int = 730) -> Path:
        """The agency-seal certificate a unit's clerk (văn thư) holds; returns the .p12 path."""
        return self._issue(Kind.SEAL, unit_name, "", unit_name, unit_code, passphrase,
                           valid_from, valid_to, days)

    def _service_start(self) -> datetime:
        return _parse(self._state["service_valid_from"])

    def issue_revoked_person(self, full_name: str, position: str, unit_name: str, unit_code: str,
                             passphrase: str, *, revoked_at: datetime | None = None,
                             reason: str = "key_compromise", valid_from: datetime | None = None) -> Path:
        """A trap: a personal certificate already revoked (by default one day ago; give the world's
        moment as ``revoked_at`` for a world on a simulated clock). It was valid from ``valid_from``
        (default 30 days before the revocation, not before the services start)."""
        at = _as_utc(revoked_at) if revoked_at else _now() - timedelta(days=1)
        start = _as_utc(valid_from) if valid_from else max(at - timedelta(days=30), self._service_start())
        return self._issue(Kind.PERSON, full_name, position, unit_name, unit_code, passphrase,
                           start, start + timedelta(days=730), 730, revoked_at=at, reason=reason)

    def issue_expired_person(self, full_name: str, position: str, unit_name: str, unit_code: str,
                             passphrase: str, *, at: datetime | None = None) -> Path:
        """A trap: a personal certificate whose validity ended 30 days before ``at`` (default now; the
        world's moment for a world on a simulated clock), having started no earlier than the services."""
        end = (_as_utc(at) if at else _now()) - timedelta(days=30)
        start = max(end - timedelta(days=365), self._service_start())
        return self._issue(Kind.PERSON, full_name, position, unit_name, unit_code, passphrase,
                           start, end, 365)

    # ------------------------------------------------------- finding holders
    def _info(self, label: str) -> CertInfo:
        h = self._state["holders"][label]
        rev = Revocation(_parse(h["revoked_at"]), h["revocation_reason"]) if h.get("revoked_at") else None
        return CertInfo(label=label, kind=Kind(h["kind"]), serial=h["serial"], full_name=h["full_name"],
                        position=h.get("position", ""), unit_name=h["unit_name"],
                        unit_code=h.get("unit_code", ""), valid_from=_parse(h["valid_from"]),
                        valid_to=_parse(h["valid_to"]), revocation=rev,
                        p12=self.folder / "holders" / f"{label}.p12")

    def list(self) -> list[CertInfo]:
        """Every holder certificate, in order of issue."""
        return sorted((self._info(label) for label in self._state["holders"]), key=lambda c: c.serial)

    def find(self, serial_or_name: str | int) -> CertInfo:
        """A holder by serial (decimal or 0x-hex), label, .p12 path or exact name."""
        items = self.list()
        key = str(serial_or_name).strip()
        serial = None
        try:
            serial = int(key, 16) if key.lower().startswith("0x") else int(key)
        except ValueError:
            pass
        matches = [c for c in items if c.serial == serial] if serial is not None else []
        if not matches:
            stem = Path(key).name.removesuffix(".p12")
            matches = [c for c in items if c.label == stem]
        if not matches:
            matches = [c for c in items if fold(c.full_name).lower() == fold(key).lower()]
            if len(matches) > 1:  # a name held twice (after a renewal): the newest unrevoked one
                live = [c for c in matches if c.revocation is None]
                matches = live[-1:] or matches[-1:]
        if not matches:
            raise UserError(_("No certificate matches {key!r}.", key=key), field="certificate")
        return matches[0]

    def find_by_serial(self, serial: int) -> CertInfo | None:
        for c in self.list():
            if c.serial == serial:
                return c
        return None

    # ------------------------------------------------ revocation and renewal
    def revoke(self, serial_or_name: str | int, reason: str = "unspecified",
               at: datetime | None = None) -> CertInfo:
        """Revoke a holder certificate from ``at`` (default now) for ``reason``."""
        if reason not in REASONS:
            raise UserError(_("Unknown revocation reason {reason!r}; use one of: {choices}.",
                              reason=reason, choices=", ".join(REASONS)), field="reason")
        info = self.find(serial_or_name)
        if info.revocation is not None:
            raise UserError(_("The certificate {label} was already revoked on {date}.",
                              label=info.label, date=vn_datetime(info.revocation.at)), field="certificate")
        when = _as_utc(at) if at else _now()
        with self._lock:
            h = self._state["holders"][info.label]
            h["revoked_at"] = _iso(when.replace(microsecond=0))
            h["revocation_reason"] = reason
            self._save()
        return self._info(info.label)

    def renew(self, serial_or_name: str | int, passphrase: str, *, days: int = 730,
              at: datetime | None = None) -> Path:
        """A new certificate (and key) for the same holder; the old one is revoked as superseded.

        ``at`` (default now): the moment of renewal, the new certificate's start
        and the old one's revocation (the world's clock for a simulated world)."""
        old = self.find(serial_or_name)
        if old.kind == Kind.SEAL:
            p12 = self.issue_seal(old.unit_name, old.unit_code, passphrase, days=days, valid_from=at)
        else:
            p12 = self.issue_person(old.full_name, old.position, old.unit_name, old.unit_code,
                                    passphrase, days=days, valid_from=at)
        if old.revocation is None:
            self.revoke(old.serial, "superseded", at=at)
        return p12

    def trusts(self, cert: asn1_x509.Certificate) -> bool:
        """Whether ``cert`` was issued by this PKI's CA (same issuer and key identifier)."""
        ca = self.issuing_ca
        return cert.issuer == ca.subject and cert.authority_key_identifier == ca.key_identifier

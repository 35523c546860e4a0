"""A class seat's copy of the class's training PKI (:mod:`simulator.seat.classroom`): one root, every seat's
certificates, so each seat verifies what the others sign."""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("classroom")


SERIAL_BLOCK = 0x100000  # each seat's copy of the PKI numbers what it issues (the world's senders) in its own block


def sync_class_pki(classroom: dict, folder: Path, unit_code: str) -> bool:
    """The class's training PKI (one root, every seat's certificates) is the seat's: copied on the first
    opening, then the certificates of seats handed out since are added, so each seat verifies what the
    others sign. The other seats' keys come under the automated senders' passphrase: in this seat's world
    their units are automated desks that sign what they send here (the class's server refuses a document
    whose sender is not the token's seat). The seat's copy issues the world senders' certificates under
    serial numbers of its own block, so no two seats' certificates share a serial."""
    from simulator.signing.pki import STATE_FILE

    target = folder / "pki"
    with _class_pki_source(classroom, target / STATE_FILE) as source:
        if source is None:
            return False  # the class is not reachable from here: the copy already made serves
        return _merge(source, target, classroom, unit_code)


def _merge(source: Path, target: Path, classroom: dict, unit_code: str) -> bool:
    from simulator.signing.pki import STATE_FILE

    state = json.loads((source / STATE_FILE).read_text(encoding="utf-8"))
    first = not (target / STATE_FILE).is_file()
    if first:
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.tmp", "holders"), dirs_exist_ok=True)
        (target / "holders").mkdir(exist_ok=True)
        mine = json.loads(json.dumps(state))
        units = classroom.get("units") or _class_units(classroom)
        mine["next_serial"] = SERIAL_BLOCK * (1 + (units.index(unit_code) if unit_code in units else len(units)))
        mine["holders"] = {}
    else:
        mine = json.loads((target / STATE_FILE).read_text(encoding="utf-8"))
    added = False
    for label, holder in state["holders"].items():
        if label in mine["holders"]:
            continue
        for suffix in (".pub.pem", ".cer", ".p12"):
            if (source / "holders" / f"{label}{suffix}").is_file():
                shutil.copy2(source / "holders" / f"{label}{suffix}", target / "holders" / f"{label}{suffix}")
        if holder.get("unit_code") != unit_code:  # another seat's unit: an automated sender in this world
            _as_sender_key(target / "holders" / f"{label}.p12")
        mine["holders"][label] = holder
        added = True
    if added or first:
        tmp = target / (STATE_FILE + ".tmp")
        tmp.write_text(json.dumps(mine, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, target / STATE_FILE)
    return added


def _class_units(classroom: dict) -> list[str]:
    """The class's units, from its file (a ticket written before tickets carried them)."""
    from simulator.seat.classroom import ClassRoom

    return ClassRoom.read(classroom.get("class_folder") or "").units


@contextmanager
def _class_pki_source(classroom: dict, copy_state: Path):
    """The class's PKI folder: the class folder's own when this account can read it, else the zip the class's
    server serves (unpacked for the time of the merge); None when neither is reachable but a copy exists."""
    from simulator.signing.pki import STATE_FILE

    local = Path(classroom.get("class_folder") or "") / "pki"
    if os.access(local / STATE_FILE, os.R_OK):
        yield local
        return
    archive = _served_pki(classroom)
    if archive is None:
        if not copy_state.is_file():
            raise UserError(_("The class's PKI is not in {folder}.", folder=local.parent), field="classroom")
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="vbdt-class-pki-") as tmp:
        archive.extractall(tmp)
        yield Path(tmp)


def _served_pki(classroom: dict) -> zipfile.ZipFile | None:
    """The zip of the class's PKI from its server (``GET /pki``), None if the server cannot give it."""
    from simulator.routing.client import AxisClient

    try:
        archive = zipfile.ZipFile(io.BytesIO(AxisClient(classroom.get("url") or "",
                                                        token=classroom.get("token")).pki()))
    except (UserError, OSError, zipfile.BadZipFile):
        return None
    if any(name.startswith("/") or ".." in Path(name).parts for name in archive.namelist()):
        return None
    return archive


def _as_sender_key(p12: Path) -> None:
    """Another seat's key file, under the passphrase the world's automated senders use."""
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    from simulator.lab.materialize import SENDER_PASSPHRASE
    from simulator.seat import SEAT_PASSPHRASE

    if not p12.is_file():
        return
    key, cert, chain = pkcs12.load_key_and_certificates(p12.read_bytes(), SEAT_PASSPHRASE.encode("utf-8"))
    blob = pkcs12.serialize_key_and_certificates(p12.stem.encode("utf-8"), key, cert, chain,
                                                 BestAvailableEncryption(SENDER_PASSPHRASE.encode("utf-8")))
    tmp = p12.with_name(p12.name + ".tmp")
    tmp.write_bytes(blob)
    os.replace(tmp, p12)

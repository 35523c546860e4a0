"""A class seat's copy of the class's training PKI (:mod:`simulator.seat.classroom`): one root, every seat's
certificates, so each seat verifies what the others sign."""

from __future__ import annotations

import json
import os
import shutil
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

    source = Path(classroom.get("class_folder") or "") / "pki"
    try:
        state = json.loads((source / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        if (folder / "pki" / STATE_FILE).is_file():
            return False  # the class folder is not reachable from here: the copy already made serves
        raise UserError(_("The class's PKI is not in {folder}.", folder=source.parent), field="classroom") from None
    target = folder / "pki"
    first = not (target / STATE_FILE).is_file()
    if first:
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.tmp", "holders"), dirs_exist_ok=True)
        (target / "holders").mkdir(exist_ok=True)
        mine = json.loads(json.dumps(state))
        from simulator.seat.classroom import ClassRoom

        units = ClassRoom.read(source.parent).units
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

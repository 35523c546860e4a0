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
    others sign. The seat holds its own unit's key files only, never a classmate's: in this seat's world
    the other seats' units are automated desks, which sign what they send here with certificates the seat's
    copy issues them (:func:`simulator.lab.materialize.materialize`), under serial numbers of the seat's
    own block, so no two seats' certificates share a serial."""
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
        mine_too = holder.get("unit_code") == unit_code
        if not mine_too:   # a classmate's key, left by a copy made before seats held their own keys only
            (target / "holders" / f"{label}.p12").unlink(missing_ok=True)
        if label in mine["holders"]:
            continue
        for suffix in (".pub.pem", ".cer", ".p12") if mine_too else (".pub.pem", ".cer"):
            if (source / "holders" / f"{label}{suffix}").is_file():
                shutil.copy2(source / "holders" / f"{label}{suffix}", target / "holders" / f"{label}{suffix}")
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

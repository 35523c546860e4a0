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
SERVED_TAG = "class-pki.tag"  # in the seat's PKI folder: the tag of the server's zip last merged (GET /pki)


def sync_class_pki(classroom: dict, folder: Path, unit_code: str, role: str = "clerk") -> bool:
    """The class's training PKI (one root, every seat's certificates) is the seat's: copied on the first
    opening, then the certificates of seats handed out since are added, so each seat verifies what the
    others sign. The seat holds its own unit's key files only, never a classmate's (and of those, the ones
    its role holds: :meth:`simulator.seat.classroom.ClassRoom.seat_keys`): in this seat's world
    the other seats' units are automated desks, which sign what they send here with certificates the seat's
    copy issues them (:func:`simulator.lab.materialize.materialize`), under serial numbers of the seat's
    own block, so no two seats' certificates share a serial."""
    target = folder / "pki"
    with _class_pki_source(classroom, target) as (source, tag):
        if source is None:
            return False  # the class is not reachable, or its PKI unchanged: the copy already made serves
        added = _merge(source, target, classroom, unit_code, role, served=bool(tag))
        if tag:
            (target / SERVED_TAG).write_text(tag, encoding="ascii")
        return added


def _merge(source: Path, target: Path, classroom: dict, unit_code: str, role: str, served: bool) -> bool:
    from simulator.routing.handoffs import leader_org
    from simulator.seat.classroom import ClassRoom
    from simulator.signing.pki import STATE_FILE

    state = json.loads((source / STATE_FILE).read_text(encoding="utf-8"))
    if served:   # the server chose the key files for the seat's token
        keys = {p.stem for p in (source / "holders").glob("*.p12")}
    else:        # the class's own folder: the seat's unit's keys, by role
        org = leader_org(unit_code) if role == "leader" else unit_code
        keys = ClassRoom.read(source.parent).seat_keys(org, state["holders"])
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
        mine_too = label in keys
        if not mine_too:   # a classmate's key (a copy made before seats held their own keys only), or the
            (target / "holders" / f"{label}.p12").unlink(missing_ok=True)   # leader's, now a trainee's
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
def _class_pki_source(classroom: dict, copy: Path):
    """The class's PKI folder and the server's tag of it: the class folder's own when this account can read
    it (no tag), else the zip the class's server serves (unpacked for the time of the merge); None when
    neither is reachable but a copy exists, or when the copy holds the zip the server would send again."""
    from simulator.signing.pki import STATE_FILE

    local = Path(classroom.get("class_folder") or "") / "pki"
    if os.access(local / STATE_FILE, os.R_OK):
        yield local, None
        return
    have = (copy / SERVED_TAG).read_text(encoding="ascii").strip() \
        if (copy / STATE_FILE).is_file() and (copy / SERVED_TAG).is_file() else None
    served = _served_pki(classroom, have)
    if served is None:
        if not (copy / STATE_FILE).is_file():
            raise UserError(_("The class's PKI is not in {folder}.", folder=local.parent), field="classroom")
        yield None, None
        return
    archive, tag = served
    with tempfile.TemporaryDirectory(prefix="vbdt-class-pki-") as tmp:
        archive.extractall(tmp)
        yield Path(tmp), tag


def _served_pki(classroom: dict, have: str | None) -> tuple[zipfile.ZipFile, str] | None:
    """The zip of the class's PKI from its server (``GET /pki``) and its tag; None if the server cannot give
    it, or if ``have`` is still its tag."""
    from simulator.routing.client import AxisClient, pki_tag

    try:
        data = AxisClient(classroom.get("url") or "", token=classroom.get("token")).pki(have)
        if data is None:
            return None
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (UserError, OSError, zipfile.BadZipFile):
        return None
    if any(name.startswith("/") or ".." in Path(name).parts for name in archive.namelist()):
        return None
    return archive, pki_tag(data)

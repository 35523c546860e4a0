"""Grading the portal assignment from what is on the portal: its store and the site built from it.

Never from the desk's widgets, nor from the journal's word alone. The
seat's portal is ``<work folder>/cong-thong-tin`` (:mod:`simulator.lab.publishing`):
the catalogue is read without writing anything beside it, every record is
checked against the signed file kept with it (its SHA-256, and the facts
read again from what the signatures cover, :func:`simulator.portal.read_metadata`),
so a record edited by hand or a file swapped afterwards counts for nothing.

Marks (6), for the unit's legal normative decision (số ký hiệu with the
year, ``01/2026/QĐ-UBND``; DOMAIN.md §3):

- something the unit issued is on the portal (1);
- a legal normative decision of the unit is there, its record true to its
  file (1);
- numbered by the unit's outgoing register: the register holds its
  DocumentId (1);
- the published file's signatures verify against the seat's training PKI
  (the instructor's anchors, :mod:`simulator.grading.trust`): the leader's
  personal signature first, the agency seal last (2);
- the built portal shows it: the site's index lists its address and the
  page offers the very file published (1).

A document of another issuer (a decision that came in from the province,
published from the inbox) is not the unit's and does not count.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from simulator.grading import evidence
from simulator.grading.quiet import quiet
from simulator.grading.result import Marks, Result, zero
from simulator.grading.seat import NotTheirWork, SeatView, open_seat
from simulator.grading.values import same_text
from simulator.i18n import translator

_ = translator("grading")

MAX_POINTS = 6
NORMATIVE = re.compile(r"^\d{2,}/\d{4}/QĐ-")  # '01/2026/QĐ-UBND': a legal normative decision carries its year


def _records(view: SeatView) -> tuple[list[dict], Path]:
    """The portal's records of the seat's unit, oldest first, and the portal folder (read-only)."""
    from simulator.portal import Portal
    from simulator.portal import DEFAULT_FOLDER
    from simulator.portal.store import CATALOGUE

    folder = view.folder / DEFAULT_FOLDER
    if not (folder / CATALOGUE).is_file():
        return [], folder
    try:
        with Portal(folder, read_only=True) as portal:
            rows = portal.rows()
    except Exception:  # noqa: BLE001 - a damaged catalogue holds nothing that counts
        return [], folder
    return [r for r in reversed(rows) if r["issuer_code"] == view.unit.code], folder


def _kept(folder: Path, row: dict) -> bytes | None:
    """The file kept with ``row``, when it is the one published and its signed facts are the record's."""
    from simulator.errors import UserError
    from simulator.portal import read_metadata
    from simulator.portal.store import FILES

    path = folder / FILES / f"{row['sha256']}.pdf"
    if not path.is_file():
        return None
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != row["sha256"]:
        return None
    try:
        meta = read_metadata(data, path.name)
    except UserError:
        return None
    same = (meta.number_code == row["number_code"] and meta.document_id == row["document_id"]
            and meta.issued.isoformat() == row["issued"] and meta.issuer_code == row["issuer_code"]
            and meta.type_key == row["type_key"] and meta.signer == row["signer"])
    return data if same else None


def _on_site(folder: Path, row: dict, data: bytes) -> bool:
    """The built site lists the document and offers the very bytes published."""
    from simulator.portal.site import DATA, INDEX_JSON, SITE

    index = folder / SITE / DATA / INDEX_JSON
    page_file = folder / SITE / row["path"] / "van-ban.pdf"
    try:
        records = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    paths = {r.get("path") for r in records if isinstance(r, dict)} if isinstance(records, list) else set()
    return row["path"] in paths and page_file.is_file() and page_file.read_bytes() == data


def grade_portal(folder: str | Path, trainee_id: str) -> Result:
    """The portal assignment (see the module's docstring)."""
    def body() -> Result:
        from simulator.grading.trust import seat_pki
        from simulator.portal.store import FILES
        from simulator.signing import verify

        view = open_seat(folder, trainee_id, need_arrivals=False)
        rows, portal = _records(view)
        if not rows:
            return zero(MAX_POINTS, _("Nothing {unit} issued is on the portal: draft a legal normative decision in "
                                      "the Signing and dispatch desk, have it signed, numbered and sealed, then press "
                                      "'Publish on the portal'.", unit=view.unit.name))
        marks = Marks()
        marks.check(True, 1, "")
        genuine = []  # records true to the signed file kept with them
        for r in rows:
            data = _kept(portal, r)
            if data is not None:
                genuine.append((r, data))
        normative = [(r, data) for r, data in genuine if r["type_key"] == "quyet_dinh" and NORMATIVE.match(
            r["number_code"])]
        if not normative:
            marks.check(False, 1, _("No legal normative decision of {unit} is on the portal with a record true to its "
                                    "signed file (its number carries the year, e.g. 01/2026/QĐ-UBND): draft one with "
                                    "'Legal normative decision' and publish it.", unit=view.unit.name))
            if not genuine:
                marks.check(False, 4, _("The portal's records of {unit} do not match the signed files kept with "
                                        "them: publish through the desk, never edit the portal's files.",
                                        unit=view.unit.name))
                return marks.result()
        else:
            marks.check(True, 1, "")
        row, data = (normative or genuine)[-1]
        code = row["number_code"]
        with evidence.registers(view) as books:
            entry = next((e for e in books.outgoing() if e.document_id == row["document_id"]), None)
        marks.check(entry is not None and entry.number_code == code, 1,
                    _("{code} is not in the outgoing register (sổ đi) of {unit}: a number is given by the register "
                      "when the clerk issues the signed document, never typed by hand.", code=code,
                      unit=view.unit.name))
        published = portal / FILES / f"{row['sha256']}.pdf"
        report = verify(published, seat_pki(view))
        sigs = report.signatures
        ok = (report.indication == "TOTAL_PASSED" and report.decree30.ok and len(sigs) >= 2
              and sigs[0].role == "person" and same_text(sigs[0].signer, view.leader_name, fold=True)
              and sigs[-1].role == "seal" and sigs[-1].unit_code == view.unit.code)
        marks.check(ok, 2, _("The published file of {code} does not carry valid signatures of the leader ({leader}) "
                             "and then the agency seal of {unit} ({indication}): publish the sealed document from "
                             "the desk.", code=code, leader=view.leader_name, unit=view.unit.name,
                             indication=report.indication))
        marks.check(_on_site(portal, row, data), 1,
                    _("The built portal does not show {code} yet: build it (vbdt portal --folder {folder} build, or "
                      "session.build_portal()) after publishing.", code=code, folder=portal))
        return marks.result()

    with quiet():
        try:
            return body()
        except NotTheirWork as problem:
            return zero(MAX_POINTS, str(problem))

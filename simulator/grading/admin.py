"""Checks for administrators: certificates, identifier codes, the exchange through an
outage, backup/audit/disposal. Part of the work is done at the admin desks (read from
the work folder), part answered in code (checked by type, then value)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simulator.grading import evidence
from simulator.grading.quiet import quiet
from simulator.grading.result import Marks, Result, zero
from simulator.grading.seat import graded, open_seat
from simulator.grading.tasks import BACKUP_FOLDER, backup_task, certificate_task, identifier_task, lesson_province
from simulator.grading.values import same_int, same_text, text_set
from simulator.i18n import translator

_ = translator("grading")



def grade_certificates(folder: str | Path, trainee_id: str) -> Result:
    """The leader's lost token revoked (key compromise) and replaced; a certificate for the new staff member."""
    def body() -> Result:
        view = open_seat(folder, trainee_id, need_arrivals=False)
        task = certificate_task(trainee_id)
        from simulator.grading.trust import seat_pki

        certs = [c for c in seat_pki(view).list() if c.unit_code == view.unit.code]
        people = sorted((c for c in certs if c.kind.value == "person"), key=lambda c: c.serial)
        marks = Marks()
        staff = [c for c in people if same_text(c.full_name, task["nhan_vien_moi"], fold=True)]
        marks.check(any(c.status() == "valid" for c in staff), 2,
                    _("There is no valid certificate for the new staff member {name}: issue one in the Certificate console.",
                      name=task["nhan_vien_moi"]))
        leader = [c for c in people if same_text(c.full_name, task["lanh_dao"], fold=True)]
        original = leader[0] if leader else None
        revoked_right = (original is not None and original.revocation is not None
                         and original.revocation.reason == "key_compromise")
        logged = {e["data"]["serial"] for e in view.actions("revoke_certificate")}
        marks.check(revoked_right and original.serial in logged, 2,
                    _("The certificate of {leader} whose token was lost (serial {serial}) must be revoked with the "
                      "reason 'key compromise'.", leader=task["lanh_dao"],
                      serial=original.serial if original else "?"))
        marks.check(any(c.status() == "valid" for c in leader[1:]), 1,
                    _("{leader} has no new valid certificate: issue a replacement after revoking the lost one.",
                      leader=task["lanh_dao"]))
        seals = [c for c in certs if c.kind.value == "seal"]
        marks.check(bool(seals) and all(c.revocation is None for c in seals), 1,
                    _("The agency seal certificate was revoked by mistake: only the lost personal token had to go."))
        return marks.result()

    return graded(1, body)


def grade_identifiers(trainee_id: str, answers: Any) -> Result:
    """QCVN 102 codes: the province's, a commune's, and which of five codes are malformed."""
    def body() -> Result:
        from simulator.errors import UserError
        from simulator.province.codes import validate

        if type(answers) is not dict:
            return zero(5, _("The answers must be a dict as in the template (keys ma_tinh, ma_don_vi, ma_sai)."))
        task = identifier_task(trainee_id)
        province = lesson_province()
        marks = Marks()
        marks.check(same_text(answers.get("ma_tinh"), province.committee.code), 1,
                    _("The code of the provincial People's Committee is not right: Nghệ An's level-1 code is H41 "
                      "(not its statistical code 40), written V1V2V3.Z1Z2.Y1Y2.Hnn."))
        marks.check(same_text(answers.get("ma_don_vi"), province.find(task["don_vi"]).code), 2,
                    _("The code of {unit} is not right: look it up with province.find(...).code and give it as text.",
                      unit=task["don_vi"]))
        invalid = set()
        for code in task["ma_can_kiem_tra"]:
            try:
                validate(code)
            except UserError:
                invalid.add(code)
        answer = text_set(answers.get("ma_sai"))
        if answer is None:
            marks.check(False, 2, _("ma_sai must be a list of codes as text."))
        else:
            wrong = len(answer ^ frozenset(invalid))
            marks.partial(2.0 if wrong == 0 else 1.0 if wrong == 1 else 0.0, 2,
                          _("{n} code(s) misjudged in ma_sai: check the shape (13 characters, dots, H/G and two "
                            "digits at the right).", n=wrong))
        return marks.result()

    with quiet():
        return body()


def grade_outage(folder: str | Path, trainee_id: str) -> Result:
    """An axis outage drill: down, back up, and the waiting reply dispatched once the axis is back."""
    def body() -> Result:
        from simulator.routing import Axis

        view = open_seat(folder, trainee_id)
        marks = Marks()
        outages = view.actions("outage")
        linked = (None, view.unit.code)   # the whole axis, or the seat's own link (what the monitor's button does)
        down = [e for e in outages if e["data"].get("org") in linked and e["data"].get("down") is True]
        up = [e for e in outages if e["data"].get("org") in linked and e["data"].get("down") is False]
        drill = bool(down) and bool(up) and up[-1]["seq"] > down[0]["seq"]
        marks.check(drill, 2, _("No outage drill in the journal: take the link down in the Exchange axis "
                                "monitor, then bring it back."))
        axis = Axis(view.folder / "axis.sqlite", view.province.units)
        marks.check(not axis.outages(), 1, _("The exchange axis is still down at the end: bring it back up (Exchange "
                                             "axis monitor), or documents pile up."))
        with evidence.registers(view) as books:
            outgoing = {e.document_id: e for e in books.outgoing()}
        sends = view.actions("dispatch")
        after = [e for e in sends if up and e["seq"] > up[-1]["seq"] and e["data"].get("document_id") in outgoing]
        numbers = sorted(e.number for e in outgoing.values())
        marks.check(bool(after), 1, _("No reply was dispatched after the axis came back: dispatch the waiting "
                                      "reply once the axis is up."))
        marks.check(bool(numbers) and numbers == list(range(1, len(numbers) + 1)) and len(numbers) == len(sends), 1,
                    _("The outgoing register has gaps or numbers without a dispatch: never dispatch while the axis "
                      "is down."))
        return marks.result()

    return graded(1, body)


def grade_backup(folder: str | Path, trainee_id: str, answers: Any) -> Result:
    """A record archived, backed up into the work folder, audited clean; the disposal year of a record type."""
    def body() -> Result:
        view = open_seat(folder, trainee_id)
        marks = Marks()
        with evidence.archive(view) as archive:
            packaged = [r for r in archive.records() if archive.package(r.id) is not None]
            marks.check(bool(packaged), 1, _("No record has been archived: file documents into a record and press "
                                             "'Archive record'."))
            backup = view.folder / BACKUP_FOLDER
            logged = [e for e in view.actions("backup") if Path(e["data"]["destination"]).name == BACKUP_FOLDER]
            marks.check(bool(logged) and backup.is_dir() and any(backup.rglob("*")), 1,
                        _("No backup in {folder}: back the archive up into that folder of your work folder.",
                          folder=f"{view.folder.name}/{BACKUP_FOLDER}"))
            report = archive.audit()
            audits = [e["data"] for e in view.actions("audit")]
            marks.check(bool(audits) and bool(packaged) and report.success, 1,
                        _("The archive has not been audited, or the audit finds damage: press 'Run a full audit' "
                          "in the Archive audit desk and do not edit files in the archive."))
        from simulator.archiving import retention_rule

        task = backup_task(trainee_id)
        year = retention_rule(task["khoa"]).expires(task["ngay_ket_thuc"]).year
        value = answers.get("nam_xem_xet_huy") if type(answers) is dict else None
        marks.check(same_int(value, year), 2,
                    _("The year from which '{kind}' may be appraised for disposal is not right: retention counts "
                      "from 1 January of the year after the work ends (Circular 10/2022/TT-BNV).",
                      kind=task["loai_ho_so"]))
        return marks.result()

    return graded(1, body)

"""Tình trạng hiệu lực: whether a published document is in force on a given day.

A document is not yet in force before its effective date (chưa có hiệu lực),
in force from then (còn hiệu lực). Later acts change that, and an editor of
the portal records them: amended in part (hết hiệu lực một phần, still in
force for the rest), suspended (ngưng hiệu lực), repealed or expired (hết
hiệu lực toàn bộ). The words are those of the national legal documents
database (vbpl.vn) and of the Law on the Promulgation of Legal Documents.
"""

from __future__ import annotations

from datetime import date

NOT_YET = "chua-co-hieu-luc"
IN_FORCE = "con-hieu-luc"
PARTLY_EXPIRED = "het-hieu-luc-mot-phan"
SUSPENDED = "ngung-hieu-luc"
EXPIRED = "het-hieu-luc"

LABELS = {
    NOT_YET: "Chưa có hiệu lực",
    IN_FORCE: "Còn hiệu lực",
    PARTLY_EXPIRED: "Hết hiệu lực một phần",
    SUSPENDED: "Ngưng hiệu lực",
    EXPIRED: "Hết hiệu lực toàn bộ",
}
RECORDED = (PARTLY_EXPIRED, SUSPENDED, EXPIRED, IN_FORCE)  # what an editor may record ("in force": undo)
IN_FORCE_STATES = (IN_FORCE, PARTLY_EXPIRED)


def status_on(effective: date, recorded: str | None, on: date) -> str:
    """The status on day ``on`` of a document taking effect on ``effective``, given what an editor recorded."""
    if recorded and recorded != IN_FORCE:
        return recorded
    return NOT_YET if on < effective else IN_FORCE


def in_force(status: str) -> bool:
    return status in IN_FORCE_STATES

"""The portal assignment's grader on scripted trainees: full marks, partial marks, nothing, and cheats. It reads
the portal's store and built site in the work folder (never the desk), and leaves the folder as it found it."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from simulator.grading.portal import MAX_POINTS, grade_portal
from simulator.lab import SEAT_PASSPHRASE, Session

TRAINEE = "hv-cong-thong-tin"


def _issue(session, kind):
    out = session.draft_document(kind)
    session.sign(out.item_id, SEAT_PASSPHRASE)
    session.seal(out.item_id, SEAT_PASSPHRASE)
    return out


@pytest.fixture(scope="module")
def seats(tmp_path_factory):
    """A fresh seat, one whose trainee published a chairman's individual decision and never built the portal,
    and one that did it all: a legal normative decision published and the portal built."""
    base = tmp_path_factory.mktemp("portal-grading")
    fresh = Session.open(base / "fresh", unit="Xã Hải Châu", trainee_id=TRAINEE, arrivals=2)
    partial = Session.open(base / "partial", unit="Xã Hải Châu", trainee_id=TRAINEE, arrivals=2)
    partial.publish(_issue(partial, "quyet_dinh").item_id)
    full = Session.open(base / "full", unit="Xã Hải Châu", trainee_id=TRAINEE, arrivals=2)
    _issue(full, "thong_bao")  # sealed, not publishable: kept to swap files with
    full.publish(_issue(full, "quyet_dinh_qppl").item_id)
    full.build_portal()
    return {"fresh": fresh.folder, "partial": partial.folder, "full": full.folder}


def _copy(seats, name, tmp_path) -> Path:
    target = tmp_path / name
    shutil.copytree(seats[name], target)
    return target


def _tree(folder: Path) -> dict:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_doing_it_all_gets_full_marks_and_changes_nothing(seats, tmp_path):
    folder = _copy(seats, "full", tmp_path)
    before = _tree(folder)
    result = grade_portal(folder, TRAINEE)
    assert (result.points, result.max_points) == (MAX_POINTS, MAX_POINTS), result.explain()
    assert _tree(folder) == before  # no -wal, no journal, nothing written beside the catalogue


def test_nothing_published_gets_nothing_with_the_way_to_do_it(seats):
    result = grade_portal(seats["fresh"], TRAINEE)
    assert result.points == 0 and "Đăng cổng thông tin" in result.messages[0]


def test_an_individual_decision_not_built_gets_partial_marks(seats):
    result = grade_portal(seats["partial"], TRAINEE)
    # on the portal (1), register (1), signatures (2); no normative decision (1), not built (1)
    assert result.points == 4, result.explain()
    text = " ".join(result.messages)
    assert "Quyết định quy phạm pháp luật" in text and "dựng lại cổng" in text


def test_a_record_edited_by_hand_does_not_count(seats, tmp_path):
    folder = _copy(seats, "partial", tmp_path)
    catalogue = folder / "cong-thong-tin" / "cong-bo.sqlite"
    with sqlite3.connect(catalogue) as db:  # the individual decision made to look like a normative one
        db.execute("UPDATE publications SET number_code = '01/2026/QĐ-UBND'")
    result = grade_portal(folder, TRAINEE)
    assert result.points == 1, result.explain()  # something is on the portal; nothing of it is true to its file
    assert "không khớp" in " ".join(result.messages)


def test_a_file_swapped_on_the_portal_does_not_count(seats, tmp_path):
    folder = _copy(seats, "full", tmp_path)
    row_file = next((folder / "cong-thong-tin" / "van-ban").glob("*.pdf"))
    shutil.copyfile(folder / "outbox" / "001" / "sealed.pdf", row_file)  # the notice in the decision's place
    result = grade_portal(folder, TRAINEE)
    assert result.points == 1, result.explain()


def test_another_issuers_decision_published_in_the_seats_portal_does_not_count(seats, tmp_path):
    """A province's decision, signed with certificates the trainee made in their own PKI, published through
    `vbdt portal publish`'s own path: it is on the portal, but not the unit's."""
    from dataclasses import replace
    from datetime import date

    from simulator.documents import ContentGenerator
    from simulator.documents.render import render_pdf
    from simulator.portal.store import publish_file
    from simulator.signing import sign_person, sign_seal

    folder = _copy(seats, "fresh", tmp_path)
    session = Session.open(folder)
    top = next(u for u in session.province.units if u.level.name == "PROVINCE")
    doc = ContentGenerator(5).document(top, session.province, "quyet_dinh", issued=date(2026, 3, 2), number=9)
    doc = replace(doc, normative=True)
    person = session.pki.issue_person(doc.signer.full_name, doc.signer.position, top.name, top.code, "x-123456")
    seal = session.pki.issue_seal(top.name, top.code, "x-123456")
    render_pdf(doc, tmp_path / "draft.pdf")
    sign_person(tmp_path / "draft.pdf", tmp_path / "signed.pdf", person, "x-123456", session.pki)
    sign_seal(tmp_path / "signed.pdf", tmp_path / "sealed.pdf", seal, "x-123456", session.pki)
    row = publish_file(session.portal_folder, tmp_path / "sealed.pdf", session.pki)
    assert row["number_code"] == "09/2026/QĐ-UBND"
    result = grade_portal(folder, TRAINEE)
    assert result.points == 0, result.explain()


def test_someone_elses_folder_gets_nothing(seats):
    result = grade_portal(seats["full"], "hv-khac")
    assert result.points == 0 and "hv-khac" in result.messages[0]

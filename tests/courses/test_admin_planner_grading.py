"""The administrators' and planners' graders called directly: full marks for the right work,
the intended partial marks for typical mistakes, zero for cheats."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from simulator.grading import (
    grade_backup, grade_certificates, grade_comparison, grade_outage, grade_rollout, grade_scenario,
)
from simulator.grading.tasks import backup_task, certificate_task, scenario_task, scenarios_dir
from simulator.lab import SEAT_PASSPHRASE, Session

from .helpers import UNIT, AlwaysEqual, edit_journal, shared

ADMIN_GOOD, ADMIN_SLIP, PLANNER = "hv-qt-00", "hv-qt-sai-00", "hv-kh-00"
ARRIVALS, TRAP_SHARE = 4, 0.5   # the smallest world the graders accept


def _desk(folder: Path, trainee: str) -> Session:
    return Session.open(folder, unit=UNIT, trainee_id=trainee, arrivals=ARRIVALS, trap_share=TRAP_SHARE)


def _lost_token(session: Session, trainee: str):
    leader = certificate_task(trainee)["lanh_dao"]
    return min((c for c in session.pki.list() if c.kind.value == "person" and c.unit_code == session.seat.code
                and c.full_name == leader), key=lambda c: c.serial)


def _build_admin(base: Path) -> None:
    from simulator.grading import practice

    # the desk signs with the seat's first personal certificate, so the token is replaced last
    good = _desk(base / "good", ADMIN_GOOD)
    practice.outage_drill(good, SEAT_PASSPHRASE)
    practice.backup_and_audit(good, SEAT_PASSPHRASE)
    practice.manage_certificates(good, ADMIN_GOOD, SEAT_PASSPHRASE)

    slip = _desk(base / "slip", ADMIN_SLIP)
    practice.handle_incoming(slip)
    slip.dispatch(practice.reply_signed_sealed(slip, SEAT_PASSPHRASE))   # dispatched before the drill
    slip.set_outage(slip.seat.code, True)
    slip.set_outage(slip.seat.code, False)
    practice.keep_records(slip, SEAT_PASSPHRASE)                         # archived and audited, never backed up
    task = certificate_task(ADMIN_SLIP)
    slip.revoke_certificate(_lost_token(slip, ADMIN_SLIP).serial, "superseded")   # the wrong reason
    slip.issue_certificate(task["lanh_dao"], "Chủ tịch", SEAT_PASSPHRASE)
    slip.issue_certificate(task["nhan_vien_moi"], task["chuc_vu"], SEAT_PASSPHRASE)


@pytest.fixture(scope="session")
def admin_seats(tmp_path_factory):
    """{role: work folder}: an administrator who does it all right, one who slips; this worker's own copies."""
    base = tmp_path_factory.mktemp("admin-seats")
    shutil.copytree(shared(tmp_path_factory, "admin-seats", _build_admin), base, dirs_exist_ok=True)
    return {"good": base / "good", "slip": base / "slip"}


def _disposal_year(trainee: str) -> int:
    from simulator.archiving import retention_rule

    task = backup_task(trainee)
    return retention_rule(task["khoa"]).expires(task["ngay_ket_thuc"]).year


# -- certificates ---------------------------------------------------------------------------------

def test_certificates_done_right_get_full_marks(admin_seats):
    result = grade_certificates(admin_seats["good"], ADMIN_GOOD)
    assert (result.points, result.max_points) == (6, 6), result.explain()


def test_certificate_revoked_for_the_wrong_reason_loses_its_two_points(admin_seats):
    result = grade_certificates(admin_seats["slip"], ADMIN_SLIP)
    assert (result.points, result.max_points) == (4, 6), result.explain()
    assert len(result.messages) == 1
    assert "lộ khóa" in result.messages[0]
    assert certificate_task(ADMIN_SLIP)["lanh_dao"] in result.messages[0]


# -- outage ---------------------------------------------------------------------------------------

def test_outage_drill_done_right_gets_full_marks(admin_seats):
    result = grade_outage(admin_seats["good"], ADMIN_GOOD)
    assert (result.points, result.max_points) == (5, 5), result.explain()


def test_reply_dispatched_before_the_drill_loses_one_point(admin_seats):
    result = grade_outage(admin_seats["slip"], ADMIN_SLIP)
    assert (result.points, result.max_points) == (4, 5), result.explain()
    assert len(result.messages) == 1
    assert "sau khi trục hoạt động lại" in result.messages[0]


# -- backup ---------------------------------------------------------------------------------------

def test_backup_done_right_gets_full_marks(admin_seats):
    result = grade_backup(admin_seats["good"], ADMIN_GOOD, {"nam_xem_xet_huy": _disposal_year(ADMIN_GOOD)})
    assert (result.points, result.max_points) == (5, 5), result.explain()


def test_missing_backup_loses_one_point(admin_seats):
    result = grade_backup(admin_seats["slip"], ADMIN_SLIP, {"nam_xem_xet_huy": _disposal_year(ADMIN_SLIP)})
    assert (result.points, result.max_points) == (4, 5), result.explain()
    assert len(result.messages) == 1
    assert "sao lưu" in result.messages[0] and "sao-luu" in result.messages[0]


def test_disposal_year_counted_from_the_end_date_itself_loses_two_points(admin_seats):
    # the usual slip: counting from the year the work ends instead of 1 January of the next year
    result = grade_backup(admin_seats["good"], ADMIN_GOOD, {"nam_xem_xet_huy": _disposal_year(ADMIN_GOOD) - 1})
    assert (result.points, result.max_points) == (3, 5), result.explain()
    assert len(result.messages) == 1
    assert "10/2022/TT-BNV" in result.messages[0] and backup_task(ADMIN_GOOD)["loai_ho_so"] in result.messages[0]


@pytest.mark.parametrize("answers", [
    {"nam_xem_xet_huy": AlwaysEqual()},
    AlwaysEqual(),
    "nam_xem_xet_huy",
    [("nam_xem_xet_huy", 0)],
])
def test_disposal_year_cheats_get_nothing_for_the_answer(admin_seats, answers):
    result = grade_backup(admin_seats["good"], ADMIN_GOOD, answers)
    assert (result.points, result.max_points) == (3, 5), result.explain()


def test_disposal_year_as_text_is_not_a_year(admin_seats):
    answers = {"nam_xem_xet_huy": str(_disposal_year(ADMIN_GOOD))}
    assert grade_backup(admin_seats["good"], ADMIN_GOOD, answers).points == 3


# -- cheats on the work folder ---------------------------------------------------------------------

def _all_admin(folder: Path, trainee: str):
    return [grade_certificates(folder, trainee), grade_outage(folder, trainee),
            grade_backup(folder, trainee, {"nam_xem_xet_huy": _disposal_year(trainee)})]


def test_journal_edited_by_hand_gets_zero(admin_seats, tmp_path):
    copy = tmp_path / "edited"
    shutil.copytree(admin_seats["good"], copy)
    edit_journal(copy)
    for result in _all_admin(copy, ADMIN_GOOD):
        assert result.points == 0
        assert "Nhật ký đã bị sửa tay" in result.messages[0]


def test_another_trainees_folder_gets_zero(admin_seats, tmp_path):
    for result in _all_admin(admin_seats["good"], ADMIN_SLIP):
        assert result.points == 0
        assert "học viên khác" in result.messages[0] and ADMIN_GOOD in result.messages[0]
    # rewriting seat.json to the copier's id breaks the link with the journal's first line
    copy = tmp_path / "copied"
    shutil.copytree(admin_seats["good"], copy)
    from simulator.seat import seed_for

    seat = json.loads((copy / "seat.json").read_text(encoding="utf-8"))
    seat.update(trainee=ADMIN_SLIP, seed=seed_for(ADMIN_SLIP))
    (copy / "seat.json").write_text(json.dumps(seat), encoding="utf-8")
    for result in _all_admin(copy, ADMIN_SLIP):
        assert result.points == 0


# -- planners ---------------------------------------------------------------------------------------

def _scenario(name: str):
    from simulator.flows import Scenario

    return Scenario.load(scenarios_dir() / f"{name}.yaml")


@pytest.fixture(scope="session")
def planner():
    """What a careful planner computes (the source notebooks' solutions), and the comparison behind it."""
    from simulator.flows import compare, quarterly_report, run_one, run_replications
    from simulator.flows.indicators import target_for

    task = scenario_task(PLANNER)
    kpis = run_one(_scenario("plan-2020"), task["seed"], 0, days=task["ngay"])["kpis"]
    diff = compare(_scenario("baseline-2018"), _scenario("plan-2020"), n=3, seed=task["seed"], days=task["ngay"],
                   keys=["total_cost_vnd"])[0]
    changes = {"adoption.citizens.electronic": 1.0, "adoption.citizens_online": 1.0,
               "adoption.citizens.electronic_with_paper": 0.0, "adoption.citizens.digital_signature": 1.0}
    mine = run_replications(_scenario("plan-2020").override(changes), 2, task["seed"], days=task["ngay"])
    base = run_replications(_scenario("plan-2020"), 2, task["seed"], days=task["ngay"])
    return {
        "kpis": kpis,
        "diff": diff,
        "scenario": {"II.1": kpis["II.1"], "chi_phi": kpis["total_cost_vnd"],
                     "dat_II1": bool(kpis["II.1"] >= target_for("II.1", 2020)[0])},
        "comparison": {"chenh_lech": diff.paired.mean, "khoang_tin_cay": (diff.paired.low, diff.paired.high),
                       "co_y_nghia": bool(not (diff.paired.low <= 0 <= diff.paired.high))},
        "rollout": {"thay_doi": changes, "bao_cao": quarterly_report(mine)},
        "base_report": quarterly_report(base),
    }


def test_scenario_right_gets_full_marks(planner):
    result = grade_scenario(PLANNER, planner["scenario"])
    assert (result.points, result.max_points) == (5, 5), result.explain()


def test_scenario_share_as_percent_loses_two_points(planner):
    answers = dict(planner["scenario"], **{"II.1": planner["kpis"]["II.1"] * 100})
    result = grade_scenario(PLANNER, answers)
    assert (result.points, result.max_points) == (3, 5), result.explain()
    assert len(result.messages) == 1 and result.messages[0].startswith("II.1 không phải giá trị")


def test_scenario_cheats_get_zero(planner):
    assert grade_scenario(PLANNER, {k: AlwaysEqual() for k in planner["scenario"]}).points == 0
    assert grade_scenario(PLANNER, list(planner["scenario"].items())).points == 0
    text = {k: str(v) for k, v in planner["scenario"].items()}
    assert grade_scenario(PLANNER, text).points == 0


def test_comparison_right_gets_full_marks(planner):
    result = grade_comparison(PLANNER, planner["comparison"])
    assert (result.points, result.max_points) == (5, 5), result.explain()


def test_unpaired_interval_loses_two_points(planner):
    unpaired = planner["diff"].unpaired
    assert (unpaired.low, unpaired.high) != pytest.approx((planner["diff"].paired.low, planner["diff"].paired.high))
    answers = dict(planner["comparison"], khoang_tin_cay=(unpaired.low, unpaired.high))
    result = grade_comparison(PLANNER, answers)
    assert (result.points, result.max_points) == (3, 5), result.explain()
    assert len(result.messages) == 1 and "không ghép cặp" in result.messages[0]


def test_comparison_cheats_get_zero(planner):
    assert grade_comparison(PLANNER, {k: AlwaysEqual() for k in planner["comparison"]}).points == 0
    assert grade_comparison(PLANNER, AlwaysEqual()).points == 0
    cheat = {"chenh_lech": AlwaysEqual(), "khoang_tin_cay": (AlwaysEqual(), AlwaysEqual()), "co_y_nghia": 1}
    assert grade_comparison(PLANNER, cheat).points == 0


def test_rollout_right_gets_full_marks(planner):
    result = grade_rollout(PLANNER, planner["rollout"])
    assert (result.points, result.max_points) == (5, 5), result.explain()


def test_rollout_without_changes_misses_iii1(planner):
    # plan-2020 as it is: no more cost and its own report, but III.1 falls short of the 2020 target
    result = grade_rollout(PLANNER, {"thay_doi": {}, "bao_cao": planner["base_report"]})
    assert (result.points, result.max_points) == (3, 5), result.explain()
    assert result.messages == ["Kế hoạch của anh/chị chưa đạt chỉ tiêu năm 2020 ở III.1: tăng các thông số triển "
                               "khai tương ứng."]


def test_rollout_report_of_another_plan_loses_two_points(planner):
    result = grade_rollout(PLANNER, dict(planner["rollout"], bao_cao=planner["base_report"]))
    assert (result.points, result.max_points) == (3, 5), result.explain()
    assert len(result.messages) == 1 and result.messages[0].startswith("Báo cáo quý không khớp")


def test_rollout_cheats_get_zero(planner):
    assert grade_rollout(PLANNER, {"thay_doi": AlwaysEqual(), "bao_cao": AlwaysEqual()}).points == 0
    assert grade_rollout(PLANNER, AlwaysEqual()).points == 0
    as_text = {k: str(v) for k, v in planner["rollout"]["thay_doi"].items()}
    assert grade_rollout(PLANNER, {"thay_doi": as_text, "bao_cao": planner["rollout"]["bao_cao"]}).points == 0
    # a report of look-alikes earns nothing for the report
    fake = [AlwaysEqual() for _ in planner["rollout"]["bao_cao"]]
    assert grade_rollout(PLANNER, dict(planner["rollout"], bao_cao=fake)).points == 3

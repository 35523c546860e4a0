"""Each trainee's own task data, derived from their id (what the notebook shows them).

The grader calls the same functions, so the answers differ between trainees
and are checked against each trainee's own world.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path


NEW_STAFF_POSITION = "Công chức Văn phòng - Thống kê"
SIMULATION_DAYS = 3          # short runs: the lesson is reading them honestly, not waiting
COMPARISON_REPLICATIONS = 3
ROLLOUT_REPLICATIONS = 2
BACKUP_FOLDER = "sao-luu"    # inside the work folder, so it is handed in with it


def _seed(trainee_id: str) -> int:
    from simulator.seat import seed_for

    return seed_for(trainee_id)


def scenarios_dir() -> Path:
    from simulator.flows.scenario import SCENARIOS_DIR

    return SCENARIOS_DIR


def certificate_task(trainee_id: str) -> dict:
    """A new staff member to issue a certificate for (the leader's token is 'lost' in every world)."""
    from simulator.documents import ContentGenerator

    return {"nhan_vien_moi": ContentGenerator(_seed(trainee_id) + 1).person_name(),
            "chuc_vu": NEW_STAFF_POSITION,
            "lanh_dao": ContentGenerator(_seed(trainee_id)).person_name()}


def lesson_day() -> date:
    """The day of the trainee's world (the seat's first day): lessons read the province as it stands then."""
    from simulator.seat import DEFAULT_START

    return DEFAULT_START.date()


def lesson_province():
    """Nghệ An on the lesson's day: from 1/7/2025 the 2-level structure, with that day's agencies."""
    from simulator.province import load_province

    return load_province("Nghệ An", on=lesson_day())


def identifier_task(trainee_id: str) -> dict:
    """A commune of today's Nghệ An to look up, and five codes to check (some malformed on purpose)."""
    rng = random.Random(_seed(trainee_id))
    province = lesson_province()
    communes = sorted(province.communes, key=lambda u: u.code)
    unit = rng.choice(communes)
    picks = [u.code for u in rng.sample(communes, 5)]
    broken = [
        lambda c: c.replace(".", "", 1),            # a dot missing
        lambda c: c.lower(),                        # level 1 in lower case
        lambda c: c[:-3] + "X" + c[-2:],            # a level-1 letter that does not exist
        lambda c: c.replace(".", "-"),              # dashes instead of dots
        lambda c: c[1:],                            # one digit short
    ]
    for position in rng.sample(range(5), rng.choice((2, 3))):
        picks[position] = rng.choice(broken)(picks[position])
    return {"don_vi": unit.name, "ma_can_kiem_tra": picks}


def backup_task(trainee_id: str) -> dict:
    """A record type and the end of its work: the trainee says from which year it may be appraised for disposal."""
    from simulator.archiving import RETENTION_SCHEDULE

    rng = random.Random(_seed(trainee_id) ^ 0x5A5A)
    limited = sorted(k for k, rule in RETENTION_SCHEDULE.items() if rule.years is not None)
    key = rng.choice(limited)
    end = date(rng.randrange(2008, 2024), rng.randrange(1, 13), 1)
    return {"loai_ho_so": RETENTION_SCHEDULE[key].title, "khoa": key, "ngay_ket_thuc": end}


def scenario_task(trainee_id: str) -> dict:
    return {"seed": _seed(trainee_id) % 100_000, "ngay": SIMULATION_DAYS}

"""A seat's settings: who sits where, in which world, from when (``seat.json`` in the work folder)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

SEAT_FILE = "seat.json"
DEFAULT_START = datetime(2026, 3, 2, 7, 30)    # a Monday morning in the trainee's world
DEFAULT_UNIT = "Xã Hải Châu"                   # a commune of today's 2-level Nghệ An
DEFAULT_SCENARIO = "reform-2025"              # the province from 1/7/2025 (scenarios/reform-2025.yaml)
SEAT_PASSPHRASE = "tap-huan-2026"              # the trainee's practice passphrase (printed in the notebooks)
ALLOWED_SCENARIOS = ("reform-2025", "plan-2020")  # the worlds a seat may open (file names, never paths)


def seed_for(trainee_id: str) -> int:
    """Each trainee's own world: a seed derived from their id (no copying a neighbour's answers)."""
    return int.from_bytes(hashlib.sha256(trainee_id.strip().lower().encode("utf-8")).digest()[:4], "big")


@dataclass(frozen=True)
class SeatConfig:
    province: str
    structure: int
    unit_code: str
    role: str
    seed: int
    trainee: str
    start: str
    arrivals: int       # how many documents the world puts on this desk (then colleagues take the rest)
    trap_share: float   # the share of them that are traps (simulator.flows.traps)
    scenario: str = DEFAULT_SCENARIO
    # a class seat (simulator.seat.classroom): {"url", "token", "class_folder", "class_unit", "district"};
    # None: a seat alone in its own world
    classroom: dict | None = None

    @property
    def leader_seed(self) -> int:
        """The seed of the seat's leader's name: the world's seed, or in a class (one seed for every seat) the
        seed with the unit, so each unit of the class has its own leader."""
        return seed_for(f"{self.seed}:{self.unit_code}") if self.classroom else self.seed

    @property
    def start_time(self) -> datetime:
        return datetime.fromisoformat(self.start).replace(tzinfo=None)

    def write(self, folder: Path) -> None:
        (folder / SEAT_FILE).write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> "SeatConfig":
        """The settings in ``folder`` (ValueError or TypeError: the file is damaged)."""
        return cls(**json.loads((folder / SEAT_FILE).read_text(encoding="utf-8")))

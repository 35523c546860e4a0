"""What a trainee's world sends a desk before any decision: to pick trainee ids whose world has what a
test needs (worlds differ per id: that is the point)."""

from __future__ import annotations

from datetime import timedelta


def preview(trainee: str, unit: str = "Xã Hải Châu", arrivals: int = 5, trap_share: float = 0.5, days: int = 7):
    from simulator.calendar import default_calendar
    from simulator.province import load_province
    from simulator.province.history import structure_on
    from simulator.seat import DEFAULT_SCENARIO, DEFAULT_START, SeatConfig, SeatWorld, seed_for

    structure = structure_on(DEFAULT_START)
    province = load_province("Nghệ An", structure)
    seat = province.find(unit)
    config = SeatConfig("Nghệ An", structure, seat.code, "van_thu", seed_for(trainee), trainee,
                        DEFAULT_START.isoformat(), arrivals, trap_share, DEFAULT_SCENARIO)
    world = SeatWorld(config, province, seat, default_calendar())
    world.advance(DEFAULT_START + timedelta(days=days))
    return world.arrivals


def find_trainee(prefix: str, wanted, tries: int = 60, **settings) -> str:
    """The first id ``prefix-NN`` whose world's arrivals satisfy ``wanted``."""
    for n in range(tries):
        trainee = f"{prefix}-{n:02d}"
        if wanted(preview(trainee, **settings)):
            return trainee
    raise AssertionError(f"no world found for {prefix}")

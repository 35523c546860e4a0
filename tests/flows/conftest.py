"""Small worlds for the flows tests: one district, a few weeks."""

import pytest

from simulator.flows import Scenario

SMALL_DISTRICT = "Thị xã Thái Hoà"   # 9 communes
MOUNTAIN_DISTRICT = "Huyện Quế Phong"


def small(days: int = 21, **changes) -> Scenario:
    base = Scenario(name="small", only_district=SMALL_DISTRICT,
                    period={"start": "2019-03-04", "days": days})
    return base.override(changes) if changes else base


@pytest.fixture
def small_scenario() -> Scenario:
    return small()

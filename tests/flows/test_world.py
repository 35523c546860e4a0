"""Determinism and consistency of the world."""

import math

import numpy as np
import pytest

from simulator.flows import World, indicators, measure
from simulator.flows import records as R
from tests.flows.conftest import small


def _kpis(sc, seed):
    world = World(sc, seed)
    world.run()
    return measure(world)


def test_same_seed_same_numbers_different_seed_different():
    sc = small(days=14)
    a, b, c = _kpis(sc, 7), _kpis(sc, 7), _kpis(sc, 8)
    assert a.keys() == b.keys()
    for key in a:
        assert (math.isnan(a[key]) and math.isnan(b[key])) or a[key] == b[key], key
    assert a["deliveries"] != c["deliveries"] or a["lead_time_days"] != c["lead_time_days"]


def test_full_electronic_adoption_prints_no_paper():
    full = {"electronic": 1.0, "electronic_with_paper": 0.0, "digital_signature": 1.0}
    sc = small(days=14, **{
        "adoption.internal": full, "adoption.interagency": full, "adoption.citizens": full,
        "adoption.connected": 1.0, "adoption.document_system": 1.0, "adoption.certificates": 1.0,
        "adoption.mailbox": 1.0, "adoption.computers": 1.0, "volumes.secret_share": 0.0,
        "rules.paper_exceptions": [],   # no document the rules keep with paper
        "adoption.citizens_online": 1.0,  # and every petition filed online
    })
    world = World(sc, 3)
    world.run()
    k = measure(world)
    assert k["deliveries"] > 500
    assert k["pages_printed"] == 0 and k["postage_vnd"] == 0
    channels = np.frombuffer(world.deliveries.channel, dtype=np.uint8)
    assert not np.isin(channels, [R.C_POST, R.C_HAND]).any()
    rows = {r.id: r for r in indicators(world)}
    assert rows["I.1"].value == 1.0 and rows["II.1"].value == 1.0 and rows["II.3"].value == 0.0


def test_axis_outage_lengthens_transit_and_loses_nothing():
    calm = small(days=21, **{"outages.axis_per_week": 0.0, "outages.unit_network_per_week": 0.0})
    stormy = calm.override({"outages.axis_per_week": 10.0, "outages.axis_hours": 8.0})
    worlds = []
    for sc in (calm, stormy):
        w = World(sc, 11)
        w.run()
        worlds.append(w)
    k_calm, k_storm = measure(worlds[0]), measure(worlds[1])
    assert k_storm["transit_hours.lgsp"] > 3 * k_calm["transit_hours.lgsp"]
    assert k_storm["axis_retries"] > 0 == k_calm["axis_retries"]
    for w in worlds:
        census = w.census()
        assert census["deliveries"] == len(w.deliveries)
    # Same seed, same arrivals (common random numbers): the same documents were created.
    assert len(worlds[0].docs) > 0 and list(worlds[0].docs.created[:50]) == list(worlds[1].docs.created[:50])


def test_secret_documents_never_travel_electronically():
    sc = small(days=14, **{"volumes.secret_share": 0.3, "adoption.interagency.electronic": 1.0,
                           "adoption.interagency.electronic_with_paper": 0.0})
    world = World(sc, 5)
    world.run()
    secret = np.frombuffer(world.docs.secret, dtype=np.uint8).astype(bool)
    vdoc = np.frombuffer(world.deliveries.doc, dtype=np.int32)
    channel = np.frombuffer(world.deliveries.channel, dtype=np.uint8)
    secret_channels = channel[secret[vdoc]]
    assert len(secret_channels) > 50
    assert not np.isin(secret_channels, list(R.ELECTRONIC_CHANNELS)).any()
    assert np.isin(channel[~secret[vdoc]], list(R.ELECTRONIC_CHANNELS)).any()


def test_mountain_post_is_slower_than_the_plain():
    from tests.flows.conftest import MOUNTAIN_DISTRICT

    paper = {"electronic": 0.0, "electronic_with_paper": 0.0, "digital_signature": 0.0}
    results = []
    for district in ("Thị xã Thái Hoà", MOUNTAIN_DISTRICT):
        sc = small(days=14, **{"only_district": district, "adoption.interagency": paper})
        w = World(sc, 2)
        w.run()
        results.append(measure(w)["transit_hours.post"])
    assert results[1] > results[0]


def test_district_override_changes_only_that_district():
    sc = small(days=7).override({"overrides": [{"district": "Thái Hoà", "adoption": {"connected": 0.0}}]})
    world = World(sc, 1)
    active = [i for i, p in enumerate(world.passive) if not p]
    assert active and not any(world.connected[i] for i in active)
    other = small(days=7).override({"overrides": [{"district": "Quế Phong", "adoption": {"connected": 0.0}}]})
    assert any(World(other, 1).connected[i] for i in active)


def test_two_level_structure_sends_province_mail_to_every_commune():
    from simulator.flows import Scenario

    sc = Scenario(structure=2025, period={"start": "2025-07-07", "days": 3},
                  volumes={"down": {"committee": 4, "department": 0.5}, "up": {"commune": 0.5},
                           "internal": {"commune": 0.2}, "citizens_in": {"commune": 0.2},
                           "citizens_out": {"commune": 0.2}, "lateral": {"commune": 0.0}})
    world = World(sc, 1)
    assert not any(u.kind.value == "district_committee" for u in world.units)
    communes = [i for i, u in enumerate(world.units) if u.kind.value == "commune_committee"]
    assert len(communes) == 130
    committee = next(i for i, u in enumerate(world.units) if u.kind.value == "province_committee")
    assert set(world.down_all[committee]) == set(communes)
    world.run()
    assert world.census()["deliveries"] == len(world.deliveries) > 0


def test_level_override_and_staffing():
    sc = small(days=7).override({
        "overrides": [{"level": "commune", "adoption": {"document_system": 0.0, "connected": 0.0}}],
        "staffing": {"commune": {"clerks": 3}},
    })
    world = World(sc, 1)
    for i, u in enumerate(world.units):
        if u.kind.value == "commune_committee":
            assert not world.has_system[i] and world.staff[i][0] == 3
        elif u.kind.value == "district_committee":
            assert world.has_system[i] or world.adoption[i].document_system < 1
    world.run()
    # Communes without a document system send everything on paper.
    issuer = np.frombuffer(world.docs.issuer, dtype=np.int32)
    mode = np.frombuffer(world.docs.mode, dtype=np.uint8)
    from_communes = np.isin(issuer, [i for i, u in enumerate(world.units) if u.kind.value == "commune_committee"])
    assert from_communes.any() and (mode[from_communes] == R.M_PAPER).all()


def test_district_override_of_volumes_and_service():
    from simulator.errors import UserError

    base = small(days=10)
    busier = base.override({"overrides": [{"district": "Thái Hoà", "volumes": {"citizens_in": {"commune": 6}},
                                           "service": {"handle": 240}}]})
    a, b = World(base, 4), World(busier, 4)
    a.run(); b.run()
    ka, kb = measure(a), measure(b)
    assert kb["deliveries"] > ka["deliveries"] + 200
    assert kb["staff_hours.specialist"] > 1.5 * ka["staff_hours.specialist"]
    with pytest.raises(UserError) as info:
        base.override({"overrides": [{"level": "commune", "service": {"cv": 1.0}}]})
    assert "service.cv" in str(info.value)


def test_defective_electronic_arrivals_are_returned():
    sc = small(days=10, **{"volumes.defect_share": 0.2})
    world = World(sc, 8)
    world.run()
    state = np.frombuffer(world.deliveries.state, dtype=np.uint8)
    channel = np.frombuffer(world.deliveries.channel, dtype=np.uint8)
    unit = np.frombuffer(world.deliveries.unit, dtype=np.int32)
    active = np.asarray([not p for p in world.passive] + [False])[unit]
    returned = state == 2
    assert returned.any()
    assert np.isin(channel[returned], list(R.ELECTRONIC_CHANNELS)).all()      # paper is not checked so
    share = returned[active & np.isin(channel, list(R.ELECTRONIC_CHANNELS))].mean()
    assert 0.1 < share < 0.3
    assert measure(world)["returned"] == returned.sum()


def test_registration_on_time_follows_the_one_deadline_rule():
    """The planners' 'registered on time' is calendar.due applied to every registered delivery:
    urgent documents at once (working minutes), the others by the next working day's close."""
    # slow registration: urgent documents miss their working-minutes deadline, yet beat the next day's close
    world = World(small(days=21, **{"service.register_electronic": 90.0}), seed=5).run()
    d, dl, cal = world.docs, world.deliveries, world.calendar
    unit = np.frombuffer(dl.unit, dtype=np.int32)
    arrived = np.frombuffer(dl.arrived, dtype=float)
    registered = np.frombuffer(dl.registered, dtype=float)
    vdoc = np.frombuffer(dl.doc, dtype=np.int32)
    passive = np.asarray(world.passive + [True], dtype=bool)[unit]
    flow = np.frombuffer(d.flow, dtype=np.uint8)[vdoc]
    urgent = np.frombuffer(d.urgent, dtype=np.uint8)[vdoc].astype(bool)
    rows = np.flatnonzero((unit >= 0) & ~passive & ~np.isnan(registered) & (flow != R.INTERNAL))
    assert urgent[rows].any() and (~urgent[rows]).any()  # both kinds are present
    on_time = [registered[i] <= cal.due(arrived[i], priority=1 if urgent[i] else 0) for i in rows]
    assert any(not ok and urgent[i] and registered[i] <= cal.due(arrived[i]) for ok, i in zip(on_time, rows))
    assert measure(world)["registered_on_time"] == pytest.approx(sum(on_time) / len(rows))

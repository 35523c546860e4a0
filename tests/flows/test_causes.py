"""How a document travels follows from what is in place at both ends and from the rules, not from a target."""

from datetime import date

import numpy as np

from simulator.flows import Scenario, World, indicators
from simulator.flows import records as R
from simulator.flows.arrivals import LEGAL_TYPE
from simulator.flows.streams import K_INDIVIDUAL, K_SUBJECT
from tests.flows.conftest import small

HABIT_GONE = {"electronic": 1.0, "electronic_with_paper": 0.0, "digital_signature": 1.0}
EVERYTHING = {
    "adoption.internal": HABIT_GONE, "adoption.interagency": HABIT_GONE, "adoption.citizens": HABIT_GONE,
    "adoption.connected": 1.0, "adoption.document_system": 1.0, "adoption.certificates": 1.0,
    "adoption.mailbox": 1.0, "adoption.computers": 1.0, "volumes.secret_share": 0.0, "adoption.citizens_online": 1.0,
}


def _sent_by_simulated_units(world):
    d = world.docs
    issuer = np.frombuffer(d.issuer, dtype=np.int32)
    passive = np.asarray(world.passive + [False], dtype=bool)[issuer]
    return (np.frombuffer(d.state, dtype=np.uint8) == R.D_DISPATCHED) & ~passive & (issuer >= 0)


def test_everything_everywhere_is_electronic_where_the_rules_allow_and_the_exceptions_keep_paper():
    world = World(small(days=14, **EVERYTHING), 3)
    world.run()
    d, streams = world.docs, world.streams
    vol = world.scenario.volumes
    sent = _sent_by_simulated_units(world)
    group = np.frombuffer(d.group, dtype=np.uint8)
    final = np.frombuffer(d.final, dtype=np.uint8)
    mode = np.frombuffer(d.mode, dtype=np.uint8)
    # The rules, recomputed from each document's own random numbers.
    exception = np.zeros(len(d), dtype=bool)
    individual = np.zeros(len(d), dtype=bool)
    subjects = vol.finance_share + vol.personnel_share + vol.complaint_share
    for doc in np.nonzero(sent & (group != R.G_INTERNAL))[0].tolist():
        key = d.key[doc]
        s = streams.r(key, K_SUBJECT)
        legal = LEGAL_TYPE[d.kind[doc]] and d.flow[doc] in (R.DOWN, R.CITIZENS_OUT)
        individual[doc] = group[doc] == R.G_CITIZENS and streams.r(key, K_INDIVIDUAL) < vol.to_individuals_share
        exception[doc] = individual[doc] or s < subjects or (legal and s >= 1.0 - vol.normative_share)
    assert np.count_nonzero(sent & exception & (group == R.G_AGENCY)) > 10
    assert np.count_nonzero(sent & individual) > 10
    # Every document the rules allow went fully electronic; every exception kept paper.
    assert (final[sent & ~exception] == R.M_ELECTRONIC).all()
    assert (final[sent & exception] != R.M_ELECTRONIC).all()
    assert (mode[sent & individual] == R.M_PAPER).all()               # to a person: on paper
    assert (mode[sent & exception & ~individual] == R.M_ELECTRONIC_PAPER).all()  # the others with a paper copy
    rows = {r.id: r for r in indicators(world)}
    assert rows["I.1"].value == 1.0 and rows["I.2"].value == 0.0 and rows["I.4"].value == 1.0
    agency = sent & (group == R.G_AGENCY)
    assert rows["II.1"].value == 1.0 - np.count_nonzero(agency & exception) / np.count_nonzero(agency) < 1.0
    # Without the exceptions (a later year's rules), the same world is electronic throughout.
    free = World(small(days=14, **EVERYTHING, **{"rules.paper_exceptions": []}), 3)
    free.run()
    rows = {r.id: r for r in indicators(free)}
    assert rows["II.1"].value == 1.0 and rows["II.3"].value == 0.0


def test_exceptions_end_on_their_date():
    sc = small(days=14, **EVERYTHING, **{"rules.paper_exceptions_end": "2019-03-11"})
    world = World(sc, 3)
    world.run()
    d = world.docs
    created = np.frombuffer(d.created, dtype=float)
    why = np.frombuffer(d.why, dtype=np.uint8)
    end = world.calendar.to_minutes(date(2019, 3, 11))
    assert np.count_nonzero((why == R.W_EXCEPTION) & (created < end)) > 0
    assert np.count_nonzero((why == R.W_EXCEPTION) & (created >= end)) == 0


def test_no_system_means_paper_and_no_computer_means_no_digital_signature():
    world = World(small(days=10, **{**EVERYTHING, "adoption.computers": 0.5, "adoption.document_system": 0.6,
                                    "adoption.connected": 0.6, "rules.paper_exceptions": []}), 5)
    world.run()
    d = world.docs
    sent = _sent_by_simulated_units(world)
    issuer = np.frombuffer(d.issuer, dtype=np.int32)
    why = np.frombuffer(d.why, dtype=np.uint8)
    mode = np.frombuffer(d.mode, dtype=np.uint8)
    signed = np.frombuffer(d.signed, dtype=np.uint8)
    equipped = np.asarray(world.has_system + [False], dtype=bool)[issuer]
    assert np.count_nonzero(sent & ~equipped) > 10 and np.count_nonzero(sent & equipped) > 10
    assert (mode[sent & ~equipped] == R.M_PAPER).all() and (why[sent & ~equipped] == R.W_NO_SYSTEM).all()
    assert (mode[sent & equipped] == R.M_ELECTRONIC).all() and (why[sent & equipped] == R.W_NONE).all()
    # Every leader holds a certificate, but only half the staff have a computer to sign at.
    e = sent & equipped
    share = np.count_nonzero(e & (signed == R.S_DIGITAL)) / np.count_nonzero(e)
    computers = np.asarray(world.computer_share + [0.0])[issuer][e].mean()
    assert abs(share - computers) < 0.1 and share < 0.8


def _signed_by_key(world):
    """Per document key: whether it was signed digitally, and the district index of its issuer (-1 province)."""
    d = world.docs
    out = {}
    for doc in range(len(d)):
        u = d.issuer[doc]
        if u < 0 or world.passive[u] or d.mode[doc] == R.M_PAPER:
            continue
        out[d.key[doc]] = (d.signed[doc] == R.S_DIGITAL, world.district_of[u])
    return out


def test_taking_certificates_from_one_district_lowers_its_signed_share_and_no_other():
    base = Scenario(name="province", period={"start": "2019-03-04", "days": 3}).override({
        "adoption.internal.digital_signature": 1.0, "adoption.interagency.digital_signature": 1.0,
        "adoption.citizens.digital_signature": 1.0})
    data = base.to_dict()
    data["overrides"] = [{"district": "Quỳnh Lưu", "adoption": {"certificates": 0.0}}]
    without = Scenario.from_dict(data)
    worlds = []
    for sc in (base, without):
        w = World(sc, 2)
        w.run()
        worlds.append(w)
    target = next(i for i, u in enumerate(worlds[0].units) if u.kind.value == "district_committee"
                  and "Quỳnh Lưu" in u.name)
    a, b = _signed_by_key(worlds[0]), _signed_by_key(worlds[1])
    common = a.keys() & b.keys()
    assert len(common) > 1000
    mine = [k for k in common if a[k][1] == target]
    others = [k for k in common if a[k][1] != target]
    assert sum(a[k][0] for k in mine) > 0.5 * len(mine) and sum(b[k][0] for k in mine) == 0
    assert all(a[k][0] == b[k][0] for k in others)     # every other unit signs exactly as before
    assert worlds[0].cert_share[:target] == worlds[1].cert_share[:target]


def _channels(sc, seed=1):
    w = World(sc, seed)
    w.run()
    return w, np.frombuffer(w.deliveries.channel, dtype=np.uint8)


def test_the_national_axis_only_from_its_start_date():
    sc = Scenario(name="province", period={"start": "2019-03-07", "days": 8}).override({
        "adoption.connected": 1.0, "adoption.document_system": 1.0})
    world, channel = _channels(sc)
    sent = np.frombuffer(world.deliveries.sent, dtype=float)
    start = world.calendar.to_minutes(date(2019, 3, 12))
    national = channel == R.C_NATIONAL
    assert national.any() and (sent[national] >= start).all()
    # An axis that starts after the period: documents stay on the provincial path (LGSP inside, e-mail or post).
    late, channel = _channels(sc.override({"rules.national_axis_start": "2030-01-01"}))
    assert not (channel == R.C_NATIONAL).any() and (channel == R.C_LGSP).any()


def test_the_2018_baseline_has_no_national_axis():
    from simulator.flows.scenario import scenario_path

    sc = Scenario.load(scenario_path("baseline-2018")).override({"period.days": 3})
    _world, channel = _channels(sc)
    assert not (channel == R.C_NATIONAL).any() and (channel == R.C_LGSP).any()

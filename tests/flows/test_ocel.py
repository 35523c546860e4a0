"""The OCEL 2.0 log (JSON and SQLite), read back with pm4py and checked against the world's own tables."""

import ast
import math
import sqlite3
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pm4py
import pytest
from pm4py.objects.ocel.validation import ocel20_rel_validation

from simulator.flows import World, event_frame, write_event_log
from simulator.flows import records as R
from simulator.flows.ocel import build_ocel, document_id, write_ocel, write_ocel_json, write_ocel_sqlite
from tests.flows.conftest import small

ROOT = Path(__file__).resolve().parents[2]
AXES = (R.C_LGSP, R.C_NATIONAL)


@pytest.fixture(scope="module")
def world():
    w = World(small(days=7), 2, record_events=True)
    w.run()
    return w


@pytest.fixture(scope="module")
def frame(world):
    return event_frame(world)


@pytest.fixture(scope="module")
def full(world, frame, tmp_path_factory):
    """Every document of the world, in both formats, read back by pm4py."""
    out = tmp_path_factory.mktemp("ocel")
    written = write_ocel(world, frame, out)
    return {"json": pm4py.read_ocel2_json(str(written["jsonocel"])),
            "sqlite": pm4py.read_ocel2_sqlite(str(written["ocel_sqlite"])), "paths": written}


# ------------------------------------------------------------------------ the world's own record
def unit_code(world, u: int) -> str:
    return world.units[u].code if u >= 0 else "citizen"


def world_objects(world) -> dict[str, set[str]]:
    """Object ids of each type, from the world's tables (not from the exporter)."""
    dl, cal = world.deliveries, world.calendar
    from simulator.documents.types import DOCUMENT_TYPES
    from simulator.flows.arrivals import TYPE_KEYS

    records = set()
    for v in range(len(dl.doc)):
        if dl.state[v] == R.V_FILED and dl.unit[v] >= 0:
            kind = DOCUMENT_TYPES[TYPE_KEYS[world.docs.kind[dl.doc[v]]]]
            records.add(f"{world.units[dl.unit[v]].code}.{cal.to_datetime(dl.handled[v]).year}."
                        f"{kind.abbreviation or 'CV'}")
    return {"document": {f"D{d:07d}" for d in range(len(world.docs))},
            "delivery": {f"V{v:07d}" for v in range(len(dl.doc))},
            "envelope": {f"E{v:07d}" for v in range(len(dl.doc)) if dl.channel[v] in AXES},
            "record": records}


def world_path(world, doc: int) -> list[tuple]:
    """(ms since the calendar's epoch, activity, unit, lifecycle) of every logged step of ``doc``."""
    log = world.log
    rows = [(round(log.time[i] * 60000.0), R.ACTIVITY_KEYS[log.activity[i]], unit_code(world, log.unit[i]),
             ("start", "complete")[log.lifecycle[i]]) for i in range(len(log)) if log.doc[i] == doc]
    return sorted(rows)


def ocel_path(ocel, world, oid: str) -> list[tuple]:
    """The same, read from pm4py's view of our OCEL file: events linked to the document object."""
    epoch = pd.Timestamp(world.calendar.epoch).tz_localize("Asia/Ho_Chi_Minh").tz_convert("UTC")
    eids = set(ocel.relations.loc[ocel.relations["ocel:oid"] == oid, "ocel:eid"])
    ev = ocel.events[ocel.events["ocel:eid"].isin(eids)]
    ms = ((ev["ocel:timestamp"] - epoch) / pd.Timedelta(milliseconds=1)).round().astype(np.int64)
    return sorted(zip(ms.tolist(), ev["ocel:activity"], ev["unit"], ev["lifecycle"]))


def o2o_targets(ocel, source: str, qualifier: str) -> set[str]:
    o = ocel.o2o
    return set(o.loc[(o["ocel:oid"] == source) & (o["ocel:qualifier"] == qualifier), "ocel:oid_2"])


def problems(ocel, world, doc: int) -> list[str]:
    """Where the OCEL view of one document differs from the world's own record of it."""
    dl = world.deliveries
    found = []
    oid = document_id(doc)
    if ocel_path(ocel, world, oid) != world_path(world, doc):
        found.append("path")
    copies = [v for v in range(len(dl.doc)) if dl.doc[v] == doc]
    if o2o_targets(ocel, oid, "copy") != {f"V{v:07d}" for v in copies}:
        found.append("copies")
    for v in copies:
        envelope = o2o_targets(ocel, f"V{v:07d}", "carried in")
        if envelope != ({f"E{v:07d}"} if dl.channel[v] in AXES else set()):
            found.append(f"envelope of V{v:07d}")
        filed_in = o2o_targets(ocel, f"V{v:07d}", "filed in")
        if len(filed_in) != (dl.state[v] == R.V_FILED) or \
                any(not r.startswith(world.units[dl.unit[v]].code + ".") for r in filed_in):
            found.append(f"record of V{v:07d}")
        # The copy's own events: the same steps at its recipient.
        eids = set(ocel.relations.loc[ocel.relations["ocel:oid"] == f"V{v:07d}", "ocel:eid"])
        units = set(ocel.events.loc[ocel.events["ocel:eid"].isin(eids) &
                                    (ocel.events["ocel:activity"] != "send"), "unit"])
        if units - {unit_code(world, dl.unit[v])}:
            found.append(f"units of V{v:07d}")
    records = {f"{world.units[dl.unit[v]].code}." for v in copies if dl.state[v] == R.V_FILED}
    if {r.rsplit(".", 2)[0] + "." for r in o2o_targets(ocel, oid, "filed in")} != records:
        found.append("records")
    return found


def travelling_document(world) -> int:
    """A document copied to several units, over an axis, and filed by at least one of them."""
    dl = world.deliveries
    by_doc: dict[int, list[int]] = {}
    for v in range(len(dl.doc)):
        by_doc.setdefault(dl.doc[v], []).append(v)
    for doc, vs in sorted(by_doc.items(), key=lambda kv: -len(kv[1])):
        if len({dl.unit[v] for v in vs}) >= 3 and any(dl.channel[v] in AXES for v in vs) and \
                any(dl.state[v] == R.V_FILED for v in vs):
            return doc
    raise AssertionError("no document travels to several units in this world")


# ------------------------------------------------------------------------ tests
@pytest.mark.parametrize("fmt", ["json", "sqlite"])
def test_pm4py_reads_every_object_and_event(world, full, fmt):
    ocel = full[fmt]
    expected = world_objects(world)
    for otype, ids in expected.items():
        got = set(ocel.objects.loc[ocel.objects["ocel:type"] == otype, "ocel:oid"])
        assert got == ids, otype
    assert expected["envelope"] and expected["record"]
    assert len(ocel.events) == len(world.log)
    assert set(ocel.events["ocel:activity"]) == {R.ACTIVITY_KEYS[a] for a in set(world.log.activity)}


@pytest.mark.parametrize("fmt", ["json", "sqlite"])
def test_one_document_followed_across_units(world, full, fmt):
    doc = travelling_document(world)
    ocel = full[fmt]
    assert problems(ocel, world, doc) == []
    units = {u for _t, _a, u, _l in ocel_path(ocel, world, document_id(doc))}
    assert len(units) >= 3
    # A few more, of every flow.
    flows = {}
    for d in range(len(world.docs)):
        flows.setdefault(world.docs.flow[d], d)
    for d in flows.values():
        assert problems(ocel, world, d) == [], R.FLOW_KEYS[world.docs.flow[d]]


def test_a_broken_export_is_caught(world, frame, tmp_path):
    """The checks above fail when a link or an event is missing."""
    doc = travelling_document(world)
    log = build_ocel(world, frame)
    axis_copy = next(v for v in range(len(world.deliveries.doc))
                     if world.deliveries.doc[v] == doc and world.deliveries.channel[v] in AXES)
    log.o2o.remove((f"V{axis_copy:07d}", f"E{axis_copy:07d}", "carried in"))
    oid = document_id(doc)
    dropped = next(i for i, (_e, o, _q) in enumerate(log.e2o) if o == oid)
    del log.e2o[dropped]
    broken = pm4py.read_ocel2_sqlite(str(write_ocel_sqlite(log, tmp_path / "broken.sqlite")))
    found = problems(broken, world, doc)
    assert f"envelope of V{axis_copy:07d}" in found and "path" in found


def test_sqlite_layout_follows_the_standard(full):
    satisfied, unsatisfied = ocel20_rel_validation.apply(str(full["paths"]["ocel_sqlite"]))
    assert unsatisfied == [] and len(satisfied) == 24
    with sqlite3.connect(full["paths"]["ocel_sqlite"]) as con:
        con.execute("PRAGMA foreign_keys = ON")
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []


def test_states_change_over_time(world, full):
    """A filed copy goes in transit → arrived → registered → filed, at the world's times."""
    dl = world.deliveries
    v = next(v for v in range(len(dl.doc)) if dl.state[v] == R.V_FILED and world.docs.flow[dl.doc[v]] != R.INTERNAL)
    for fmt in ("json", "sqlite"):
        ocel = full[fmt]
        first = ocel.objects.set_index("ocel:oid").loc[f"V{v:07d}"]
        assert first["state"] == "in_transit" and first["channel"] == R.CHANNEL_KEYS[dl.channel[v]]
        ch = ocel.object_changes
        mine = ch[(ch["ocel:oid"] == f"V{v:07d}") & (ch["ocel:field"] == "state")].sort_values("ocel:timestamp")
        assert mine["state"].tolist() == ["arrived", "registered", "filed"]
        epoch = pd.Timestamp(world.calendar.epoch).tz_localize("Asia/Ho_Chi_Minh").tz_convert("UTC")
        filed = (mine["ocel:timestamp"].iloc[-1] - epoch) / pd.Timedelta(minutes=1)
        assert math.isclose(filed, dl.handled[v], abs_tol=1e-3)


def test_the_simulate_sample_keeps_answered_documents(world, tmp_path):
    written = write_event_log(world, tmp_path, parquet=False, csv=False, xes_cases=30)
    assert {"xes", "jsonocel", "ocel_sqlite"} <= set(written)
    xes = pm4py.read_xes(str(written["xes"]))
    sample = {int(c[1:]) for c in xes["case:concept:name"].unique()}
    ocel = pm4py.read_ocel2_json(str(written["jsonocel"]))
    docs = {int(o[1:]) for o in ocel.objects.loc[ocel.objects["ocel:type"] == "document", "ocel:oid"]}
    parents = {world.docs.parent[d] for d in docs} - {-1}
    assert sample <= docs and parents <= docs
    assert docs - sample <= parents   # only the documents the sample answers are added
    answers = ocel.o2o[ocel.o2o["ocel:qualifier"] == "answers"]
    assert {(int(a[1:]), int(b[1:])) for a, b in zip(answers["ocel:oid"], answers["ocel:oid_2"])} == \
        {(d, world.docs.parent[d]) for d in docs if world.docs.parent[d] >= 0}
    assert len(ocel.events) == sum(1 for i in range(len(world.log)) if world.log.doc[i] in docs)


def test_json_is_written_whole(world, frame, tmp_path):
    """A file being replaced is never seen half written: a temporary file is moved into place."""
    path = write_ocel_json(build_ocel(world, frame, documents=[0, 1, 2]), tmp_path / "x.jsonocel")
    assert [p.name for p in tmp_path.iterdir()] == ["x.jsonocel"]
    assert pm4py.read_ocel2_json(str(path)).objects["ocel:type"].value_counts()["document"] >= 3


def test_pm4py_is_a_test_dependency_only():
    """pm4py is AGPL: nothing under simulator/ imports it, and it is listed in the test extras only."""
    for path in (ROOT / "simulator").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n == "pm4py" or n.startswith("pm4py.") for n in names), path
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not any(d.startswith("pm4py") for d in project["dependencies"])
    assert any(d.startswith("pm4py") for d in project["optional-dependencies"]["test"])


def test_vbdt_simulate_writes_both_ocel_files(tmp_path, capsys):
    """`vbdt simulate SCENARIO --out DIR` writes events.jsonocel and events.sqlite beside events.xes."""
    from simulator.cli.main import main

    out = tmp_path / "out"
    assert main(["simulate", str(ROOT / "scenarios" / "baseline-2018.yaml"), "--district", "Thị xã Thái Hoà",
                 "--days", "5", "-n", "1", "--seed", "3", "--out", str(out)]) == 0
    capsys.readouterr()
    xes_cases = set(pm4py.read_xes(str(out / "events.xes"))["case:concept:name"])
    for ocel in (pm4py.read_ocel2_json(str(out / "events.jsonocel")),
                 pm4py.read_ocel2_sqlite(str(out / "events.sqlite"))):
        documents = set(ocel.objects.loc[ocel.objects["ocel:type"] == "document", "ocel:oid"])
        assert xes_cases <= documents and len(documents) >= len(xes_cases) > 0
        assert {"delivery", "record"} <= set(ocel.objects["ocel:type"])

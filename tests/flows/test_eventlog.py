"""The event log: Parquet and CSV in full, XES for a sample, read back."""

import pandas as pd
import pytest
from lxml import etree

from simulator.flows import World, event_frame, measure, write_event_log
from tests.flows.conftest import small

XES = "{http://www.xes-standard.org/}"


@pytest.fixture(scope="module")
def logged_world():
    world = World(small(days=7), 2, record_events=True)
    world.run()
    return world


def test_recording_does_not_change_the_numbers(logged_world):
    plain = World(small(days=7), 2)
    plain.run()
    a, b = measure(plain), measure(logged_world)
    assert a["deliveries"] == b["deliveries"] and a["staff_hours"] == b["staff_hours"]


def test_every_delivery_and_document_appears(logged_world):
    frame = event_frame(logged_world)
    assert set(frame.columns) == {"case", "delivery", "activity", "timestamp", "unit", "resource", "lifecycle"}
    assert frame["case"].nunique() == len(logged_world.docs)
    created = frame[frame["activity"] == "create"]
    assert len(created) == len(logged_world.docs)
    arrived = frame[frame["activity"] == "arrive"]["delivery"]
    assert set(arrived) <= set(range(len(logged_world.deliveries)))
    assert frame["timestamp"].is_monotonic_increasing
    assert str(frame["timestamp"].dt.tz) in ("ICT", "UTC+07:00")
    # A handled document goes through its steps in order.
    filed = frame[frame["activity"] == "file"]["delivery"].iloc[0]
    steps = frame[(frame["delivery"] == filed) & (frame["lifecycle"] == "complete")]["activity"].tolist()
    assert steps[0] == "arrive" and steps[-1] == "file"


def test_files_are_written_and_read_back(tmp_path, logged_world):
    written = write_event_log(logged_world, tmp_path, xes_cases=40)
    parquet = pd.read_parquet(written["parquet"])
    csv = pd.read_csv(written["csv"])
    assert len(parquet) == len(csv) == len(logged_world.log)
    tree = etree.parse(str(written["xes"]))
    traces = tree.getroot().findall(f"{XES}trace")
    assert len(traces) == 40
    for trace in traces[:10]:
        stamps = [e.find(f"{XES}date").get("value") for e in trace.findall(f"{XES}event")]
        assert stamps == sorted(stamps) and all(s.endswith("+07:00") for s in stamps)
        names = [e.find(f"{XES}string[@key='concept:name']").get("value") for e in trace.findall(f"{XES}event")]
        assert names[0] == "create"


def test_pm4py_reads_our_xes(tmp_path, logged_world):
    """pm4py (installed by the test extras, never a runtime dependency) reads every event of the sample."""
    import pm4py

    written = write_event_log(logged_world, tmp_path, parquet=False, csv=False, xes_cases=20, ocel=False)
    log = pm4py.read_xes(str(written["xes"]))
    assert log["case:concept:name"].nunique() == 20
    frame = event_frame(logged_world)
    cases = {int(c[1:]) for c in log["case:concept:name"].unique()}
    sample = frame[frame["case"].isin(cases)]
    assert len(log) == len(sample)
    assert sorted(zip(log["case:concept:name"], log["concept:name"], log["org:group"])) == \
        sorted((f"D{c:07d}", a, u) for c, a, u in zip(sample["case"], sample["activity"].astype(str),
                                                     sample["unit"].astype(str)))
    assert (log["time:timestamp"].sort_values().to_numpy() ==
            sample["timestamp"].dt.tz_convert("UTC").sort_values().to_numpy()).all()


def test_large_logs_keep_the_sample_in_csv(tmp_path, logged_world):
    written = write_event_log(logged_world, tmp_path, xes_cases=30, csv_max_rows=100)
    csv = pd.read_csv(written["csv"])
    assert csv["case"].nunique() == 30
    assert len(pd.read_parquet(written["parquet"])) == len(logged_world.log)

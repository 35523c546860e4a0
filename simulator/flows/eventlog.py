"""The event log: (document, activity, timestamp, unit, resource, lifecycle).

Full logs go to Parquet (and CSV); XES (IEEE 1849-2016) is written for a
sample of cases with the standard library, so process-mining tools (pm4py,
ProM, Disco) can read it without this project depending on them.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np

from simulator.calendar import VN_TZ
from simulator.flows import records as R

ROLE_KEYS = ("van_thu", "lanh_dao", "chuyen_vien")


def event_frame(world):
    """The world's event log as a pandas DataFrame, sorted by time (stable)."""
    import pandas as pd

    log = world.log
    if log is None:
        raise ValueError("the world was built without record_events=True")
    units = np.asarray([u.code for u in world.units] + ["citizen"], dtype=object)
    roles = np.asarray(list(ROLE_KEYS) + [""] * (256 - len(ROLE_KEYS)), dtype=object)
    unit_idx = np.frombuffer(log.unit, dtype=np.int32)
    minutes = np.frombuffer(log.time, dtype=float)
    epoch = np.datetime64(world.calendar.epoch.replace(tzinfo=None), "ms")
    ts = epoch + np.round(minutes * 60000.0).astype("timedelta64[ms]")
    frame = pd.DataFrame({
        "case": np.frombuffer(log.doc, dtype=np.int32),
        "delivery": np.frombuffer(log.delivery, dtype=np.int32),
        "activity": np.asarray(R.ACTIVITY_KEYS, dtype=object)[np.frombuffer(log.activity, dtype=np.uint8)],
        "timestamp": pd.DatetimeIndex(ts).tz_localize(VN_TZ),
        "unit": units[unit_idx],
        "resource": roles[np.frombuffer(log.role, dtype=np.uint8)],
        "lifecycle": np.where(np.frombuffer(log.lifecycle, dtype=np.uint8) == R.START, "start", "complete"),
    })
    return frame.sort_values(["timestamp"], kind="stable").reset_index(drop=True)


def write_event_log(world, out_dir: str | Path, *, parquet: bool = True, csv: bool = True,
                    xes: bool = True, xes_cases: int = 500, seed: int = 0) -> dict[str, Path]:
    """Write ``events.parquet``, ``events.csv`` and ``events.xes`` (a sample of cases) to ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frame = event_frame(world)
    written: dict[str, Path] = {}
    if parquet:
        written["parquet"] = out / "events.parquet"
        frame.to_parquet(written["parquet"], index=False)
    if csv:
        written["csv"] = out / "events.csv"
        frame.assign(timestamp=frame["timestamp"].map(lambda t: t.isoformat())).to_csv(written["csv"], index=False)
    if xes:
        cases = frame["case"].unique()
        if len(cases) > xes_cases:
            cases = np.sort(np.random.default_rng(seed).choice(cases, xes_cases, replace=False))
        written["xes"] = out / "events.xes"
        write_xes(frame[frame["case"].isin(cases)], written["xes"], world)
    return written


def write_xes(frame, path: str | Path, world=None) -> Path:
    """Write an XES log: one trace per document, events in time order."""
    path = Path(path)
    types = None
    if world is not None:
        from simulator.flows.world import TYPE_KEYS

        types = (world.docs.kind, TYPE_KEYS)
    with path.open("w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        fh.write('<log xes.version="1849-2016" xes.features="nested-attributes" '
                 'xmlns="http://www.xes-standard.org/">\n')
        fh.write('  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>\n')
        fh.write('  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>\n')
        fh.write('  <extension name="Lifecycle" prefix="lifecycle" '
                 'uri="http://www.xes-standard.org/lifecycle.xesext"/>\n')
        fh.write('  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>\n')
        fh.write('  <global scope="trace"><string key="concept:name" value="__INVALID__"/></global>\n')
        fh.write('  <global scope="event"><string key="concept:name" value="__INVALID__"/>'
                 '<date key="time:timestamp" value="1970-01-01T00:00:00.000+00:00"/></global>\n')
        fh.write('  <classifier name="Activity" keys="concept:name"/>\n')
        for case, events in frame.groupby("case", sort=True):
            fh.write("  <trace>\n")
            fh.write(f'    <string key="concept:name" value="D{int(case):07d}"/>\n')
            if types is not None:
                fh.write(f'    <string key="doc:type" value={quoteattr(types[1][types[0][int(case)]])}/>\n')
            for row in events.itertuples(index=False):
                fh.write("    <event>\n")
                fh.write(f'      <string key="concept:name" value={quoteattr(row.activity)}/>\n')
                fh.write(f'      <date key="time:timestamp" value="{row.timestamp.isoformat(timespec="milliseconds")}"/>\n')
                fh.write(f'      <string key="lifecycle:transition" value="{row.lifecycle}"/>\n')
                fh.write(f'      <string key="org:group" value={quoteattr(str(row.unit))}/>\n')
                if row.resource:
                    fh.write(f'      <string key="org:resource" value={quoteattr(str(row.resource))}/>\n')
                if row.delivery >= 0:
                    fh.write(f'      <int key="delivery" value="{int(row.delivery)}"/>\n')
                fh.write("    </event>\n")
            fh.write("  </trace>\n")
        fh.write("</log>\n")
    return path

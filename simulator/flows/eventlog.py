"""The event log: (document, activity, timestamp, unit, resource, lifecycle).

Full logs go to Parquet (and CSV); XES (IEEE 1849-2016) is written for a
sample of cases with the standard library, so process-mining tools (pm4py,
ProM, Disco) can read it without this project depending on them. The same
sample goes to OCEL 2.0 (JSON and SQLite, :mod:`simulator.flows.ocel`),
where documents, their copies, envelopes and records are objects of their own.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np

from simulator.calendar import VN_TZ
from simulator.flows import records as R

ROLE_KEYS = ("van_thu", "lanh_dao", "chuyen_vien")


def event_frame(world):
    """The world's event log as a pandas DataFrame sorted by time (stable).

    Text columns are categoricals over small code tables: a year of a
    province is over ten million rows."""
    import pandas as pd

    log = world.log
    if log is None:
        raise ValueError("the world was built without record_events=True")
    minutes = np.frombuffer(log.time, dtype=float)
    order = np.argsort(minutes, kind="stable")
    units = [u.code for u in world.units] + ["citizen"]
    unit_idx = np.frombuffer(log.unit, dtype=np.int32)[order].astype(np.int64)
    unit_idx[unit_idx < 0] = len(units) - 1
    roles = np.frombuffer(log.role, dtype=np.uint8)[order].astype(np.int16)
    roles[roles >= len(ROLE_KEYS)] = -1   # no resource (arrivals, creation by a citizen)
    epoch = np.datetime64(world.calendar.epoch.replace(tzinfo=None), "ms")
    local = epoch + np.round(minutes[order] * 60000.0).astype("timedelta64[ms]")
    return pd.DataFrame({
        "case": np.frombuffer(log.doc, dtype=np.int32)[order],
        "delivery": np.frombuffer(log.delivery, dtype=np.int32)[order],
        "activity": pd.Categorical.from_codes(np.frombuffer(log.activity, dtype=np.uint8)[order],
                                              categories=list(R.ACTIVITY_KEYS)),
        "timestamp": pd.DatetimeIndex(local).tz_localize(VN_TZ),
        "unit": pd.Categorical.from_codes(unit_idx, categories=units),
        "resource": pd.Categorical.from_codes(roles, categories=list(ROLE_KEYS)),
        "lifecycle": pd.Categorical.from_codes(np.frombuffer(log.lifecycle, dtype=np.uint8)[order],
                                               categories=["start", "complete"]),
    })


def write_csv(frame, path: Path, chunk: int = 1_000_000) -> Path:
    """CSV in chunks, timestamps as ISO 8601 with the Vietnam offset (vectorised)."""
    first = True
    for start in range(0, max(len(frame), 1), chunk):
        part = frame.iloc[start:start + chunk]
        local = part["timestamp"].dt.tz_localize(None).to_numpy().astype("datetime64[ms]")
        stamps = np.char.add(np.datetime_as_string(local, unit="ms"), "+07:00")
        part.assign(timestamp=stamps).to_csv(path, index=False, mode="w" if first else "a", header=first)
        first = False
    return path


CSV_MAX_ROWS = 1_000_000


def write_event_log(world, out_dir: str | Path, *, parquet: bool = True, csv: bool = True,
                    xes: bool = True, xes_cases: int = 500, seed: int = 0,
                    csv_max_rows: int = CSV_MAX_ROWS, ocel: bool = True) -> dict[str, Path]:
    """Write ``events.parquet`` (every event), ``events.csv``, ``events.xes`` (a sample of cases)
    and ``events.jsonocel`` and ``events.sqlite`` (OCEL 2.0: the same sample and the documents they answer).

    The CSV holds every event up to ``csv_max_rows`` rows; a larger log (a
    province for a year: over ten million rows, a gigabyte of text) gets the
    XES sample's cases in CSV too, and the full log stays in Parquet."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frame = event_frame(world)
    written: dict[str, Path] = {}
    cases = np.unique(frame["case"].to_numpy())
    if len(cases) > xes_cases:
        cases = np.sort(np.random.default_rng(seed).choice(cases, xes_cases, replace=False))
    sample = frame[frame["case"].isin(cases)]
    if parquet:
        written["parquet"] = out / "events.parquet"
        frame.to_parquet(written["parquet"], index=False)
    if csv:
        written["csv"] = write_csv(frame if len(frame) <= csv_max_rows else sample, out / "events.csv")
    if xes:
        written["xes"] = out / "events.xes"
        write_xes(sample, written["xes"], world)
    if ocel:
        from simulator.flows.ocel import write_ocel

        written.update(write_ocel(world, frame, out, cases))
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
                if isinstance(row.resource, str):
                    fh.write(f'      <string key="org:resource" value={quoteattr(str(row.resource))}/>\n')
                if row.delivery >= 0:
                    fh.write(f'      <int key="delivery" value="{int(row.delivery)}"/>\n')
                fh.write("    </event>\n")
            fh.write("  </trace>\n")
        fh.write("</log>\n")
    return path

"""The object-centric event log (OCEL 2.0): one event, several objects.

A document does not travel as one case: it is drafted and signed at its
issuer, then split into copies (deliveries), one per recipient; copies on
the province's or the national axis travel in an edXML envelope; each copy
ends, at its recipient, filed into a record (hồ sơ). A flat XES trace per
document hides this; OCEL 2.0 (the Object-Centric Event Log standard,
ocel-standard.org, 2023) keeps it. Four object types:

- ``document``: type, flow, issuer, urgency, how it was to be sent and
  signed; its ``state`` changes to ``dispatched`` when it leaves, and its
  ``final_mode`` (electronic, electronic with paper, paper) is known then;
- ``delivery``: one copy to one recipient, its channel and retries; its
  ``state`` goes in transit → arrived → registered → filed / returned
  (or ``delivered_out`` to a citizen or a unit outside the simulation);
- ``envelope``: the edXML package of a copy sent over an axis (LGSP or the
  national axis) — Decision 28/2018/QĐ-TTg, QCVN 102:2016/BTTTT;
- ``record``: the recipient's record (hồ sơ) for the year and the
  document's type, coded ``{unit code}.{year}.{type abbreviation}`` as the
  file code of Decree 30/2020, Appendix VI (Mã hồ sơ).

Event-to-object links carry a qualifier (the document an event acts on, the
copy, the envelope, the record a copy is filed into); object-to-object
links join a document to its copies (``copy``), a copy to its envelope
(``carried in``), a copy and its document to their records (``filed in``)
and a reply to the document it answers (``answers``). Events carry the unit
where they happen, the role that does them and the lifecycle (start /
complete), so a planner can follow one document across units.

Both formats of the standard are written with the standard library (``json``,
``sqlite3``): the JSON layout (objectTypes, eventTypes, objects, events) and
the SQLite layout (``event``, ``object``, ``event_object``,
``object_object``, ``event_map_type``, ``object_map_type`` and one table per
event and object type). pm4py (AGPL) reads them in the tests only; it is
never a dependency of this package.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from simulator.calendar import VN_TZ
from simulator.flows import records as R

STATIC_TIME = "1970-01-01T00:00:00+00:00"   # the standard's time of an attribute that does not change

# Object types and their attributes (name, OCEL type). ``state`` and ``final_mode`` change over time.
OBJECT_TYPES: dict[str, tuple[tuple[str, str], ...]] = {
    "document": (("doc_type", "string"), ("flow", "string"), ("issuer", "string"), ("urgent", "boolean"),
                 ("secret", "boolean"), ("wanted_mode", "string"), ("signed", "string"), ("pages", "integer"),
                 ("legal", "boolean"), ("state", "string"), ("final_mode", "string")),
    "delivery": (("recipient", "string"), ("channel", "string"), ("needs_action", "boolean"),
                 ("retries", "integer"), ("state", "string")),
    "envelope": (("axis", "string"), ("sender", "string"), ("recipient", "string"), ("retries", "integer")),
    "record": (("file_code", "string"), ("unit", "string"), ("year", "integer"), ("doc_type", "string")),
}
EVENT_ATTRIBUTES = (("unit", "string"), ("resource", "string"), ("lifecycle", "string"))
AXIS_CHANNELS = frozenset({R.C_LGSP, R.C_NATIONAL})
SIGNED_KEYS = ("paper", "digital", "scanned")
STATE_OF_DELIVERY = {R.V_FILED: "filed", R.V_RETURNED: "returned", R.V_DELIVERED_OUT: "delivered_out"}
_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "float": "REAL", "boolean": "INTEGER", "time": "TIMESTAMP"}


@dataclass(frozen=True)
class OcelLog:
    """An OCEL 2.0 log as plain rows, ready for either format.

    ``objects`` maps an object id to its type; ``values`` holds, per object,
    (time or None for a value that does not change, attribute, value) in
    time order; ``events`` are (id, type, time, unit, resource, lifecycle)
    in time order."""

    objects: dict[str, str] = field(default_factory=dict)
    values: dict[str, list[tuple[str | None, str, object]]] = field(default_factory=dict)
    events: list[tuple[str, str, str, str, str | None, str]] = field(default_factory=list)
    e2o: list[tuple[str, str, str]] = field(default_factory=list)
    o2o: list[tuple[str, str, str]] = field(default_factory=list)

    def count(self, object_type: str) -> int:
        return sum(1 for t in self.objects.values() if t == object_type)


def document_id(doc: int) -> str:
    """The same case name as the XES log."""
    return f"D{int(doc):07d}"


def delivery_id(v: int) -> str:
    return f"V{int(v):07d}"


def envelope_id(v: int) -> str:
    return f"E{int(v):07d}"


def with_parents(world, documents) -> list[int]:
    """The documents and every document they answer (so ``answers`` links stay inside the log)."""
    parent = world.docs.parent
    keep = {int(d) for d in documents}
    todo = list(keep)
    while todo:
        p = parent[todo.pop()]
        if p >= 0 and p not in keep:
            keep.add(p)
            todo.append(p)
    return sorted(keep)


class _Builder:
    """Turns the world's columnar tables and its event frame into an :class:`OcelLog`."""

    def __init__(self, world) -> None:
        from simulator.documents.types import DOCUMENT_TYPES
        from simulator.flows.arrivals import TYPE_KEYS

        self.world = world
        self.cal = world.calendar
        self.now = world.clock
        self.codes = [u.code for u in world.units]
        self.types = TYPE_KEYS
        self.abbrev = [DOCUMENT_TYPES[k].abbreviation or "CV" for k in TYPE_KEYS]
        self.log = OcelLog()
        self._o2o: set[tuple[str, str, str]] = set()
        self.envelope_of: dict[int, str] = {}
        self.record_of: dict[int, str] = {}

    def unit(self, u: int) -> str:
        return self.codes[u] if u >= 0 else "citizen"

    def stamp(self, minutes: float) -> str:
        return self.cal.to_datetime(minutes).replace(tzinfo=VN_TZ).isoformat(timespec="milliseconds")

    def add(self, oid: str, otype: str, static: dict, changes: list[tuple[float, str, object]] = ()) -> None:
        self.log.objects[oid] = otype
        rows = [(None, k, v) for k, v in static.items() if v is not None]
        rows += [(self.stamp(t), k, v) for t, k, v in sorted(changes, key=lambda c: c[0])]
        self.log.values[oid] = rows

    def link(self, source: str, target: str, qualifier: str) -> None:
        if (source, target, qualifier) not in self._o2o:
            self._o2o.add((source, target, qualifier))
            self.log.o2o.append((source, target, qualifier))

    def document(self, doc: int) -> None:
        d = self.world.docs
        oid = document_id(doc)
        changes = []
        if d.state[doc] == R.D_DISPATCHED and d.dispatched[doc] <= self.now:
            changes = [(d.dispatched[doc], "state", "dispatched"),
                       (d.dispatched[doc], "final_mode", R.MODE_KEYS[d.final[doc]])]
        self.add(oid, "document", {
            "doc_type": self.types[d.kind[doc]], "flow": R.FLOW_KEYS[d.flow[doc]], "issuer": self.unit(d.issuer[doc]),
            "urgent": bool(d.urgent[doc]), "secret": bool(d.secret[doc]), "wanted_mode": R.MODE_KEYS[d.mode[doc]],
            "signed": SIGNED_KEYS[d.signed[doc]], "pages": int(d.pages[doc]), "legal": bool(d.legal[doc]),
            "state": "in_pipeline"}, changes)

    def delivery(self, v: int) -> None:
        dl, d = self.world.deliveries, self.world.docs
        doc = dl.doc[v]
        oid = delivery_id(v)
        state = dl.state[v]
        changes = []
        if state == R.V_DELIVERED_OUT:
            if dl.handled[v] <= self.now:
                changes.append((dl.handled[v], "state", "delivered_out"))
        else:
            if dl.arrived[v] <= self.now:
                changes.append((dl.arrived[v], "state", "arrived"))
            if not math.isnan(dl.registered[v]) and d.flow[doc] != R.INTERNAL:
                changes.append((dl.registered[v], "state", "registered"))
            if state in STATE_OF_DELIVERY and not math.isnan(dl.handled[v]):
                changes.append((dl.handled[v], "state", STATE_OF_DELIVERY[state]))
        self.add(oid, "delivery", {"recipient": self.unit(dl.unit[v]), "channel": R.CHANNEL_KEYS[dl.channel[v]],
                                   "needs_action": bool(dl.action[v]), "retries": int(dl.retries[v]),
                                   "state": "in_transit"}, changes)
        self.link(document_id(doc), oid, "copy")
        if dl.channel[v] in AXIS_CHANNELS:
            eid = self.envelope_of[v] = envelope_id(v)
            self.add(eid, "envelope", {"axis": R.CHANNEL_KEYS[dl.channel[v]], "sender": self.unit(d.issuer[doc]),
                                       "recipient": self.unit(dl.unit[v]), "retries": int(dl.retries[v])})
            self.link(oid, eid, "carried in")
        if state == R.V_FILED and dl.unit[v] >= 0:
            year = self.cal.to_datetime(dl.handled[v]).year
            kind = d.kind[doc]
            rid = self.record_of[v] = f"{self.codes[dl.unit[v]]}.{year}.{self.abbrev[kind]}"
            if rid not in self.log.objects:
                self.add(rid, "record", {"file_code": rid, "unit": self.codes[dl.unit[v]], "year": year,
                                         "doc_type": self.types[kind]})
            self.link(oid, rid, "filed in")
            self.link(document_id(doc), rid, "filed in")

    def events(self, frame, copies: list[int]) -> None:
        """One OCEL event per row of the event frame (already in time order)."""
        by_doc: dict[int, list[int]] = {}
        dl = self.world.deliveries
        for v in copies:
            by_doc.setdefault(dl.doc[v], []).append(v)
        stamps = frame["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S.%f").str[:-3] + "+07:00"
        cols = zip(frame["case"].tolist(), frame["delivery"].tolist(), frame["activity"].astype(str).tolist(),
                   stamps.tolist(), frame["unit"].astype(str).tolist(), frame["resource"].tolist(),
                   frame["lifecycle"].astype(str).tolist())
        events, e2o = self.log.events, self.log.e2o
        for i, (doc, v, activity, time, unit, resource, lifecycle) in enumerate(cols):
            eid = f"e{i}"
            events.append((eid, activity, time, unit, resource if isinstance(resource, str) else None, lifecycle))
            e2o.append((eid, document_id(doc), "document"))
            if v >= 0:
                e2o.append((eid, delivery_id(v), "copy"))
                if v in self.envelope_of:
                    e2o.append((eid, self.envelope_of[v], "envelope"))
                if activity == "file" and v in self.record_of:
                    e2o.append((eid, self.record_of[v], "filed into"))
            elif activity == "send":   # the dispatch makes every copy (and its envelope) at once
                for w in by_doc.get(doc, ()):
                    e2o.append((eid, delivery_id(w), "copy made"))
                    if w in self.envelope_of:
                        e2o.append((eid, self.envelope_of[w], "envelope packed"))


def build_ocel(world, frame, documents=None) -> OcelLog:
    """The OCEL log of ``documents`` (default: every document in ``frame``), their copies and records.

    ``frame`` is :func:`simulator.flows.eventlog.event_frame` of the world
    (or rows of it); its rows of other documents are left out."""
    docs = sorted(set(frame["case"].unique().tolist())) if documents is None else [int(d) for d in documents]
    docs = with_parents(world, docs)
    b = _Builder(world)
    for doc in docs:
        b.document(doc)
    copies = np.flatnonzero(np.isin(np.frombuffer(world.deliveries.doc, dtype=np.int32), docs)).tolist()
    for v in copies:
        b.delivery(v)
    parent = world.docs.parent
    for doc in docs:
        if parent[doc] >= 0:
            b.link(document_id(doc), document_id(parent[doc]), "answers")
    b.events(frame[frame["case"].isin(docs)], copies)
    return b.log


# ---------------------------------------------------------------------------------------------- formats
def _replace_into(path: Path, write) -> Path:
    """Write to a temporary file in the same folder, then move it into place."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.unlink(missing_ok=True)
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _type_list(types: dict[str, tuple[tuple[str, str], ...]]) -> list[dict]:
    return [{"name": name, "attributes": [{"name": a, "type": t} for a, t in attrs]} for name, attrs in types.items()]


def write_ocel_json(log: OcelLog, path: str | Path) -> Path:
    """OCEL 2.0 JSON (``.jsonocel``): objectTypes, eventTypes, objects, events."""
    rel: dict[str, list[dict]] = {}
    for source, target, qualifier in log.o2o:
        rel.setdefault(source, []).append({"objectId": target, "qualifier": qualifier})
    e2o: dict[str, list[dict]] = {}
    for eid, oid, qualifier in log.e2o:
        e2o.setdefault(eid, []).append({"objectId": oid, "qualifier": qualifier})
    event_types = sorted({e[1] for e in log.events}, key=R.ACTIVITY_KEYS.index)
    body = {
        "objectTypes": _type_list(OBJECT_TYPES),
        "eventTypes": _type_list({t: EVENT_ATTRIBUTES for t in event_types}),
        "objects": [{"id": oid, "type": otype,
                     "attributes": [{"name": k, "time": t or STATIC_TIME, "value": v} for t, k, v in log.values[oid]],
                     "relationships": rel.get(oid, [])} for oid, otype in log.objects.items()],
        "events": [{"id": eid, "type": etype, "time": time,
                    "attributes": [{"name": k, "value": v} for k, v in
                                   (("unit", unit), ("resource", resource), ("lifecycle", lifecycle)) if v is not None],
                    "relationships": e2o.get(eid, [])} for eid, etype, time, unit, resource, lifecycle in log.events],
    }

    def write(tmp: Path) -> None:
        # json.dumps runs the C encoder (json.dump to a file does not): three to four times faster.
        tmp.write_text(json.dumps(body, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    return _replace_into(path, write)


def _sql_value(value):
    return int(value) if isinstance(value, bool) else value


def write_ocel_sqlite(log: OcelLog, path: str | Path) -> Path:
    """OCEL 2.0 SQLite: the standard's type-independent tables and one table per event and object type."""
    event_types = sorted({e[1] for e in log.events}, key=R.ACTIVITY_KEYS.index)

    def write(tmp: Path) -> None:
        con = sqlite3.connect(tmp)
        try:
            with con:
                _create(con, event_types)
                con.executemany("INSERT INTO event_map_type VALUES (?, ?)", [(t, t) for t in event_types])
                con.executemany("INSERT INTO object_map_type VALUES (?, ?)", [(t, t) for t in OBJECT_TYPES])
                con.executemany("INSERT INTO event VALUES (?, ?)", [(e[0], e[1]) for e in log.events])
                con.executemany("INSERT INTO object VALUES (?, ?)", log.objects.items())
                con.executemany("INSERT INTO event_object VALUES (?, ?, ?)", log.e2o)
                con.executemany("INSERT INTO object_object VALUES (?, ?, ?)", log.o2o)
                for etype in event_types:
                    con.executemany(f'INSERT INTO "event_{etype}" VALUES (?, ?, ?, ?, ?)',
                                    [(e[0], e[2], e[3], e[4], e[5]) for e in log.events if e[1] == etype])
                for otype, attrs in OBJECT_TYPES.items():
                    names = [a for a, _t in attrs]
                    con.executemany(f'INSERT INTO "object_{otype}" VALUES ({", ".join("?" * (len(names) + 3))})',
                                    _object_rows(log, otype, names))
        finally:
            con.close()

    return _replace_into(path, write)


def _create(con: sqlite3.Connection, event_types: list[str]) -> None:
    con.executescript("""
        CREATE TABLE event_map_type (ocel_type TEXT PRIMARY KEY, ocel_type_map TEXT);
        CREATE TABLE object_map_type (ocel_type TEXT PRIMARY KEY, ocel_type_map TEXT);
        CREATE TABLE event (ocel_id TEXT PRIMARY KEY, ocel_type TEXT,
                            FOREIGN KEY (ocel_type) REFERENCES event_map_type (ocel_type));
        CREATE TABLE object (ocel_id TEXT PRIMARY KEY, ocel_type TEXT,
                             FOREIGN KEY (ocel_type) REFERENCES object_map_type (ocel_type));
        CREATE TABLE event_object (ocel_event_id TEXT, ocel_object_id TEXT, ocel_qualifier TEXT,
                                   PRIMARY KEY (ocel_event_id, ocel_object_id, ocel_qualifier),
                                   FOREIGN KEY (ocel_event_id) REFERENCES event (ocel_id),
                                   FOREIGN KEY (ocel_object_id) REFERENCES object (ocel_id));
        CREATE TABLE object_object (ocel_source_id TEXT, ocel_target_id TEXT, ocel_qualifier TEXT,
                                    PRIMARY KEY (ocel_source_id, ocel_target_id, ocel_qualifier),
                                    FOREIGN KEY (ocel_source_id) REFERENCES object (ocel_id),
                                    FOREIGN KEY (ocel_target_id) REFERENCES object (ocel_id));
    """)
    attrs = ", ".join(f'"{a}" {_SQL_TYPES[t]}' for a, t in EVENT_ATTRIBUTES)
    for etype in event_types:
        con.execute(f'CREATE TABLE "event_{etype}" (ocel_id TEXT PRIMARY KEY, ocel_time TIMESTAMP, {attrs}, '
                    f'FOREIGN KEY (ocel_id) REFERENCES event (ocel_id))')
    for otype, oattrs in OBJECT_TYPES.items():
        cols = ", ".join(f'"{a}" {_SQL_TYPES[t]}' for a, t in oattrs)
        con.execute(f'CREATE TABLE "object_{otype}" (ocel_id TEXT, ocel_time TIMESTAMP, ocel_changed_field TEXT, '
                    f'{cols}, FOREIGN KEY (ocel_id) REFERENCES object (ocel_id))')


def _object_rows(log: OcelLog, otype: str, names: list[str]):
    """Per object: a row of its initial values (time 1970, no changed field), then one row per change."""
    position = {a: i for i, a in enumerate(names)}
    for oid, t in log.objects.items():
        if t != otype:
            continue
        first = [None] * len(names)
        changes = []
        for time, name, value in log.values[oid]:
            if time is None:
                first[position[name]] = _sql_value(value)
            else:
                row = [None] * len(names)
                row[position[name]] = _sql_value(value)
                changes.append((oid, time, name, *row))
        yield (oid, STATIC_TIME, None, *first)
        yield from changes


def write_ocel(world, frame, out_dir: str | Path, documents=None, *, json_file: bool = True,
               sqlite_file: bool = True) -> dict[str, Path]:
    """Write ``events.jsonocel`` and ``events.sqlite`` (OCEL 2.0) into ``out_dir``."""
    out = Path(out_dir)
    log = build_ocel(world, frame, documents)
    written: dict[str, Path] = {}
    if json_file:
        written["jsonocel"] = write_ocel_json(log, out / "events.jsonocel")
    if sqlite_file:
        written["ocel_sqlite"] = write_ocel_sqlite(log, out / "events.sqlite")
    return written

"""The desks' workflow: what follows when a stage of work is done.

Outgoing (at the sender): draft (specialist) → approve and sign (leader;
may reject back to a redraft) → dispatch (clerk) → the channels.
Incoming (at each recipient): register (clerk; an invalid or misaddressed
electronic arrival is returned) → assign (leader: for handling, or read and
file) → after the file has waited among the specialist's other duties,
handle (specialist; may start a reply) → filed.

An automated desk decides by the delivery's key; the seat's decisions come
in as ``action``.
"""

from __future__ import annotations

from math import log as ln

from simulator.flows import records as R
from simulator.flows.streams import (K_DEFECT, K_DEFECT_KIND, K_WAIT, MASK, O_REPLY, OFFSET, SALT_REDRAFT, SALT_REPLY,
                                     mix)
from simulator.flows.traps import TRAPS

O_WAIT, O_DEFECT = OFFSET[K_WAIT], OFFSET[K_DEFECT]


class Desks:
    """Moves a document on after each stage (``complete``), for every unit."""

    def __init__(self, engine, calendar, topology, streams, staff, channels, arrivals, docs, deliveries,
                 log) -> None:
        self.env = engine
        self.calendar = calendar
        self.docs = docs
        self.deliveries = deliveries
        self.log = log
        self.service_of, self.volumes_of = topology.service_of, topology.volumes_of
        self._reply_share = [v.reply_share for v in topology.volumes_of]
        self._defect_share = [v.defect_share for v in topology.volumes_of]
        self._U, self._r = streams.U, streams.r
        self.pools, self.submit = staff.pools, staff.submit
        self.dispatch = channels.dispatch
        self.new_document = arrivals.new_document
        self._call_at = engine.call_at
        self._to_handle = self._to_handle_cb   # one bound method for every waiting file
        self.activities = 0   # event-log activities counted here (stage completions, returns, filing)
        self.trap_share: dict[int, float] = {}  # unit index -> share of traps (a training seat's own setting)

    def complete(self, item, action: str | None) -> None:
        """A stage is done: move the document on (``action`` is the seat's choice, None automatic)."""
        stage = item.stage
        u = item.unit
        now = self.env.now
        pools = self.pools[u]
        self.activities += 1
        if self.log is not None:
            ref = item.ref
            doc = ref if stage < R.REGISTER else self.deliveries.doc[ref]
            self.log.add(doc, ref if stage >= R.REGISTER else -1, R.STAGE_ACTIVITY[stage], now, u,
                         R.STAGE_ROLE[stage], R.COMPLETE)
        sv = self.service_of[u]
        if stage == R.DRAFT:
            item.stage, item.base = R.SIGN, sv.approve_sign
            self.submit(pools[R.LEADER], item)
        elif stage == R.SIGN:
            if action == "revise":
                item.stage, item.base = R.DRAFT, sv.draft / 2
                item.key = mix(item.key, SALT_REDRAFT)  # a redraft takes its own time
                self.submit(pools[R.SPECIALIST], item)
                return
            doc = item.ref
            d = self.docs
            mode = d.mode[doc]
            base = sv.dispatch_paper if mode == R.M_PAPER else sv.dispatch_electronic
            if d.signed[doc] == R.S_SCANNED:
                base += sv.scan_per_page * d.pages[doc]
            item.stage, item.base = R.DISPATCH, base
            self.submit(pools[R.CLERK], item)
        elif stage == R.DISPATCH:
            self.dispatch(item.ref)
        elif stage == R.REGISTER:
            v = item.ref
            dl = self.deliveries
            if action is None and self.defect(v, item.key) is not None:
                action = "refuse"   # the clerk checks authenticity and address, and sends it back
            if action == "refuse":
                dl.state[v] = R.V_RETURNED
                dl.handled[v] = now
                self.activities += 1
                if self.log is not None:
                    self.log.add(dl.doc[v], v, R.A_RETURN, now, u, R.CLERK, R.COMPLETE)
                return
            dl.registered[v] = now
            item.stage, item.base = R.ASSIGN, sv.assign
            self.submit(pools[R.LEADER], item)
        elif stage == R.ASSIGN:
            v = item.ref
            dl = self.deliveries
            act = dl.action[v] if action is None else action == "assign"
            dl.action[v] = act
            if act:
                item.stage, item.base = R.HANDLE, sv.handle
                wait = sv.handle_wait_days * -ln(1.0 - self._U[(item.key + O_WAIT) & MASK])   # exponential
                if wait > 0:  # the file waits among the specialist's other duties (calendar.add_working_minutes)
                    cal = self.calendar
                    self._call_at(cal.at_working_index(cal.working_index(now) + wait * cal.minutes_per_day,
                                                       finishing=True), item, self._to_handle)
                else:
                    self.submit(pools[R.SPECIALIST], item)
            else:
                self._file(v, u, now)
        elif stage == R.HANDLE:
            v = item.ref
            doc = self.deliveries.doc[v]
            reply = (self._U[(item.key + O_REPLY) & MASK] < self._reply_share[u]) if action is None \
                else action == "reply"
            self._file(v, u, now)
            if reply:
                self.new_document(u, R.REPLY, self.docs.issuer[doc], doc, mix(item.key, SALT_REPLY))

    def defect(self, v: int, key: int) -> str | None:
        """Which trap (:data:`simulator.flows.traps.TRAPS`) an electronic arrival is, if any (fixed by the
        delivery's key). The automated clerk returns every one (a recall withdraws the delivery too)."""
        r = self.deliveries.unit[v]
        if r < 0 or self.deliveries.channel[v] not in R.ELECTRONIC_CHANNELS:
            return None
        if self._U[(key + O_DEFECT) & MASK] >= self.trap_share.get(r, self._defect_share[r]):
            return None
        return TRAPS[int(self._r(key, K_DEFECT_KIND) * len(TRAPS))]

    def _to_handle_cb(self, item) -> None:
        self.submit(self.pools[item.unit][R.SPECIALIST], item)

    def is_waiting(self, callbacks) -> bool:
        """Whether a scheduled event with these callbacks holds a file waiting to be handled."""
        return any(getattr(cb, "__func__", None) is Desks._to_handle_cb for cb in callbacks)

    def _file(self, v: int, u: int, now: float) -> None:
        dl = self.deliveries
        dl.state[v] = R.V_FILED
        dl.handled[v] = now
        self.activities += 1
        if self.log is not None:
            self.log.add(dl.doc[v], v, R.A_FILE, now, u, R.CLERK, R.COMPLETE)

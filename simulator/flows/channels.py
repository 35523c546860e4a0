"""Channels: how a dispatched document reaches each recipient, and what it costs.

The sender's clerk picks a channel per recipient (the province's axis
LGSP, the national axis, e-mail, the unit's own system, the public portal,
by hand, by post) from the document's mode and both units' equipment: the
axis when both ends are connected (to and from central bodies the national
axis, only from ``rules.national_axis_start``), else e-mail when the two
people have official mailboxes, else post.
Transit time depends on the channel; on the axes and e-mail a message sent
into an outage is held and retried every ``retry_minutes`` until the path
is clear (:class:`~simulator.flows.outages.Outages`), so transit gets longer
and nothing is lost. Post takes days by distance and terrain and is
delivered during office hours. A delivery to a simulated unit arrives as
one scheduled call; one to a sink (a citizen, a unit outside the
simulation) needs no event at all.
"""

from __future__ import annotations

import math
from math import log as ln

from simulator.flows import records as R
from simulator.flows.outages import Outages
from simulator.flows.staff import Task
from simulator.flows.streams import (K_BROADCAST, K_COMMUNES, K_PICK, K_POST, K_PUBLISH, K_TRANSIT, MASK, O_ACTION,
                                     O_DIGITISE, O_EMAIL, OFFSET, S_OUTAGES, mix)

O_PICK, O_TRANSIT, O_POST = OFFSET[K_PICK], OFFSET[K_TRANSIT], OFFSET[K_POST]
NAN = math.nan


def draw_outages(scenario, topology, rng, start: float, horizon: float):
    """Outage intervals of every unit's network and of both axes: (per unit, LGSP, national)."""
    sc = scenario.outages
    span = horizon - start + 60 * 1440

    def intervals(per_week, hours):
        if per_week <= 0 or hours <= 0:
            return Outages([])
        n = rng.poisson(per_week * span / (7 * 1440))
        starts = start + rng.random(n) * span
        lengths = rng.exponential(hours * 60.0, n)
        return Outages(zip(starts.tolist(), (starts + lengths).tolist()))

    units = [intervals(topology.network_rate[i], sc.unit_network_hours) if not topology.passive[i]
             else Outages([]) for i in range(len(topology.units))]
    return units, intervals(sc.axis_per_week, sc.axis_hours), intervals(sc.axis_per_week, sc.axis_hours)


class Channels:
    """Dispatch, transit and arrival of every copy of a document."""

    def __init__(self, scenario, engine, calendar, topology, streams, staff, docs, deliveries, log,
                 targets, start: float, horizon: float) -> None:
        self.scenario = scenario
        self.env = engine
        self.calendar = calendar
        self.topology = topology
        self.docs = docs
        self.deliveries = deliveries
        self.log = log
        self._targets = targets   # recipient of each reply (written by the arrivals)
        self.units, self.passive = topology.units, topology.passive
        self.service_of, self.adoption = topology.service_of, topology.adoption
        self.connected, self.mailbox = topology.connected, topology.mailbox_share
        self.kind_key, self.extra_days = topology.kind_key, topology.extra_days
        self._U = streams.U
        self._r = streams.r
        self._action_share = [v.action_share for v in topology.volumes_of]
        self.pools, self.submit = staff.pools, staff.submit
        self._call_at = engine.call_at
        self.net_outages, self.lgsp_outages, self.national_outages = draw_outages(
            scenario, topology, streams.rng[S_OUTAGES], start, horizon)
        self.national_from = calendar.to_minutes(scenario.rules.national_axis_start)
        self._retry = scenario.outages.retry_minutes
        self.pages_printed = 0
        self.pages_scanned = 0
        self.postage = 0.0
        self.activities = 0   # event-log activities counted here (send, publish, arrive)

    def recipients(self, doc: int) -> list[int]:
        """Where a document goes (drawn by its key): -1 is a citizen or business."""
        d, topo = self.docs, self.topology
        u, flow = d.issuer[doc], d.flow[doc]
        key = d.key[doc]
        if flow == R.INTERNAL:
            return [u]
        if flow == R.CITIZENS_OUT:
            return [-1]
        if flow == R.REPLY:
            return [self._targets[doc]]
        if flow == R.DOWN:
            vol = topo.volumes_of[u]
            k = self.kind_key[u]
            if self._r(key, K_BROADCAST) < getattr(vol.broadcast_share, k) and topo.down_all[u]:
                if k == "committee" and not topo.two_level and \
                        self._r(key, K_COMMUNES) < vol.province_to_communes_share:
                    return topo.all_communes
                return topo.down_all[u]
            pool = topo.down_one[u] or topo.down_all[u]
            return [pool[int(self._U[(key + O_PICK) & MASK] * len(pool))]]
        targets = topo.up_to[u] if flow == R.UP else topo.lateral_to[u]
        return [targets[int(self._U[(key + O_PICK) & MASK] * len(targets))]]

    def dispatch(self, doc: int) -> None:
        """The clerk sends a signed, numbered document to every recipient."""
        now = self.env.now
        d = self.docs
        u = d.issuer[doc]
        mode = d.mode[doc]
        pages = d.pages[doc]
        key = d.key[doc]
        d.state[doc] = R.D_DISPATCHED
        d.dispatched[doc] = now
        self.activities += 1
        if self.log is not None:
            self.log.add(doc, -1, R.A_SEND, now, u, R.CLERK, R.COMPLETE)
        if d.legal[doc] and self._r(key, K_PUBLISH) < self.adoption[u].portal_publication:
            d.published[doc] = 1
            self.activities += 1
            if self.log is not None:
                self.log.add(doc, -1, R.A_PUBLISH, now, u, R.CLERK, R.COMPLETE)
        recipients = self.recipients(doc)
        electronic = paper = 0
        passive = self.passive
        costs = not passive[u]   # paper and postage of units outside the simulation are not ours
        if costs and d.signed[doc] != R.S_DIGITAL:
            self.pages_printed += pages  # the original signed on paper, kept by the sender
        if costs and d.signed[doc] == R.S_SCANNED:
            self.pages_scanned += pages
        connected = self.connected
        mailbox = self.mailbox
        before_national = now < self.national_from
        transit = self.scenario.transit
        my_km = self.units[u].distance_km if u >= 0 else 0.0
        for r in recipients:
            vkey = mix(key, r + 3)   # the copy's own key
            if mode == R.M_PAPER:
                ch = R.C_HAND if r == u else R.C_POST
            elif r == u:
                ch = R.C_SYSTEM
            elif r < 0:
                ch = R.C_PUBLIC
            elif connected[u] and connected[r] and not (
                    before_national and (self.kind_key[u] == "central" or self.kind_key[r] == "central")):
                ch = R.C_NATIONAL if (passive[u] and self.kind_key[u] == "central") or \
                    (passive[r] and self.kind_key[r] == "central") else R.C_LGSP
            elif self._U[(vkey + O_EMAIL) & MASK] < mailbox[u] * mailbox[r]:
                ch = R.C_EMAIL
            else:
                ch = R.C_POST
            if ch in R.ELECTRONIC_CHANNELS:
                electronic += 1
                if mode == R.M_ELECTRONIC_PAPER:  # the paper copy also travels
                    paper += 1
                    if costs:
                        self.pages_printed += pages
                        if r != u:
                            self._postage(u, r, my_km)
            else:
                paper += 1
                if costs:
                    if r != u or mode != R.M_PAPER:
                        self.pages_printed += pages
                    if ch == R.C_POST:
                        self._postage(u, r, my_km)
            arrival, tries = self._transit_time(u, r, ch, now, transit, vkey)
            v = self.new_delivery(doc, r, ch, now, tries, vkey, arrival)
            if r < 0 or passive[r]:
                # A sink outside the simulated units: no event needed; it is in transit
                # until ``arrival`` (the census reads it so), then delivered.
                dl = self.deliveries
                dl.state[v] = R.V_DELIVERED_OUT
                dl.handled[v] = arrival
                self.activities += 1
                if self.log is not None:
                    self.log.add(doc, v, R.A_ARRIVE, arrival, r, R.NO_ROLE, R.COMPLETE)
            else:
                self._call_at(arrival, Task(R.TRANSIT, v, r, 0, 0.0, vkey), self.arrive)
        d.final[doc] = R.M_ELECTRONIC if paper == 0 else (R.M_ELECTRONIC_PAPER if electronic else R.M_PAPER)

    def _postage(self, u: int, r: int, my_km: float) -> None:
        c = self.scenario.costs
        km = abs(my_km - (self.units[r].distance_km if r >= 0 else my_km)) + 10.0
        self.postage += c.postage_per_item + c.postage_per_100km * km / 100.0

    def _transit_time(self, u: int, r: int, ch: int, now: float, t, key: int) -> tuple[float, int]:
        """When a copy sent now arrives, and how many times the axis retried it."""
        retry = self._retry
        if ch == R.C_LGSP or ch == R.C_NATIONAL:
            axis = self.lgsp_outages if ch == R.C_LGSP else self.national_outages
            t0, n0 = self.net_outages[u].clear(now, retry)
            t1, n1 = axis.clear(t0, retry)
            t2 = t1 + t.axis_minutes * -ln(1.0 - self._U[(key + O_TRANSIT) & MASK])   # exponential
            t3, n2 = self.net_outages[r].clear(t2, retry) if r >= 0 else (t2, 0)
            return t3, n0 + n1 + n2
        if ch == R.C_EMAIL or ch == R.C_PUBLIC:
            t0, n0 = self.net_outages[u].clear(now, retry) if u >= 0 else (now, 0)
            t1 = t0 + t.email_minutes * -ln(1.0 - self._U[(key + O_TRANSIT) & MASK])
            t2, n1 = self.net_outages[r].clear(t1, retry) if r >= 0 else (t1, 0)
            return t2, n0 + n1
        if ch == R.C_SYSTEM:
            return now + 1.0, 0
        if ch == R.C_HAND:
            return now + t.hand_minutes * -ln(1.0 - self._U[(key + O_TRANSIT) & MASK]), 0
        # Post: days by distance and terrain, delivered during office hours.
        km_a = self.units[u].distance_km if u >= 0 else 0.0
        km_b = self.units[r].distance_km if r >= 0 else km_a
        extra = max(self.extra_days[u] if u >= 0 else 0.0, self.extra_days[r] if r >= 0 else 0.0)
        days = t.post_base_days + abs(km_a - km_b) / t.post_km_per_day + extra + self._U[(key + O_POST) & MASK]
        cal = self.calendar   # the next opening (calendar.next_open), in minutes
        return cal.at_working_index(cal.working_index(now + days * 1440.0)), 0

    def new_delivery(self, doc: int, r: int, ch: int, now: float, tries: int, key: int | None = None,
                     arrival: float | None = None) -> int:
        """A row for one copy of ``doc`` travelling to ``r``; its index."""
        dl = self.deliveries
        v = len(dl.doc)
        if key is None:
            key = mix(self.docs.key[doc], r + 3)
        dl.key.append(key)
        dl.doc.append(doc)
        dl.unit.append(r)
        dl.channel.append(ch)
        dl.action.append(r >= 0 and self._U[(key + O_ACTION) & MASK] < self._action_share[r])
        dl.digitised.append(0)
        dl.retries.append(min(tries, 65535))
        dl.state.append(R.V_LIVE)
        dl.sent.append(now)
        dl.arrived.append(now if arrival is None else arrival)
        dl.registered.append(NAN)
        dl.handled.append(NAN)
        return v

    def arrive(self, item: Task) -> None:
        """A copy reaches its recipient: to the clerk for registering (internal papers: the leader)."""
        v = item.ref
        r = item.unit
        dl = self.deliveries
        now = self.env.now
        self.activities += 1
        if self.log is not None:
            self.log.add(dl.doc[v], v, R.A_ARRIVE, now, r, R.NO_ROLE, R.COMPLETE)
        if r < 0 or self.passive[r]:
            dl.state[v] = R.V_DELIVERED_OUT
            dl.handled[v] = now
            return
        ch = dl.channel[v]
        sv = self.service_of[r]
        electronic = ch in R.ELECTRONIC_CHANNELS
        d = self.docs
        doc = dl.doc[v]
        if electronic:
            dl.digitised[v] = 1
            base = sv.register_electronic
        elif self._U[(item.key + O_DIGITISE) & MASK] < self.adoption[r].archive_digitisation:
            dl.digitised[v] = 1
            base = sv.register_paper + sv.scan_per_page * d.pages[doc]
            self.pages_scanned += d.pages[doc]
        else:
            base = sv.register_paper
        item.prio = 0 if d.urgent[doc] else 1
        if d.flow[doc] == R.INTERNAL:
            dl.registered[v] = now  # internal papers are not entered in the incoming register
            item.stage, item.base = R.ASSIGN, sv.assign
            self.submit(self.pools[r][R.LEADER], item)
        else:
            item.stage, item.base = R.REGISTER, base
            self.submit(self.pools[r][R.CLERK], item)

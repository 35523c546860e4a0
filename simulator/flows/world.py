"""The world: every unit of a province, its staff and channels, in one SimPy environment.

Design for speed (PITFALLS.md, "SimPy and statistics"):

- A staff pool (the clerks, leaders or specialists of one unit) is a heap of
  waiting tasks plus a count of free people; starting a task schedules one
  callback (a ``_Hop`` on the environment's queue) that finishes it and pulls
  the next task. One event per task, no process switches, no
  ``PriorityResource``.
- Working hours are calendar arithmetic: a task of ``m`` working minutes
  started at ``t`` ends at ``calendar.add_working_minutes(t, m)``; nights,
  weekends and holidays cost no events.
- Outages are precomputed intervals per unit network and per axis; a message
  sent into an outage is held by the axis and retried every
  ``retry_minutes`` until the path is clear, so transit gets longer and
  nothing is lost.
- Random numbers are drawn in numpy blocks, each purpose from its own
  ``SeedSequence(entropy, spawn_key=(replication, purpose))``. Arrivals
  come day by day from their own stream. Everything drawn for one document
  or one delivery (its type, mode, service times, whether it needs a reply)
  is looked up in tables by a key derived from the document's place in the
  arrival stream, not by the order in which events happen: two scenarios
  run with the same seed give the same document the same numbers even when
  their timing differs (common random numbers that stay synchronised).
- Documents and deliveries are rows of typed arrays (:mod:`records`).

Units outside the simulated part (central bodies; the province level when
one district is simulated) are passive: they issue downward documents and
absorb what is sent to them.
"""

from __future__ import annotations

import bisect
import math
from datetime import datetime, timedelta
from heapq import heappop, heappush
from itertools import count

import numpy as np
from simpy import Environment
from simpy.events import NORMAL, Timeout

from simulator.calendar import WorkingCalendar, default_calendar
from simulator.documents.types import DOCUMENT_TYPES
from simulator.errors import UserError
from simulator.flows import records as R
from simulator.flows.outages import Outages
from simulator.flows.scenario import Scenario, _merge_adoption, find_district, merge_settings
from simulator.flows.seat import STAGE_ACTIONS, Decision, SeatTask
from simulator.i18n import translator
from simulator.province import Level, Role, UnitKind, load_province

_ = translator("flows")

# Random streams, one per purpose (the second element of the spawn key).
S_ARRIVALS, S_SERVICE, S_CHOICE, S_OUTAGES, S_EQUIPMENT, S_TRANSIT = range(6)
TABLE_BITS = 20
MASK = (1 << TABLE_BITS) - 1
KEY_BITS = 0x7FFFFFFF   # keys stay small ints: cheap arithmetic in the hot path
# Slots of the keyed random tables.
K_KIND, K_URGENT, K_SECRET, K_MODE, K_SIGNED, K_PAGES, K_PUBLISH, K_BROADCAST, K_COMMUNES, K_PICK = range(10)
K_ACTION, K_DIGITISE, K_REPLY, K_EMAIL, K_TRANSIT, K_POST, K_WAIT, K_DEFECT, K_DEFECT_KIND = range(10, 19)
DEFECTS = ("forged_signature", "expired_certificate", "misaddressed")


def _mix(key: int, salt: int) -> int:
    """A child key (a delivery of a document, the reply to a delivery)."""
    h = ((key ^ (salt * 0x9E3779B1)) * 0x5BD1E995) & KEY_BITS
    return h ^ (h >> 13)


# Offsets of the slots in the keyed tables: slot s of key k reads index (k + OFFSET[s]) & MASK.
OFFSET = tuple((s * 0x9E3779B1 >> 7) & MASK for s in range(32))
O_URGENT, O_SECRET, O_MODE, O_SIGNED, O_ACTION, O_DIGITISE, O_REPLY, O_EMAIL = (
    OFFSET[K_URGENT], OFFSET[K_SECRET], OFFSET[K_MODE], OFFSET[K_SIGNED], OFFSET[K_ACTION], OFFSET[K_DIGITISE],
    OFFSET[K_REPLY], OFFSET[K_EMAIL])


ROLE_INDEX = {Role.CLERK: R.CLERK, Role.LEADER: R.LEADER, Role.SPECIALIST: R.SPECIALIST}
ROLE_OF_INDEX = {v: k for k, v in ROLE_INDEX.items()}

# Document types by flow (keys of DOCUMENT_TYPES) with weights: what each flow mostly carries.
TYPE_MIX = {
    R.INTERNAL: (("thong_bao", 3), ("giay_moi", 3), ("cong_van", 2), ("ke_hoach", 1), ("quyet_dinh", 1)),
    R.DOWN: (("cong_van", 5), ("quyet_dinh", 2), ("ke_hoach", 1), ("thong_bao", 1), ("chi_thi", 0.5),
             ("huong_dan", 0.5), ("cong_dien", 0.2), ("giay_moi", 1)),
    R.UP: (("bao_cao", 5), ("to_trinh", 2), ("cong_van", 3)),
    R.LATERAL: (("cong_van", 6), ("giay_moi", 2), ("thong_bao", 1)),
    R.CITIZENS_OUT: (("cong_van", 5), ("thong_bao", 2), ("quyet_dinh", 2), ("giay_moi", 1)),
    R.CITIZENS_IN: (("cong_van", 1),),
    R.REPLY: (("cong_van", 6), ("bao_cao", 4)),
}
TYPE_KEYS = tuple(DOCUMENT_TYPES)


class _Item:
    """A task in the hot path: one document in its sender's pipeline, or one delivery."""

    __slots__ = ("stage", "ref", "unit", "prio", "base", "pool", "since", "key")

    def __init__(self, stage, ref, unit, prio, base, key):
        self.stage = stage
        self.ref = ref
        self.unit = unit
        self.prio = prio
        self.base = base
        self.pool = None
        self.since = 0.0
        self.key = key


class _Pool:
    __slots__ = ("unit", "role", "free", "heap", "seat", "minutes")

    def __init__(self, unit, role, size):
        self.unit = unit
        self.role = role
        self.free = size
        self.heap = []
        self.seat = False
        self.minutes = 0.0   # staff time spent, working minutes


class _Hop:
    """A scheduled callback: the smallest thing ``Environment.step`` can process.

    SimPy's ``Timeout`` carries more than a hop needs; the world schedules
    these directly on the environment's queue (time, NORMAL priority, event
    id, event), exactly as ``Environment.schedule`` does."""

    __slots__ = ("callbacks", "_ok", "_value")

    def __init__(self, value, callback):
        self.callbacks = [callback]
        self._ok = True
        self._value = value


class World:
    """One replication of a scenario: ``World(scenario, seed, replication=0, seat=None)``.

    ``run(until=None)`` simulates the scenario's period (or ``until`` days
    from its start); results are read with :func:`simulator.flows.indicators`.
    """

    def __init__(self, scenario: Scenario, seed: int = 0, *, replication: int = 0,
                 seat: tuple[str, Role] | None = None, record_events: bool = False,
                 calendar: WorkingCalendar | None = None) -> None:
        self.scenario = scenario
        self.seed = int(seed)
        self.replication = int(replication)
        self.calendar = cal = calendar or default_calendar()
        self.start = cal.to_minutes(scenario.period.start)
        self.horizon = self.start + scenario.period.days * 1440.0
        try:
            cal.to_datetime(self.horizon)
            cal._day_index((cal.to_datetime(self.horizon) + timedelta(days=40)).date())
        except ValueError:
            raise UserError(_("period: the period is outside the working calendar"), field="period") from None
        self._env = Environment(initial_time=self.start)
        self._queue, self._eid = self._env._queue, self._env._eid
        self.docs = R.DocumentTable()
        self.deliveries = R.DeliveryTable()
        self.log = R.EventLog() if record_events else None
        self._seq = count()
        self._targets: dict[int, int] = {}   # recipient of each reply
        self._seat_tasks_view: dict[int, SeatTask] = {}
        self._rng = {k: np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(self.replication, k)))
                     for k in range(6)}
        self._build_units()
        self._build_streams()
        self._build_outages()
        self._build_arrivals()
        self._service = self.scenario.service
        self._action_share = [v.action_share for v in self.volumes_of]
        self._reply_share = [v.reply_share for v in self.volumes_of]
        self.pages_printed = 0
        self.pages_scanned = 0
        self.postage = 0.0
        self._win_lo = self._win_hi = -1.0   # the office-hours window 'now' is in (fast path)
        self.activities = 0   # activities as the event log counts them (start and complete of each step)
        self.tasks = 0        # staff tasks started (a step of one document at one desk)
        self._seat_pool = None
        self._seat_queue: list = []
        self._seat_busy_until = -1.0
        self._seat_in_hand: dict[int, _Item] = {}
        self._stop = None
        if seat is not None:
            self._attach_seat(*seat)
        self._env.process(self._days())

    # ------------------------------------------------------------------ build
    def _build_units(self) -> None:
        sc = self.scenario
        province = load_province(sc.province, sc.structure)
        self.province = province
        only = None
        if sc.only_district:
            only = find_district(province, sc.only_district)
            if only is None:
                raise UserError(_("{file}: {field}: unknown district {name!r}", file=sc.name, field="only_district",
                                  name=sc.only_district), field="only_district")
        units = []
        passive = []
        for u in province.units:
            if only is not None:
                if u.level == Level.CENTRAL:
                    continue
                if u.level == Level.PROVINCE:
                    units.append(u); passive.append(True); continue
                if u.code == only.code or u.district == only.code:
                    units.append(u); passive.append(False)
                continue
            units.append(u)
            passive.append(u.level == Level.CENTRAL)
        self.units = units
        self.passive = passive
        n = len(units)
        self.index = {u.code: i for i, u in enumerate(units)}
        level_key = {UnitKind.CENTRAL_BODY: "central", UnitKind.PROVINCE_COMMITTEE: "committee",
                     UnitKind.DEPARTMENT: "department", UnitKind.DISTRICT_COMMITTEE: "district",
                     UnitKind.COMMUNE_COMMITTEE: "commune"}
        self.kind_key = [level_key[u.kind] for u in units]
        self.district_of = [self.index.get(u.district, -1) if u.district else
                            (i if u.kind == UnitKind.DISTRICT_COMMITTEE else -1) for i, u in enumerate(units)]
        # Overrides name districts: resolve them to codes once.
        resolved = []
        for o in sc.overrides:
            code = None
            if o.district:
                unit = find_district(province, o.district)
                if unit is None:
                    raise UserError(_("{file}: {field}: unknown district {name!r}", file=sc.name,
                                      field="overrides.district", name=o.district), field="overrides")
                code = unit.code
            resolved.append((o, code))
        rng = self._rng[S_EQUIPMENT]
        self.adoption = []
        self.volumes_of = []
        self.service_of = []
        self.connected = [False] * n
        self.has_system = [False] * n
        self.cert_share = [0.0] * n
        self.mailbox_share = [0.0] * n
        self.computer_share = [0.0] * n
        self.network_rate = [0.0] * n
        self.staff = []
        self.pools = []
        cache = {}
        for i, u in enumerate(units):
            lk = {"committee": "province", "department": "province"}.get(self.kind_key[i], self.kind_key[i])
            dcode = units[self.district_of[i]].code if self.district_of[i] >= 0 else None
            key = (lk, dcode)
            if key not in cache:
                adoption, network, staffing = sc.adoption, sc.outages.unit_network_per_week, None
                volumes, service = sc.volumes, sc.service
                matching = [o for o, code in resolved if o.level == lk]
                matching += [o for o, code in resolved if code is not None and code == dcode]
                for o in matching:   # level first, then district: the district wins
                    adoption = _merge_adoption(adoption, o.adoption)
                    volumes = merge_settings(volumes, o.volumes)
                    service = merge_settings(service, o.service)
                    network = o.unit_network_per_week if o.unit_network_per_week is not None else network
                    staffing = o.staffing or staffing
                cache[key] = (adoption, network, staffing, volumes, service)
            adoption, network, staffing, volumes, service = cache[key]
            self.adoption.append(adoption)
            self.volumes_of.append(volumes)
            self.service_of.append(service)
            self.network_rate[i] = network
            base = u.staffing
            kind_override = sc.staffing.get(self.kind_key[i]) if self.kind_key[i] != "central" else None
            counts = [base.clerks, base.leaders, base.specialists]
            for ov in (kind_override, staffing):
                if ov is not None:
                    counts = [ov.clerks or counts[0], ov.leaders or counts[1], ov.specialists or counts[2]]
            self.staff.append(counts)
            if self.passive[i] or u.level == Level.CENTRAL:
                self.has_system[i] = self.connected[i] = True
                self.cert_share[i] = self.mailbox_share[i] = self.computer_share[i] = 1.0
                self.pools.append(None)
                continue
            a = adoption
            self.has_system[i] = bool(rng.random() < a.document_system)
            p_conn = min(1.0, a.connected / a.document_system) if a.document_system > 0 else 0.0
            self.connected[i] = self.has_system[i] and bool(rng.random() < p_conn)
            total = sum(counts)
            self.cert_share[i] = rng.binomial(counts[1], a.certificates) / counts[1]
            self.mailbox_share[i] = rng.binomial(total, a.mailbox) / total
            self.computer_share[i] = rng.binomial(total, a.computers) / total
            self.pools.append([_Pool(i, r, counts[r]) for r in range(3)])
        # Recipients by flow.
        committee = [i for i, u in enumerate(units) if u.kind == UnitKind.PROVINCE_COMMITTEE]
        departments = [i for i, u in enumerate(units) if u.kind == UnitKind.DEPARTMENT]
        districts = [i for i, u in enumerate(units) if u.kind == UnitKind.DISTRICT_COMMITTEE]
        communes = [i for i, u in enumerate(units) if u.kind == UnitKind.COMMUNE_COMMITTEE]
        central = [i for i, u in enumerate(units) if u.kind == UnitKind.CENTRAL_BODY]
        communes_of = {d: [] for d in districts}
        for c in communes:
            if self.district_of[c] in communes_of:
                communes_of[self.district_of[c]].append(c)
        two_level = sc.structure == 2025
        self.down_all, self.down_one, self.up_to, self.lateral_to = [], [], [], []
        for i, u in enumerate(units):
            k = self.kind_key[i]
            if k == "central":
                every, one = committee + departments, committee + departments
                up, lat = [], []
            elif k == "committee":
                every = communes if two_level else districts
                one = departments + districts if not two_level else departments + communes
                up, lat = central, []
            elif k == "department":
                every = communes if two_level else districts
                one = every
                up, lat = committee, [d for d in departments if d != i]
            elif k == "district":
                every = communes_of.get(i, [])
                one = every
                up, lat = committee + departments, [d for d in districts if d != i]
            else:
                every, one = [], []
                if two_level:
                    up = committee + departments
                    lat = [c for c in communes if c != i]
                else:
                    up = [self.district_of[i]] if self.district_of[i] >= 0 else committee
                    lat = [c for c in communes_of.get(self.district_of[i], []) if c != i]
            self.down_all.append(every)
            self.down_one.append(one)
            self.up_to.append(up)
            self.lateral_to.append(lat)
        self.all_communes = communes
        # One district simulated: the province level sends it only its share of downward mail.
        self.rate_scale = [1.0] * n
        if only is not None:
            for i in range(n):
                if passive[i]:
                    k = self.kind_key[i]
                    active_one = [j for j in self.down_one[i] if not passive[j]]
                    original = (len(departments) if k == "committee" else 0) + len(province.districts)
                    bs = getattr(self.volumes_of[i].broadcast_share, k)
                    self.rate_scale[i] = bs + (1 - bs) * len(active_one) / max(1, original)
                    self.down_one[i] = active_one
        self.two_level = two_level
        self.type_choice = {}
        for flow, mix in TYPE_MIX.items():
            keys = [TYPE_KEYS.index(k) for k, _ in mix]
            weights = np.cumsum([w for _, w in mix], dtype=float)
            self.type_choice[flow] = (keys, (weights / weights[-1]).tolist())
        self.legal_type = bytearray(DOCUMENT_TYPES[k].legal for k in TYPE_KEYS)
        self.extra_days = [self._terrain_days(u.terrain) for u in units]

    def _terrain_days(self, terrain: str) -> float:
        t = self.scenario.transit
        return {"mountain": t.mountain_extra_days, "high-mountain": t.high_mountain_extra_days}.get(terrain, 0.0)

    def _build_streams(self) -> None:
        rng = self._rng
        cv = self.scenario.service.cv
        sigma = math.sqrt(math.log(1.0 + cv * cv))
        mu = -sigma * sigma / 2.0  # mean 1
        # Keyed tables: uniforms for choices, lognormal multipliers (mean 1) for service times.
        self._U = rng[S_CHOICE].random(MASK + 1).tolist()
        self._M = (np.exp(rng[S_SERVICE].normal(mu, sigma, MASK + 1)) if sigma > 0
                   else np.ones(MASK + 1)).tolist()
        self._exo = count(1)
        self._log_q = math.log(1.0 - 1.0 / self.scenario.volumes.pages_mean)

    def _r(self, key: int, slot: int) -> float:
        return self._U[(key + OFFSET[slot]) & MASK]

    def _expo(self, key: int, slot: int) -> float:
        return -math.log(1.0 - self._U[(key + OFFSET[slot]) & MASK])

    def _build_outages(self) -> None:
        sc = self.scenario.outages
        rng = self._rng[S_OUTAGES]
        span = self.horizon - self.start + 60 * 1440

        def intervals(per_week, hours):
            if per_week <= 0 or hours <= 0:
                return Outages([])
            n = rng.poisson(per_week * span / (7 * 1440))
            starts = self.start + rng.random(n) * span
            lengths = rng.exponential(hours * 60.0, n)
            return Outages(zip(starts.tolist(), (starts + lengths).tolist()))

        self.net_outages = [intervals(self.network_rate[i], sc.unit_network_hours) if not self.passive[i]
                            else Outages([]) for i in range(len(self.units))]
        self.lgsp_outages = intervals(sc.axis_per_week, sc.axis_hours)
        self.national_outages = intervals(sc.axis_per_week, sc.axis_hours)

    def _build_arrivals(self) -> None:
        pairs_u, pairs_f, rates = [], [], []
        for i in range(len(self.units)):
            k = self.kind_key[i]
            vol = self.volumes_of[i]
            flows = ((R.INTERNAL, vol.internal), (R.DOWN, vol.down), (R.UP, vol.up), (R.LATERAL, vol.lateral),
                     (R.CITIZENS_OUT, vol.citizens_out), (R.CITIZENS_IN, vol.citizens_in))
            for flow, lr in flows:
                if self.passive[i] and flow != R.DOWN:
                    continue
                rate = getattr(lr, k)
                if rate <= 0:
                    continue
                if flow == R.DOWN and not self.down_all[i] and not self.down_one[i]:
                    continue
                if flow == R.UP and not self.up_to[i]:
                    continue
                if flow == R.LATERAL and not self.lateral_to[i]:
                    continue
                rate *= self.rate_scale[i]
                pairs_u.append(i)
                pairs_f.append(flow)
                rates.append(rate)
        self._pair_unit = np.asarray(pairs_u, dtype=np.int64)
        self._pair_flow = np.asarray(pairs_f, dtype=np.int64)
        self._pair_rate = np.array(rates, dtype=float)

    # ------------------------------------------------------------------ arrivals
    def _days(self):
        """Once a day, draw that day's new documents and schedule their creation."""
        env, cal = self._env, self.calendar
        rng = self._rng[S_ARRIVALS]
        mpd = cal.minutes_per_day
        day = int(self.start // 1440)
        while day * 1440.0 < self.horizon:
            if cal._working[day]:
                counts = rng.poisson(self._pair_rate)
                idx = np.nonzero(counts)[0]
                reps = counts[idx]
                n = int(reps.sum())
                units = np.repeat(self._pair_unit[idx], reps).tolist()
                flows = np.repeat(self._pair_flow[idx], reps).tolist()
                # Working-minute offsets to clock times, vectorised over the day's office windows.
                off = rng.random(n) * mpd
                clock = np.full(n, float(day * 1440))
                done = 0.0
                for a, b in cal._windows:
                    inside = (off >= done) & (off < done + (b - a))
                    clock[inside] += a + off[inside] - done
                    done += b - a
                create = self._create_cb
                horizon = self.horizon
                at = self._at
                for t, u, f in zip(clock.tolist(), units, flows):
                    if t < horizon:
                        at(t, (u, f), create)
            day += 1
            yield env.timeout(day * 1440.0 - env._now)

    def _create_cb(self, ev) -> None:
        u, f = ev._value
        key = _mix(next(self._exo), 0x27D4EB2F)
        if f == R.CITIZENS_IN:
            self._citizen_arrives(u, key)
        else:
            self._new_document(u, f, -1, -1, key)

    def _pick_type(self, flow: int, key: int) -> int:
        keys, cum = self.type_choice[flow]
        return keys[bisect.bisect_left(cum, self._r(key, K_KIND))] if len(keys) > 1 else keys[0]

    def _pages_for(self, key: int) -> int:
        """Geometric number of pages with the scenario's mean, by inverse transform."""
        u = self._r(key, K_PAGES)
        return min(60, 1 + int(math.log(1.0 - u) / self._log_q)) if self._log_q < 0 else 1

    def _new_document(self, u: int, flow: int, target: int, parent: int, key: int) -> int:
        """A unit starts a document; ``target`` is the reply's recipient (-1 citizen) for replies."""
        d = self.docs
        vol = self.volumes_of[u]
        now = self._env._now
        doc = len(d.flow)
        if flow == R.INTERNAL:
            group = R.G_INTERNAL
        elif flow == R.CITIZENS_OUT or (flow == R.REPLY and target < 0):
            group = R.G_CITIZENS
        elif flow == R.REPLY and target == u:
            group = R.G_INTERNAL
        else:
            group = R.G_AGENCY
        kind = self._pick_type(flow, key)
        U = self._U
        urgent = U[(key + O_URGENT) & MASK] < vol.urgent_share
        secret = U[(key + O_SECRET) & MASK] < vol.secret_share
        ad = self.adoption[u]
        mix = (ad.internal, ad.interagency, ad.citizens)[group]
        r = U[(key + O_MODE) & MASK]
        if secret or not self.has_system[u]:
            mode = R.M_PAPER
        elif r < mix.electronic:
            mode = R.M_ELECTRONIC
        elif r < mix.electronic + mix.electronic_with_paper:
            mode = R.M_ELECTRONIC_PAPER
        else:
            mode = R.M_PAPER
        if mode == R.M_PAPER:
            signed = R.S_PAPER
        else:
            signed = R.S_DIGITAL if U[(key + O_SIGNED) & MASK] < mix.digital_signature * self.cert_share[u] \
                else R.S_SCANNED
        pages = self._pages_for(key)
        d.issuer.append(u)
        d.flow.append(flow)
        d.group.append(group)
        d.kind.append(kind)
        d.urgent.append(urgent)
        d.secret.append(secret)
        d.mode.append(mode)
        d.signed.append(signed)
        d.final.append(R.M_PAPER)
        d.pages.append(pages)
        d.legal.append(self.legal_type[kind] and flow in (R.DOWN, R.CITIZENS_OUT))
        d.published.append(0)
        d.state.append(R.D_PIPELINE)
        d.parent.append(parent)
        d.created.append(now)
        d.dispatched.append(math.nan)
        d.key.append(key)
        if flow == R.REPLY:
            self._targets[doc] = target
        self.activities += 1
        if self.log is not None:
            self.log.add(doc, -1, R.A_CREATE, now, u, R.NO_ROLE, R.COMPLETE)
        if self.passive[u]:
            self._dispatch(doc)
        else:
            self._submit(self.pools[u][R.SPECIALIST],
                         _Item(R.DRAFT, doc, u, 0 if urgent else 1, self.service_of[u].draft, key))
        return doc

    def _citizen_arrives(self, u: int, key: int) -> None:
        """A petition from a business or citizen reaches a unit (no sender pipeline)."""
        d = self.docs
        vol = self.volumes_of[u]
        r_ = self._r
        now = self._env._now
        doc = len(d.flow)
        mix = self.adoption[u].citizens
        electronic = r_(key, K_MODE) < mix.electronic + mix.electronic_with_paper and self.has_system[u]
        d.issuer.append(-1)
        d.flow.append(R.CITIZENS_IN)
        d.group.append(R.G_CITIZENS)
        d.kind.append(self._pick_type(R.CITIZENS_IN, key))
        d.urgent.append(r_(key, K_URGENT) < vol.urgent_share)
        d.secret.append(0)
        d.mode.append(R.M_ELECTRONIC if electronic else R.M_PAPER)
        d.signed.append(R.S_DIGITAL if electronic and r_(key, K_SIGNED) < mix.digital_signature else
                        (R.S_SCANNED if electronic else R.S_PAPER))
        d.final.append(R.M_ELECTRONIC if electronic else R.M_PAPER)
        d.pages.append(self._pages_for(key))
        d.legal.append(0)
        d.published.append(0)
        d.state.append(R.D_DISPATCHED)
        d.parent.append(-1)
        d.created.append(now)
        d.dispatched.append(now)
        d.key.append(key)
        self.activities += 1
        if self.log is not None:
            self.log.add(doc, -1, R.A_CREATE, now, -1, R.NO_ROLE, R.COMPLETE)
        v = self._new_delivery(doc, u, R.C_PUBLIC if electronic else R.C_POST, now, 0)
        self._arrive(_Item(R.TRANSIT, v, u, 0, 0.0, self.deliveries.key[v]))

    # ------------------------------------------------------------------ staff pools
    def _at(self, t: float, value, callback) -> None:
        """Call ``callback`` at time ``t`` (never in the past), as ``Environment.schedule`` would."""
        now = self._env._now
        heappush(self._queue, (t if t > now else now, NORMAL, next(self._eid), _Hop(value, callback)))

    def _submit(self, pool: _Pool, item: _Item) -> None:
        item.pool = pool
        if pool.free and not pool.seat:
            pool.free -= 1
            self._begin(item)
        elif pool.seat:
            item.since = self._env._now
            self._seat_put(item)
        else:
            heappush(pool.heap, (item.prio, next(self._seq), item))

    def _begin(self, item: _Item) -> None:
        now = self._env._now
        minutes = item.base * self._M[(item.key + OFFSET[item.stage + 20]) & MASK]
        item.pool.minutes += minutes
        self.tasks += 1
        end = now + minutes
        if end > self._win_hi or now < self._win_lo:
            end = self._end_of_work(now, minutes)
        self.activities += 1
        if self.log is not None:
            ref = item.ref
            doc = ref if item.stage < R.REGISTER else self.deliveries.doc[ref]
            self.log.add(doc, ref if item.stage >= R.REGISTER else -1, R.STAGE_ACTIVITY[item.stage],
                         self.calendar.next_open(now), item.unit, item.pool.role, R.START)
        heappush(self._queue, (end, NORMAL, next(self._eid), _Hop(item, self._finish_cb)))

    def _end_of_work(self, now: float, minutes: float) -> float:
        """Calendar arithmetic, and remember the office window ``now`` is in for the fast path."""
        cal = self.calendar
        day = int(now // 1440)
        self._win_lo = self._win_hi = -1.0
        if cal._working[day]:
            m = now - day * 1440
            for a, b in cal._windows:
                if a <= m < b:
                    self._win_lo, self._win_hi = day * 1440.0 + a, day * 1440.0 + b
                    break
        end = cal._at_index(cal.working_index(now) + minutes, finishing=True)
        return end if end > now else now

    def _finish_cb(self, ev) -> None:
        item = ev._value
        pool = item.pool
        self._complete(item, None)
        if pool.heap:
            self._begin(heappop(pool.heap)[2])
        else:
            pool.free += 1

    def _complete(self, item: _Item, action: str | None) -> None:
        """A stage is done: move the document on (``action`` is the seat's choice, None automatic)."""
        stage = item.stage
        u = item.unit
        now = self._env._now
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
            self._submit(pools[R.LEADER], item)
        elif stage == R.SIGN:
            if action == "reject":
                item.stage, item.base = R.DRAFT, sv.draft / 2
                item.key = _mix(item.key, 0x2545F491)  # a redraft takes its own time
                self._submit(pools[R.SPECIALIST], item)
                return
            doc = item.ref
            d = self.docs
            mode = d.mode[doc]
            base = sv.dispatch_paper if mode == R.M_PAPER else sv.dispatch_electronic
            if d.signed[doc] == R.S_SCANNED:
                base += sv.scan_per_page * d.pages[doc]
            item.stage, item.base = R.DISPATCH, base
            self._submit(pools[R.CLERK], item)
        elif stage == R.DISPATCH:
            self._dispatch(item.ref)
        elif stage == R.REGISTER:
            v = item.ref
            dl = self.deliveries
            if action is None and self._defect(v, item.key) is not None:
                action = "return"   # the clerk checks authenticity and address, and sends it back
            if action == "return":
                dl.state[v] = R.V_RETURNED
                dl.handled[v] = now
                self.activities += 1
                if self.log is not None:
                    self.log.add(dl.doc[v], v, R.A_RETURN, now, u, R.CLERK, R.COMPLETE)
                return
            dl.registered[v] = now
            item.stage, item.base = R.ASSIGN, sv.assign
            self._submit(pools[R.LEADER], item)
        elif stage == R.ASSIGN:
            v = item.ref
            dl = self.deliveries
            act = dl.action[v] if action is None else action == "assign"
            dl.action[v] = act
            if act:
                item.stage, item.base = R.HANDLE, sv.handle
                wait = sv.handle_wait_days * self._expo(item.key, K_WAIT)
                if wait > 0:  # the file waits among the specialist's other duties
                    cal = self.calendar
                    end = cal._at_index(cal.working_index(now) + wait * cal.minutes_per_day, finishing=True)
                    self._at(end, item, self._to_handle_cb)
                else:
                    self._submit(pools[R.SPECIALIST], item)
            else:
                self._file(v, u, now)
        elif stage == R.HANDLE:
            v = item.ref
            doc = self.deliveries.doc[v]
            reply = (self._U[(item.key + O_REPLY) & MASK] < self._reply_share[u]) if action is None \
                else action == "reply"
            self._file(v, u, now)
            if reply:
                self._new_document(u, R.REPLY, self.docs.issuer[doc], doc, _mix(item.key, 0x5BD1E995))

    def _defect(self, v: int, key: int) -> str | None:
        """What is wrong with an electronic arrival, if anything (fixed by the delivery's key)."""
        r = self.deliveries.unit[v]
        if r < 0 or self.deliveries.channel[v] not in R.ELECTRONIC_CHANNELS:
            return None
        if self._r(key, K_DEFECT) >= self.volumes_of[r].defect_share:
            return None
        return DEFECTS[int(self._r(key, K_DEFECT_KIND) * len(DEFECTS))]

    def _to_handle_cb(self, ev) -> None:
        item = ev._value
        self._submit(self.pools[item.unit][R.SPECIALIST], item)

    def _file(self, v: int, u: int, now: float) -> None:
        dl = self.deliveries
        dl.state[v] = R.V_FILED
        dl.handled[v] = now
        self.activities += 1
        if self.log is not None:
            self.log.add(dl.doc[v], v, R.A_FILE, now, u, R.CLERK, R.COMPLETE)

    # ------------------------------------------------------------------ channels
    def _recipients(self, doc: int) -> list[int]:
        d = self.docs
        u, flow = d.issuer[doc], d.flow[doc]
        key = d.key[doc]
        if flow == R.INTERNAL:
            return [u]
        if flow == R.CITIZENS_OUT:
            return [-1]
        if flow == R.REPLY:
            return [self._targets[doc]]
        if flow == R.DOWN:
            vol = self.volumes_of[u]
            k = self.kind_key[u]
            if self._r(key, K_BROADCAST) < getattr(vol.broadcast_share, k) and self.down_all[u]:
                if k == "committee" and not self.two_level and \
                        self._r(key, K_COMMUNES) < vol.province_to_communes_share:
                    return self.all_communes
                return self.down_all[u]
            pool = self.down_one[u] or self.down_all[u]
            return [pool[int(self._r(key, K_PICK) * len(pool))]]
        targets = self.up_to[u] if flow == R.UP else self.lateral_to[u]
        return [targets[int(self._r(key, K_PICK) * len(targets))]]

    def _dispatch(self, doc: int) -> None:
        """The clerk sends a signed, numbered document to every recipient."""
        env = self._env
        now = env._now
        d = self.docs
        sc = self.scenario
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
        recipients = self._recipients(doc)
        electronic = paper = 0
        passive = self.passive
        costs = not passive[u]   # paper and postage of units outside the simulation are not ours
        if costs and d.signed[doc] != R.S_DIGITAL:
            self.pages_printed += pages  # the original signed on paper, kept by the sender
        if costs and d.signed[doc] == R.S_SCANNED:
            self.pages_scanned += pages
        connected = self.connected
        mailbox = self.mailbox_share
        transit = sc.transit
        my_km = self.units[u].distance_km if u >= 0 else 0.0
        for r in recipients:
            vkey = _mix(key, r + 3)
            if mode == R.M_PAPER:
                ch = R.C_HAND if r == u else R.C_POST
            elif r == u:
                ch = R.C_SYSTEM
            elif r < 0:
                ch = R.C_PUBLIC
            elif connected[u] and connected[r]:
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
            v = self._new_delivery(doc, r, ch, now, tries, vkey, arrival)
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
                self._at(arrival, _Item(R.TRANSIT, v, r, 0, 0.0, vkey), self._arrive_cb)
        d.final[doc] = R.M_ELECTRONIC if paper == 0 else (R.M_ELECTRONIC_PAPER if electronic else R.M_PAPER)

    def _postage(self, u: int, r: int, my_km: float) -> None:
        c = self.scenario.costs
        km = abs(my_km - (self.units[r].distance_km if r >= 0 else my_km)) + 10.0
        self.postage += c.postage_per_item + c.postage_per_100km * km / 100.0

    def _transit_time(self, u: int, r: int, ch: int, now: float, t, key: int) -> tuple[float, int]:
        retry = self.scenario.outages.retry_minutes
        if ch == R.C_LGSP or ch == R.C_NATIONAL:
            axis = self.lgsp_outages if ch == R.C_LGSP else self.national_outages
            t0, n0 = self.net_outages[u].clear(now, retry)
            t1, n1 = axis.clear(t0, retry)
            t2 = t1 + t.axis_minutes * self._expo(key, K_TRANSIT)
            t3, n2 = self.net_outages[r].clear(t2, retry) if r >= 0 else (t2, 0)
            return t3, n0 + n1 + n2
        if ch == R.C_EMAIL or ch == R.C_PUBLIC:
            t0, n0 = self.net_outages[u].clear(now, retry) if u >= 0 else (now, 0)
            t1 = t0 + t.email_minutes * self._expo(key, K_TRANSIT)
            t2, n1 = self.net_outages[r].clear(t1, retry) if r >= 0 else (t1, 0)
            return t2, n0 + n1
        if ch == R.C_SYSTEM:
            return now + 1.0, 0
        if ch == R.C_HAND:
            return now + t.hand_minutes * self._expo(key, K_TRANSIT), 0
        # Post: days by distance and terrain, delivered during office hours.
        km_a = self.units[u].distance_km if u >= 0 else 0.0
        km_b = self.units[r].distance_km if r >= 0 else km_a
        extra = max(self.extra_days[u] if u >= 0 else 0.0, self.extra_days[r] if r >= 0 else 0.0)
        days = t.post_base_days + abs(km_a - km_b) / t.post_km_per_day + extra + self._r(key, K_POST)
        return self.calendar.next_open(now + days * 1440.0), 0

    def _new_delivery(self, doc: int, r: int, ch: int, now: float, tries: int, key: int | None = None,
                      arrival: float | None = None) -> int:
        dl = self.deliveries
        v = len(dl.doc)
        if key is None:
            key = _mix(self.docs.key[doc], r + 3)
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
        dl.registered.append(math.nan)
        dl.handled.append(math.nan)
        return v

    def _arrive_cb(self, ev) -> None:
        self._arrive(ev._value)

    def _arrive(self, item: _Item) -> None:
        v = item.ref
        r = item.unit
        dl = self.deliveries
        now = self._env._now
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
        doc = dl.doc[v]
        if electronic:
            dl.digitised[v] = 1
            base = sv.register_electronic
        elif self._U[(item.key + O_DIGITISE) & MASK] < self.adoption[r].archive_digitisation:
            dl.digitised[v] = 1
            base = sv.register_paper + sv.scan_per_page * self.docs.pages[doc]
            self.pages_scanned += self.docs.pages[doc]
        else:
            base = sv.register_paper
        item.prio = 0 if self.docs.urgent[doc] else 1
        if self.docs.flow[doc] == R.INTERNAL:
            dl.registered[v] = now  # internal papers are not entered in the incoming register
            item.stage, item.base = R.ASSIGN, sv.assign
            self._submit(self.pools[r][R.LEADER], item)
        else:
            item.stage, item.base = R.REGISTER, base
            self._submit(self.pools[r][R.CLERK], item)

    # ------------------------------------------------------------------ running
    def run(self, until: float | None = None) -> "World":
        """Simulate to the end of the period, or ``until`` days from its start."""
        end = self.horizon if until is None else min(self.horizon, self.start + float(until) * 1440.0)
        if end > self._env._now:
            if self._seat_pool is not None and self._seat_queue:
                raise UserError(_("the seat has tasks waiting; use next_task() and decide()"), field="seat")
            self._env.run(until=end)
        return self

    @property
    def clock(self) -> float:
        """Simulated time in minutes since the calendar's epoch."""
        return self._env._now

    @property
    def now(self) -> datetime:
        return self.calendar.to_datetime(self._env._now)

    @property
    def finished(self) -> bool:
        return self._env._now >= self.horizon

    # ------------------------------------------------------------------ the seat
    def _attach_seat(self, unit_code: str, role: Role) -> None:
        role = Role(role)
        if unit_code not in self.index:
            unit_code = self.province.find(unit_code).code
            if unit_code not in self.index:
                raise UserError(_("the seat's unit {unit} is not simulated in this scenario", unit=unit_code),
                                field="seat")
        i = self.index[unit_code]
        if role not in ROLE_INDEX or self.pools[i] is None:
            raise UserError(_("no seat for role {role} at {unit}", role=role.value, unit=unit_code), field="seat")
        self._seat_pool = self.pools[i][ROLE_INDEX[role]]
        self._seat_pool.seat = True
        self.seat = (unit_code, role)

    def _seat_put(self, item: _Item) -> None:
        heappush(self._seat_queue, (item.prio, next(self._seq), item))
        if self._stop is not None and not self._stop.triggered:
            self._stop.succeed()

    def next_task(self) -> SeatTask | None:
        """Run the world until a task is on the seat's desk and the seat is free; None at the end."""
        if self._seat_pool is None:
            raise UserError(_("this world has no seat"), field="seat")
        if self._seat_in_hand:
            task_id = next(iter(self._seat_in_hand))
            return self._seat_tasks_view[task_id]
        env = self._env
        while not (self._seat_queue and env._now >= self._seat_busy_until):
            if env._now >= self.horizon:
                return None
            # Stop when a task reaches the seat, when the seat is free again, or at the horizon.
            stop = self._stop = env.event()
            wake = min(self.horizon, self._seat_busy_until) if self._seat_queue else self.horizon
            timer = env.timeout(max(0.0, wake - env._now))
            timer.callbacks.append(lambda _e, s=stop: None if s.triggered else s.succeed())
            env.run(until=stop)
            self._stop = None
        _, _, item = heappop(self._seat_queue)
        task = self._task_for(item)
        self._seat_in_hand[task.task_id] = item
        self._seat_tasks_view[task.task_id] = task
        return task

    run_until_seat = next_task

    def pending_tasks(self) -> int:
        """Tasks waiting at the seat (not counting the one in hand)."""
        return len(self._seat_queue)

    def decide(self, task: SeatTask, decision: Decision | str) -> None:
        """Apply the seat's decision; the stage finishes after ``decision.minutes`` of working time."""
        if isinstance(decision, str):
            decision = Decision(decision)
        item = self._seat_in_hand.get(task.task_id)
        if item is None:
            raise UserError(_("task {task} is not on the seat's desk", task=task.task_id), field="task")
        if decision.action not in task.actions:
            raise UserError(_("action {action!r} is not possible here; choose one of {actions}",
                              action=decision.action, actions=", ".join(task.actions)), field="action")
        minutes = item.base if decision.minutes is None else float(decision.minutes)
        if minutes < 0:
            raise UserError(_("minutes must not be negative"), field="minutes")
        del self._seat_in_hand[task.task_id]
        del self._seat_tasks_view[task.task_id]
        env, cal = self._env, self.calendar
        end = cal.add_working_minutes(env._now, minutes) if minutes > 0 else env._now
        self._seat_busy_until = end
        item.pool.minutes += minutes
        ev = Timeout(env, max(0.0, end - env._now), item)
        ev.callbacks.append(lambda e, a=decision.action: self._complete(e._value, a))

    def _task_for(self, item: _Item) -> SeatTask:
        d, dl, cal = self.docs, self.deliveries, self.calendar
        stage = item.stage
        if stage >= R.REGISTER:
            v = item.ref
            doc = dl.doc[v]
            channel = R.CHANNEL_KEYS[dl.channel[v]]
            arrived = dl.arrived[v]
            if stage == R.REGISTER:
                due = self._next_day_close(arrived)
            else:
                due = self._handle_due(arrived, d.urgent[doc])
            recipients = (self.units[dl.unit[v]].code,)
        else:
            v, doc, channel, due = None, item.ref, None, None
            recipients = tuple(self.units[r].code for r in self._peek_recipients(doc))
        issuer = d.issuer[doc]
        return SeatTask(
            task_id=next(self._seq), stage=R.STAGE_KEYS[stage], unit_code=self.units[item.unit].code,
            role=ROLE_OF_INDEX[item.pool.role].value, document=doc, delivery=v,
            doc_type=TYPE_KEYS[d.kind[doc]], issuer_code=self.units[issuer].code if issuer >= 0 else None,
            recipient_codes=recipients, flow=R.FLOW_KEYS[d.flow[doc]], urgent=bool(d.urgent[doc]),
            secret=bool(d.secret[doc]), pages=d.pages[doc], channel=channel, mode=R.MODE_KEYS[d.mode[doc]],
            signed=("paper", "digital", "scanned")[d.signed[doc]], created=cal.to_datetime(d.created[doc]),
            arrived=cal.to_datetime(item.since), due=cal.to_datetime(due) if due is not None else None,
            seed=(self.seed * 1_000_003 + self.replication * 7919 + d.key[doc]) % (2 ** 32),
            defect=self._defect(v, item.key) if stage == R.REGISTER else None,
            actions=STAGE_ACTIONS[R.STAGE_KEYS[stage]])

    def _peek_recipients(self, doc: int) -> list[int]:
        """Recipients shown on an outgoing task: known for replies and internal papers, else the usual ones."""
        d = self.docs
        u, flow = d.issuer[doc], d.flow[doc]
        if flow == R.INTERNAL:
            return [u]
        if flow == R.REPLY:
            t = self._targets[doc]
            return [t] if t >= 0 else []
        if flow == R.DOWN:
            return self.down_all[u] or self.down_one[u][:1]
        if flow == R.UP:
            return self.up_to[u][:1]
        if flow == R.LATERAL:
            return self.lateral_to[u][:1]
        return []

    # ------------------------------------------------------------------ deadlines
    def _next_day_close(self, t: float) -> float:
        cal = self.calendar
        day = int(t // 1440)
        k = bisect.bisect_right(cal._working_days, day)
        return cal._working_days[k] * 1440.0 + cal.close_minute

    def _handle_due(self, t: float, urgent: bool) -> float:
        cal = self.calendar
        sv = self.scenario.service
        n = sv.urgent_due_working_days if urgent else sv.handle_due_working_days
        day = int(t // 1440)
        k = bisect.bisect_right(cal._working_days, day) + n - 1
        return cal._working_days[k] * 1440.0 + cal.close_minute

    # ------------------------------------------------------------------ conservation
    def census(self) -> dict[str, int]:
        """Where every document and delivery is now, found by walking the world.

        Raises ``AssertionError`` if anything is lost or counted twice. Live
        work is found in the pools' queues, the seat, and the scheduled
        events (in service or in transit); finished work in its final state.
        """
        live_docs: dict[int, str] = {}
        live_deliveries: dict[int, str] = {}

        def note(item: _Item, where: str) -> None:
            target = live_docs if item.stage < R.REGISTER else live_deliveries
            if item.stage == R.TRANSIT:
                target = live_deliveries
            key = "in_transit" if item.stage == R.TRANSIT else f"{where}:{R.STAGE_KEYS[item.stage]}"
            assert item.ref not in target, f"item {item.ref} counted twice ({target[item.ref]}, {key})"
            target[item.ref] = key

        for pools in self.pools:
            for pool in pools or ():
                for _, _, item in pool.heap:
                    note(item, "queued")
        for _, _, item in self._seat_queue:
            note(item, "at_seat")
        for item in self._seat_in_hand.values():
            note(item, "at_seat")
        for _, _, _, ev in self._env._queue:
            if isinstance(ev._value, _Item) and ev.callbacks:
                waiting = any(getattr(cb, "__func__", None) is World._to_handle_cb for cb in ev.callbacks)
                note(ev._value, "waiting" if waiting else "in_service")
        counts: dict[str, int] = {}
        d, dl = self.docs, self.deliveries
        dispatched = 0
        for doc in range(len(d)):
            state = d.state[doc]
            if state == R.D_DISPATCHED:
                assert doc not in live_docs, f"document {doc} dispatched and still in the pipeline"
                dispatched += 1
            else:
                assert doc in live_docs, f"document {doc} lost before dispatch"
        assert len(live_docs) + dispatched == len(d)
        counts["documents"] = len(d)
        counts["documents_dispatched"] = dispatched
        for key in live_docs.values():
            counts["document_" + key] = counts.get("document_" + key, 0) + 1
        for v in range(len(dl)):
            state = dl.state[v]
            if state == R.V_LIVE:
                assert v in live_deliveries, f"delivery {v} lost"
            else:
                assert v not in live_deliveries, f"delivery {v} finished and still live"
                key = R.DELIVERY_STATE_KEYS[state]
                if state == R.V_DELIVERED_OUT and dl.arrived[v] > self._env._now:
                    key = "in_transit"   # to a sink, still on its way
                counts[key] = counts.get(key, 0) + 1
        for key in live_deliveries.values():
            counts[key] = counts.get(key, 0) + 1
        counts["deliveries"] = len(dl)
        return counts

    def staff_minutes(self) -> list[list[float]]:
        """Working minutes spent per unit and role (clerk, leader, specialist)."""
        return [[p.minutes for p in pools] if pools else [0.0, 0.0, 0.0] for pools in self.pools]

    @property
    def events_processed(self) -> int:
        """SimPy events scheduled so far (the environment's event counter)."""
        return self._env._eid.__reduce__()[1][0]


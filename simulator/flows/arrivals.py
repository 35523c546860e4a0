"""Arrivals: the documents units start, and petitions from citizens and businesses.

Every (unit, flow) pair has a daily rate (the scenario's volumes for the
unit's level). Once a working day, that day's new documents are drawn from
the arrival stream in one numpy block and spread over the day's office
hours; each is created by a scheduled call. What a document is (type,
urgency, secrecy, subject, mode, signature, pages) is drawn from the keyed
tables by the document's own key (:mod:`~simulator.flows.streams`).

How the sender sends it follows from causes, in this order (the first that
applies decides, and ``docs.why`` records it):

1. marked MẬT: paper (outside electronic exchange);
2. the sender has no document system: paper;
3. between agencies or to businesses and citizens, a type or subject the
   rules still keep with paper (``rules.paper_exceptions``, until
   ``rules.paper_exceptions_end``): documents to individuals on paper, the
   others (legal normative; finance, personnel, complaints) electronic with
   a paper copy;
4. otherwise staff habit (``adoption.<group>``): electronic only, with a
   paper copy, or printed; staff trained in electronic working
   (``adoption.training``, raised by a rollout) send electronically only.

An electronic document is signed digitally when its signer holds a
certificate (the unit's leaders' share, IV.3), has a computer for the token
(the unit's staff share, IV.5) and signs digitally by habit or is trained; else it is
signed on paper and scanned. Petitions come online as often as citizens
and businesses file online (``adoption.citizens_online``) where the unit
has a document system. Whether each copy then travels
electronically depends on both ends (:mod:`~simulator.flows.channels`).

A document starts at its unit's specialists (draft); a passive unit's
documents are dispatched at once. A petition has no sender pipeline: it
arrives at once at the unit's clerk.
"""

from __future__ import annotations

import bisect
import math
from datetime import timedelta

import numpy as np

from simulator.documents.types import DOCUMENT_TYPES
from simulator.flows import records as R
from simulator.flows.staff import Task
from simulator.flows.streams import K_MODE, K_SIGNED, K_URGENT, MASK, O_COMPUTER, O_INDIVIDUAL, O_KIND, O_MODE, \
    O_SECRET, O_SIGNED, O_SUBJECT, O_URGENT, OFFSET, S_ARRIVALS

O_TRAINED = OFFSET[30]   # slot 30 of the keyed tables: whether the staff on a document are trained

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
LEGAL_TYPE = bytearray(DOCUMENT_TYPES[k].legal for k in TYPE_KEYS)


def _type_choice() -> dict[int, tuple[list[int], list[float]]]:
    """Per flow: type indices and their cumulative probabilities."""
    choice = {}
    for flow, mix in TYPE_MIX.items():
        keys = [TYPE_KEYS.index(k) for k, _ in mix]
        weights = np.cumsum([w for _, w in mix], dtype=float)
        choice[flow] = (keys, (weights / weights[-1]).tolist())
    return choice


class Arrivals:
    """Creates documents: day by day from the arrival stream, and replies on request."""

    def __init__(self, engine, calendar, topology, streams, staff, channels, docs, log, targets,
                 start: float, horizon: float) -> None:
        self.env = engine
        self.calendar = calendar
        self.docs = docs
        self.log = log
        self.start, self.horizon = start, horizon
        self._targets = targets
        self.volumes_of, self.adoption = topology.volumes_of, topology.adoption
        self.has_system, self.cert_share = topology.has_system, topology.cert_share
        self.computer_share, self.trained = topology.computer_share, topology.trained_share
        self.passive, self.service_of = topology.passive, topology.service_of
        self.streams = streams
        self._U, self._r = streams.U, streams.r
        self._rng = streams.rng[S_ARRIVALS]
        self.pools, self.submit = staff.pools, staff.submit
        self.channels = channels
        self._call_at = engine.call_at
        self.type_choice = _type_choice()
        self.activities = 0   # event-log activities counted here (create)
        self._rates(topology)
        self._exceptions(topology.scenario.rules, topology)

    def _rates(self, topo) -> None:
        """The (unit, flow) pairs with a positive rate, as numpy arrays for the daily draw."""
        pairs_u, pairs_f, rates = [], [], []
        for i in range(len(topo.units)):
            k = topo.kind_key[i]
            vol = topo.volumes_of[i]
            flows = ((R.INTERNAL, vol.internal), (R.DOWN, vol.down), (R.UP, vol.up), (R.LATERAL, vol.lateral),
                     (R.CITIZENS_OUT, vol.citizens_out), (R.CITIZENS_IN, vol.citizens_in))
            for flow, lr in flows:
                if topo.passive[i] and flow != R.DOWN:
                    continue
                rate = getattr(lr, k)
                if rate <= 0:
                    continue
                if flow == R.DOWN and not topo.down_all[i] and not topo.down_one[i]:
                    continue
                if flow == R.UP and not topo.up_to[i]:
                    continue
                if flow == R.LATERAL and not topo.lateral_to[i]:
                    continue
                rate *= topo.rate_scale[i]
                pairs_u.append(i)
                pairs_f.append(flow)
                rates.append(rate)
        self._pair_unit = np.asarray(pairs_u, dtype=np.int64)
        self._pair_flow = np.asarray(pairs_f, dtype=np.int64)
        self._pair_rate = np.array(rates, dtype=float)

    def _exceptions(self, rules, topo) -> None:
        """Per unit, the cuts of the subject uniform that the paper exceptions cover."""
        on = set(rules.paper_exceptions)
        end = rules.paper_exceptions_end
        self._exceptions_until = math.inf if end is None else self.calendar.to_minutes(end)
        self._subject_cut, self._normative_from, self._individual = [], [], []
        for vol in topo.volumes_of:
            self._subject_cut.append(vol.finance_share * ("finance" in on) + vol.personnel_share * ("personnel" in on)
                                     + vol.complaint_share * ("complaints" in on))
            self._normative_from.append(1.0 - vol.normative_share if "legal_normative" in on else 2.0)
            self._individual.append(vol.to_individuals_share if "to_individuals" in on else 0.0)

    def days(self):
        """SimPy process: once a day, draw that day's new documents and schedule their creation."""
        env, cal = self.env, self.calendar
        rng = self._rng
        mpd = cal.minutes_per_day
        windows = cal.office_windows
        first = cal.epoch.date()
        day = int(self.start // 1440)
        while day * 1440.0 < self.horizon:
            if cal.is_working_day(first + timedelta(days=day)):
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
                for a, b in windows:
                    inside = (off >= done) & (off < done + (b - a))
                    clock[inside] += a + off[inside] - done
                    done += b - a
                create = self._create_cb
                horizon = self.horizon
                at = self._call_at
                for t, u, f in zip(clock.tolist(), units, flows):
                    if t < horizon:
                        at(t, (u, f), create)
            day += 1
            yield env.timeout(day * 1440.0 - env.now)

    def _create_cb(self, value: tuple[int, int]) -> None:
        u, f = value
        key = self.streams.new_key()
        if f == R.CITIZENS_IN:
            self._citizen_arrives(u, key)
        else:
            self.new_document(u, f, -1, -1, key)

    def _pick_type(self, flow: int, key: int) -> int:
        keys, cum = self.type_choice[flow]
        return keys[bisect.bisect_left(cum, self._U[(key + O_KIND) & MASK])] if len(keys) > 1 else keys[0]

    def new_document(self, u: int, flow: int, target: int, parent: int, key: int) -> int:
        """A unit starts a document; ``target`` is the reply's recipient (-1 citizen) for replies."""
        d = self.docs
        vol = self.volumes_of[u]
        now = self.env.now
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
        legal = LEGAL_TYPE[kind] and flow in (R.DOWN, R.CITIZENS_OUT)
        if secret:
            mode, why = R.M_PAPER, R.W_SECRET
        elif not self.has_system[u]:
            mode, why = R.M_PAPER, R.W_NO_SYSTEM
        else:
            mode = -1
            if group != R.G_INTERNAL and now < self._exceptions_until:   # the rules' paper exceptions
                if group == R.G_CITIZENS and U[(key + O_INDIVIDUAL) & MASK] < self._individual[u]:
                    mode, why = R.M_PAPER, R.W_EXCEPTION                # to a person: on paper
                else:
                    s = U[(key + O_SUBJECT) & MASK]
                    if s < self._subject_cut[u] or (legal and s >= self._normative_from[u]):
                        mode, why = R.M_ELECTRONIC_PAPER, R.W_EXCEPTION   # with a paper copy
            trained = self.trained[u]   # trained staff: no habit of paper, sign digitally where they can
            trained = trained > 0.0 and U[(key + O_TRAINED) & MASK] < trained
            if mode < 0:   # staff habit
                r = U[(key + O_MODE) & MASK]
                if trained or r < mix.electronic:
                    mode, why = R.M_ELECTRONIC, R.W_NONE
                elif r < mix.electronic + mix.electronic_with_paper:
                    mode, why = R.M_ELECTRONIC_PAPER, R.W_HABIT
                else:
                    mode, why = R.M_PAPER, R.W_HABIT
        if mode == R.M_PAPER:
            signed = R.S_PAPER
        else:
            signed = R.S_DIGITAL if U[(key + O_SIGNED) & MASK] < (1.0 if trained else mix.digital_signature) \
                * self.cert_share[u] \
                and U[(key + O_COMPUTER) & MASK] < self.computer_share[u] else R.S_SCANNED
        pages = self.streams.pages(key)
        d.issuer.append(u)
        d.flow.append(flow)
        d.group.append(group)
        d.kind.append(kind)
        d.urgent.append(urgent)
        d.secret.append(secret)
        d.mode.append(mode)
        d.signed.append(signed)
        d.final.append(R.M_PAPER)
        d.why.append(why)
        d.pages.append(pages)
        d.legal.append(legal)
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
            self.channels.dispatch(doc)
        else:
            self.submit(self.pools[u][R.SPECIALIST],
                        Task(R.DRAFT, doc, u, 0 if urgent else 1, self.service_of[u].draft, key))
        return doc

    def _citizen_arrives(self, u: int, key: int) -> None:
        """A petition from a business or citizen reaches a unit (no sender pipeline)."""
        d = self.docs
        vol = self.volumes_of[u]
        r_ = self._r
        now = self.env.now
        doc = len(d.flow)
        ad = self.adoption[u]
        mix = ad.citizens
        electronic = r_(key, K_MODE) < ad.citizens_online and self.has_system[u]
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
        d.why.append(R.W_NONE if electronic else R.W_HABIT)   # the citizen's choice
        d.pages.append(self.streams.pages(key))
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
        channels = self.channels
        v = channels.new_delivery(doc, u, R.C_PUBLIC if electronic else R.C_POST, now, 0)
        channels.arrive(Task(R.TRANSIT, v, u, 0, 0.0, channels.deliveries.key[v]))

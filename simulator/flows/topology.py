"""The units of the simulated province: who they are, how they are equipped, whom they write to.

Units outside the simulated part (central bodies; the province level when
one district is simulated) are *passive*: they issue downward documents and
absorb what is sent to them. Every unit gets the scenario's settings for
its level, with overrides by level first, then by district (the district
wins). Equipment (a document system, a connection to the axis, which
leaders hold certificates, which staff have mailboxes and computers) is
drawn once per replication from the equipment stream: every unit takes its
own generator from one seed per unit, and every person one uniform compared
with the rate, so changing one unit's rates changes nothing elsewhere
(common random numbers). The draws are kept: a rollout raises a unit's
shares during the period and :meth:`Topology.equip` adds what the same
draws now allow (equipment only grows).
"""

from __future__ import annotations

import numpy as np

from simulator.errors import UserError
from simulator.flows.scenario import Scenario, _merge_adoption, find_district, merge_settings
from simulator.i18n import translator
from simulator.province import Level, UnitKind

_ = translator("flows")

EQUIPMENT = ("document_system", "connected", "certificates", "mailbox", "computers", "training")
LEVEL_KEY = {UnitKind.CENTRAL_BODY: "central", UnitKind.PROVINCE_COMMITTEE: "committee",
             UnitKind.DEPARTMENT: "department", UnitKind.DISTRICT_COMMITTEE: "district",
             UnitKind.COMMUNE_COMMITTEE: "commune"}


class Topology:
    """Per-unit lists indexed like ``units`` (a unit's index is its place in the world's tables)."""

    def __init__(self, scenario: Scenario, equipment_rng) -> None:
        sc = scenario
        self.scenario = sc
        province = sc.load_province()
        self.province = province
        only = None
        if sc.only_district:
            only = find_district(province, sc.only_district)
            if only is None:
                raise UserError(_("{file}: {field}: unknown district {name!r}", file=sc.name, field="only_district",
                                  name=sc.only_district), field="only_district")
        self.only_district = only
        units, passive = [], []
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
        self.index = {u.code: i for i, u in enumerate(units)}
        self.kind_key = [LEVEL_KEY[u.kind] for u in units]
        self.district_of = [self.index.get(u.district, -1) if u.district else
                            (i if u.kind == UnitKind.DISTRICT_COMMITTEE else -1) for i, u in enumerate(units)]
        self._settings(sc, equipment_rng)
        self._recipients(sc)
        t = sc.transit
        extra = {"mountain": t.mountain_extra_days, "high-mountain": t.high_mountain_extra_days}
        self.extra_days = [extra.get(u.terrain, 0.0) for u in units]

    def staffed(self, i: int) -> bool:
        """Whether unit ``i`` has simulated staff (passive units and central bodies have none)."""
        return not (self.passive[i] or self.units[i].level == Level.CENTRAL)

    def _settings(self, sc: Scenario, rng) -> None:
        """Settings, staff counts and equipment of every unit."""
        units = self.units
        n = len(units)
        # Overrides name districts: resolve them to codes once.
        resolved = []
        for o in sc.overrides:
            code = None
            if o.district:
                unit = find_district(self.province, o.district)
                if unit is None:
                    raise UserError(_("{file}: {field}: unknown district {name!r}", file=sc.name,
                                      field="overrides.district", name=o.district), field="overrides")
                code = unit.code
            resolved.append((o, code))
        self.adoption, self.volumes_of, self.service_of = [], [], []
        self.connected = [False] * n
        self.has_system = [False] * n
        self.cert_share = [0.0] * n
        self.mailbox_share = [0.0] * n
        self.computer_share = [0.0] * n
        self.trained_share = [0.0] * n
        self.shares: list[dict | None] = [None] * n   # equipment shares in force (a rollout raises them)
        self.draws: list = [None] * n                 # each unit's and person's fixed uniforms
        self.network_rate = [0.0] * n
        self.staff = []
        cache = {}
        unit_seeds = rng.integers(0, 2 ** 63 - 1, size=n).tolist()   # one per unit, whatever the rates
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
            if not self.staffed(i):
                self.has_system[i] = self.connected[i] = True
                self.cert_share[i] = self.mailbox_share[i] = self.computer_share[i] = 1.0
                continue
            # the last block (training) comes after the others: adding it left every earlier draw unchanged
            self.draws[i] = np.random.default_rng(unit_seeds[i]).random(2 + counts[1] + 3 * sum(counts))
            self.shares[i] = {k: getattr(adoption, k) for k in EQUIPMENT}
            self.equip(i)

    def equip(self, i: int) -> None:
        """Unit ``i``'s equipment from its shares in force and its fixed draws: equipped iff draw < share.

        A unit or person once equipped stays so (shares only rise), so a rollout adds equipment and never
        moves it."""
        a, draw = self.shares[i], self.draws[i]
        leaders, total = self.staff[i][1], sum(self.staff[i])
        self.has_system[i] = self.has_system[i] or bool(draw[0] < a["document_system"])
        p_conn = min(1.0, a["connected"] / a["document_system"]) if a["document_system"] > 0 else 0.0
        self.connected[i] = self.connected[i] or (self.has_system[i] and bool(draw[1] < p_conn))
        people = draw[2:]
        self.cert_share[i] = int(np.count_nonzero(people[:leaders] < a["certificates"])) / leaders
        people = people[leaders:]
        self.mailbox_share[i] = int(np.count_nonzero(people[:total] < a["mailbox"])) / total
        self.computer_share[i] = int(np.count_nonzero(people[total:2 * total] < a["computers"])) / total
        self.trained_share[i] = int(np.count_nonzero(people[2 * total:] < a["training"])) / total

    def _recipients(self, sc: Scenario) -> None:
        """Whom each unit writes to, by flow; with one district, the province's share of downward mail."""
        units, passive = self.units, self.passive
        n = len(units)
        committee = [i for i, u in enumerate(units) if u.kind == UnitKind.PROVINCE_COMMITTEE]
        departments = [i for i, u in enumerate(units) if u.kind == UnitKind.DEPARTMENT]
        districts = [i for i, u in enumerate(units) if u.kind == UnitKind.DISTRICT_COMMITTEE]
        communes = [i for i, u in enumerate(units) if u.kind == UnitKind.COMMUNE_COMMITTEE]
        central = [i for i, u in enumerate(units) if u.kind == UnitKind.CENTRAL_BODY]
        communes_of = {d: [] for d in districts}
        for c in communes:
            if self.district_of[c] in communes_of:
                communes_of[self.district_of[c]].append(c)
        two_level = self.province.structure == 2025
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
        self.two_level = two_level
        # One district simulated: the province level sends it only its share of downward mail.
        self.rate_scale = [1.0] * n
        if self.only_district is not None:
            for i in range(n):
                if passive[i]:
                    k = self.kind_key[i]
                    active_one = [j for j in self.down_one[i] if not passive[j]]
                    original = (len(departments) if k == "committee" else 0) + len(self.province.districts)
                    bs = getattr(self.volumes_of[i].broadcast_share, k)
                    self.rate_scale[i] = bs + (1 - bs) * len(active_one) / max(1, original)
                    self.down_one[i] = active_one

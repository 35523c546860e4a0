"""The plan's indicators (338/KH-UBND, 2018) and operational outcomes, measured in a world.

``measure(world)`` turns one finished replication into a flat dict of
numbers (picklable, cheap to send back from a worker); ``indicators``
turns replications into the plan's table with intervals and met / not met.

How rows are read (every scenario file repeats this in ``readings``):

- Shares count documents dispatched in the period, by group: I internal,
  II between agencies, III with businesses and citizens.
- "Fully electronic" (I.1, II.1, III.1): every copy travelled electronically
  and no paper copy was sent. "Paper" (II.3, III.3): some paper travelled
  (a paper copy alongside, a fallback to post, or paper only). With this
  reading the shares of II.1 and II.3 add up to 100%; the table's baseline
  (50% and 95%) cannot both hold, and the simulated value shows which one a
  scenario actually reaches.
- "Signed / scanned" (I.4, II.4, III.4): of the documents sent
  electronically, the share signed digitally; the rest were signed on paper
  and scanned. The target is the signed share.
- Rows on paper (I.2, II.3, III.3) are ceilings: met when the value is at
  most the target. All others are floors.
- Documents marked MẬT are outside the plan's scope of electronic
  exchange: they travel on paper and are left out of rows I-III.
- IV.* are equipment shares of the simulated units, drawn per replication
  from the scenario's adoption rates and raised by its rollout
  (:mod:`rollout`); ``IV.x@Qn`` as they stand at the end of quarter n.
- ``@Qn`` is the n-th calendar quarter the simulated span touches (the
  first and last may be partial): ``quarter.year@Qn``, ``quarter.q@Qn`` and
  ``quarter.days@Qn`` (calendar days simulated in it) say which. Costs per
  quarter: ``cost.investment@Qn`` (= ``cost.capital@Qn``, new equipment and
  training bought, + ``cost.recurring@Qn``, certificates and mailboxes held,
  per year pro rata) and ``cost.operating@Qn`` (paper and printing,
  postage, staff time); without ``@``, their totals over the span.
- Verdicts are honest about noise: a row is *met* when its whole 95%
  interval meets the target, *not met* when none of it does, and *not yet
  certain* when the interval straddles the target. Bounds are read at the
  table's own precision (whole percents), so 79.6% meets an 80% floor.
- Counts and costs also come per working day (``<key>_per_working_day``):
  two scenarios on calendars with different numbers of working days are
  compared on those, not on totals that count the calendar as an effect.
- Why a document was not sent electronically only (``why.<group>.<cause>``,
  share of the group's documents): secret, no document system, no computer,
  a paper exception of the rules, or staff habit (:mod:`arrivals`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from simulator.flows import records as R
from simulator.flows.rollout import equipment_shares
from simulator.flows.stats import mean_interval, mser5
from simulator.i18n import translator

_ = translator("flows")

AT_LEAST, AT_MOST = ">=", "<="

# id, the plan's wording (Vietnamese), English label (msgid), direction, targets 2018/2019/2020.
PLAN_ROWS = (
    ("I.1", "Văn bản trong nội bộ cơ quan gửi hoàn toàn dưới dạng điện tử",
     "Internal documents sent fully electronically", AT_LEAST, (0.5, 0.8, 1.0)),
    ("I.2", "Văn bản trong nội bộ gửi dưới dạng điện tử kèm bản giấy",
     "Internal documents sent electronically with a paper copy", AT_MOST, (0.5, 0.2, 0.0)),
    ("I.4", "Văn bản điện tử nội bộ có chữ ký số (còn lại: scan từ bản giấy)",
     "Internal electronic documents digitally signed (the rest scanned from paper)", AT_LEAST, (0.1, 0.7, 1.0)),
    ("I.5", "Hồ sơ, tài liệu lưu trữ được số hóa phục vụ tra cứu",
     "Archived records digitised for search", AT_LEAST, (0.5, 0.8, 1.0)),
    ("II.1", "Văn bản giữa các cơ quan nhà nước gửi hoàn toàn dưới dạng điện tử",
     "Documents between agencies sent fully electronically", AT_LEAST, (0.5, 0.8, 1.0)),
    ("II.3", "Văn bản giữa các cơ quan nhà nước còn gửi bản giấy",
     "Documents between agencies still sent on paper", AT_MOST, (0.95, 0.5, 0.2)),
    ("II.4", "Văn bản điện tử giữa các cơ quan có chữ ký số (còn lại: scan từ bản giấy)",
     "Electronic documents between agencies digitally signed (the rest scanned)", AT_LEAST, (0.02, 0.5, 0.8)),
    ("II.5", "Văn bản quy phạm pháp luật, chỉ đạo điều hành được đăng tải trên cổng thông tin",
     "Legal and directive documents published on portals", AT_LEAST, (0.2, 0.7, 1.0)),
    ("III.1", "Văn bản với doanh nghiệp, người dân gửi hoàn toàn dưới dạng điện tử",
     "Documents with businesses and citizens fully electronic", AT_LEAST, (0.05, 0.3, 0.5)),
    ("III.3", "Văn bản với doanh nghiệp, người dân còn gửi bản giấy",
     "Documents with businesses and citizens still on paper", AT_MOST, (0.95, 0.7, 0.5)),
    ("III.4", "Văn bản điện tử gửi doanh nghiệp, người dân có chữ ký số (còn lại: scan)",
     "Electronic documents to businesses and citizens digitally signed (the rest scanned)", AT_LEAST,
     (0.02, 0.5, 0.8)),
    ("III.5", "Văn bản gửi doanh nghiệp, người dân được đăng tải trên cổng thông tin",
     "Documents for businesses and citizens published on portals", AT_LEAST, (0.2, 0.7, 1.0)),
    ("IV.1", "Hệ thống quản lý văn bản được kết nối liên thông 4 cấp",
     "Document systems connected on 4 levels", AT_LEAST, (0.7, 1.0, 1.0)),
    ("IV.2", "Cơ quan được trang bị hệ thống quản lý văn bản và điều hành",
     "Agencies equipped with a document system", AT_LEAST, (0.9, 1.0, 1.0)),
    ("IV.3", "Chứng thư số được cấp cho lãnh đạo có thẩm quyền ký",
     "Digital signature certificates issued", AT_LEAST, (0.8, 1.0, 1.0)),
    ("IV.4", "Cán bộ, công chức có hộp thư điện tử công vụ",
     "Staff with an official mailbox", AT_LEAST, (0.8, 0.9, 1.0)),
    ("IV.5", "Tỷ lệ máy tính trên cán bộ, công chức",
     "Computers per staff member", AT_LEAST, (0.8, 0.95, 1.0)),
)
PLAN_YEARS = (2018, 2019, 2020)
PRECISION = 0.01   # the plan's table states whole percents
MET, NOT_MET, UNCERTAIN = "met", "not_met", "uncertain"
# Totals that grow with the number of working days (compared per working day).
EXTENSIVE = ("documents", "deliveries", "pages_printed", "pages_scanned", "postage_vnd", "staff_hours",
             "paper_cost_vnd", "staff_cost_vnd", "total_cost_vnd", "returned", "axis_retries")
GROUP_PREFIX = ("I", "II", "III")
INDICATOR_IDS = tuple(row[0] for row in PLAN_ROWS)
LEVEL_NAMES = ("central", "province", "district", "commune")


@dataclass(frozen=True)
class IndicatorRow:
    id: str
    label_vi: str
    target: float
    value: float
    low: float
    high: float
    met: bool            # met for certain (the verdict is MET)
    direction: str = AT_LEAST
    label: str = ""      # in the user's language
    verdict: str = NOT_MET   # MET, NOT_MET or UNCERTAIN (the interval straddles the target)

    def to_dict(self) -> dict:
        return asdict(self)


def _at_precision(x: float) -> int:
    """A share in the table's units (whole percents), rounded half up."""
    return math.floor(x / PRECISION + 0.5 + 1e-9)


def verdict(direction: str, target: float, low: float, high: float) -> str:
    """Met, not met, or not yet certain, judging the interval [low, high] at the table's precision."""
    if math.isnan(low) or math.isnan(high):
        return UNCERTAIN
    t, lo, hi = _at_precision(target), _at_precision(low), _at_precision(high)
    if direction == AT_LEAST:
        return MET if lo >= t else (NOT_MET if hi < t else UNCERTAIN)
    return MET if hi <= t else (NOT_MET if lo > t else UNCERTAIN)


def verdict_text(v: str) -> str:
    """The verdict in the user's language."""
    return {MET: _("met"), NOT_MET: _("not met"), UNCERTAIN: _("not yet certain")}[v]


def target_for(indicator_id: str, plan_year: int) -> tuple[float, str]:
    for rid, _vi, _en, direction, targets in PLAN_ROWS:
        if rid == indicator_id:
            return targets[PLAN_YEARS.index(plan_year)], direction
    raise KeyError(indicator_id)


def _share(numerator, denominator) -> float:
    n = int(np.count_nonzero(denominator)) if getattr(denominator, "dtype", None) == bool else denominator
    return float(np.count_nonzero(numerator)) / n if n else math.nan


_TABLES: dict[int, tuple] = {}


def _tables(cal):
    key = id(cal)
    if key not in _TABLES or _TABLES[key][0] is not cal:
        _TABLES[key] = (cal, _build_tables(cal))
    return _TABLES[key][1]


def _build_tables(cal):
    cum, working, working_days = cal.day_tables()
    return (np.asarray(cum, dtype=float), np.frombuffer(working, dtype=np.uint8).astype(bool),
            np.asarray(working_days, dtype=np.int64))


def working_index(cal, t: np.ndarray) -> np.ndarray:
    """Vectorised ``calendar.working_index``."""
    cum, working, _ = _tables(cal)
    t = np.asarray(t, dtype=float)
    day = np.floor(t / 1440.0).astype(np.int64)
    minute = t - day * 1440.0
    done = np.zeros_like(t)
    for a, b in cal.office_windows:
        done += np.clip(minute - a, 0.0, b - a)
    return cum[day] + np.where(working[day], done, 0.0)


def close_after(cal, t: np.ndarray, n) -> np.ndarray:
    """Closing time of the n-th working day after the day of ``t`` (vectorised)."""
    _, _, days = _tables(cal)
    day = np.floor(np.asarray(t, dtype=float) / 1440.0).astype(np.int64)
    k = np.searchsorted(days, day, side="right") + np.asarray(n) - 1
    return days[np.minimum(k, len(days) - 1)] * 1440.0 + cal.close_minute


def measure(world) -> dict:
    """One replication as a flat dict: indicators, quarterly indicators, outcomes and costs."""
    d, dl, cal = world.docs, world.deliveries, world.calendar
    sc = world.scenario
    now = world.clock
    out: dict[str, float] = {}
    # -- documents -------------------------------------------------------
    group = np.frombuffer(d.group, dtype=np.uint8)
    final = np.frombuffer(d.final, dtype=np.uint8)
    mode = np.frombuffer(d.mode, dtype=np.uint8)
    signed = np.frombuffer(d.signed, dtype=np.uint8)
    state = np.frombuffer(d.state, dtype=np.uint8)
    issuer = np.frombuffer(d.issuer, dtype=np.int32)
    flow = np.frombuffer(d.flow, dtype=np.uint8)
    legal = np.frombuffer(d.legal, dtype=np.uint8).astype(bool)
    published = np.frombuffer(d.published, dtype=np.uint8).astype(bool)
    dispatched_at = np.frombuffer(d.dispatched, dtype=float)
    passive = np.asarray(world.passive + [False], dtype=bool)[issuer]  # index -1 -> False (citizens)
    secret = np.frombuffer(d.secret, dtype=np.uint8).astype(bool)
    # MẬT documents are outside the plan's scope for electronic exchange: not counted in I-III.
    sent = (state == R.D_DISPATCHED) & ~passive & ~secret
    end = min(now, world.horizon)
    rollout = world.rollout
    reached = [k for k, quarter in enumerate(rollout.quarters) if quarter[2] < end]   # calendar quarters run
    # -- deliveries ------------------------------------------------------
    dstate = np.frombuffer(dl.state, dtype=np.uint8)
    unit = np.frombuffer(dl.unit, dtype=np.int32)
    channel = np.frombuffer(dl.channel, dtype=np.uint8)
    digitised = np.frombuffer(dl.digitised, dtype=np.uint8).astype(bool)
    action = np.frombuffer(dl.action, dtype=np.uint8).astype(bool)
    arrived = np.frombuffer(dl.arrived, dtype=float)
    registered = np.frombuffer(dl.registered, dtype=float)
    handled = np.frombuffer(dl.handled, dtype=float)
    sent_at = np.frombuffer(dl.sent, dtype=float)
    vdoc = np.frombuffer(dl.doc, dtype=np.int32)

    def table_rows(mask_docs, mask_filed, suffix=""):
        for g, (full, paper, sign) in ((R.G_INTERNAL, ("I.1", "I.2", "I.4")), (R.G_AGENCY, ("II.1", "II.3", "II.4")),
                                       (R.G_CITIZENS, ("III.1", "III.3", "III.4"))):
            m = mask_docs & (group == g)
            out[full + suffix] = _share(m & (final == R.M_ELECTRONIC), m)
            if g == R.G_INTERNAL:
                out[paper + suffix] = _share(m & (final == R.M_ELECTRONIC_PAPER), m)
            else:
                out[paper + suffix] = _share(m & (final != R.M_ELECTRONIC), m)
            e = m & (mode != R.M_PAPER) & (flow != R.CITIZENS_IN)
            out[sign + suffix] = _share(e & (signed == R.S_DIGITAL), e)
        agency_legal = mask_docs & legal & (group != R.G_CITIZENS)
        out["II.5" + suffix] = _share(agency_legal & published, agency_legal)
        citizen_legal = mask_docs & legal & (group == R.G_CITIZENS)
        out["III.5" + suffix] = _share(citizen_legal & published, citizen_legal)
        out["I.5" + suffix] = _share(mask_filed & digitised, mask_filed)

    filed = dstate == R.V_FILED
    table_rows(sent, filed)
    for k in reached:
        year, q, lo, hi = rollout.quarters[k]
        in_q = (dispatched_at >= lo) & (dispatched_at < hi)
        filed_q = filed & (handled >= lo) & (handled < hi)
        table_rows(sent & in_q, filed_q, suffix=f"@Q{k + 1}")
        out[f"quarter.year@Q{k + 1}"], out[f"quarter.q@Q{k + 1}"] = float(year), float(q)
        out[f"quarter.days@Q{k + 1}"] = (min(hi, end) - lo) / 1440.0
    # why documents were not sent electronically only, by group (shares of the group's documents)
    why = np.frombuffer(d.why, dtype=np.uint8)
    for g, prefix in enumerate(GROUP_PREFIX):
        m = sent & (group == g)
        n = int(np.count_nonzero(m))
        counts = np.bincount(why[m], minlength=len(R.WHY_KEYS))
        for w, key in enumerate(R.WHY_KEYS):
            if w != R.W_NONE:
                out[f"why.{prefix}.{key}"] = float(counts[w]) / n if n else math.nan
    # -- equipment (IV) -------------------------------------------------
    # at the run's end, and at each quarter's end (a rollout changes them only at quarters' starts)
    out.update(equipment_shares(world.topology))
    for k in reached:
        for rid, value in rollout.equipment[k].items():
            out[f"{rid}@Q{k + 1}"] = value
    # -- operations -------------------------------------------------------
    out["documents"] = float(len(d))
    out["deliveries"] = float(len(dl))
    arrived_done = arrived <= now
    for ch, key in enumerate(R.CHANNEL_KEYS):
        m = (channel == ch) & arrived_done
        out[f"transit_hours.{key}"] = float(np.mean(arrived[m] - sent_at[m]) / 60.0) if m.any() else math.nan
    incoming = (unit >= 0) & ~np.asarray(world.passive + [True], dtype=bool)[unit]
    reg = incoming & ~np.isnan(registered) & (np.frombuffer(d.flow, dtype=np.uint8)[vdoc] != R.INTERNAL)
    wi_arr = working_index(cal, arrived[reg])
    wi_reg = working_index(cal, registered[reg])
    out["registration_hours"] = float(np.mean(wi_reg - wi_arr) / 60.0) if reg.any() else math.nan
    urgent = np.frombuffer(d.urgent, dtype=np.uint8)[vdoc].astype(bool)
    # the one deadline rule (calendar.due): urgent at once (working minutes), others by the next day's close
    in_time = np.where(urgent[reg], wi_reg <= wi_arr + cal.settings.urgent_minutes,
                       registered[reg] <= close_after(cal, arrived[reg], 1))
    out["registered_on_time"] = _share(in_time, int(reg.sum()))
    sv = sc.service
    n_due = np.where(urgent, sv.urgent_due_working_days, sv.handle_due_working_days)
    act = incoming & action & (arrived <= now)
    due = close_after(cal, arrived[act], n_due[act])
    done = ~np.isnan(handled[act])
    on_time = done & (handled[act] <= due)
    overdue_open = ~done & (due < now)
    out["handled_on_time"] = _share(on_time, int(done.sum() + overdue_open.sum()))
    lead = (working_index(cal, handled[act][done]) - working_index(cal, arrived[act][done])) / cal.minutes_per_day
    out["lead_time_days"] = float(lead.mean()) if len(lead) else math.nan
    # from creation to completion (transit included): faster channels show here, not in handled_on_time
    created = np.frombuffer(d.created, dtype=float)[vdoc[act][done]]
    end_to_end = (working_index(cal, handled[act][done]) - working_index(cal, created)) / cal.minutes_per_day
    out["end_to_end_days"] = float(end_to_end.mean()) if len(end_to_end) else math.nan
    live = dstate == R.V_LIVE
    out["backlog_end"] = float(np.count_nonzero(live & (arrived <= now))) + float(np.count_nonzero(
        (state == R.D_PIPELINE)))
    out["in_transit_end"] = float(np.count_nonzero((live | (dstate == R.V_DELIVERED_OUT)) & (arrived > now)))
    out["returned"] = float(np.count_nonzero(dstate == R.V_RETURNED))
    out["axis_retries"] = float(np.frombuffer(dl.retries, dtype=np.uint16).sum())
    # -- by level of the recipient ----------------------------------------
    levels = np.asarray([int(u.level) for u in world.units] + [0], dtype=np.int64)
    lvl = levels[unit]
    for li, name in enumerate(LEVEL_NAMES):
        m = lvl[act] == li
        if m.any():
            out[f"handled_on_time.{name}"] = _share(on_time[m], int(done[m].sum() + overdue_open[m].sum()))
            lm = lvl[act][done] == li
            out[f"lead_time_days.{name}"] = float(lead[lm].mean()) if lm.any() else math.nan
            out[f"backlog_end.{name}"] = float(np.count_nonzero(live & (arrived <= now) & (lvl == li) & incoming))
    # -- steady state (MSER-5 on the daily backlog) ------------------------
    days = np.arange(world.start + 1440.0, min(now, world.horizon) + 1.0, 1440.0)
    if len(days) >= 20:
        a_sorted = np.sort(arrived[incoming])
        h = handled[incoming]
        h_sorted = np.sort(np.where(np.isnan(h), np.inf, h))
        series = np.searchsorted(a_sorted, days, "right") - np.searchsorted(h_sorted, days, "right")
        warm = mser5(series)
        out["warmup_days"] = float(warm)
        out["steady_backlog"] = float(series[warm:].mean())
    else:
        out["warmup_days"] = math.nan
        out["steady_backlog"] = math.nan
    # -- costs -------------------------------------------------------------
    c = sc.costs
    minutes = world.staff_minutes()
    out["pages_printed"] = float(world.pages_printed)
    out["pages_scanned"] = float(world.pages_scanned)
    out["postage_vnd"] = float(world.postage)
    for r, key in enumerate(("clerk", "leader", "specialist")):
        out[f"staff_hours.{key}"] = sum(m[r] for m in minutes) / 60.0
    out["staff_hours"] = sum(sum(m) for m in minutes) / 60.0
    out["paper_cost_vnd"] = world.pages_printed * (c.paper_per_page + c.print_per_page)
    out["staff_cost_vnd"] = out["staff_hours"] * c.staff_hour
    out["total_cost_vnd"] = out["paper_cost_vnd"] + out["postage_vnd"] + out["staff_cost_vnd"]
    # per quarter: investments (new equipment and training, certificates and mailboxes per year pro rata)
    # and operating costs (paper and printing, postage, staff time) from the counters at the quarters' starts
    for name in ("investment", "capital", "recurring", "operating"):
        out[f"cost.{name}"] = 0.0
    counters_now = world._operating()
    for k in reached:
        cost = rollout.quarter_costs(k, counters_now, end)
        pages, postage, minutes = cost["counters"]
        operating = pages * (c.paper_per_page + c.print_per_page) + postage + minutes / 60.0 * c.staff_hour
        quarter = {"capital": cost["capital"], "recurring": cost["recurring"],
                   "investment": cost["capital"] + cost["recurring"], "operating": operating}
        for name, value in quarter.items():
            out[f"cost.{name}@Q{k + 1}"] = value
            out[f"cost.{name}"] += value
    # per working day of the simulated span: comparisons across calendars count no calendar effect
    _, _, working_days = _tables(cal)
    first, last = int(world.start // 1440), int(math.ceil(min(now, world.horizon) / 1440.0))
    wd = int(np.count_nonzero((working_days >= first) & (working_days < last)))
    out["working_days"] = float(wd)
    for key in EXTENSIVE:
        out[f"{key}_per_working_day"] = out[key] / wd if wd else math.nan
    return out


def by_district(world) -> list[dict]:
    """Outcomes per district (its committee and communes), 3-level structures only."""
    d, dl, cal = world.docs, world.deliveries, world.calendar
    now = world.clock
    unit = np.frombuffer(dl.unit, dtype=np.int32)
    district_of = np.asarray(world.district_of + [-1], dtype=np.int64)[unit]
    passive = np.asarray(world.passive + [True], dtype=bool)[unit]
    channel = np.frombuffer(dl.channel, dtype=np.uint8)
    arrived = np.frombuffer(dl.arrived, dtype=float)
    handled = np.frombuffer(dl.handled, dtype=float)
    live = np.frombuffer(dl.state, dtype=np.uint8) == R.V_LIVE
    action = np.frombuffer(dl.action, dtype=np.uint8).astype(bool)
    vdoc = np.frombuffer(dl.doc, dtype=np.int32)
    urgent = np.frombuffer(d.urgent, dtype=np.uint8)[vdoc].astype(bool)
    sv = world.scenario.service
    electronic = np.isin(channel, list(R.ELECTRONIC_CHANNELS))
    rows = []
    for i, u in enumerate(world.units):
        if u.kind.value != "district_committee":
            continue
        m = (district_of == i) & ~passive & (arrived <= now)
        act = m & action
        due = close_after(cal, arrived[act], np.where(urgent[act], sv.urgent_due_working_days,
                                                      sv.handle_due_working_days))
        done = ~np.isnan(handled[act])
        on_time = done & (handled[act] <= due)
        late_open = ~done & (due < now)
        rows.append({
            "district": u.short_name, "code": u.code, "terrain": u.terrain,
            "deliveries": int(m.sum()),
            "electronic_share": _share(m & electronic, int(m.sum())),
            "handled_on_time": _share(on_time, int(done.sum() + late_open.sum())),
            "backlog_end": int((m & live).sum()),
            "transit_hours": float(np.mean(arrived[m] - np.frombuffer(dl.sent, dtype=float)[m]) / 60.0)
            if m.any() else math.nan,
        })
    return rows


def label(indicator_id: str) -> str:
    """The row's label in the user's language (Vietnamese: the plan's own words)."""
    from simulator.i18n import current_language

    for rid, vi, en, _d, _t in PLAN_ROWS:
        if rid == indicator_id:
            return vi if current_language() == "vi" else _(en)
    raise KeyError(indicator_id)


def indicator_rows(kpi_runs: list[dict], plan_year: int, suffix: str = "",
                   confidence: float = 0.95) -> list[IndicatorRow]:
    """The plan's table from replications' KPI dicts (mean and t interval, 95% unless stated)."""
    rows = []
    for rid, vi, en, direction, targets in PLAN_ROWS:
        target = targets[PLAN_YEARS.index(plan_year)]
        ci = mean_interval([k.get(rid + suffix, math.nan) for k in kpi_runs], confidence)
        value = ci.mean
        low, high = ci.low, ci.high
        if not math.isnan(low):  # shares: an interval never leaves [0, 1]
            low, high = max(0.0, low), min(1.0, high)
        v = verdict(direction, target, low, high)
        rows.append(IndicatorRow(rid, vi, target, value, low, high, v == MET, direction, label(rid), v))
    return rows

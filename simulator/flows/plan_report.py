"""The quarterly report's table: every line of plan 338/KH-UBND with the simulated period beside it.

The Department compiles a report to the provincial People's Committee every
quarter (DOMAIN.md §7). Its table is the plan's own (:mod:`plan_table`):
sections I–IV, the plan's baseline ("Hiện trạng", 2018) and its 2019 and
2020 targets, then what the simulation measured — for each quarter the run
covers and for the whole simulated period, each a mean over replications
with its 95% interval — the verdict (met / not met / not yet certain, read
at the table's precision by :func:`indicators.verdict`) and why, in a short
phrase naming the cause the world recorded (a sender without a document
system, the rules' paper exceptions, staff habit, certificates not yet
issued, the districts lagging behind).

A column says exactly what it covers: "Cả năm 2020" only for a whole
calendar year, "Quý I/2020" for a whole quarter, otherwise its dates and
working days ("01/01–29/02/2020 (37 ngày làm việc, thuộc Quý I/2020)").
Quarters are the calendar quarters the run touches (``<row>@Q<n>`` kpis of
:func:`indicators.measure`, dated by ``quarter.year@Q<n>``, ``quarter.q@Q<n>``
and ``quarter.days@Q<n>``); the first and last may be partial and say so.
Costs per quarter come from ``cost.investment@Q<n>`` and ``cost.operating@Q<n>``
when the world measures them, otherwise the period's operating costs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta

from simulator.flows.indicators import AT_LEAST, MET, NOT_MET, UNCERTAIN, verdict
from simulator.flows.plan_table import MEASURED, PARENT, SECTIONS, SUB, TEXT, PlanRow, plan_rows
from simulator.flows.stats import Interval, mean_interval
from simulator.i18n import current_language, translator

_ = translator("planreport")
YEARS = (2018, 2019, 2020)


@dataclass(frozen=True)
class Span:
    """A column of simulated time: its first and last day, working days, and the kpi suffix it reads."""

    start: date
    end: date            # the last day covered (inclusive)
    working_days: int
    suffix: str          # "" for the whole period, "@Q2" for the world's second quarter
    whole_year: bool = False

    @property
    def label(self) -> str:
        if self.whole_year:
            return _("Whole year {year}", year=self.start.year)
        if (self.start.month, self.start.day, self.end.month, self.end.day) in _QUARTERS and \
                self.start.year == self.end.year:
            q = _QUARTERS[(self.start.month, self.start.day, self.end.month, self.end.day)]
            return _("Quarter {q}/{year}", q=q, year=self.start.year)
        first = f"{self.start:%d/%m}" if self.start.year == self.end.year else f"{self.start:%d/%m/%Y}"
        q = (self.start.month - 1) // 3
        if self.start.year == self.end.year and q == (self.end.month - 1) // 3:   # part of one quarter
            return _("{start}–{end} ({days} working days, in quarter {q}/{year})", start=first,
                     end=f"{self.end:%d/%m/%Y}", days=self.working_days, q=("I", "II", "III", "IV")[q],
                     year=self.start.year)
        return _("{start}–{end} ({days} working days)", start=first, end=f"{self.end:%d/%m/%Y}",
                 days=self.working_days)


    @property
    def phrase_vi(self) -> str:
        """The period as a Vietnamese subject line says it: 'năm 2020', 'quý I năm 2020', 'từ ngày … đến ngày …'."""
        key = (self.start.month, self.start.day, self.end.month, self.end.day)
        if self.whole_year:
            return f"năm {self.start.year}"
        if key in _QUARTERS and self.start.year == self.end.year:
            return f"quý {_QUARTERS[key]} năm {self.start.year}"
        return f"từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"


# What keeps a row from its target: a sender without a document system, the rules' paper exceptions,
# staff habit (records.WHY_KEYS), certificates not yet issued, signers still signing on paper, the
# scenario's portal and archive settings, equipment (rows IV) not yet in place.
NO_SYSTEM, EXCEPTION, HABIT = "no_system", "exception", "habit"
CERTIFICATES, SIGNING, PORTAL, ARCHIVE, EQUIPMENT = "certificates", "signing", "portal", "archive", "equipment"
CAUSES = (NO_SYSTEM, EXCEPTION, HABIT, CERTIFICATES, SIGNING, PORTAL, ARCHIVE, EQUIPMENT)

_QUARTERS = {(1, 1, 3, 31): "I", (4, 1, 6, 30): "II", (7, 1, 9, 30): "III", (10, 1, 12, 31): "IV"}


@dataclass(frozen=True)
class Line:
    """One line of the report's table: the plan's row, a value per span, the verdict and why."""

    row: PlanRow
    values: tuple[Interval | None, ...]    # per span of :attr:`PlanReport.spans` (None: not a measured line)
    verdict: str | None                    # MET / NOT_MET / UNCERTAIN for the whole period; None for text rows
    why: str
    cause: str = ""                        # the cause's code (:data:`CAUSES`), "" when none applies


@dataclass(frozen=True)
class PlanReport:
    scenario: str
    plan_year: int
    replications: int
    seed: int
    structure: str
    spans: tuple[Span, ...]      # the quarters shown, then the whole simulated period (last)
    lines: tuple[Line, ...]
    costs: tuple[tuple[str, tuple[Interval | None, ...]], ...]   # (label, value per span)
    warmup: str
    readings: tuple[tuple[str, str], ...]

    @property
    def period(self) -> Span:
        return self.spans[-1]

    def counts(self) -> dict[str, int]:
        out = {MET: 0, NOT_MET: 0, UNCERTAIN: 0}
        for line in self.lines:
            if line.verdict is not None and line.row.kind in (MEASURED, SUB) and not line.row.complement:
                out[line.verdict] += 1
        return out


def _clip(ci: Interval, share: bool = True) -> Interval:
    if math.isnan(ci.low):
        return ci
    low, high = max(0.0, ci.low), ci.high
    return replace(ci, low=low, high=min(1.0, high) if share else high)


def _interval(kpis: list[dict], key: str, complement: bool = False) -> Interval | None:
    values = [k.get(key, math.nan) for k in kpis]
    if all(isinstance(v, float) and math.isnan(v) for v in values):
        return None
    if complement:
        values = [1.0 - v for v in values]
    return _clip(mean_interval(values))


def spans(results, calendar=None) -> tuple[Span, ...]:
    """The calendar quarters the run touches (the first and last may be partial), then the whole
    simulated period; one quarter alone is the period, said once."""
    from simulator.calendar import default_calendar

    cal = calendar or default_calendar()
    sc = results.scenario
    start = sc.period.start
    end = start + timedelta(days=sc.period.days - 1)
    first = results.kpis[0] if results.kpis else {}

    def span(a: date, b: date, suffix: str) -> Span:
        wd = cal.working_days_between(a - timedelta(days=1), b)
        return Span(a, b, wd, suffix, whole_year=(a == date(a.year, 1, 1) and b == date(a.year, 12, 31)))

    quarters = []
    for k in range(1, 100):
        if f"quarter.year@Q{k}" not in first:
            break
        year, q = int(first[f"quarter.year@Q{k}"]), int(first[f"quarter.q@Q{k}"])
        a = start if k == 1 else date(year, 3 * q - 2, 1)
        b = a + timedelta(days=round(first[f"quarter.days@Q{k}"]) - 1)
        quarters.append(span(a, min(b, end), f"@Q{k}"))
    whole = span(start, end, "")
    if len(quarters) == 1:  # one quarter, the whole run: say it once
        quarters = []
    return (*quarters, whole)


def _why_sender(kpis: list[dict], group: str) -> tuple[str, str]:
    """The largest recorded cause for the group's documents not travelling electronically only."""
    names = {NO_SYSTEM: _("sender without a document system"),
             EXCEPTION: _("cases still on paper under the rules"),
             HABIT: _("staff habit (a paper copy or printing)")}
    shares = {k: mean_interval([kp.get(f"why.{group}.{k}", math.nan) for kp in kpis]).mean for k in names}
    shares = {k: v for k, v in shares.items() if not math.isnan(v) and v > 0.0005}
    if not shares:
        return "", ""
    key = max(shares, key=shares.get)
    return key, _("{cause}: {share} of documents", cause=names[key], share=pct(shares[key]))


def lagging_districts(results, k: int = 3) -> list[str]:
    """The districts whose units receive the smallest electronic share (when more than one is simulated)."""
    frame = results.districts_frame()
    if not len(frame) or "electronic_share" not in frame:
        return []
    means = frame.groupby("district", sort=False)["electronic_share"].mean().sort_values()
    return [str(d) for d in means.index[:k]] if len(means) > 1 else []


def _why(row: PlanRow, v: str, kpis: list[dict], results) -> tuple[str, str]:
    """(cause, phrase): the cause's code (:data:`CAUSES`) and the short phrase the table shows."""
    gap = ""
    if v == UNCERTAIN:
        gap = _("the interval straddles the target; more replications needed")

    def said(cause: str, *parts: str) -> tuple[str, str]:
        return cause, "; ".join(p for p in parts if p)

    if row.id in ("I.1", "I.2", "II.1", "II.3", "III.1", "III.3"):
        cause, phrase = _why_sender(kpis, row.section)
        if v == MET:
            return cause, phrase or _("every document could travel electronically")
        return said(cause, phrase, gap) if phrase or gap else ("", _("no cause recorded"))
    if row.kind in (PARENT, SUB) or row.id in ("I.4", "II.4", "III.4"):
        if v == MET:
            return "", _("signers hold certificates and sign digitally")
        certs = mean_interval([kp.get("IV.3", math.nan) for kp in kpis]).mean
        if certs < 0.995:
            return said(CERTIFICATES, _("certificates issued to {share} of signers", share=pct(certs)), gap)
        return said(SIGNING, _("signers still sign on paper (habit, training)"), gap)
    if row.id == "I.5":
        share = getattr(results.scenario.adoption, "archive_digitisation", math.nan)
        return ARCHIVE, _("electronic records searchable; paper records scanned when filed: {share} (scenario)",
                          share=pct(share))
    if row.id in ("II.5", "III.5"):
        share = getattr(results.scenario.adoption, "portal_publication", math.nan)
        return PORTAL, _("published on the portal: {share} (scenario)", share=pct(share))
    if row.section == "IV":
        if v == MET:
            return "", _("equipped as planned")
        lag = ", ".join(lagging_districts(results))
        short = _target_of(row, results) - _mean(kpis, row.kpi)
        missing = _("{gap} points short of the target", gap=num(100 * short, 1)) if short >= 0.0005 else ""
        return said(EQUIPMENT, missing, _("lagging districts: {names}", names=lag) if lag else "", gap)
    return "", gap


def _mean(kpis: list[dict], key: str) -> float:
    return mean_interval([kp.get(key, math.nan) for kp in kpis]).mean


def _target_of(row: PlanRow, results) -> float:
    return float(row.targets[YEARS.index(results.scenario.plan_year)])


def build(results) -> PlanReport:
    """The report's table from replications of a scenario (``results``: :class:`replications.Results`)."""
    sc = results.scenario
    kpis = results.kpis
    cols = spans(results)
    lines = []
    for row in plan_rows():
        if row.kind == TEXT:
            values = tuple(_interval(kpis, row.cause_kpi + s.suffix) if s.suffix == "" else None for s in cols)
            note = row.model_note_vi if current_language() == "vi" else row.model_note_en
            lines.append(Line(row, values, None, note))
            continue
        values = tuple(_interval(kpis, row.kpi + s.suffix, row.complement) for s in cols)
        if row.kind == PARENT:
            lines.append(Line(row, tuple(None for _s in cols), None, ""))
            continue
        whole = values[-1]
        target = _target_of(row, results)
        v = verdict(row.direction, target, whole.low, whole.high) if whole is not None else UNCERTAIN
        cause, why = _why(row, v, kpis, results)
        lines.append(Line(row, values, v, why, cause))
    return PlanReport(sc.name, sc.plan_year, results.n, results.seed, str(sc.load_province().structure),
                      cols, tuple(lines), _costs(kpis, cols), _warmup(kpis, cols[-1]), _readings(sc))


def _costs(kpis: list[dict], cols) -> tuple:
    quarterly = any("cost.operating" in k for k in kpis)   # the world measures costs by quarter

    def per_span(key_of) -> tuple:
        return tuple(_interval_money(kpis, key_of(s)) for s in cols)

    if quarterly:
        return ((_("Investment (VND)"), per_span(lambda s: f"cost.investment{s.suffix}" if s.suffix else
                                                  "cost.investment")),
                (_("Operating: paper, printing, postage, staff time (VND)"),
                 per_span(lambda s: f"cost.operating{s.suffix}" if s.suffix else "cost.operating")))
    only = lambda key: lambda s: key if not s.suffix else ""  # noqa: E731 - the period's totals only
    return ((_("Paper and printing (VND)"), per_span(only("paper_cost_vnd"))),
            (_("Postage (VND)"), per_span(only("postage_vnd"))),
            (_("Staff time (VND)"), per_span(only("staff_cost_vnd"))),
            (_("Operating costs in total (VND)"), per_span(only("total_cost_vnd"))))


def _interval_money(kpis: list[dict], key: str) -> Interval | None:
    if not key:
        return None
    values = [k.get(key, math.nan) for k in kpis]
    if all(math.isnan(v) for v in values):
        return None
    return _clip(mean_interval(values), share=False)


def _warmup(kpis: list[dict], period: Span) -> str:
    """MSER-5's warm-up, never beyond the simulated days (an interval over few replications can be)."""
    values = [k.get("warmup_days", math.nan) for k in kpis]
    if all(math.isnan(v) for v in values):
        return _("Warm-up: not estimated (fewer than 20 days simulated).")
    days = (period.end - period.start).days + 1
    ci = mean_interval(values)
    low = max(0.0, ci.low) if not math.isnan(ci.low) else ci.mean
    high = min(float(days), ci.high) if not math.isnan(ci.high) else ci.mean
    return _("Warm-up cut by MSER-5 from the daily backlog: {mean} days (95% interval {low}–{high}) of the "
             "{days} days simulated.", mean=num(ci.mean, 0), low=num(low, 0), high=num(high, 0), days=days)


def _readings(sc) -> tuple:
    return tuple((k, " ".join(sc.localised(v).split())) for k, v in (sc.readings or {}).items())


# ---------------------------------------------------------------- text of the cells
def _local(text: str) -> str:
    if current_language() == "vi":
        return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def pct(x: float) -> str:
    return "—" if x is None or math.isnan(x) else _local(f"{100 * x:.1f}") + "%"


def num(x: float, digits: int = 0) -> str:
    return "—" if x is None or math.isnan(x) else _local(f"{x:,.{digits}f}")


def target_text(row: PlanRow, year: int) -> str:
    t = row.targets[YEARS.index(year)] if row.targets else ""
    if isinstance(t, str):
        return _(t)
    return f"{round(100 * t)}%"


def value_text(ci: Interval | None, *, money: bool = False) -> str:
    """'62,3% (60,1–64,5)': the mean and its 95% interval."""
    if ci is None or math.isnan(ci.mean):
        return "—"
    f = (lambda x: num(x / 1e6, 1)) if money else pct  # noqa: E731
    if math.isnan(ci.low) or f(ci.low) == f(ci.high) == f(ci.mean):   # no spread: the mean says it all
        return f(ci.mean)
    return f"{f(ci.mean)} ({f(ci.low).rstrip('%')}–{f(ci.high)})"


def verdict_text(v: str | None) -> str:
    return "" if v is None else {MET: _("Met"), NOT_MET: _("Not met"), UNCERTAIN: _("Not yet certain")}[v]


def label_of(row: PlanRow) -> str:
    return row.vi if current_language() == "vi" else _(row.en)


def section_title(section) -> str:
    return f"{section.id}. " + (section.vi if current_language() == "vi" else _(section.en))


__all__ = ["AT_LEAST", "Line", "PlanReport", "SECTIONS", "Span", "build", "label_of", "pct", "section_title",
           "spans", "target_text", "value_text", "verdict_text"]

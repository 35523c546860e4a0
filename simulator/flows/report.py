"""Reports for planners: the plan's table, the quarterly table, outcomes and costs.

A report is a list of blocks (headings, paragraphs, tables, images) rendered
both to Markdown and to a standalone HTML page, so the two never disagree.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from pathlib import Path

from simulator.flows.indicators import AT_LEAST, EXTENSIVE, GROUP_PREFIX, PLAN_ROWS, PLAN_YEARS, indicator_rows, label, \
    verdict_text
from simulator.flows.records import CHANNEL_KEYS
from simulator.i18n import translator

_ = translator("flows")


def _local(text: str) -> str:
    """Vietnamese writes 1.234,5 where English writes 1,234.5."""
    from simulator.i18n import current_language

    if current_language() == "vi":
        return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def pct(x) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else _local(f"{100 * x:.1f}") + "%"


def num(x, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return _local(f"{x:,.{digits}f}")


def terrain_name(key: str) -> str:
    return {"urban": _("urban"), "plain": _("plain"), "coastal": _("coastal"), "midland": _("midland"),
            "mountain": _("mountain"), "high-mountain": _("high mountain")}.get(key, key)


def quarterly_report(results, plan_year: int | None = None) -> list[dict]:
    """The plan's table per quarter (the Department reports to the People's Committee every quarter).

    One dict per row: id, label, target, direction, Q1..Q4 (mean over replications: the first four
    calendar quarters the run touches), year (the whole simulated period, a calendar year only when the
    run is one), low, high, met. ``results`` is a :class:`Results` or a finished ``World``. The report in
    the plan's own layout, every quarter dated, as the signed Báo cáo: :mod:`plan_report_doc`."""
    from simulator.flows.indicators import measure
    from simulator.flows.replications import Results

    if isinstance(results, Results):
        kpis, year = results.kpis, plan_year or results.scenario.plan_year
    else:
        kpis, year = [measure(results)], plan_year or results.scenario.plan_year
    whole = {row.id: row for row in indicator_rows(kpis, year)}
    quarters = [{row.id: row for row in indicator_rows(kpis, year, suffix=f"@Q{q}")} for q in range(1, 5)]
    rows = []
    for rid, _vi, _en, direction, targets in PLAN_ROWS:
        rows.append({
            "id": rid, "label": label(rid), "target": targets[PLAN_YEARS.index(year)], "direction": direction,
            **{f"Q{q + 1}": quarters[q][rid].value for q in range(4)},
            "year": whole[rid].value, "low": whole[rid].low, "high": whole[rid].high, "met": whole[rid].met,
            "verdict": whole[rid].verdict,
        })
    return rows


def target_text(direction: str, target: float) -> str:
    return f"{'≥' if direction == AT_LEAST else '≤'} {pct(target)}"


def channel_names() -> dict[str, str]:
    return {"lgsp": _("province axis (LGSP)"), "national_axis": _("national axis"), "email": _("official e-mail"),
            "internal_system": _("internal system"), "public_portal": _("public service portal"),
            "hand": _("hand delivery"), "post": _("post")}


def kpi_labels() -> dict[str, str]:
    labels = {
        "documents": _("Documents created"),
        "deliveries": _("Document deliveries"),
        "registration_hours": _("Time to registration (working hours)"),
        "registered_on_time": _("Registered on time (same or next working day)"),
        "lead_time_days": _("Handling lead time (working days)"),
        "handled_on_time": _("Handled within the due date"),
        "backlog_end": _("Backlog at the end of the period"),
        "in_transit_end": _("In transit at the end of the period"),
        "steady_backlog": _("Steady-state backlog (after MSER-5 warm-up)"),
        "warmup_days": _("Warm-up cut by MSER-5 (days)"),
        "returned": _("Documents returned to the sender"),
        "axis_retries": _("Axis retries during outages"),
        "pages_printed": _("Pages printed"),
        "pages_scanned": _("Pages scanned"),
        "postage_vnd": _("Postage (VND)"),
        "paper_cost_vnd": _("Paper and printing (VND)"),
        "staff_hours": _("Staff hours on document work"),
        "staff_cost_vnd": _("Staff time (VND)"),
        "total_cost_vnd": _("Total cost (VND)"),
    }
    channels = channel_names()
    for key in CHANNEL_KEYS:
        labels[f"transit_hours.{key}"] = _("Transit time, {channel} (hours)", channel=channels[key])
    levels = {"province": _("province"), "district": _("district"), "commune": _("commune"), "central": _("central")}
    for level, name in levels.items():
        labels[f"handled_on_time.{level}"] = _("Handled within the due date, {level} level", level=name)
        labels[f"lead_time_days.{level}"] = _("Handling lead time, {level} level (working days)", level=name)
        labels[f"backlog_end.{level}"] = _("Backlog at the end, {level} level", level=name)
    for role, name in (("clerk", _("clerks")), ("leader", _("leaders")), ("specialist", _("specialists"))):
        labels[f"staff_hours.{role}"] = _("Staff hours, {role}", role=name)
    labels["end_to_end_days"] = _("From creation to completion (working days)")
    labels["working_days"] = _("Working days simulated")
    for key in EXTENSIVE:
        labels[f"{key}_per_working_day"] = _("{measure}, per working day", measure=labels[key])
    causes = why_names()
    for prefix in GROUP_PREFIX:
        for key, name in causes.items():
            labels[f"why.{prefix}.{key}"] = _("Group {group}: not electronic only because of {cause}",
                                              group=prefix, cause=name)
    return labels


def why_names() -> dict[str, str]:
    """Why a document was not sent electronically only, in the user's language."""
    return {"secret": _("secrecy (MẬT)"), "no_system": _("no document system at the sender"),
            "exception": _("the rules' paper exceptions"),
            "habit": _("staff habit")}


def is_share(key: str) -> bool:
    return key in ("registered_on_time", "handled_on_time") or key.startswith(("handled_on_time.", "why."))


def format_kpi(key: str, value: float) -> str:
    if is_share(key):
        return pct(value)
    if key.endswith("_per_working_day"):
        return num(value, 1)
    if key.endswith("_vnd") or key in ("documents", "deliveries", "pages_printed", "pages_scanned", "returned",
                                       "axis_retries", "backlog_end", "in_transit_end", "warmup_days") \
            or key.startswith("backlog_end."):
        return num(value, 0)
    return num(value, 2)


# ---------------------------------------------------------------- blocks
@dataclass
class Table:
    head: list[str]
    rows: list[list[str]]


@dataclass
class Report:
    title: str
    blocks: list = field(default_factory=list)

    def heading(self, text: str) -> None:
        self.blocks.append(("h", text))

    def para(self, text: str) -> None:
        self.blocks.append(("p", text))

    def table(self, head: list[str], rows: list[list[str]]) -> None:
        self.blocks.append(("t", Table(head, rows)))

    def image(self, path: str, alt: str) -> None:
        self.blocks.append(("i", (path, alt)))

    def markdown(self) -> str:
        out = [f"# {self.title}", ""]
        for kind, value in self.blocks:
            if kind == "h":
                out += [f"## {value}", ""]
            elif kind == "p":
                out += [value, ""]
            elif kind == "t":
                esc = lambda s: str(s).replace("|", "\\|")  # noqa: E731
                out.append("| " + " | ".join(esc(h) for h in value.head) + " |")
                out.append("|" + "---|" * len(value.head))
                out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in value.rows]
                out.append("")
            elif kind == "i":
                out += [f"![{value[1]}]({value[0]})", ""]
        return "\n".join(out)

    def html(self, lang: str = "vi") -> str:
        e = html.escape
        parts = [f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{e(self.title)}</title>',
                 "<style>body{font-family:'Noto Serif',serif;max-width:70em;margin:2em auto;padding:0 1em}"
                 "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;padding:.25em .5em}"
                 "th{background:#eee}td.met{color:#060}td.notmet{color:#a00}td.uncertain{color:#a60}img{max-width:100%}</style>"
                 "</head><body>", f"<h1>{e(self.title)}</h1>"]
        for kind, value in self.blocks:
            if kind == "h":
                parts.append(f"<h2>{e(value)}</h2>")
            elif kind == "p":
                parts.append(f"<p>{e(value)}</p>")
            elif kind == "t":
                parts.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in value.head) + "</tr></thead><tbody>")
                for row in value.rows:
                    cells = []
                    for c in row:
                        cls = ' class="met"' if c == _("met") else (' class="notmet"' if c == _("not met") else
                                                                     (' class="uncertain"' if c == _("not yet certain") else ""))
                        cells.append(f"<td{cls}>{e(str(c))}</td>")
                    parts.append("<tr>" + "".join(cells) + "</tr>")
                parts.append("</tbody></table>")
            elif kind == "i":
                parts.append(f'<p><img src="{e(value[0])}" alt="{e(value[1])}"></p>')
        parts.append("</body></html>")
        return "\n".join(parts)


def indicator_table(rows) -> tuple[list[str], list[list[str]]]:
    head = [_("No."), _("Indicator"), _("Target"), _("Simulated"), _("95% interval"), _("Assessment")]
    body = [[r.id, r.label, target_text(r.direction, r.target), pct(r.value),
             f"{pct(r.low)} – {pct(r.high)}", verdict_text(r.verdict)] for r in rows]
    return head, body


# ---------------------------------------------------------------- charts
def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def chart_indicators(rows, path: Path) -> Path:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(10, 4.5), dpi=100)
    ids = [r.id for r in rows]
    values = [0 if math.isnan(r.value) else 100 * r.value for r in rows]
    err_low = [0 if math.isnan(r.low) else 100 * (r.value - r.low) for r in rows]
    err_high = [0 if math.isnan(r.high) else 100 * (r.high - r.value) for r in rows]
    colours = [{"met": "#2e7d32", "uncertain": "#ef8f00"}.get(r.verdict, "#c62828") for r in rows]
    ax.bar(ids, values, color=colours, yerr=[err_low, err_high], capsize=3, label=_("Simulated"))
    ax.scatter(ids, [100 * r.target for r in rows], marker="_", s=400, color="black", zorder=3, label=_("Target"))
    ax.set_ylabel("%")
    ax.set_ylim(0, 105)
    ax.set_title(_("Plan indicators: simulated (green met, orange not yet certain, red not met) and targets"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2, frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def chart_bars(labels: list[str], values: list[float], title: str, ylabel: str, path: Path, *,
               log: bool = False) -> Path:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(10, 4.5), dpi=100)
    values = [0 if math.isnan(v) else v for v in values]
    ax.bar(labels, values, color="#1565c0")
    if log:
        ax.set_yscale("log")
    for x, v in zip(labels, values):
        ax.annotate(num(v, 1 if v >= 1 else 2), (x, v), ha="center", va="bottom", fontsize=8)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", rotation=60)
    for tick in ax.get_xticklabels():
        tick.set_horizontalalignment("right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


# ---------------------------------------------------------------- the planner's report
def build_report(results, out_dir: Path, *, charts: bool = True) -> Report:
    """The full report of a scenario's replications; charts are written next to it."""
    sc = results.scenario
    out_dir = Path(out_dir)
    rows = results.indicators()
    labels = kpi_labels()
    report = Report(_("Simulation report: {name}", name=sc.name))
    start = sc.period.start
    report.para(_("Structure {structure}, period from {start} for {days} days, {n} replications, root seed {seed}; "
                  "compared with the {year} column of plan 338/KH-UBND (Nghệ An, 30/5/2018).",
                  structure=sc.load_province().structure, start=start.strftime("%d/%m/%Y"), days=sc.period.days, n=results.n,
                  seed=results.seed, year=sc.plan_year))
    province = sc.load_province()
    if province.list_note:   # e.g. a 2018 run on the oldest unit list a data release has
        report.para(_("Unit list: {note}.", note=province.list_note))
    if sc.description:
        report.para(" ".join(sc.localised(sc.description).split()))
    report.heading(_("The plan's indicators"))
    report.table(*indicator_table(rows))
    if charts:
        chart_indicators(rows, out_dir / "indicators.png")
        report.image("indicators.png", _("Plan indicators"))
    if sc.readings:
        report.heading(_("How this scenario reads the plan's table"))
        report.table([_("Rows"), _("Reading")], [[k, " ".join(sc.localised(v).split())] for k, v in sc.readings.items()])
    from simulator.flows import plan_report, plan_report_files

    plan = plan_report.build(results)
    report.heading(_("Quarterly report (the plan's table by quarter)"))
    report.table(plan_report_files.head(plan), [
        ([f"{cells[0]}.", cells[1].upper()] + [""] * (len(plan_report_files.head(plan)) - 2)) if kind == "section"
        else cells for kind, cells in plan_report_files.table(plan)])
    report.heading(_("Operations and costs"))
    summary = results.summary()
    keys = [k for k in labels if k in summary and not all(math.isnan(v) for v in results.values(k))]
    rows = []
    for k in keys:
        ci = summary[k]
        # Every outcome here is a count, a time or a cost (never negative); shares stay within 100%.
        low, high = max(0.0, ci.low), (min(1.0, ci.high) if is_share(k) else ci.high)
        if k == "warmup_days":  # a warm-up never exceeds the days simulated
            high = min(high, float(sc.period.days))
        rows.append([labels[k], format_kpi(k, ci.mean), f"{format_kpi(k, low)} – {format_kpi(k, high)}"])
    report.table([_("Outcome"), _("Mean"), _("95% interval")], rows)
    if charts:
        names = channel_names()
        transit = [(names[k.split(".", 1)[1]], summary[k].mean) for k in keys if k.startswith("transit_hours.")]
        if transit:
            chart_bars([t[0] for t in transit], [t[1] for t in transit], _("Mean transit time by channel"),
                       _("hours (logarithmic scale)"), out_dir / "transit.png", log=True)
            report.image("transit.png", _("Mean transit time by channel"))
    districts = results.districts_frame()
    if len(districts):
        report.heading(_("By district"))
        means = districts.groupby(["district", "terrain"], sort=False).mean(numeric_only=True).reset_index()
        report.table([_("District"), _("Terrain"), _("Deliveries"), _("Electronic share"), _("Handled on time"),
                      _("Backlog at the end"), _("Transit (hours)")],
                     [[r.district, terrain_name(r.terrain), num(r.deliveries, 0), pct(r.electronic_share), pct(r.handled_on_time),
                       num(r.backlog_end, 0), num(r.transit_hours, 1)] for r in means.itertuples()])
        if charts:
            chart_bars(list(means["district"]), list(means["transit_hours"]),
                       _("Mean transit time to the district's units (hours)"), _("hours"), out_dir / "districts.png")
            report.image("districts.png", _("Mean transit time to the district's units (hours)"))
    report.heading(_("Method"))
    report.para(_("Each replication draws its random numbers from its own child seed (by index), so scenarios "
                  "compared with the same root seed share arrivals and service times. Intervals are t-based "
                  "95% intervals over replications. The steady-state backlog drops a warm-up chosen by MSER-5 "
                  "on the daily backlog series."))
    return report

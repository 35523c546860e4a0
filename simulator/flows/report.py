"""Reports for planners: the quarterly table in the plan's layout, Markdown and HTML with charts."""

from __future__ import annotations

import math

from simulator.flows.indicators import AT_LEAST, PLAN_ROWS, PLAN_YEARS, indicator_rows, label
from simulator.i18n import translator

_ = translator("flows")


def _pct(x: float) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.1f}%"


def quarterly_report(results, plan_year: int | None = None) -> list[dict]:
    """The plan's table per quarter (the Department reports to the People's Committee every quarter).

    One dict per row: id, label, target, direction, Q1..Q4 (mean over replications), year, met.
    ``results`` is a :class:`Results` or a finished ``World``."""
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
        })
    return rows


def quarterly_markdown(rows: list[dict]) -> str:
    head = [_("No."), _("Indicator"), _("Target"), "Q1", "Q2", "Q3", "Q4", _("Year"), _("Assessment")]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        sign = "≥" if r["direction"] == AT_LEAST else "≤"
        lines.append("| " + " | ".join([
            r["id"], r["label"], f"{sign} {_pct(r['target'])}", *(_pct(r[f"Q{q}"]) for q in range(1, 5)),
            _pct(r["year"]), _("met") if r["met"] else _("not met")]) + " |")
    return "\n".join(lines)

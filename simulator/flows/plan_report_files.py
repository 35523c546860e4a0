"""The quarterly report's table as text: the rows every format shares, then Markdown, HTML and CSV.

One list of rows (:func:`table`) feeds the Markdown and HTML pages, the CSV
and the PDF's appendix, so they never disagree. The CSV is for machines:
one line per row of the plan, plain numbers (shares 0–1, empty when not
measured), a column per span for the mean and its interval bounds.
"""

from __future__ import annotations

import csv
import html
import io
import math

from simulator.flows.plan_report import (
    SECTIONS, PlanReport, label_of, section_title, target_text, value_text, verdict_text,
)
from simulator.documents.tables import ROW, SECTION, SUBROW
from simulator.flows.plan_table import SUB, TEXT
from simulator.i18n import translator

_ = translator("planreport")


def head(report: PlanReport) -> list[str]:
    return [_("No."), _("Indicator"), _("Baseline (2018)"), _("Target 2019"), _("Target 2020"),
            *(s.label for s in report.spans), _("Assessment against {year}", year=report.plan_year), _("Why")]


def table(report: PlanReport, *, mark_text_rows: bool = True) -> list[tuple[str, list[str]]]:
    """(kind, cells) per line: a SECTION heading before each section's rows (``mark_text_rows``: say
    after a text row's wording that the plan states a rule there, not a share; a PDF's footnote says it)."""
    out: list[tuple[str, list[str]]] = []
    by_section = {s.id: s for s in SECTIONS}
    current = None
    for line in report.lines:
        row = line.row
        if row.section != current:
            current = row.section
            title = section_title(by_section[current])
            out.append((SECTION, [current, title.split(". ", 1)[1]]))
        label = label_of(row)
        if row.kind == TEXT and mark_text_rows:
            label = _("{label} (text row of the plan)", label=label)
        cells = [row.id, ("– " if row.kind == SUB else "") + label,
                 *(target_text(row, y) for y in (2018, 2019, 2020)),
                 *(value_text(v) for v in line.values), verdict_text(line.verdict) or "—", line.why]
        out.append((SUBROW if row.kind == SUB else ROW, cells))
    return out


def cost_head(report: PlanReport) -> list[str]:
    return [_("Cost (million VND)"), *(s.label for s in report.spans)]


def cost_rows(report: PlanReport) -> list[list[str]]:
    return [[name, *(value_text(v, money=True) for v in values)] for name, values in report.costs]


def intro(report: PlanReport) -> str:
    c = report.counts()
    return _("Scenario {name}, {n} replications (root seed {seed}), structure {structure}; period {period}; "
             "compared with the {year} column of plan 338/KH-UBND. Met: {met}, not met: {not_met}, "
             "not yet certain: {uncertain}. Figures: mean over replications (95% interval).",
             name=report.scenario, n=report.replications, seed=report.seed, structure=report.structure,
             period=report.period.label, year=report.plan_year, met=c["met"], not_met=c["not_met"],
             uncertain=c["uncertain"])


def markdown(report: PlanReport, title: str) -> str:
    esc = lambda s: str(s).replace("|", "\\|")  # noqa: E731
    cols = head(report)
    out = [f"# {title}", "", intro(report), "", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for kind, cells in table(report):
        if kind == SECTION:
            out.append(f"| **{cells[0]}** | **{esc(cells[1])}** |" + " |" * (len(cols) - 2))
        else:
            out.append("| " + " | ".join(esc(c) for c in cells) + " |")
    out += ["", "## " + _("Costs"), "", "| " + " | ".join(cost_head(report)) + " |",
            "|" + "---|" * len(cost_head(report))]
    out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in cost_rows(report)]
    out += ["", report.warmup, ""]
    if report.readings:
        out += ["## " + _("How the table's rows are read"), ""]
        out += [f"- **{k}**: {v}" for k, v in report.readings]
        out.append("")
    return "\n".join(out)


def page(report: PlanReport, title: str, lang: str = "vi") -> str:
    e = html.escape
    cols = head(report)
    parts = [f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{e(title)}</title>',
             "<style>body{font-family:'Noto Serif',serif;max-width:90em;margin:2em auto;padding:0 1em}"
             "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;padding:.25em .5em;"
             "vertical-align:top}th{background:#eee}tr.section td{font-weight:bold;background:#f6f6f6}"
             "tr.subrow td:nth-child(2){font-style:italic;padding-left:1.5em}.met{color:#060}.notmet{color:#a00}"
             ".uncertain{color:#a60}</style></head><body>", f"<h1>{e(title)}</h1>", f"<p>{e(intro(report))}</p>",
             "<table><thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in cols) + "</tr></thead><tbody>"]
    classes = {_("Met"): "met", _("Not met"): "notmet", _("Not yet certain"): "uncertain"}
    for kind, cells in table(report):
        if kind == SECTION:
            parts.append(f'<tr class="section"><td>{e(cells[0])}</td><td colspan="{len(cols) - 1}">'
                         f"{e(cells[1])}</td></tr>")
            continue
        tds = []
        for i, c in enumerate(cells):
            cls = f' class="{classes[c]}"' if i == len(cells) - 2 and c in classes else ""
            tds.append(f"<td{cls}>{e(c)}</td>")
        parts.append(f'<tr class="{kind}">' + "".join(tds) + "</tr>")
    parts.append("</tbody></table>")
    parts.append(f"<h2>{e(_('Costs'))}</h2><table><thead><tr>"
                 + "".join(f"<th>{e(c)}</th>" for c in cost_head(report)) + "</tr></thead><tbody>")
    parts += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in cost_rows(report)]
    parts.append(f"</tbody></table><p>{e(report.warmup)}</p>")
    if report.readings:
        heading = _("How the table's rows are read")
        parts.append(f"<h2>{e(heading)}</h2><ul>")
        parts += [f"<li><b>{e(k)}</b>: {e(v)}</li>" for k, v in report.readings]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def csv_text(report: PlanReport) -> str:
    def clean(x):
        return "" if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), 6)

    buf = io.StringIO()
    w = csv.writer(buf)
    labels = [s.label for s in report.spans]
    w.writerow(["id", "section", "kind", "indicator", "baseline_2018", "target_2019", "target_2020",
                *(f"{lab} {part}" for lab in labels for part in ("mean", "low", "high")), "verdict", "why"])
    for line in report.lines:
        row = line.row
        targets = [t if isinstance(t, str) else clean(t) for t in row.targets]
        values = []
        for v in line.values:
            values += [clean(v.mean), clean(v.low), clean(v.high)] if v is not None else ["", "", ""]
        w.writerow([row.id, row.section, row.kind, label_of(row), *targets, *values, line.verdict or "", line.why])
    for name, values in report.costs:
        cells = []
        for v in values:
            cells += [clean(v.mean), clean(v.low), clean(v.high)] if v is not None else ["", "", ""]
        w.writerow(["cost", "", "cost", name, "", "", "", *cells, "", ""])
    return buf.getvalue()

"""``vbdt simulate``, ``vbdt compare``, ``vbdt sweep``: the planner's front end to the world."""

from __future__ import annotations

import json
import math
from pathlib import Path

import click

from simulator.cli.common import MAX_TEXT, SEED, InputFile, IntRange, OutputFolder, SchedulerAddress, echo_json
from simulator.errors import UserError
from simulator.i18n import current_language, translator

_ = translator("flows")


SCENARIO = InputFile(MAX_TEXT, structured=True)


def _options(f):
    f = click.option("--json", "as_json", is_flag=True, help=_("Print the indicators as JSON."))(f)
    f = click.option("--out", "out", type=OutputFolder(), default=None,
                     help=_("Folder for the report, kpis.csv and the event log."))(f)
    f = click.option("--scheduler", default=None, type=SchedulerAddress(),
                     help=_("Dask scheduler address (tcp://host:port)."))(f)
    f = click.option("--workers", type=IntRange(1, 256), default=1, show_default=True,
                     help=_("Local worker processes."))(f)
    f = click.option("--seed", type=SEED, default=0, show_default=True, help=_("Root seed."))(f)
    f = click.option("--days", type=IntRange(1, 3660), default=None,
                     help=_("Simulate only this many days of the period."))(f)
    f = click.option("--district", default=None, help=_("Simulate one district only (its committee and communes)."))(f)
    f = click.option("--replications", "-n", type=IntRange(1, 1000), default=5, show_default=True,
                     help=_("Number of replications."))(f)
    return f


def _load(path: str, district: str | None, days: int | None):
    from simulator.flows import Scenario

    scenario = Scenario.load(path)
    if district:
        scenario = scenario.override({"only_district": district})
        scenario.check_units(source=path)
    return scenario


def _progress(total: int, label: str, quiet: bool):
    from tqdm import tqdm

    bar = tqdm(total=total, desc=label, unit=_("replication"), disable=quiet or None, leave=False)
    return bar, (lambda: bar.update(1))


def _run(scenario, n, seed, workers, scheduler, days, out, label, quiet, events=True):
    """Replications; with ``out``, replication 0 runs here with its event log recorded."""
    from simulator.flows import World, run_replications, write_event_log
    from simulator.flows.replications import summarise

    bar, tick = _progress(n, label, quiet)
    try:
        extra = []
        if out is not None and events:
            world = World(scenario, seed, replication=0, record_events=True)
            world.run(until=days)
            extra.append(summarise(world))
            tick()
            write_event_log(world, out, seed=seed)
        results = run_replications(scenario, n, seed, workers, scheduler, days=days, progress=tick,
                                   first=len(extra), extra=extra)
    finally:
        bar.close()
    return results


def _rows_json(rows) -> list[dict]:
    def clean(x):
        return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), 6)

    return [{"id": r.id, "label": r.label, "target": r.target, "direction": r.direction, "value": clean(r.value),
             "low": clean(r.low), "high": clean(r.high), "met": r.met, "verdict": r.verdict} for r in rows]


def _write_outputs(results, out: Path) -> None:
    from simulator.flows.report import build_report, quarterly_report

    out.mkdir(parents=True, exist_ok=True)
    results.to_frame().to_csv(out / "kpis.csv")
    frame = results.districts_frame()
    if len(frame):
        frame.to_csv(out / "districts.csv", index=False)
    import pandas as pd

    pd.DataFrame(quarterly_report(results)).to_csv(out / "quarterly.csv", index=False)
    (out / "indicators.json").write_text(json.dumps(_rows_json(results.indicators()), ensure_ascii=False, indent=2),
                                         encoding="utf-8")
    report = build_report(results, out)
    (out / "report.md").write_text(report.markdown(), encoding="utf-8")
    (out / "report.html").write_text(report.html(current_language()), encoding="utf-8")


@click.command()
@click.argument("scenario", type=SCENARIO)
@_options
@click.option("--no-events", "no_events", is_flag=True, help=_("Do not write the event log."))
def simulate(scenario, replications, district, days, seed, workers, scheduler, out, as_json, no_events):
    """Mô phỏng một kịch bản, so với chỉ tiêu Kế hoạch (simulate a scenario against the plan's targets)."""
    sc = _load(scenario, district, days)
    out_dir = Path(out) if out else None
    results = _run(sc, replications, seed, workers, scheduler, days, out_dir, sc.name, as_json, not no_events)
    rows = results.indicators()
    if out_dir is not None:
        _write_outputs(results, out_dir)
        from simulator.flows.plan_report_doc import write as write_plan_report  # the signed Báo cáo, plan layout

        write_plan_report(results, out_dir)
    if as_json:
        echo_json({"scenario": sc.name, "replications": results.n, "seed": seed, "plan_year": sc.plan_year,
                   "indicators": _rows_json(rows)})
        return
    from simulator.flows.report import pct, target_text

    click.echo(_("Scenario {name}: {n} replications, seed {seed}, plan year {year}",
                 name=sc.name, n=results.n, seed=seed, year=sc.plan_year))
    from simulator.flows.indicators import verdict_text

    for r in rows:
        verdict = verdict_text(r.verdict)
        click.echo(f"{r.id:6} {target_text(r.direction, r.target):>9}  {pct(r.value):>7}  "
                   f"[{pct(r.low)} – {pct(r.high)}]  {verdict}  {r.label}")
    if out_dir is not None:
        click.echo(_("Report written to {path}", path=out_dir / "report.md"))


def _value_list(text: str) -> list:
    values = []
    for raw in text.split(","):
        raw = raw.strip()
        try:
            values.append(json.loads(raw))
        except json.JSONDecodeError:
            values.append(raw)
    return values


@click.command()
@click.argument("scenario_a", type=SCENARIO)
@click.argument("scenario_b", type=SCENARIO)
@_options
def compare(scenario_a, scenario_b, replications, district, days, seed, workers, scheduler, out, as_json):
    """So sánh hai kịch bản, chênh lệch B − A ghép cặp (compare two scenarios, paired differences)."""
    from simulator.flows import compare as compare_runs
    from simulator.flows import run_replications
    from simulator.flows.indicators import EXTENSIVE, INDICATOR_IDS
    from simulator.flows.report import Report, format_kpi, kpi_labels

    a = _load(scenario_a, district, days)
    b = _load(scenario_b, district, days)
    bar, tick = _progress(2 * replications, f"{a.name} / {b.name}", as_json)
    try:
        ra = run_replications(a, replications, seed, workers, scheduler, days=days, progress=tick)
        rb = run_replications(b, replications, seed, workers, scheduler, days=days, progress=tick)
    finally:
        bar.close()
    labels = kpi_labels()
    # Totals grow with the calendar's working days: they are compared per working day only.
    keys = list(INDICATOR_IDS) + [k for k in labels if k in ra.kpis[0] and k not in EXTENSIVE]
    diffs = compare_runs(ra, rb, keys=keys)

    from simulator.flows.report import _local

    def fmt(key, x):
        if math.isnan(x):
            return "—"
        return _local(f"{100 * x:+.1f}") + " " + _("pp")

    if as_json:
        clean = lambda x: None if math.isnan(x) else round(x, 6)  # noqa: E731
        echo_json({"a": a.name, "b": b.name, "replications": replications, "seed": seed, "differences": [
            {"key": d.key, "a": clean(d.a.mean), "b": clean(d.b.mean), "difference": clean(d.paired.mean),
             "low": clean(d.paired.low), "high": clean(d.paired.high),
             "unpaired_low": clean(d.unpaired.low), "unpaired_high": clean(d.unpaired.high)} for d in diffs]})
        return
    report = Report(_("Comparison: {b} minus {a}", a=a.name, b=b.name))
    report.para(_("{n} paired replications with root seed {seed} (common random numbers). Counts and costs are "
                  "compared per working day, so a difference in working days is not counted as an effect.",
                  n=replications, seed=seed))
    head = [_("Measure"), a.name, b.name, _("Difference"), _("95% interval (paired)"), _("95% interval (unpaired)")]
    body = []
    for d in diffs:
        name = labels.get(d.key, d.key)
        if d.key in INDICATOR_IDS:
            from simulator.flows.indicators import label
            from simulator.flows.report import pct

            name = f"{d.key} {label(d.key)}"
            body.append([name, pct(d.a.mean), pct(d.b.mean), fmt(d.key, d.paired.mean),
                         f"{fmt(d.key, d.paired.low)} – {fmt(d.key, d.paired.high)}",
                         f"{fmt(d.key, d.unpaired.low)} – {fmt(d.key, d.unpaired.high)}"])
        else:
            body.append([name, format_kpi(d.key, d.a.mean), format_kpi(d.key, d.b.mean),
                         format_kpi(d.key, d.paired.mean),
                         f"{format_kpi(d.key, d.paired.low)} – {format_kpi(d.key, d.paired.high)}",
                         f"{format_kpi(d.key, d.unpaired.low)} – {format_kpi(d.key, d.unpaired.high)}"])
    report.table(head, body)
    text = report.markdown()
    if out:
        out_dir = Path(out)
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "compare.md").write_text(text, encoding="utf-8")
        (out_dir / "compare.html").write_text(report.html(current_language()), encoding="utf-8")
        import pandas as pd

        pd.DataFrame([{"key": d.key, "a": d.a.mean, "b": d.b.mean, "difference": d.paired.mean,
                       "low": d.paired.low, "high": d.paired.high, "unpaired_low": d.unpaired.low,
                       "unpaired_high": d.unpaired.high} for d in diffs]).to_csv(out_dir / "compare.csv", index=False)
    click.echo(text)


@click.command()
@click.argument("scenario", type=SCENARIO)
@click.option("--set", "setting", required=True, help=_("A setting and its values: path=v1,v2,..."))
@_options
def sweep(scenario, setting, replications, district, days, seed, workers, scheduler, out, as_json):
    """Quét một thiết lập qua nhiều giá trị (sweep one setting over several values)."""
    from simulator.flows import run_replications
    from simulator.flows.indicators import verdict_text
    from simulator.flows.report import Report, chart_bars, pct

    if "=" not in setting:
        raise UserError(_("--set needs path=v1,v2,... (e.g. adoption.interagency.electronic=0.5,0.8,1)"),
                        field="set")
    path, raw = setting.split("=", 1)
    values = _value_list(raw)
    base = _load(scenario, district, days)
    variants = [(v, base.override({path.strip(): v})) for v in values]  # validate every value first
    bar, tick = _progress(len(values) * replications, f"{base.name}: {path}", as_json)
    results = []
    try:
        for value, sc in variants:
            results.append((value, run_replications(sc, replications, seed, workers, scheduler, days=days,
                                                    progress=tick)))
    finally:
        bar.close()
    if as_json:
        from simulator.cli.simulate import _rows_json as rows_json

        echo_json({"scenario": base.name, "setting": path, "points": [
            {"value": v, "indicators": rows_json(r.indicators())} for v, r in results]})
        return
    report = Report(_("Sweep of {setting} in {name}", setting=path, name=base.name))
    report.para(_("{n} replications per value, root seed {seed} (the same streams for every value).",
                  n=replications, seed=seed))
    ids = [row.id for row in results[0][1].indicators()]
    head = [_("No.")] + [f"{path} = {v}" for v, _r in results]
    table = {rid: [rid] for rid in ids}
    for _v, r in results:
        for row in r.indicators():
            table[row.id].append(f"{pct(row.value)} ({verdict_text(row.verdict)})")
    report.table(head, list(table.values()))
    text = report.markdown()
    if out:
        out_dir = Path(out)
        out_dir.mkdir(parents=True, exist_ok=True)
        import pandas as pd

        frames = [r.to_frame().assign(**{path: str(v)}) for v, r in results]
        pd.concat(frames).to_csv(out_dir / "sweep.csv")
        chart_bars([str(v) for v, _r in results], [r.interval("handled_on_time").mean * 100 for _v, r in results],
                   _("Handled within the due date"), "%", out_dir / "sweep.png")
        report.image("sweep.png", _("Handled within the due date"))
        (out_dir / "sweep.md").write_text(report.markdown(), encoding="utf-8")
        (out_dir / "sweep.html").write_text(report.html(current_language()), encoding="utf-8")
    click.echo(text)

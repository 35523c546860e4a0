"""``vbdt calibrate``: fit a scenario's staff habits to its column of the plan's table."""

from __future__ import annotations

import json
import math
from pathlib import Path

import click

from simulator.cli.common import SEED, IntRange, OutputFolder, SchedulerAddress, echo_json
from simulator.cli.simulate import SCENARIO, _progress
from simulator.i18n import current_language, translator

_ = translator("flows")


@click.command()
@click.argument("scenario", type=SCENARIO)
@click.option("--then", "then", type=SCENARIO, default=None,
              help=_("Run another scenario (e.g. the plan's 2019 investments) with the fitted habits and compare "
                     "it with its year's column."))
@click.option("--days", type=IntRange(1, 3660), default=None, help=_("Days per evaluation (default: the scenario's "
                                                                     "calibration.days)."))
@click.option("--replications", "-n", type=IntRange(1, 100), default=None,
              help=_("Replications per evaluation (default: the scenario's calibration.replications)."))
@click.option("--seed", type=SEED, default=None, help=_("Root seed (default: the scenario's calibration.seed)."))
@click.option("--workers", type=IntRange(1, 256), default=2, show_default=True, help=_("Local worker processes."))
@click.option("--scheduler", default=None, type=SchedulerAddress(), help=_("Dask scheduler address (tcp://host:port)."))
@click.option("--district", default=None, help=_("Calibrate on one district only (quicker, less faithful)."))
@click.option("--out", "out", type=OutputFolder(), default=None,
              help=_("Folder for calibration.md, calibration.html, calibration.json and fitted.yaml."))
@click.option("--json", "as_json", is_flag=True, help=_("Print the result as JSON."))
def calibrate(scenario, then, days, replications, seed, workers, scheduler, district, out, as_json):
    """Hiệu chỉnh thói quen theo cột chỉ tiêu của Kế hoạch (fit the habits to the plan's column)."""
    from simulator.cli.simulate import _load
    from simulator.flows import run_replications
    from simulator.flows.calibration import calibrate as fit
    from simulator.flows.calibration import calibration_report, carry_over

    sc = _load(scenario, district, None)
    settings = {"calibration.days": days, "calibration.replications": replications, "calibration.seed": seed}
    settings = {k: v for k, v in settings.items() if v is not None}
    if settings:
        sc = sc.override(settings)
    other = _load(then, district, None) if then else None
    total = 1 + len(sc.calibration.parameters) + sc.calibration.iterations
    bar, tick = _progress(total, _("calibration {name}", name=sc.name), as_json)
    try:
        cal = fit(sc, workers=workers, scheduler=scheduler, progress=tick)
    finally:
        bar.close()
    check = None
    if other is not None:
        other = carry_over(cal, other)
        c = sc.calibration
        check = (other, run_replications(other, c.replications, c.seed, workers, scheduler, days=c.days))
    clean = lambda x: None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), 6)  # noqa: E731
    payload = {
        "scenario": sc.name, "plan_year": sc.plan_year, "evaluations": cal.evaluations,
        "seconds": round(cal.seconds, 1), "tolerance": sc.calibration.tolerance,
        "fitted": {k: {"before": clean(a), "after": clean(b)} for k, (a, b) in cal.values.items()},
        "rows": [{"id": r.id, "target": r.target, "weight": r.weight, "before": clean(r.before),
                  "after": clean(r.after), "within": r.within} for r in cal.rows],
    }
    if check is not None:
        from simulator.cli.simulate import _rows_json

        payload["then"] = {"scenario": check[0].name, "plan_year": check[0].plan_year,
                           "indicators": _rows_json(check[1].indicators())}
    report = calibration_report(cal, check)
    if out is not None:
        out_dir = Path(out)
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "calibration.md").write_text(report.markdown(), encoding="utf-8")
        (out_dir / "calibration.html").write_text(report.html(current_language()), encoding="utf-8")
        (out_dir / "calibration.json").write_text(json.dumps(payload, ensure_ascii=False, indent=2),
                                                  encoding="utf-8")
        import yaml

        (out_dir / "fitted.yaml").write_text(
            f"# vbdt calibrate {Path(scenario).name}: fitted values as dotted settings (Scenario.override)\n"
            + yaml.safe_dump(cal.changes(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    if as_json:
        echo_json(payload)
        return
    click.echo(report.markdown())

"""``vbdt optimize``: the cheapest schedule of a scenario's rollout that meets the plan's targets."""

from __future__ import annotations

import json
from pathlib import Path

import click

from simulator.cli.common import SEED, IntRange, OutputFolder, SchedulerAddress, echo_json
from simulator.cli.simulate import SCENARIO, _progress
from simulator.errors import UserError
from simulator.i18n import current_language, translator

_ = translator("flows")


def _rows(text: str | None) -> list[str] | None:
    from simulator.flows.indicators import INDICATOR_IDS

    if not text:
        return None
    rows = [r.strip() for r in text.split(",") if r.strip()]
    for rid in rows:
        if rid not in INDICATOR_IDS:
            raise UserError(_("--rows: unknown row {row!r} of the plan's table (I.1 to IV.5)", row=rid),
                            field="rows")
    return rows


@click.command()
@click.argument("scenario", type=SCENARIO)
@click.option("--rows", default=None, help=_("Rows of the plan's table to meet, e.g. IV.3,II.4 (default: those the "
                                             "whole rollout in the first quarter meets)."))
@click.option("--confidence", type=click.FloatRange(0.5, 0.999), default=0.95, show_default=True,
              help=_("Confidence of the intervals a met row must clear."))
@click.option("--replications", "-n", type=IntRange(1, 100), default=2, show_default=True,
              help=_("Replications per schedule (common random numbers)."))
@click.option("--days", type=IntRange(1, 3660), default=None, help=_("Simulate only this many days of the period."))
@click.option("--district", default=None, help=_("Simulate one district only (its committee and communes)."))
@click.option("--budget", type=IntRange(3, 10000), default=200, show_default=True,
              help=_("Most schedules evaluated."))
@click.option("--seed", type=SEED, default=0, show_default=True, help=_("Root seed."))
@click.option("--workers", type=IntRange(1, 256), default=2, show_default=True, help=_("Local worker processes."))
@click.option("--scheduler", default=None, type=SchedulerAddress(), help=_("Dask scheduler address (tcp://host:port)."))
@click.option("--out", "out", type=OutputFolder(), default=None,
              help=_("Folder for optimize.md, optimize.html, frontier.csv and evaluations.csv."))
@click.option("--json", "as_json", is_flag=True, help=_("Print the result as JSON."))
def optimize(scenario, rows, confidence, replications, days, district, budget, seed, workers, scheduler, out,
             as_json):
    """Tìm lộ trình đầu tư rẻ nhất đạt chỉ tiêu (the cheapest rollout meeting the plan's targets)."""
    from simulator.cli.simulate import _load
    from simulator.flows.optimize import Optimizer, optimize_payload, optimize_report

    required = _rows(rows)
    sc = _load(scenario, district, days)
    if not sc.rollout:
        raise UserError(_("{file}: the scenario has no rollout to schedule (add a 'rollout' list)", file=scenario),
                        field="rollout")
    bar, tick = _progress(budget, _("optimize {name}", name=sc.name), as_json)
    try:
        search = Optimizer(sc, rows=required, confidence=confidence, replications=replications, seed=seed,
                           days=days, workers=workers, scheduler=scheduler, budget=budget, progress=tick).run()
    finally:
        bar.close()
    payload = optimize_payload(search)
    report = optimize_report(search)
    if out is not None:
        import pandas as pd

        out_dir = Path(out)
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "optimize.md").write_text(report.markdown(), encoding="utf-8")
        (out_dir / "optimize.html").write_text(report.html(current_language()), encoding="utf-8")
        (out_dir / "optimize.json").write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        pd.DataFrame(payload["frontier"]).to_csv(out_dir / "frontier.csv", index=False)
        pd.DataFrame(payload["evaluations"]).to_csv(out_dir / "evaluations.csv", index=False)
    if as_json:
        echo_json(payload)
        return
    click.echo(report.markdown())
    if search.best is None:
        raise SystemExit(1)   # a negative verdict: no schedule meets the rows

"""The planner's dashboard: sliders for adoption and outages, run, the plan's table and a chart.

It runs the same functions as ``vbdt simulate`` (``run_replications``,
``indicators``, ``quarterly_report``) on a small slice of the province (one
district, a few weeks) so a re-run takes seconds; the CLI runs the full
province and year.
"""

from __future__ import annotations

import io
from pathlib import Path

import ipywidgets as w

from simulator.i18n import translator
from simulator.lab.widgets.base import Desk, table

_ = translator("lab")
_r = translator("planreport")   # the quarterly report's button and messages

# slider -> dotted scenario setting it changes
SETTINGS = {
    "interagency": "adoption.interagency.electronic",
    "signature": "adoption.interagency.digital_signature",
    "citizens": "adoption.citizens.electronic",
    "outages": "outages.unit_network_per_week",
}


class PlannerDashboard(Desk):
    """Change a scenario, run a few replications, read the plan's table (met / not met)."""

    def __init__(self, scenario: str | Path | None = None, *, district: str = "Huyện Diễn Châu",
                 days: int = 20, replications: int = 3, seed: int = 2020, report_folder: str | Path = "bao-cao-quy",
                 **kwargs) -> None:
        from simulator.flows import Scenario
        from simulator.flows.scenario import scenario_path

        self.title = _("Planner's dashboard")
        self.base = Scenario.load(scenario_path(scenario or "plan-2020")).override(only_district=district)
        super().__init__(None, **kwargs)
        self.days, self.replications, self.seed = days, replications, seed
        adoption = self.base.adoption
        self.sliders = {
            "interagency": w.FloatSlider(value=adoption.interagency.electronic, min=0, max=1, step=0.05,
                                         description=_("Habit: electronic between agencies"), readout_format=".0%"),
            "signature": w.FloatSlider(value=adoption.interagency.digital_signature, min=0, max=1, step=0.05,
                                       description=_("Habit: signing digitally"), readout_format=".0%"),
            "citizens": w.FloatSlider(value=adoption.citizens.electronic, min=0, max=1, step=0.05,
                                      description=_("Habit: electronic with citizens"), readout_format=".0%"),
            "outages": w.FloatSlider(value=self.base.outages.unit_network_per_week, min=0, max=5, step=0.5,
                                     description=_("Network outages per week")),
        }
        for slider in self.sliders.values():
            slider.style = {"description_width": "220px"}
            slider.layout = w.Layout(width="520px")
        self.view = w.HTML()
        self.chart = w.Image(format="png")
        self.report_folder = Path(report_folder)
        self.body.children = [*self.sliders.values(),
                              w.HBox([self.button(_("Run the scenario"), self.simulate, "primary"),
                                      self.button(_r("Write the quarterly report (signed PDF)"), self.write_report)]),
                              self.view, self.chart]
        self.results = None

    def changes(self) -> dict:
        changes = {SETTINGS[key]: slider.value for key, slider in self.sliders.items()}
        # electronic + electronic-with-paper cannot exceed 100%: shrink the paper-copy share if needed
        paper = self.base.adoption.interagency.electronic_with_paper
        changes["adoption.interagency.electronic_with_paper"] = round(min(paper, 1 - self.sliders["interagency"].value), 4)
        return changes

    def scenario(self):
        return self.base.override(self.changes())

    def simulate(self):
        from simulator.flows import indicators, run_replications
        from simulator.flows.indicators import MET, verdict_text
        from simulator.flows.report import pct, target_text

        changes = self.changes()
        self.show_call(f"scenario = Scenario.load('plan-2020.yaml').override({changes!r})\n"
                       f"results = run_replications(scenario, {self.replications}, seed={self.seed}, days={self.days})\n"
                       f"indicators(results)")
        self.results = run_replications(self.scenario(), self.replications, seed=self.seed, days=self.days)
        rows = indicators(self.results)
        self.view.value = table(
            [[r.id, r.label or r.label_vi, target_text(r.direction, r.target), pct(r.value),
              f"{pct(r.low)} – {pct(r.high)}", verdict_text(r.verdict)] for r in rows],
            [_("Row"), _("Indicator"), _("Target"), _("Simulated"), _("95% interval"), _("Result")])
        self.chart.value = _chart(rows)
        met = sum(r.verdict == MET for r in rows)
        self.say(_("{met} of {n} targets met.", met=met, n=len(rows)), ok=met == len(rows))
        return rows


    def write_report(self) -> dict:
        """The last run as the Department's quarterly Báo cáo (plan layout, signed), in ``report_folder``."""
        from simulator.errors import UserError
        from simulator.flows.plan_report_doc import write

        if self.results is None:
            raise UserError(_r("Run the scenario first: the report is written from its results."))
        self.show_call(f"from simulator.flows.plan_report_doc import write\n"
                       f"write(results, {str(self.report_folder)!r})")
        paths = write(self.results, self.report_folder)
        self.say(_r("Quarterly report written: {pdf} (signed), with Markdown, HTML and CSV beside it.",
                    pdf=paths["pdf"]))
        return paths


def _chart(rows) -> bytes:
    import matplotlib

    from simulator.flows.indicators import MET, UNCERTAIN

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 3.2), dpi=90)
    ids = [r.id for r in rows]
    ax.bar(ids, [r.value for r in rows], color=[{MET: "#2e7d32", UNCERTAIN: "#f9a825"}.get(r.verdict, "#c62828") for r in rows])
    ax.scatter(ids, [r.target for r in rows], marker="_", s=300, color="black", label=_("target"))
    ax.errorbar(ids, [r.value for r in rows], yerr=[[r.value - r.low for r in rows], [r.high - r.value for r in rows]],
                fmt="none", ecolor="#333", capsize=2)
    ax.set_ylim(0, 1.05)
    ax.tick_params(axis="x", rotation=60, labelsize=8)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()

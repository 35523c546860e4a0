"""The instructor's desk: the class report's tables (simulator.grading.analytics) in ipywidgets, refreshed on click."""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as w

from simulator.i18n import translator
from simulator.lab.widgets.base import Desk, table

_ = translator("grading")


class InstructorDesk(Desk):
    """Who is where, which mistakes the class makes, who has gone quiet, how many staff trained."""

    def __init__(self, class_folder: str | Path, *, course: str | Path | None = None, idle_minutes: float = 15,
                 grade: bool = False, **kwargs) -> None:
        self.title = _("Instructor's desk")
        super().__init__(None, **kwargs)
        self.class_folder, self.course, self.idle_minutes, self.grade = Path(class_folder), course, idle_minutes, grade
        self.tabs = w.Tab(children=[w.HTML(), w.HTML(), w.HTML(), w.HTML()])
        for i, name in enumerate((_("Progress by trainee"), _("The class's mistakes (trainee × kind)"),
                                  _("Not acting for a while"), _("Staff trained by unit and level"))):
            self.tabs.set_title(i, name)
        self.body.children = [self.button(_("Refresh"), self.load, "primary"), self.tabs]
        self.report = None
        self.run(self.load)

    def load(self):
        from simulator.grading.analytics import analyse_class

        self.show_call(f"analyse_class({str(self.class_folder)!r}, course={self.course!r}, grade={self.grade}, "
                       f"idle_after={self.idle_minutes})")
        self.report = analyse_class(self.class_folder, course=self.course, grade=self.grade,
                                    idle_after=self.idle_minutes)
        self.say(_("{n} trainee(s), {idle} not acting for {minutes} minutes or more.", n=len(self.report.trainees),
                   idle=len(self.report.idle), minutes=self.idle_minutes), ok=not self.report.idle)
        return self.report

    def refresh(self) -> None:
        from simulator.grading.analytics import action_label, trainee_rows, world_time
        from simulator.grading.report_html import heat_map_html, machine_time, texts

        if self.report is None:
            return
        t = texts()
        rows = trainee_rows(self.report)
        self.tabs.children[0].value = table(
            [[r["trainee"], r["unit"], f"{r['done']}/{r['expected']}", r["world_minutes"], r["machine_minutes"],
              action_label(r["last_action"]), world_time(r["last_at"])] for r in rows],
            [t["trainee"], t["unit"], t["progress"], t["world_minutes"], t["machine_minutes"], t["last_action"],
             t["last_at"]])
        self.tabs.children[1].value = heat_map_html(self.report)
        idle = self.report.idle
        self.tabs.children[2].value = table(
            [[r.trainee, machine_time(r.last_seen), r.quiet_minutes, action_label(r.last_action)] for r in idle],
            [t["trainee"], t["last_seen"], t["quiet"], t["last_action"]]) if idle else html.escape(t["nobody_idle"])
        self.tabs.children[3].value = table(
            [[r["level"], f"{r['unit']} ({r['unit_code']})", r["enrolled"], r["completed"]]
             for r in self.report.trained()],
            [t["level"], t["unit"], t["enrolled"], t["completed"]])

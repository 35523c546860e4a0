"""The instructor's desk: the class report's tables (simulator.grading.analytics) in ipywidgets, refreshed on click."""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as w

from simulator.i18n import translator
from simulator.lab.widgets.base import Desk, table

_ = translator("grading")
_lab = translator("lab")


# Tab titles in full: the widgets' tabs are 144 px wide, which cuts Vietnamese titles ("Tiến độ từng học viê").
WHOLE_TITLES = "vbdt-whole-titles"
WHOLE_TITLES_STYLE = (f"<style>.{WHOLE_TITLES} .lm-TabBar-tab {{flex: 0 0 auto !important; max-width: none !important;"
                      f" min-width: 0 !important;}}</style>")


def leaders_table(rows) -> str:
    """The live class's leader seats: what each unit's clerk handed its leader, what the leader signed and
    assigned, and what waits for the leader since when (world time); empty when no trainee holds a leader seat."""
    from simulator.calendar import vn_datetime

    leaders = [r for r in rows if r.role == "leader"]
    if not leaders:
        return ""
    return f"<h4>{html.escape(_('Leaders'))}</h4>" + table(
        [[r.trainee, f"{r.unit_name} ({r.unit})", len(r.handoffs), len(r.signed), len(r.assigned), len(r.waiting),
          vn_datetime(r.waiting_since) if r.waiting_since else "—"] for r in leaders],
        [_lab("Trainee"), _lab("Unit"), _("Handed over"), _("Drafts signed"), _("Documents assigned"), _("Waiting"),
         _("Waiting since (world time)")])


class InstructorDesk(Desk):
    """Who is where, which mistakes the class makes, who has gone quiet, how many staff trained; with
    ``class_world`` (the folder of a class world, ``vbdt class open``) a tab "live class": where each seat stands
    in the exchange, from the class's axis (:func:`simulator.seat.class_progress.class_progress`)."""

    def __init__(self, class_folder: str | Path, *, course: str | Path | None = None, idle_minutes: float = 15,
                 grade: bool = False, class_world: str | Path | None = None, **kwargs) -> None:
        self.title = _("Instructor's desk")
        super().__init__(None, **kwargs)
        self.class_folder, self.course, self.idle_minutes, self.grade = Path(class_folder), course, idle_minutes, grade
        self.class_world = Path(class_world) if class_world is not None else None
        names = [_("Progress by trainee"), _("The class's mistakes (trainee × kind)"), _("Not acting for a while"),
                 _("Staff trained by unit and level")] + ([_lab("Live class")] if self.class_world else [])
        self.tabs = w.Tab(children=[w.HTML() for _name in names])
        for i, name in enumerate(names):
            self.tabs.set_title(i, name)
        self.live = None  # the live class's rows (simulator.seat.class_progress.SeatProgress)
        self.tabs.add_class(WHOLE_TITLES)
        self.body.children = [w.HTML(WHOLE_TITLES_STYLE), self.button(_("Refresh"), self.load, "primary"), self.tabs]
        self.report = None
        self.run(self.load)

    def load(self):
        from simulator.grading.analytics import analyse_class

        live = f"class_progress({str(self.class_world)!r})\n" if self.class_world is not None else ""
        if live:  # the live class first: it needs no trainee folder
            self.load_live()
        self.show_call(live + f"analyse_class({str(self.class_folder)!r}, course={self.course!r}, grade={self.grade}, "
                       f"idle_after={self.idle_minutes})")
        self.report = analyse_class(self.class_folder, course=self.course, grade=self.grade,
                                    idle_after=self.idle_minutes)
        self.say(_("{n} trainee(s), {idle} not acting for {minutes} minutes or more.", n=len(self.report.trainees),
                   idle=len(self.report.idle), minutes=self.idle_minutes), ok=not self.report.idle)
        return self.report

    def load_live(self):
        from simulator.lab.widgets.classroom import progress_table
        from simulator.seat.class_progress import class_progress

        self.live = class_progress(self.class_world)
        self.tabs.children[4].value = progress_table(self.live) + leaders_table(self.live)
        return self.live

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

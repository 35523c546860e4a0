"""The class report as one HTML page (Jinja2): trainees, the mistakes heat map, who is quiet, staff trained."""

from __future__ import annotations

from jinja2 import Environment, select_autoescape

from simulator.grading.analytics import KINDS, ClassReport, action_label, kind_label, world_time
from simulator.i18n import translator

_ = translator("grading")

HEAT = """<table id="heatmap"><tr><th>{{ t.trainee }}</th>{% for k in kinds %}<th>{{ labels[k] }}</th>{% endfor %}</tr>
{% for name, counts in heat %}<tr><td>{{ name }}</td>
{% for c in counts %}<td class="heat" data-count="{{ c }}" style="background: {{ colour(c) }}">{{ c or "" }}</td>
{% endfor %}</tr>{% endfor %}
<tr><th>{{ t.total }}</th>{% for c in totals %}<th>{{ c }}</th>{% endfor %}</tr></table>
"""

PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{ t.title }}</title>
<style>
body { font-family: "Noto Sans", "DejaVu Sans", sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #bbb; padding: 4px 8px; text-align: left; }
th { background: #eef2f7; }
td.n { text-align: right; }
td.heat { text-align: center; min-width: 4em; font-weight: bold; }
tr.idle td { background: #fff3cd; }
.bar { background: #ddd; width: 8em; height: 0.8em; display: inline-block; }
.bar span { background: #2e7d32; height: 100%; display: block; }
</style></head><body>
<h1>{{ t.title }}</h1>
<p>{{ t.folder }}: {{ report.folder }} · {{ t.count }}: {{ report.trainees|length }}</p>

<h2>{{ t.progress_head }}</h2>
<table id="trainees"><tr><th>{{ t.trainee }}</th><th>{{ t.unit }}</th><th>{{ t.progress }}</th>
{% for a in assignments %}<th>{{ t.score }}: {{ a }}</th>{% endfor %}
<th>{{ t.world_minutes }}</th><th>{{ t.machine_minutes }}</th><th>{{ t.last_action }}</th><th>{{ t.last_at }}</th>
<th>{{ t.mistakes }}</th></tr>
{% for r in report.trainees %}<tr{% if r.quiet_minutes >= report.idle_after %} class="idle"{% endif %}>
<td>{{ r.trainee }}</td><td>{{ r.unit_name }}</td>
<td><span class="bar"><span style="width: {{ (100 * r.progress)|round|int }}%"></span></span>
 {{ r.done }}/{{ r.expected }}</td>
{% for a in assignments %}<td class="n">{% if a in r.scores %}{{ r.scores[a][0] }} / {{ r.scores[a][1] }}{% endif %}</td>
{% endfor %}<td class="n">{{ r.world_minutes }}</td><td class="n">{{ r.machine_minutes }}</td>
<td>{{ action(r.last_action) }}</td><td>{{ when(r.last_at) }}</td><td class="n">{{ r.mistakes.values()|sum }}</td></tr>
{% endfor %}</table>

<h2>{{ t.heat_head }}</h2>
{{ heat_html|safe }}

<h2>{{ t.idle_head }}</h2>
{% if report.idle %}<table id="idle"><tr><th>{{ t.trainee }}</th><th>{{ t.last_seen }}</th><th>{{ t.quiet }}</th>
<th>{{ t.last_action }}</th></tr>
{% for r in report.idle %}<tr><td>{{ r.trainee }}</td><td>{{ seen(r.last_seen) }}</td><td class="n">{{ r.quiet_minutes }}</td>
<td>{{ action(r.last_action) }}</td></tr>{% endfor %}</table>
{% else %}<p>{{ t.nobody_idle }}</p>{% endif %}

<h2>{{ t.trained_head }}</h2>
<table id="trained"><tr><th>{{ t.level }}</th><th>{{ t.unit }}</th><th>{{ t.enrolled }}</th><th>{{ t.completed }}</th></tr>
{% for row in report.trained() %}<tr><td>{{ row.level }}</td><td>{{ row.unit }} ({{ row.unit_code }})</td>
<td class="n">{{ row.enrolled }}</td><td class="n">{{ row.completed }}</td></tr>{% endfor %}</table>
</body></html>
"""


def colour(count: int, worst: int = 4) -> str:
    """White for none, to deep red at ``worst`` or more."""
    if not count:
        return "#ffffff"
    share = min(count, worst) / worst
    green = int(235 - 180 * share)
    return f"#f0{green:02x}{green:02x}" if share < 1 else "#c62828"


def texts() -> dict[str, str]:
    return {
        "title": _("Class report"), "folder": _("Class folder"), "count": _("Trainees"),
        "progress_head": _("Progress by trainee"), "trainee": _("Trainee"), "unit": _("Unit"),
        "progress": _("Documents decided"), "score": _("Score"), "world_minutes": _("World minutes"),
        "machine_minutes": _("Machine minutes"), "last_action": _("Last action"), "last_at": _("Last action at"),
        "mistakes": _("Mistakes"), "heat_head": _("The class's mistakes (trainee × kind)"), "total": _("Total"),
        "idle_head": _("Not acting for a while"), "last_seen": _("Last journal line (machine time)"),
        "quiet": _("Minutes quiet"), "nobody_idle": _("Everyone has acted recently."),
        "trained_head": _("Staff trained by unit and level"), "level": _("Level"), "enrolled": _("Enrolled"),
        "completed": _("Completed"),
    }


def machine_time(at: str) -> str:
    """The machine time of a journal write, in the reader's local time: 30/11/2026 13:22."""
    from datetime import datetime

    return datetime.fromisoformat(at).astimezone().strftime("%d/%m/%Y %H:%M")


def _env() -> Environment:
    return Environment(autoescape=select_autoescape(default=True, default_for_string=True))


def heat_map_html(report: ClassReport) -> str:
    """The heat map alone (trainee × mistake kind, coloured by count): the page's and the desk's."""
    heat = report.heat_map()
    totals = [sum(counts[i] for _n, counts in heat) for i in range(len(KINDS))]
    return _env().from_string(HEAT).render(t=texts(), kinds=KINDS, labels={k: kind_label(k) for k in KINDS},
                                           heat=heat, totals=totals, colour=colour)


def render(report: ClassReport) -> str:
    return _env().from_string(PAGE).render(report=report, t=texts(), heat_html=heat_map_html(report),
                                           action=action_label, when=world_time, seen=machine_time,
                                           assignments=report.assignments())

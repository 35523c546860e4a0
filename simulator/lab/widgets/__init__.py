"""Desks: ipywidgets front ends over :class:`simulator.lab.Session` (each click = one API call)."""

from simulator.lab.widgets.admin import ArchiveAudit, AxisMonitor, PKIConsole
from simulator.lab.widgets.base import Desk
from simulator.lab.widgets.classroom import ClassPanel
from simulator.lab.widgets.clerk import InboxDesk, RecordDesk, RegisterDesk
from simulator.lab.widgets.leader import LeaderDesk
from simulator.lab.widgets.outgoing import SigningDesk
from simulator.lab.widgets.mail import MailDesk
from simulator.lab.widgets.planner import PlannerDashboard


def class_desks(session) -> list[Desk]:
    """The desks a class seat shows: a clerk's class panel, signing desk and incoming desk; a leader's class panel
    and leader's desk (what the clerk hands over)."""
    if session.is_leader_seat:
        return [ClassPanel(session), LeaderDesk(session)]
    return [ClassPanel(session), SigningDesk(session), InboxDesk(session)]


__all__ = ["ArchiveAudit", "AxisMonitor", "ClassPanel", "Desk", "InboxDesk", "LeaderDesk", "MailDesk", "PKIConsole",
           "PlannerDashboard", "RecordDesk", "RegisterDesk", "SigningDesk", "class_desks"]

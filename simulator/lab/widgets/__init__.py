"""Desks: ipywidgets front ends over :class:`simulator.lab.Session` (each click = one API call)."""

from simulator.lab.widgets.admin import ArchiveAudit, AxisMonitor, PKIConsole
from simulator.lab.widgets.base import Desk
from simulator.lab.widgets.classroom import ClassPanel
from simulator.lab.widgets.clerk import InboxDesk, RecordDesk, RegisterDesk
from simulator.lab.widgets.outgoing import SigningDesk
from simulator.lab.widgets.mail import MailDesk
from simulator.lab.widgets.planner import PlannerDashboard

__all__ = ["ArchiveAudit", "AxisMonitor", "ClassPanel", "Desk", "InboxDesk", "MailDesk", "PKIConsole", "PlannerDashboard", "RecordDesk", "RegisterDesk",
           "SigningDesk"]

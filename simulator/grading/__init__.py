"""Grading: checks that nbgrader test cells call.

Each check reads a trainee's work folder (journal, registers, signed files,
archive) or their answers written in code, recomputes what is right from the
trainee's own world (the seed comes from their id), and returns a
:class:`Result` with partial credit and messages in Vietnamese that say what
was wrong and where to look::

    from simulator.grading import grade_incoming
    grade_incoming("lam-viec", trainee_id()).award(4)   # in a test cell

This package imports the operations layers (signing, routing, archiving) and
the lab's non-widget modules; never the widgets.
"""

from simulator.grading.admin import grade_backup, grade_certificates, grade_identifiers, grade_outage
from simulator.grading.clerk import (
    grade_anatomy, grade_incoming, grade_outgoing, grade_records, grade_verification, reply_target,
)
from simulator.grading.class_work import grade_class_exchange
from simulator.grading.mail import grade_mail
from simulator.grading.mail_admin import grade_mail_admin
from simulator.grading.portal import grade_portal
from simulator.grading.planner import grade_comparison, grade_rollout, grade_scenario
from simulator.grading.result import Marks, Result
from simulator.grading.seat import NotTheirWork, open_seat

__all__ = [
    "Marks", "NotTheirWork", "Result", "grade_anatomy", "grade_backup", "grade_certificates", "grade_class_exchange",
    "grade_comparison",
    "grade_identifiers", "grade_incoming", "grade_mail", "grade_mail_admin", "grade_outage", "grade_outgoing", "grade_portal", "grade_records", "grade_rollout",
    "grade_scenario", "grade_verification", "open_seat", "reply_target",
]

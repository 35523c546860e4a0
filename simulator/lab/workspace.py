"""Where a trainee's work folders live and who the trainee is.

Notebooks call ``work_folder("xa-dien-kim")`` and ``trainee_id()`` so that
the same notebook works on a laptop (``make lab``), on JupyterHub (one
account per trainee) and under nbgrader's autograder (``VBDT_WORK`` points
at the submission). In a class, ``class_ticket(folder)`` is the seat the
instructor handed the trainee: JupyterHub puts it in the server's environment
(``VBDT_CLASS_TICKET``, see courses/jupyterhub_config.py).
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path


def work_root() -> Path:
    return Path(os.environ.get("VBDT_WORK", Path.home() / "vbdt-work")).expanduser()


def work_folder(name: str) -> Path:
    return work_root() / name


def trainee_id() -> str:
    """The trainee's id: ``VBDT_TRAINEE``, else the JupyterHub user, else the login name."""
    for variable in ("VBDT_TRAINEE", "JUPYTERHUB_USER", "NB_USER"):
        value = os.environ.get(variable, "").strip()
        if value:
            return value
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers)
        return "hoc-vien"


CLASS_TICKET = "VBDT_CLASS_TICKET"  # the seat's ticket (JSON), set by the hub for a trainee who holds a seat


def class_ticket(folder: str | Path) -> dict | None:
    """The class seat to open ``folder`` with: the ticket the hub gave this trainee's server; None when the
    folder already holds the seat (re-opened later, or by the autograder, which has no ticket)."""
    from simulator.errors import UserError
    from simulator.i18n import translator

    text = os.environ.get(CLASS_TICKET, "").strip()
    if text:
        try:
            ticket = json.loads(text)
        except ValueError:
            ticket = None
        if isinstance(ticket, dict):
            return ticket
    if (Path(folder) / "seat.json").is_file():
        return None
    _ = translator("classroom")
    raise UserError(_("You hold no seat in a class: ask the instructor to hand you one (vbdt class seat), then "
                      "restart your server from the hub's home page."), field="classroom")

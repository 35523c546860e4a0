"""Where a trainee's work folders live and who the trainee is.

Notebooks call ``work_folder("xa-dien-kim")`` and ``trainee_id()`` so that
the same notebook works on a laptop (``make lab``), on JupyterHub (one
account per trainee) and under nbgrader's autograder (``VBDT_WORK`` points
at the submission).
"""

from __future__ import annotations

import getpass
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

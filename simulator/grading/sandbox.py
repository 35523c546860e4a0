"""What the grading process does before running trainee code.

Trainee code runs inside the grading kernel with the rights of the process
that runs it (PITFALLS.md). What can be done on one machine without
containers, and is done here:

- the course's ``source/`` and the gradebook are made private to their owner
  (mode 0700 / 0600), so a grading kernel started under another, unprivileged
  account (JupyterHub set-up in ``courses/jupyterhub_config.py``) cannot read
  or write them;
- every submission is graded in its own process, with its own trainee id.

What is not protected when everything runs under one account is written in
``courses/README.md``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

def prepare(root: Path) -> None:
    """Private modes on what trainee code must not reach."""
    for path in (root / "source", root / "gradebook.db"):
        if path.exists():
            mode = stat.S_IRWXU if path.is_dir() else stat.S_IRUSR | stat.S_IWUSR
            try:
                os.chmod(path, mode)
            except PermissionError:
                pass

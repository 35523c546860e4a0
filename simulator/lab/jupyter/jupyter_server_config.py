"""JupyterLab as a trainee's ``make lab`` sees it: its user settings live in the work area, seeded.

``make lab`` puts this folder on ``JUPYTER_CONFIG_PATH``. JupyterLab applies a
theme's CSS overrides (here: code and outputs in a monospace font with every
Vietnamese letter) only from *user* settings, not from the environment's
``overrides.json``, so the trainee's settings folder gets them on first start
(:func:`simulator.lab.setup_jupyter.seed_user_settings`); a trainee's own
later choices are kept.
"""

from simulator.lab.setup_jupyter import seed_user_settings
from simulator.lab.workspace import work_root

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

c.LabApp.user_settings_dir = str(seed_user_settings(work_root() / "jupyterlab" / "user-settings"))

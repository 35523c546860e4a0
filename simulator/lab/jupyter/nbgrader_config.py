"""nbgrader as a trainee's ``make lab`` sees it: the exchange lives in the trainee's work area.

``make lab`` puts this folder on ``JUPYTER_CONFIG_PATH``; nbgrader's
Assignment List reads this file at every request. Without it nbgrader looks
for ``/usr/local/share/nbgrader/exchange`` and logs "The exchange directory
does not exist" at every start. One folder per course under
``<work area>/nbgrader/exchange`` (inbound, outbound, feedback), the local
cache beside it.
"""

from simulator.grading.coursework import COURSES
from simulator.lab.workspace import work_root

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

_base = work_root() / "nbgrader"
for _course in COURSES:
    for _part in ("inbound", "outbound", "feedback"):
        (_base / "exchange" / _course / _part).mkdir(parents=True, exist_ok=True)
(_base / "cache").mkdir(parents=True, exist_ok=True)

c.Exchange.root = str(_base / "exchange")
c.Exchange.cache = str(_base / "cache")
c.Exchange.path_includes_course = True

"""JupyterHub for the three courses, with nbgrader's multi-course set-up.

One course per audience, each served by its own grader account (a JupyterHub
service running that account's notebook server in its course folder,
``<home>/grader-<course>/<course>``); one group of instructors/graders
(``formgrade-<course>``) and one of trainees (``nbgrader-<course>``) per course.
Trainees log in with their own Unix account (PAM); its name is their trainee id
(``JUPYTERHUB_USER``), which seeds their world. Each user's server runs under
that account (LocalProcessSpawner), so one trainee cannot read another's work.

Everything comes from the environment, nothing secret is written here:

- ``VBDT_INSTRUCTORS``, ``VBDT_TRAINEES_<COURSE>`` (comma-separated accounts);
- ``VBDT_TOKEN_<COURSE>``: the token of the course's grader service;
- ``VBDT_HUB_COURSES``: the courses served (default: all three);
- ``VBDT_HUB_STATE`` (default ``/srv/vbdt-hub``): the hub's database, cookie
  secret, the exchange (``exchange/``, or ``VBDT_EXCHANGE_ROOT``) and the
  nbgrader settings every server reads (``jupyter/nbgrader_config.py``,
  written from this file at start);
- ``VBDT_HOME_ROOT`` (default ``/home``): where the grader accounts' homes are;
- ``VBDT_CLASS_FOLDER``: a class world (``vbdt class open``) this hub serves: its
  axis runs as a hub service (``vbdt class serve``, as the account that owns the
  folder), and each trainee who holds a seat finds their ticket in their server's
  environment (``VBDT_CLASS_TICKET``, read by ``simulator.lab.class_ticket``); the
  class's PKI reaches them through the class's axis (trainees cannot read the
  instructor's folder); the course's grader service is told the folder, so the
  instructor's desk (``bang-giang-vien.ipynb``) shows the live class;
- ports: ``VBDT_HUB_PORT`` (8000, the proxy: what browsers open),
  ``VBDT_HUB_API_PORT`` (8081), ``VBDT_HUB_PROXY_API_PORT`` (8001),
  ``VBDT_HUB_SERVICE_PORT`` (9991, then one per course).

Everything listens on 127.0.0.1; put a TLS proxy in front for a real class.
The proxy is configurable-http-proxy, from npm (``make test`` installs it into
``.venv/node``; one on PATH is used otherwise).
"""

import os
import sys

c = get_config()  # noqa: F821 (provided by JupyterHub)

COURSES = ("can-bo-xa", "quan-tri", "ke-hoach")
HOME = os.environ.get("VBDT_HOME_ROOT", "/home")
STATE = os.path.abspath(os.environ.get("VBDT_HUB_STATE", "/srv/vbdt-hub"))
EXCHANGE = os.path.abspath(os.environ.get("VBDT_EXCHANGE_ROOT", os.path.join(STATE, "exchange")))
NBGRADER_CONFIG = os.path.join(STATE, "jupyter")
BIN = os.path.dirname(sys.executable)


def _people(variable):
    return [name.strip() for name in os.environ.get(variable, "").split(",") if name.strip()]


def _env_name(course):
    return course.upper().replace("-", "_")


def _port(variable, default):
    return int(os.environ.get(variable) or default)


def _served():
    wanted = _people("VBDT_HUB_COURSES") or list(COURSES)
    unknown = set(wanted) - set(COURSES)
    if unknown:
        raise ValueError(f"VBDT_HUB_COURSES: unknown course(s) {sorted(unknown)}; known: {COURSES}")
    return [course for course in COURSES if course in wanted]


def _prepare_state():
    """The state folder (root's, not listable: the hub's database), the exchange every account writes to, and
    the exchange settings every user's server and every grader command reads (JUPYTER_CONFIG_PATH)."""
    if not os.path.isdir(STATE):
        os.makedirs(STATE)
        os.chmod(STATE, 0o711)
    if not os.path.isdir(EXCHANGE):
        os.makedirs(EXCHANGE)
        os.chmod(EXCHANGE, 0o777)   # as nbgrader asks; each course's inbound/outbound/feedback set their own modes
    os.makedirs(NBGRADER_CONFIG, exist_ok=True)
    os.chmod(NBGRADER_CONFIG, 0o755)
    text = ("# Written by courses/jupyterhub_config.py at each hub start; edit that file instead.\n"
            "c = get_config()\n"
            f"c.Exchange.root = {EXCHANGE!r}\n"
            "c.Exchange.path_includes_course = True\n"
            "c.Authenticator.plugin_class = 'nbgrader.auth.JupyterHubAuthPlugin'\n")
    path = os.path.join(NBGRADER_CONFIG, "nbgrader_config.py")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(path, 0o644)


def _proxy_command():
    local = os.path.join(sys.prefix, "node", "node_modules", ".bin", "configurable-http-proxy")
    return [local] if os.path.exists(local) else ["configurable-http-proxy"]


served = _served()
instructors = _people("VBDT_INSTRUCTORS")
trainees = {course: _people(f"VBDT_TRAINEES_{_env_name(course)}") for course in served}
environment = {  # what every server and grader service starts with
    "PATH": BIN + os.pathsep + os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
    "JUPYTER_CONFIG_PATH": NBGRADER_CONFIG,
    "VBDT_LANG": os.environ.get("VBDT_LANG", "vi"),
}
if os.environ.get("LD_LIBRARY_PATH"):   # a Python whose shared libpython is outside the system's library paths
    environment["LD_LIBRARY_PATH"] = os.environ["LD_LIBRARY_PATH"]

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = _port("VBDT_HUB_PORT", 8000)
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = _port("VBDT_HUB_API_PORT", 8081)
c.JupyterHub.db_url = "sqlite:///" + os.path.join(STATE, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(STATE, "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(STATE, "jupyterhub.pid")
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{_port('VBDT_HUB_PROXY_API_PORT', 8001)}"
c.ConfigurableHTTPProxy.command = _proxy_command()
c.ConfigurableHTTPProxy.pid_file = os.path.join(STATE, "jupyterhub-proxy.pid")

# The sign-in page in Vietnamese (hub_templates/ beside this file; the hub's own templates behind it).
c.JupyterHub.template_paths = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "hub_templates")]

# Real accounts: PAM logins, each server a process of its own account, in its home.
c.JupyterHub.authenticator_class = "pam"
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [os.path.join(BIN, "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = environment


CLASS = os.environ.get("VBDT_CLASS_FOLDER", "").strip()


def _class_ticket(name):
    """The ticket of the class seat ``name`` holds (JSON), or None (re-read at each spawn: seats handed out while
    the hub runs count at the trainee's next start)."""
    import json

    from simulator.seat.classroom import ClassRoom

    ticket = ClassRoom.read(CLASS).ticket_of(name)   # a unit's clerk seat, or the leader's beside it
    return json.dumps(ticket, ensure_ascii=False) if ticket else None


def _trainee_lab(spawner):
    """A trainee's Lab as `make lab` sets it (nbgrader's instructor tools hidden, Vietnamese code font), behind
    the hub's exchange settings, which come first on the path and so win; and their class seat, if any."""
    if spawner.user.name not in instructors:
        from simulator.lab.setup_jupyter import TRAINEE_CONFIG

        spawner.environment["JUPYTER_CONFIG_PATH"] = os.pathsep.join([NBGRADER_CONFIG, str(TRAINEE_CONFIG)])
    if CLASS:
        ticket = _class_ticket(spawner.user.name)
        if ticket:
            spawner.environment["VBDT_CLASS_TICKET"] = ticket


c.Spawner.pre_spawn_hook = _trainee_lab
c.Spawner.ip = "127.0.0.1"
# nbgrader (JupyterHubAuthPlugin) asks the hub for the trainee's groups with the server's token.
c.Spawner.server_token_scopes = ["access:servers!server", "users:activity!user", "read:users:name!user",
                                 "read:users:groups!user"]

c.Authenticator.allowed_users = set(instructors) | {user for names in trainees.values() for user in names}
c.Authenticator.admin_users = set(instructors)

c.JupyterHub.load_groups = {"instructors": {"users": instructors}}
c.JupyterHub.services = []
c.JupyterHub.load_roles = [{
    "name": "instructors", "groups": ["instructors"],
    "scopes": ["admin:users", "admin:servers"],
}]

for course in served:
    grader = f"grader-{course}"
    port = _port("VBDT_HUB_SERVICE_PORT", 9991) + COURSES.index(course)
    c.JupyterHub.load_groups[f"formgrade-{course}"] = {"users": instructors + [grader]}
    c.JupyterHub.load_groups[f"nbgrader-{course}"] = {"users": trainees[course]}
    c.JupyterHub.services.append({
        "name": course,
        "url": f"http://127.0.0.1:{port}",
        "command": [os.path.join(BIN, "jupyterhub-singleuser"), f"--ServerApp.port={port}",
                    "--ServerApp.ip=127.0.0.1", "--ServerApp.allow_origin=*"],
        "user": grader,
        "cwd": f"{HOME}/{grader}/{course}",
        "environment": {**environment, "VBDT_CLASS_FOLDER": os.path.abspath(CLASS)} if CLASS else environment,
        "api_token": os.environ.get(f"VBDT_TOKEN_{_env_name(course)}", ""),
        "oauth_no_confirm": True,
    })
    # graders reach the course's formgrader; trainees list the course and use the exchange
    c.JupyterHub.load_roles.append({
        "name": f"formgrade-{course}", "groups": [f"formgrade-{course}"],
        "scopes": [f"access:services!service={course}"],
    })
    c.JupyterHub.load_roles.append({
        "name": f"nbgrader-{course}", "groups": [f"nbgrader-{course}"],
        "scopes": ["list:services", f"read:services!service={course}"],
    })
    c.JupyterHub.load_roles.append({
        "name": f"service-{course}", "services": [course],
        "scopes": ["read:users:groups", "list:services", "groups", "users"],
    })

if CLASS:   # the class's axis, served for as long as the hub runs (and again after a restart)
    import pwd

    c.JupyterHub.services.append({
        "name": "lop-hoc",
        "command": [os.path.join(BIN, "vbdt"), "class", "serve", os.path.abspath(CLASS)],
        "user": pwd.getpwuid(os.stat(CLASS).st_uid).pw_name,
        "cwd": os.path.abspath(CLASS),
        "environment": environment,
    })

_hub = sys.modules.get("jupyterhub.app")
if _hub is not None and _hub.JupyterHub.initialized():  # a starting hub, not a test reading this file
    _prepare_state()

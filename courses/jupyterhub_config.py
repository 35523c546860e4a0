"""JupyterHub for the three courses, with nbgrader's multi-course set-up.

One course per audience, each served by its own grader account (a JupyterHub
service running that account's notebook server in the course root); one group
of instructors/graders (``formgrade-<course>``) and one of trainees
(``nbgrader-<course>``) per course. Trainees log in with their own account: its
name is their trainee id (``JUPYTERHUB_USER``), which seeds their world.

Tokens come from the environment (``VBDT_TOKEN_<COURSE>``), never from this
file. Everything listens on 127.0.0.1; put a TLS proxy in front for a real class.
Trainee and instructor lists: ``VBDT_TRAINEES_<COURSE>`` / ``VBDT_INSTRUCTORS``
(comma-separated), or edit ``COURSES`` below.
"""

import os

c = get_config()  # noqa: F821 (provided by JupyterHub)

COURSES = {
    # course id: (grader account, port of its formgrader service)
    "can-bo-xa": ("grader-can-bo-xa", 9991),
    "quan-tri": ("grader-quan-tri", 9992),
    "ke-hoach": ("grader-ke-hoach", 9993),
}
HOME = os.environ.get("VBDT_HOME_ROOT", "/home")


def _people(variable):
    return [name.strip() for name in os.environ.get(variable, "").split(",") if name.strip()]


def _env_name(course):
    return course.upper().replace("-", "_")


instructors = _people("VBDT_INSTRUCTORS")

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = 8000
c.JupyterHub.hub_ip = "127.0.0.1"
c.Authenticator.allowed_users = set(instructors) | {
    user for course in COURSES for user in _people(f"VBDT_TRAINEES_{_env_name(course)}")}
c.Authenticator.admin_users = set(instructors)

c.JupyterHub.load_groups = {"instructors": instructors}
c.JupyterHub.services = []
c.JupyterHub.load_roles = [{
    "name": "instructors", "groups": ["instructors"],
    "scopes": ["admin:users", "admin:servers"],
}]

for course, (grader, port) in COURSES.items():
    c.JupyterHub.load_groups[f"formgrade-{course}"] = instructors + [grader]
    c.JupyterHub.load_groups[f"nbgrader-{course}"] = _people(f"VBDT_TRAINEES_{_env_name(course)}")
    c.JupyterHub.services.append({
        "name": course,
        "url": f"http://127.0.0.1:{port}",
        "command": ["jupyterhub-singleuser", f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1",
                    "--ServerApp.allow_origin=*"],
        "user": grader,
        "cwd": f"{HOME}/{grader}/{course}",
        "environment": {"VBDT_LANG": "vi"},
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

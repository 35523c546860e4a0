"""The JupyterHub configuration parses and sets up one course per audience, with grader accounts and groups."""

from __future__ import annotations

import runpy

import pytest
from traitlets.config import Config

from .helpers import COURSES


def load(monkeypatch, **env):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    config = Config()
    runpy.run_path(str(COURSES / "jupyterhub_config.py"), init_globals={"get_config": lambda: config})
    return config.JupyterHub, config


def test_one_service_group_and_role_set_per_course(monkeypatch):
    hub, config = load(monkeypatch, VBDT_INSTRUCTORS="gv-lan, gv-minh", VBDT_TRAINEES_CAN_BO_XA="hv001,hv002",
                       VBDT_TOKEN_CAN_BO_XA="t" * 32)
    courses = {"can-bo-xa", "quan-tri", "ke-hoach"}
    services = {s["name"]: s for s in hub.services}
    assert set(services) == courses
    assert len({s["url"] for s in services.values()}) == 3
    for name, service in services.items():
        assert service["url"].startswith("http://127.0.0.1:")
        assert service["user"] == f"grader-{name}"
        assert service["cwd"].endswith(f"grader-{name}/{name}")
        assert f"formgrade-{name}" in hub.load_groups and f"nbgrader-{name}" in hub.load_groups
        assert service["user"] in hub.load_groups[f"formgrade-{name}"]["users"]
        assert {"gv-lan", "gv-minh"} <= set(hub.load_groups[f"formgrade-{name}"]["users"])
        roles = {r["name"]: r for r in hub.load_roles}
        assert f"access:services!service={name}" in roles[f"formgrade-{name}"]["scopes"]
        assert roles[f"nbgrader-{name}"]["groups"] == [f"nbgrader-{name}"]
    assert hub.load_groups["nbgrader-can-bo-xa"] == {"users": ["hv001", "hv002"]}
    assert services["can-bo-xa"]["api_token"] == "t" * 32
    assert hub.ip == "127.0.0.1"
    assert {"hv001", "hv002", "gv-lan", "gv-minh"} <= config.Authenticator.allowed_users


def test_real_accounts_loopback_ports_and_state_from_the_environment(monkeypatch, tmp_path):
    hub, config = load(monkeypatch, VBDT_HUB_STATE=str(tmp_path), VBDT_HUB_PORT="18000", VBDT_HUB_API_PORT="18081",
                       VBDT_HUB_PROXY_API_PORT="18001", VBDT_HUB_SERVICE_PORT="19000", VBDT_HUB_COURSES="quan-tri",
                       VBDT_EXCHANGE_ROOT=str(tmp_path / "trao-doi"))
    assert (hub.authenticator_class, hub.spawner_class) == ("pam", "localprocess")
    assert (hub.ip, hub.port, hub.hub_ip, hub.hub_port) == ("127.0.0.1", 18000, "127.0.0.1", 18081)
    assert config.ConfigurableHTTPProxy.api_url == "http://127.0.0.1:18001"
    assert hub.db_url == f"sqlite:///{tmp_path}/jupyterhub.sqlite"
    assert hub.cookie_secret_file.startswith(str(tmp_path))
    assert [s["name"] for s in hub.services] == ["quan-tri"]
    assert hub.services[0]["url"] == "http://127.0.0.1:19001"     # each course keeps its own port
    # every server reads the hub's nbgrader settings; nbgrader asks the hub for the trainee's groups
    assert config.Spawner.environment["JUPYTER_CONFIG_PATH"] == str(tmp_path / "jupyter")
    assert "read:users:groups!user" in config.Spawner.server_token_scopes
    assert config.Spawner.ip == "127.0.0.1"
    # reading the file (this test) writes nothing; a starting hub writes the settings
    assert not (tmp_path / "jupyter").exists()


def test_unknown_course_is_refused(monkeypatch):
    with pytest.raises(ValueError, match="khong-co"):
        load(monkeypatch, VBDT_HUB_COURSES="can-bo-xa,khong-co")


def test_no_token_is_written_in_the_file(monkeypatch):
    for name in ("CAN_BO_XA", "QUAN_TRI", "KE_HOACH"):
        monkeypatch.delenv(f"VBDT_TOKEN_{name}", raising=False)
    hub, _config = load(monkeypatch)
    assert all(s["api_token"] == "" for s in hub.services)


def test_course_configs_are_vietnamese_and_redact_feedback():
    from simulator.grading.feedback import RedactHiddenTests

    for course in ("can-bo-xa", "quan-tri", "ke-hoach"):
        config = Config()
        runpy.run_path(str(COURSES / course / "nbgrader_config.py"), init_globals={"get_config": lambda: config})
        assert config.CourseDirectory.course_id == course
        assert "VIẾT" in config.ClearSolutions.code_stub["python"] or "Anh/chị" in config.ClearSolutions.code_stub["python"]
        assert "KIỂM TRA KHÔNG ĐẠT" in config.Validator.failed_warning
        assert RedactHiddenTests in config.GenerateFeedback.preprocessors


def test_gradebook_on_any_sqlalchemy_url(monkeypatch):
    monkeypatch.setenv("VBDT_GRADEBOOK_URL", "postgresql://grader@127.0.0.1/can_bo_xa")
    config = Config()
    runpy.run_path(str(COURSES / "can-bo-xa" / "nbgrader_config.py"), init_globals={"get_config": lambda: config})
    # the driver we install is named (SQLAlchemy alone would look for psycopg2)
    assert config.CourseDirectory.db_url == "postgresql+psycopg://grader@127.0.0.1/can_bo_xa"

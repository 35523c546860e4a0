"""Shared test settings: Vietnamese messages by default, a tame hypothesis profile."""

import os
import warnings

import pytest
from hypothesis import HealthCheck, settings

pytest_plugins = ["tests.pg"]  # a real PostgreSQL server and the `db` fixture (sqlite, postgresql)

os.environ.setdefault("VBDT_LANG", "vi")
settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")

try:  # nbgrader's own code raises these (PITFALLS.md)
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)
except ImportError:  # pragma: no cover
    pass


@pytest.fixture(autouse=True)
def _language_is_reset():
    """A test that switches to English must not leak it into the next test on the same worker."""
    from simulator.i18n import set_language

    yield
    set_language(None)


@pytest.fixture
def lang_en():
    from simulator.i18n import set_language

    set_language("en")
    yield
    set_language(None)

"""Keep library warnings and logs off stderr while grading.

nbgrader gives a test cell no credit when anything reaches stderr, so a
pyHanko or SQLAlchemy warning would cost a trainee their points."""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from typing import Iterator

NOISY = ("pyhanko", "pyhanko_certvalidator", "sqlalchemy", "fontTools", "bagit", "certomancer", "asyncio")


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    levels = {name: logging.getLogger(name).level for name in NOISY}
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        try:
            yield
        finally:
            for name, level in levels.items():
                logging.getLogger(name).setLevel(level)

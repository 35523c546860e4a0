"""Database URLs as users write them, turned into the SQLAlchemy URL we connect with.

Registers, the axis, the archive catalogue and the gradebook take a path (an
SQLite file) or any SQLAlchemy URL. A bare ``postgresql://`` or
``postgres://`` URL would make SQLAlchemy look for psycopg2, which we do not
install: it means the psycopg driver we ship.
"""

from __future__ import annotations

_PLAIN_POSTGRES = ("postgresql://", "postgres://")


def with_driver(url: str) -> str:
    """``url`` with the driver we install named explicitly (other URLs unchanged)."""
    for prefix in _PLAIN_POSTGRES:
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url

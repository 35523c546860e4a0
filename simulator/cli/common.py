"""Helpers shared by the command modules."""

from __future__ import annotations

import json
import sys
from typing import Any

import click


def echo_json(payload: Any) -> None:
    """Print JSON with Vietnamese kept readable (no \\u escapes)."""
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


def verdict_exit(ok: bool) -> None:
    """Exit 1 for a negative verdict (a signature that fails, an audit that finds damage)."""
    if not ok:
        sys.exit(1)

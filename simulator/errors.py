"""Errors a user can act on.

``UserError`` carries a message already in the user's language; the CLI
prints it on one line and exits with code 2, the widgets show it in a
banner. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class UserError(ValueError):
    """Bad input or usage: one clear line naming the field, in the user's language."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:  # one line, always
        return " ".join(self.message.split())

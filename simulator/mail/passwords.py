"""Mailbox passwords: SHA512-CRYPT hashes (what Dovecot's passwd-file reads), checks and a strength rule.

Hashing and checking call the system's ``crypt(3)`` (libxcrypt, the library
Dovecot itself uses for ``{SHA512-CRYPT}``) through ctypes: Python's own
``crypt`` module is deprecated and leaves the standard library in 3.13, and
running ``doveadm pw`` once per account would cost a process per mailbox.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hmac
import secrets
import string
import threading

from simulator.errors import UserError
from simulator.i18n import translator
from simulator.text import fold

_ = translator("mail")

SCHEME = "{SHA512-CRYPT}"
MIN_LENGTH = 8
_COMMON = {"12345678", "123456789", "password", "matkhau", "matkhau1", "matkhau123", "abc12345", "qwerty123",
           "admin123", "11111111", "87654321", "password1", "abcd1234"}
_SALT = string.ascii_letters + string.digits + "./"
_lock = threading.Lock()  # crypt() returns a static buffer


def _library():
    name = ctypes.util.find_library("crypt") or "libcrypt.so.1"
    lib = ctypes.CDLL(name)
    lib.crypt.restype = ctypes.c_char_p
    lib.crypt.argtypes = (ctypes.c_char_p, ctypes.c_char_p)
    return lib


_libcrypt = None


def _crypt(password: str, setting: str) -> str:
    global _libcrypt
    with _lock:
        if _libcrypt is None:
            _libcrypt = _library()
        out = _libcrypt.crypt(password.encode("utf-8"), setting.encode("ascii"))
    return out.decode("ascii") if out else ""


def hash_password(password: str) -> str:
    """``{SHA512-CRYPT}$6$salt$...`` for the passwd-file."""
    salt = "".join(secrets.choice(_SALT) for _i in range(16))
    return SCHEME + _crypt(password, f"$6${salt}")


def check_password(password: str, hashed: str) -> bool:
    """Whether ``password`` matches a hash written by :func:`hash_password`."""
    if not hashed.startswith(SCHEME):
        return False
    stored = hashed[len(SCHEME):]
    if not stored.startswith("$6$"):
        return False
    return hmac.compare_digest(_crypt(password, stored), stored)


def generate_password() -> str:
    """A password that passes :func:`check_strength`: 12 characters, letters and digits."""
    while True:
        word = "".join(secrets.choice(string.ascii_letters + string.digits) for _i in range(12))
        if any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
            return word


def check_strength(password: str, *, avoid: tuple[str, ...] = (), field: str = "--passphrase-file") -> str:
    """Refuse a weak password (one line naming ``field``); return it unchanged otherwise.

    At least 8 characters, letters and digits, not a common password, and not
    the mailbox's own name (``avoid``: the local part, the person's given name)."""
    if "\n" in password or "\r" in password or ":" in password or "\x00" in password:
        raise UserError(_("{field}: a password may not contain a line break, ':' or a NUL byte.", field=field),
                        field=field)
    if len(password) < MIN_LENGTH:
        raise UserError(_("{field}: the password is too weak: it needs at least {n} characters.", field=field,
                          n=MIN_LENGTH), field=field)
    if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
        raise UserError(_("{field}: the password is too weak: it needs both letters and digits.", field=field),
                        field=field)
    folded = fold(password).replace("-", "").replace("_", "").replace(" ", "")
    if folded in _COMMON or any(a and len(a) >= 3 and fold(a) in folded for a in avoid):
        raise UserError(_("{field}: the password is too weak: it is a common password or contains the "
                          "mailbox's name.", field=field), field=field)
    return password

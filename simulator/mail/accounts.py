"""Mailboxes of the official mail, provisioned from the identifier registry (``simulator.province``).

One mailbox per unit (its clerk's desk, ``vanthu.<slug>@…``) and one per
staff member (``<given>.<initials>.<slug>@…``, see :mod:`simulator.mail.address`),
each with a SHA512-CRYPT password hash and a quota (Dovecot's quota plugin:
megabytes and, optionally, a number of messages); groups deliver to several
mailboxes. The book lives in the mail folder:

- ``accounts.json``: every account and group (the administrator's record),
  rewritten atomically (temporary file, fsync, rename) under a lock;
- ``passwd``: derived from it after every change, the passwd-file Dovecot
  reads (``address:{SHA512-CRYPT}hash::::::userdb_quota_rule=… [nologin=y]``);
  Dovecot notices the new file by itself, no restart.

A refused change (duplicate address, unknown unit, weak password, malformed
address) raises :class:`UserError` before anything is written.
"""

from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from simulator.calendar import VN_TZ
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.mail import address as addr
from simulator.mail.passwords import check_strength, generate_password, hash_password
from simulator.mail.server import settle_passwd
from simulator.text import nfc

_ = translator("mail")

DEFAULT_QUOTA_MB = 1024


@dataclass(frozen=True)
class Account:
    address: str
    kind: str                 # "unit" or "person"
    unit: str                 # identifier code of the unit
    name: str                 # the unit's or the person's name
    position: str = ""
    quota_mb: int = DEFAULT_QUOTA_MB
    quota_messages: int = 0   # 0: no limit on the number of messages
    active: bool = True
    created: str = ""
    changed: str = ""
    reason: str = ""          # why it was disabled


@dataclass(frozen=True)
class Group:
    address: str
    name: str
    members: tuple[str, ...] = field(default_factory=tuple)
    created: str = ""


def _now() -> str:
    return datetime.now(VN_TZ).isoformat(timespec="seconds")


def _write_atomic(path: Path, data: bytes, mode: int = 0o600) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class MailBook:
    """The accounts and groups of one mail folder."""

    def __init__(self, folder: str | os.PathLike, domain: str | None = None) -> None:
        self.folder = Path(folder)
        self.path = self.folder / "accounts.json"
        self.passwd = self.folder / "passwd"
        self._domain = domain
        self._batch = 0

    # -- reading -----------------------------------------------------------------------------------------
    def _load(self) -> dict:
        if not self.path.exists():
            return {"domain": self._domain or addr.domain_for("Nghệ An"), "accounts": {}, "groups": {}}
        return json.loads(self.path.read_text(encoding="utf-8"))

    @property
    def domain(self) -> str:
        return self._load()["domain"]

    def accounts(self, unit: str | None = None, *, include_disabled: bool = True) -> list[Account]:
        data = self._load()["accounts"]
        items = [Account(**{k: v for k, v in a.items() if k != "hash"}) for a in data.values()]
        return sorted((a for a in items if (unit is None or a.unit == unit) and (include_disabled or a.active)),
                      key=lambda a: (a.unit, a.kind != "unit", a.address))

    def account(self, address: str) -> Account | None:
        found = self._load()["accounts"].get(address.strip().lower())
        return Account(**{k: v for k, v in found.items() if k != "hash"}) if found else None

    def groups(self) -> list[Group]:
        return [Group(g["address"], g["name"], tuple(g["members"]), g.get("created", ""))
                for _a, g in sorted(self._load()["groups"].items())]

    def recipients(self, address: str) -> list[str] | None:
        """The mailboxes an address delivers to (a group expands), or None for an unknown address."""
        data = self._load()
        address = address.strip().lower()
        if address in data["accounts"]:
            return [address]
        if address in data["groups"]:
            return list(data["groups"][address]["members"])
        return None

    # -- changing ----------------------------------------------------------------------------------------
    @contextmanager
    def _change(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / "accounts.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            data = self._load()
            yield data
            _write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
            self._write_passwd(data)
        if not self._batch:
            settle_passwd(self.folder)

    @contextmanager
    def batch(self):
        """Many changes in a row (a commune's mailboxes): wait for Dovecot to see them once, at the end."""
        self._batch += 1
        try:
            yield self
        finally:
            self._batch -= 1
            if not self._batch:
                settle_passwd(self.folder)

    def _write_passwd(self, data: dict) -> None:
        lines = []
        for address, a in sorted(data["accounts"].items()):
            extra = [f"userdb_quota_rule=*:storage={a['quota_mb']}M"]
            if a.get("quota_messages"):
                extra.append(f"userdb_quota_rule2=*:messages={a['quota_messages']}")
            if not a["active"]:
                extra.append("nologin=y reason=Account_disabled")
            lines.append(f"{address}:{a['hash']}::::::{' '.join(extra)}\n")
        _write_atomic(self.passwd, "".join(lines).encode("ascii"), 0o640)

    def _check_free(self, data: dict, address: str, field_name: str) -> None:
        if address in data["accounts"] or address in data["groups"]:
            raise UserError(_("{field}: the address {address} already exists.", field=field_name, address=address),
                            field=field_name)

    def add_unit(self, unit, slug: str, *, password: str | None = None, quota_mb: int = DEFAULT_QUOTA_MB,
                 quota_messages: int = 0) -> tuple[Account, str]:
        """The unit's mailbox; returns it and its password (generated when none is given)."""
        address = addr.unit_address(slug, self.domain)
        return self._add(address, "unit", unit.code, unit.name, "", password, quota_mb, quota_messages,
                         avoid=(slug,))

    def add_person(self, unit, slug: str, full_name: str, *, position: str = "", number: int | None = None,
                   password: str | None = None, quota_mb: int = DEFAULT_QUOTA_MB,
                   quota_messages: int = 0) -> tuple[Account, str]:
        address = addr.person_address(full_name, slug, self.domain, number)
        given = address.split(".", 1)[0]
        return self._add(address, "person", unit.code, nfc(" ".join(full_name.split())), position, password,
                         quota_mb, quota_messages, avoid=(given, address.split("@")[0]))

    def _add(self, address, kind, unit_code, name, position, password, quota_mb, quota_messages, *, avoid):
        address = addr.check_address(address, field="--name" if kind == "person" else "--unit")
        if password is not None:
            check_strength(password, avoid=avoid)
        password = password or generate_password()
        hashed = hash_password(password)
        with self._change() as data:
            self._check_free(data, address, "--name" if kind == "person" else "--unit")
            stamp = _now()
            account = Account(address, kind, unit_code, name, position, quota_mb, quota_messages, True, stamp, stamp)
            data["accounts"][address] = {**asdict(account), "hash": hashed}
        return account, password

    def _existing(self, data: dict, address: str, field_name: str = "ADDRESS") -> dict:
        address = addr.check_address(address, field=field_name)
        if address not in data["accounts"]:
            raise UserError(_("{field}: there is no mailbox {address}.", field=field_name, address=address),
                            field=field_name)
        return data["accounts"][address]

    def disable(self, address: str, reason: str = "") -> Account:
        """Refuse logins from now on (mail still arrives; the administrator decides what becomes of it)."""
        self._existing(self._load(), address)
        with self._change() as data:
            entry = self._existing(data, address)
            if not entry["active"]:
                raise UserError(_("ADDRESS: the mailbox {address} is already disabled.", address=entry["address"]),
                                field="ADDRESS")
            entry.update(active=False, reason=reason, changed=_now())
        return self.account(address)

    def enable(self, address: str) -> Account:
        with self._change() as data:
            self._existing(data, address).update(active=True, reason="", changed=_now())
        return self.account(address)

    def reset(self, address: str, password: str | None = None, *, enable: bool = True) -> tuple[Account, str]:
        """A new password (generated when none is given); a disabled mailbox is enabled again unless told not."""
        entry = self._existing(self._load(), address)
        if password is not None:
            check_strength(password, avoid=(entry["address"].split(".", 1)[0], entry["address"].split("@")[0]))
        password = password or generate_password()
        hashed = hash_password(password)
        with self._change() as data:
            entry = self._existing(data, address)
            entry.update(hash=hashed, changed=_now())
            if enable:
                entry.update(active=True, reason="")
        return self.account(address), password

    def set_quota(self, address: str, *, quota_mb: int | None = None, quota_messages: int | None = None) -> Account:
        with self._change() as data:
            entry = self._existing(data, address)
            if quota_mb is not None:
                entry["quota_mb"] = quota_mb
            if quota_messages is not None:
                entry["quota_messages"] = quota_messages
            entry["changed"] = _now()
        return self.account(address)

    def add_group(self, address: str, name: str, members) -> Group:
        """A group address delivering to existing mailboxes (no groups inside groups)."""
        data = self._load()
        address = addr.check_address(address, data["domain"])
        self._check_free(data, address, "ADDRESS")
        checked = []
        for member in members:
            member = addr.check_address(member, data["domain"], field="MEMBER")
            if member not in data["accounts"]:
                raise UserError(_("MEMBER: there is no mailbox {address}.", address=member), field="MEMBER")
            if member not in checked:
                checked.append(member)
        if not checked:
            raise UserError(_("MEMBER: a group needs at least one member."), field="MEMBER")
        with self._change() as data:
            self._check_free(data, address, "ADDRESS")
            group = Group(address, name or address, tuple(checked), _now())
            data["groups"][address] = {**asdict(group), "members": list(checked)}
        return group

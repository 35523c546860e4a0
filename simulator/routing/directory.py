"""The identifier registry of organisations and the user accounts, with an audit trail.

The axis refuses documents from or to organisations that are not active
here. The plan (338/KH-UBND) asks each unit to review its list of codes
(Decision 662/QĐ-UBND in Nghệ An), add new units and users and remove
those gone: every such change is written to the audit table with who,
when and what, in the same transaction as the change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table, Text, insert, select, update

from simulator.calendar import VN_TZ, iso_vn
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.province.codes import validate as validate_code
from simulator.province.model import Role
from simulator.routing.db import create_tables, engine_for
from simulator.text import nfc

_ = translator("routing")

metadata = MetaData()

orgs_table = Table(
    "directory_orgs", metadata,
    Column("organ_id", String(13), primary_key=True),
    Column("name", String(500), nullable=False),
    Column("parent", String(13)),
    Column("active", Boolean, nullable=False),
    Column("changed_at", String(40), nullable=False),
)

users_table = Table(
    "directory_users", metadata,
    Column("username", String(100), primary_key=True),
    Column("full_name", String(200), nullable=False),
    Column("unit", String(13), nullable=False),
    Column("role", String(20), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("changed_at", String(40), nullable=False),
)

audit_table = Table(
    "directory_audit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("by", String(100), nullable=False),
    Column("action", String(40), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("details", Text, nullable=False),
)


@dataclass(frozen=True)
class Org:
    organ_id: str
    name: str
    parent: str | None
    active: bool


@dataclass(frozen=True)
class User:
    username: str
    full_name: str
    unit: str
    role: str
    active: bool


@dataclass(frozen=True)
class AuditEntry:
    at: str
    by: str
    action: str
    subject: str
    details: dict


def _now(at: datetime | None) -> str:
    return iso_vn(at or datetime.now(VN_TZ))


def _who(by: str) -> str:
    if not isinstance(by, str) or not by.strip():
        raise UserError(_("Say who does this (a user name)."), field="by")
    return by.strip()


class Directory:
    """Organisations and users of one exchange, in a database."""

    def __init__(self, url_or_path) -> None:
        self.engine = engine_for(url_or_path)
        create_tables(self.engine, metadata)

    def _audit(self, conn, by: str, action: str, subject: str, at: str, **details) -> None:
        conn.execute(insert(audit_table).values(at=at, by=by, action=action, subject=subject,
                                                details=json.dumps(details, ensure_ascii=False)))

    # -- organisations -------------------------------------------------------
    def seed(self, units, by: str = "system", at: datetime | None = None) -> int:
        """Add the units (``Unit``s or (code, name) pairs) not yet known, at ``at`` (a simulated world's
        time; default now); return how many were added."""
        rows = []
        for unit in units:
            code, name = (unit.code, unit.name) if hasattr(unit, "code") else (unit[0], unit[1])
            rows.append((code, nfc(name), getattr(unit, "parent", None)))
        at = _now(at)
        with self.engine.begin() as conn:
            known = set(conn.execute(select(orgs_table.c.organ_id)).scalars())
            fresh = [r for r in rows if r[0] not in known]
            if fresh:
                conn.execute(insert(orgs_table), [dict(organ_id=c, name=n, parent=p, active=True, changed_at=at)
                                                  for c, n, p in fresh])
                self._audit(conn, by, "seed", f"{len(fresh)}", at, codes=len(fresh))
        return len(fresh)

    def add_org(self, code: str, name: str, by: str, *, parent: str | None = None,
                at: datetime | None = None) -> Org:
        validate_code(code)
        if parent:
            validate_code(parent)
        name = nfc(name or "").strip()
        if not name:
            raise UserError(_("Give the organisation's name."), field="name")
        by, stamp = _who(by), _now(at)
        with self.engine.begin() as conn:
            row = conn.execute(select(orgs_table).where(orgs_table.c.organ_id == code)).first()
            if row is not None and row.active:
                raise UserError(_("The code {code} is already used by {name}.", code=code, name=row.name),
                                field="code")
            if parent and conn.execute(select(orgs_table.c.active).where(
                    orgs_table.c.organ_id == parent)).scalar() is not True:
                raise UserError(_("The parent unit {code} is not in the registry.", code=parent), field="parent")
            values = dict(name=name, parent=parent, active=True, changed_at=stamp)
            if row is None:
                conn.execute(insert(orgs_table).values(organ_id=code, **values))
            else:
                conn.execute(update(orgs_table).where(orgs_table.c.organ_id == code).values(**values))
            self._audit(conn, by, "org.add", code, stamp, name=name, parent=parent)
        return Org(code, name, parent, True)

    def retire_org(self, code: str, by: str, *, reason: str = "", at: datetime | None = None) -> Org:
        by, stamp = _who(by), _now(at)
        with self.engine.begin() as conn:
            row = conn.execute(select(orgs_table).where(orgs_table.c.organ_id == code)).first()
            if row is None or not row.active:
                raise UserError(_("No active organisation has the code {code}.", code=code), field="code")
            conn.execute(update(orgs_table).where(orgs_table.c.organ_id == code).values(active=False,
                                                                                         changed_at=stamp))
            self._audit(conn, by, "org.retire", code, stamp, reason=reason)
        return Org(code, row.name, row.parent, False)

    def org(self, code: str) -> Org | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(orgs_table).where(orgs_table.c.organ_id == code)).first()
        return Org(row.organ_id, row.name, row.parent, row.active) if row else None

    def is_active(self, code: str) -> bool:
        org = self.org(code)
        return bool(org and org.active)

    def orgs(self, *, include_retired: bool = False) -> list[Org]:
        query = select(orgs_table).order_by(orgs_table.c.organ_id)
        if not include_retired:
            query = query.where(orgs_table.c.active.is_(True))
        with self.engine.connect() as conn:
            return [Org(r.organ_id, r.name, r.parent, r.active) for r in conn.execute(query)]

    # -- users -----------------------------------------------------------------
    def add_user(self, username: str, full_name: str, unit: str, role: str, by: str, *,
                 at: datetime | None = None) -> User:
        username = (username or "").strip()
        if not username or any(ch.isspace() for ch in username):
            raise UserError(_("A user name must be one word without spaces."), field="username")
        roles = [r.value for r in Role]
        if role not in roles:
            raise UserError(_("Unknown role {role!r}; use one of {roles}.", role=role, roles=", ".join(roles)),
                            field="role")
        by, stamp = _who(by), _now(at)
        with self.engine.begin() as conn:
            if conn.execute(select(orgs_table.c.active).where(orgs_table.c.organ_id == unit)).scalar() is not True:
                raise UserError(_("The unit {code} is not in the registry.", code=unit), field="unit")
            row = conn.execute(select(users_table).where(users_table.c.username == username)).first()
            if row is not None and row.active:
                raise UserError(_("The user {name} already exists.", name=username), field="username")
            values = dict(full_name=nfc(full_name), unit=unit, role=role, active=True, changed_at=stamp)
            if row is None:
                conn.execute(insert(users_table).values(username=username, **values))
            else:
                conn.execute(update(users_table).where(users_table.c.username == username).values(**values))
            self._audit(conn, by, "user.add", username, stamp, unit=unit, role=role, full_name=nfc(full_name))
        return User(username, nfc(full_name), unit, role, True)

    def remove_user(self, username: str, by: str, *, at: datetime | None = None) -> User:
        by, stamp = _who(by), _now(at)
        with self.engine.begin() as conn:
            row = conn.execute(select(users_table).where(users_table.c.username == username)).first()
            if row is None or not row.active:
                raise UserError(_("No active user is called {name}.", name=username), field="username")
            conn.execute(update(users_table).where(users_table.c.username == username).values(active=False,
                                                                                               changed_at=stamp))
            self._audit(conn, by, "user.remove", username, stamp)
        return User(row.username, row.full_name, row.unit, row.role, False)

    def users(self, unit: str | None = None, *, include_removed: bool = False) -> list[User]:
        query = select(users_table).order_by(users_table.c.username)
        if unit:
            query = query.where(users_table.c.unit == unit)
        if not include_removed:
            query = query.where(users_table.c.active.is_(True))
        with self.engine.connect() as conn:
            return [User(r.username, r.full_name, r.unit, r.role, r.active) for r in conn.execute(query)]

    def audit(self) -> list[AuditEntry]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(audit_table).order_by(audit_table.c.id)).all()
        return [AuditEntry(r.at, r.by, r.action, r.subject, json.loads(r.details)) for r in rows]

"""The operator's side of the exchange axis: outages, and the view of its queues and stuck deliveries.

An outage takes the whole axis (key ``ALL``) or one organisation's link
down, until a given moment or until it is lifted; while it lasts, the
axis's operations for that organisation raise :class:`AxisUnavailable`.
The operator watches the deliveries per organisation and state, and the
stuck ones: open and untouched for hours, or failed ``MAX_ATTEMPTS``
pushes in a row; :meth:`~simulator.routing.axis.Axis.resend` puts one
back in the queue.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, insert, select

from simulator.errors import UserError
from simulator.i18n import translator
from simulator.routing.axis_tables import deliveries, messages, outages
from simulator.routing.directory import orgs_table

_ = translator("routing")

ALL = "*"             # the outage key of the whole axis
MAX_ATTEMPTS = 8      # after this many failed pushes a delivery counts as failed

# Checked by every operation of the axis: built once.
_OUTAGES_FOR = select(outages).where(outages.c.org_id.in_(bindparam("keys", expanding=True)))


class AxisUnavailable(UserError):
    """The axis, or an organisation's link to it, is down: try again later."""


def set_outage(engine, org_id: str | None = None, down: bool = True, until: datetime | None = None) -> None:
    """Take the whole axis (``org_id=None``) or one organisation's link down, or bring it back."""
    key = org_id or ALL
    with engine.begin() as conn:
        if org_id is not None and conn.execute(
                select(orgs_table.c.active).where(orgs_table.c.organ_id == org_id)).scalar() is None:
            raise UserError(_("{code} is not in the identifier registry of the axis.", code=org_id),
                            field="org")
        conn.execute(outages.delete().where(outages.c.org_id == key))
        if down:
            conn.execute(insert(outages).values(org_id=key, until=until.timestamp() if until else None))


def current_outages(engine) -> dict[str, float | None]:
    """What is down (``ALL`` or organisation codes), until when (POSIX seconds; None: until lifted)."""
    with engine.connect() as conn:
        return {r.org_id: r.until for r in conn.execute(select(outages))}


def _down(conn, org_id: str | None, at: datetime) -> bool:
    keys = [ALL] + ([org_id] if org_id else [])
    now = at.timestamp()
    for row in conn.execute(_OUTAGES_FOR, {"keys": keys}):
        if row.until is None or row.until > now:
            return True
    return False


def require_up(conn, org_id: str | None, at: datetime) -> None:
    """Raise :class:`AxisUnavailable` when the axis, or ``org_id``'s link to it, is down at ``at``."""
    if _down(conn, org_id, at):
        who = org_id if org_id and not _down(conn, None, at) else None
        if who:
            raise AxisUnavailable(_("The link of {org} to the exchange axis is down; try again later.", org=who))
        raise AxisUnavailable(_("The exchange axis is down; try again later."))


def queues(engine) -> dict[str, dict[str, int]]:
    """Deliveries per organisation and state."""
    with engine.connect() as conn:
        rows = conn.execute(select(deliveries.c.org_id, deliveries.c.state, func.count())
                            .group_by(deliveries.c.org_id, deliveries.c.state)).all()
    out: dict[str, dict[str, int]] = {}
    for org, state, n in rows:
        out.setdefault(org, {})[state] = n
    return out


def stuck(engine, older_than: timedelta, at: datetime) -> list[dict]:
    """Open deliveries not touched for ``older_than`` (counted back from ``at``), and those that failed
    ``MAX_ATTEMPTS`` times."""
    limit = at - older_than
    with engine.connect() as conn:
        rows = conn.execute(
            select(deliveries, messages.c.doc_id, messages.c.kind, messages.c.sender)
            .join(messages, messages.c.id == deliveries.c.message_id)
            .where(deliveries.c.state.in_(("pending", "fetched"))).order_by(deliveries.c.id)).all()
    out = []
    for r in rows:
        failed = r.attempts >= MAX_ATTEMPTS
        if failed or datetime.fromisoformat(r.updated_at) <= limit:
            out.append({"id": r.id, "doc_id": r.doc_id, "kind": r.kind, "from": r.sender, "to": r.org_id,
                        "state": "failed" if failed else r.state, "attempts": r.attempts,
                        "last_error": r.last_error, "since": r.updated_at})
    return out


def state_label(state: str) -> str:
    """A delivery's state in the user's language (operator views: CLI and the axis monitor)."""
    return {"pending": _("waiting to be fetched"), "fetched": _("fetched, not yet confirmed"),
            "done": _("handled"), "refused": _("refused"), "failed": _("failed after every retry")}.get(state, state)

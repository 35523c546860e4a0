"""The exchange axis (trục liên thông): a local service that loses nothing.

Operations of the real axes: send, list pending, get, confirm receipt, get
and update traces, list organisations. All state lives in the database and
every operation is one transaction, so a process killed at any point leaves
either the whole step or none of it. Delivery is at-least-once: a document
stays pending for a recipient until the recipient confirms it, so a
receiver that crashed after registering gets it again, and its register,
idempotent on the DocumentId, keeps one entry.

Documents from an unknown sender are refused outright; recipients that are
unknown or retired get nothing, and the sender receives a status package
02 (refused) for each. The push ``deliver`` records failed attempts with a
growing back-off. What the axis keeps is in :mod:`simulator.routing.axis_tables`;
outages (which make the operations raise :class:`AxisUnavailable`) and the
operator's view of queues and stuck deliveries are in
:mod:`simulator.routing.axis_operator`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, insert, select, update

from simulator.calendar import VN_TZ, iso_vn
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.routing import axis_operator, edxml
from simulator.routing.axis_operator import require_up
from simulator.routing.axis_tables import deliveries, messages, metadata, traces_table
from simulator.routing.db import create_tables, engine_for
from simulator.routing.directory import Directory, orgs_table
from simulator.routing.envelope import BusinessDocType, Organization, StatusCode, StatusPackage, now_vn

_ = translator("routing")

BACKOFF_SECONDS = 30  # first retry delay; doubles each attempt

# Statements of the hot path, built once (building a statement costs more than running it on SQLite).
_ORG_ACTIVE = select(orgs_table.c.active).where(orgs_table.c.organ_id == bindparam("code"))
_ORG_NAME = select(orgs_table.c.name).where(orgs_table.c.organ_id == bindparam("code"))
_MESSAGE_ID = select(messages.c.id).where(and_(
    messages.c.kind == bindparam("kind"), messages.c.doc_id == bindparam("doc_id"),
    messages.c.sender == bindparam("sender"), messages.c.code == bindparam("code")))
_INSERT_MESSAGE = insert(messages)
_INSERT_DELIVERY = insert(deliveries)
_INSERT_TRACE = insert(traces_table)
_DELIVERY = (select(deliveries.c.id, deliveries.c.state, messages.c.payload, messages.c.sender)
             .join(messages, messages.c.id == deliveries.c.message_id)
             .where(and_(deliveries.c.org_id == bindparam("org"), messages.c.doc_id == bindparam("doc_id"),
                         messages.c.kind == bindparam("kind")))
             .order_by(deliveries.c.id))
_DELIVERY_CODE = _DELIVERY.where(messages.c.code == bindparam("code"))
_SET_STATE = (update(deliveries).where(deliveries.c.id == bindparam("delivery"))
              .values(state=bindparam("new_state"), updated_at=bindparam("at")))
_FETCHED = (update(deliveries).where(deliveries.c.id == bindparam("delivery"))
            .values(state="fetched", attempts=deliveries.c.attempts + 1, updated_at=bindparam("at")))
_PENDING = (select(deliveries.c.id, deliveries.c.attempts, deliveries.c.state, messages.c.doc_id,
                   messages.c.kind, messages.c.sender, messages.c.code)
            .join(messages, messages.c.id == deliveries.c.message_id)
            .where(and_(deliveries.c.org_id == bindparam("org"), deliveries.c.state.in_(("pending", "fetched")),
                        messages.c.kind == bindparam("kind")))
            .order_by(deliveries.c.id))


def _business_code(doc_type: int) -> str:
    """The message key of a document: "" for a new one, "B1".."B3" for recall, update, replace."""
    return "" if int(doc_type) == BusinessDocType.NEW else f"B{int(doc_type)}"


@dataclass(frozen=True)
class SendResult:
    doc_id: str
    kind: str
    accepted: tuple[str, ...]
    refused: tuple[tuple[str, str], ...]   # (organ_id, reason)
    duplicate: bool = False


@dataclass(frozen=True)
class Pending:
    id: int
    doc_id: str
    kind: str
    sender: str
    code: str
    attempts: int
    state: str


@dataclass(frozen=True)
class Trace:
    doc_id: str
    org_id: str
    code: str
    description: str
    at: str


def _stamp(at: datetime | None) -> datetime:
    at = at or now_vn()
    return at if at.tzinfo else at.replace(tzinfo=VN_TZ)


class Axis:
    """``Axis("axis.sqlite", province)``: the registry is seeded from ``registry`` (units or (code, name) pairs),
    at ``at`` (a simulated world's time; default now)."""

    def __init__(self, url_or_path, registry=None, at: datetime | None = None) -> None:
        """``registry``: units to seed the identifier registry with; a whole ``Province`` also lets a status
        package's ``From`` carry every field the register knows about the reporting unit (QCVN 102)."""
        self.engine = engine_for(url_or_path)
        self.directory = Directory(url_or_path)
        self.province = registry if hasattr(registry, "get") and hasattr(registry, "units") else None
        create_tables(self.engine, metadata)
        if registry is not None:
            self.directory.seed(registry, at=at)

    def _organization(self, org_id: str, name: str) -> Organization:
        unit = self.province.get(org_id) if self.province is not None else None
        if unit is None:
            return Organization(org_id, name)
        from simulator.routing.organizations import registry_organization

        return registry_organization(unit, self.province)

    def _active(self, conn, code: str) -> bool:
        return conn.execute(_ORG_ACTIVE, {"code": code}).scalar() is True

    # -- outages and the operator's view (simulator.routing.axis_operator) ---------
    def set_outage(self, org_id: str | None = None, down: bool = True, until: datetime | None = None) -> None:
        """Take the whole axis (``org_id=None``) or one organisation's link down, or bring it back."""
        axis_operator.set_outage(self.engine, org_id, down, until)

    def outages(self) -> dict[str, float | None]:
        return axis_operator.current_outages(self.engine)

    def queues(self) -> dict[str, dict[str, int]]:
        """Deliveries per organisation and state."""
        return axis_operator.queues(self.engine)

    def stuck(self, older_than: timedelta = timedelta(hours=4), at: datetime | None = None) -> list[dict]:
        """Open deliveries not touched for ``older_than``, and those that failed ``axis_operator.MAX_ATTEMPTS``
        times."""
        return axis_operator.stuck(self.engine, older_than, _stamp(at))

    # -- send ------------------------------------------------------------------
    def send(self, envelope_bytes: bytes, at: datetime | None = None) -> SendResult:
        """Accept a document or a status package for delivery (one transaction; a repeat changes nothing)."""
        at = _stamp(at)
        if isinstance(envelope_bytes, str):
            envelope_bytes = envelope_bytes.encode("utf-8")
        env = edxml.read(envelope_bytes)
        if isinstance(env, StatusPackage):
            return self._send_status(env, envelope_bytes, at)
        with self.engine.begin() as conn:
            require_up(conn, env.sender.organ_id, at)
            if not self._active(conn, env.sender.organ_id):
                raise UserError(_("The sender {code} is not in the identifier registry; the axis refuses the "
                                  "document.", code=env.sender.organ_id), field="From/OrganId")
            if not env.recipients:
                raise UserError(_("The envelope names no recipient (To)."), field="To")
            business = _business_code(env.business.doc_type)
            existing = conn.execute(_MESSAGE_ID, {"kind": "edoc", "doc_id": env.document_id,
                                                  "sender": env.sender.organ_id, "code": business}).scalar()
            if existing is not None:
                return self._repeat(conn, existing, env, envelope_bytes)
            message_id = conn.execute(_INSERT_MESSAGE, dict(
                kind="edoc", doc_id=env.document_id, sender=env.sender.organ_id, code=business,
                payload=envelope_bytes, created_at=iso_vn(at))).inserted_primary_key[0]
            accepted, refused = [], []
            for org in dict.fromkeys(env.recipient_ids):
                if org == env.sender.organ_id or not self._active(conn, org):
                    reason = _("The recipient {code} is not in the identifier registry.", code=org)
                    refused.append((org, reason))
                    self._refuse(conn, env, org, reason, at)
                    continue
                conn.execute(_INSERT_DELIVERY, dict(message_id=message_id, org_id=org, state="pending",
                                                    attempts=0, next_attempt=0.0, last_error="",
                                                    updated_at=iso_vn(at)))
                accepted.append(org)
            if env.business.doc_type == BusinessDocType.RECALL:
                self._trace(conn, env.document_id, env.sender.organ_id, StatusCode.RECALL_REQUESTED,
                            env.business.reason or _("recall requested"), at)
            else:
                self._trace(conn, env.document_id, env.sender.organ_id, "",
                            _("sent") if not business else _("update or replacement sent"), at)
        return SendResult(env.document_id, "edoc", tuple(accepted), tuple(refused))

    def _repeat(self, conn, message_id: int, env, envelope_bytes: bytes) -> SendResult:
        """A document whose DocumentId the sender already sent (with the same business code).

        The very same envelope again is a retry and changes nothing; a
        different one is a second document under a used number: it is
        refused, loudly, to the sender (never dropped without a word)."""
        stored = conn.execute(select(messages.c.payload).where(messages.c.id == message_id)).scalar()
        if bytes(stored) != envelope_bytes:
            raise UserError(_("The exchange axis already holds a different document with the DocumentId {doc_id} "
                              "from {sender}; give the document its own number (or send it as an update or "
                              "replacement).", doc_id=env.document_id, sender=env.sender.organ_id),
                            field="DocumentId")
        rows = conn.execute(select(deliveries.c.org_id).where(deliveries.c.message_id == message_id)).scalars()
        return SendResult(env.document_id, "edoc", tuple(rows), (), duplicate=True)

    def _refuse(self, conn, env, org: str, reason: str, at: datetime) -> None:
        """Status 02 back to the sender for a recipient the registry does not know."""
        package = edxml.status_package(StatusPackage(
            response_for=edxml.response_for(env), sender=Organization(org), code=StatusCode.REFUSED,
            timestamp=at, description=reason))
        self._store_status(conn, env.document_id, org, StatusCode.REFUSED, package, env.sender.organ_id,
                           reason, at)

    def _store_status(self, conn, doc_id, from_org, code, package, to_org, description, at) -> bool:
        key = {"kind": "status", "doc_id": doc_id, "sender": from_org, "code": code}
        if conn.execute(_MESSAGE_ID, key).scalar() is not None:
            return False
        if callable(package):  # built only when it is new
            package = package()
        message_id = conn.execute(_INSERT_MESSAGE, dict(key, payload=package,
                                                        created_at=iso_vn(at))).inserted_primary_key[0]
        conn.execute(_INSERT_DELIVERY, dict(message_id=message_id, org_id=to_org, state="pending", attempts=0,
                                            next_attempt=0.0, last_error="", updated_at=iso_vn(at)))
        self._trace(conn, doc_id, from_org, code, description, at)
        return True

    def _send_status(self, status: StatusPackage, package: bytes, at: datetime) -> SendResult:
        doc_id, from_org = status.response_for.document_id, status.sender.organ_id
        to_org = status.response_for.organ_id
        with self.engine.begin() as conn:
            require_up(conn, from_org, at)
            if not self._active(conn, from_org):
                raise UserError(_("The sender {code} is not in the identifier registry; the axis refuses the "
                                  "document.", code=from_org), field="From/OrganId")
            fresh = self._store_status(conn, doc_id, from_org, status.code, package, to_org, status.description,
                                       status.timestamp)
        return SendResult(doc_id, "status", (to_org,), (), duplicate=not fresh)

    def _trace(self, conn, doc_id, org_id, code, description, at) -> None:
        conn.execute(_INSERT_TRACE, dict(doc_id=doc_id, org_id=org_id, code=code, description=description or "",
                                         at=iso_vn(at)))

    # -- receive ---------------------------------------------------------------
    def pending(self, org_id: str, kind: str = "edoc", at: datetime | None = None) -> list[Pending]:
        """What waits for ``org_id`` (documents, or status packages with ``kind="status"``), oldest first."""
        at = _stamp(at)
        with self.engine.connect() as conn:
            require_up(conn, org_id, at)
            rows = conn.execute(_PENDING, {"org": org_id, "kind": kind}).all()
        return [Pending(r.id, r.doc_id, r.kind, r.sender, r.code, r.attempts, r.state) for r in rows]

    def _delivery(self, conn, doc_id: str, org_id: str, kind: str, code: str | None):
        """The delivery of ``doc_id`` to ``org_id``: with ``code`` that message; without, the oldest
        still open (a recall may wait next to the original), else the latest."""
        params = {"org": org_id, "doc_id": doc_id, "kind": kind}
        if code is not None:
            return conn.execute(_DELIVERY_CODE, dict(params, code=code)).first()
        rows = conn.execute(_DELIVERY, params).all()
        return next((r for r in rows if r.state in ("pending", "fetched")), rows[-1] if rows else None)

    def get(self, doc_id: str, org_id: str, kind: str = "edoc", code: str | None = None,
            at: datetime | None = None) -> bytes:
        """The envelope (or status package) for ``org_id``; the delivery stays open until confirmed.

        ``code`` picks one message: a status code for a status package;
        for a document "" (new), "B1" recall, "B2" update, "B3" replace."""
        at = _stamp(at)
        with self.engine.begin() as conn:
            require_up(conn, org_id, at)
            row = self._delivery(conn, doc_id, org_id, kind, code)
            if row is None:
                raise UserError(_("Nothing with the DocumentId {doc_id} waits for {org}.", doc_id=doc_id, org=org_id),
                                field="doc_id")
            if row.state == "pending":
                conn.execute(_FETCHED, {"delivery": row.id, "at": iso_vn(at)})
            return row.payload

    def confirm(self, doc_id: str, org_id: str, status: str = StatusCode.ARRIVED, *, description: str = "",
                staff: str = "", close: bool = True, business: int | None = None,
                at: datetime | None = None) -> bool:
        """The receiver reports ``status`` about a document it got; a status package goes to the sender.

        The status closes the delivery (02 marks it refused) unless ``close``
        is False: a receiver that sends 01 and then 03 keeps the delivery
        open until 03, so a crash between the two does not lose the 03.
        Returns False when the same status was already reported (nothing
        changes). ``business`` answers a recall (1), update (2) or replace
        (3) request rather than the document itself: 15 agreed, 16 refused."""
        at = _stamp(at)
        if status not in StatusCode.ALL:
            raise UserError(_("Unknown status code {code!r}; use one of {codes}.", code=status,
                              codes=", ".join(StatusCode.ALL)), field="status")
        with self.engine.begin() as conn:
            require_up(conn, org_id, at)
            code = None if business is None else _business_code(business)
            row = self._delivery(conn, doc_id, org_id, "edoc", code)
            if row is None:
                raise UserError(_("No document with the DocumentId {doc_id} was delivered to {org}.",
                                  doc_id=doc_id, org=org_id), field="doc_id")
            state = "refused" if status == StatusCode.REFUSED else "done"
            if close and row.state in ("pending", "fetched"):
                conn.execute(_SET_STATE, {"delivery": row.id, "new_state": state, "at": iso_vn(at)})
            name = conn.execute(_ORG_NAME, {"code": org_id}).scalar() or ""

            def package() -> bytes:
                return edxml.status_package(StatusPackage(
                    response_for=edxml.response_for_id(doc_id), sender=self._organization(org_id, name), code=status,
                    timestamp=at, description=description, staff=staff))

            return self._store_status(conn, doc_id, org_id, status, package, row.sender, description, at)

    def ack_status(self, pending_id: int, org_id: str, at: datetime | None = None) -> None:
        """The sender has read a status package: it leaves the pending list."""
        at = _stamp(at)
        with self.engine.begin() as conn:
            require_up(conn, org_id, at)
            conn.execute(update(deliveries).where(and_(deliveries.c.id == pending_id, deliveries.c.org_id == org_id))
                         .values(state="done", updated_at=iso_vn(at)))

    # -- push delivery with retries -----------------------------------------------
    def deliver(self, org_id: str, handler, at: datetime | None = None, limit: int | None = None) -> dict:
        """Push what is due to ``handler(payload) -> status code`` (default 01), retrying later on failure.

        An outage or an exception from the handler counts as a failed
        attempt; the next try waits ``BACKOFF_SECONDS * 2**attempts``."""
        at = _stamp(at)
        report = {"delivered": 0, "failed": 0, "waiting": 0}
        with self.engine.connect() as conn:
            due = conn.execute(
                select(deliveries.c.id, deliveries.c.next_attempt, messages.c.doc_id)
                .join(messages, messages.c.id == deliveries.c.message_id)
                .where(and_(deliveries.c.org_id == org_id, deliveries.c.state.in_(("pending", "fetched")),
                            messages.c.kind == "edoc"))
                .order_by(deliveries.c.id)).all()
        for n, item in enumerate(due):
            if limit is not None and n >= limit:
                break
            if item.next_attempt > at.timestamp():
                report["waiting"] += 1
                continue
            try:
                payload = self.get(item.doc_id, org_id, at=at)
                code = handler(payload) or StatusCode.ARRIVED
                self.confirm(item.doc_id, org_id, code, at=at)
                report["delivered"] += 1
            except Exception as exc:  # the receiver's failure is recorded, never lost
                self._failed(item.id, str(exc), at)
                report["failed"] += 1
        return report

    def _failed(self, delivery_id: int, error: str, at: datetime) -> None:
        with self.engine.begin() as conn:
            attempts = conn.execute(select(deliveries.c.attempts).where(deliveries.c.id == delivery_id)).scalar()
            attempts = (attempts or 0) + 1
            conn.execute(update(deliveries).where(deliveries.c.id == delivery_id).values(
                attempts=attempts, state="pending", last_error=error[:1000],
                next_attempt=at.timestamp() + BACKOFF_SECONDS * 2 ** min(attempts - 1, 10),
                updated_at=iso_vn(at)))

    # -- traces and registry -------------------------------------------------------
    def traces(self, doc_id: str) -> list[Trace]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(traces_table).where(traces_table.c.doc_id == doc_id)
                                .order_by(traces_table.c.id)).all()
        return [Trace(r.doc_id, r.org_id, r.code, r.description, r.at) for r in rows]

    def update_trace(self, doc_id: str, org_id: str, description: str, at: datetime | None = None) -> None:
        """Add a free note to a document's trace (the 'update traces' operation)."""
        at = _stamp(at)
        with self.engine.begin() as conn:
            require_up(conn, org_id, at)
            self._trace(conn, doc_id, org_id, "", description, at)

    def orgs(self):
        return self.directory.orgs()

    # -- operator action --------------------------------------------------------------
    def resend(self, doc_id: str, org_id: str, at: datetime | None = None) -> None:
        """Put a delivery back in the queue with a fresh attempt count (operator action)."""
        at = _stamp(at)
        with self.engine.begin() as conn:
            row = self._delivery(conn, doc_id, org_id, "edoc", None)
            if row is None:
                raise UserError(_("No document with the DocumentId {doc_id} was sent to {org}.",
                                  doc_id=doc_id, org=org_id), field="doc_id")
            conn.execute(update(deliveries).where(deliveries.c.id == row.id).values(
                state="pending", attempts=0, next_attempt=0.0, last_error="", updated_at=iso_vn(at)))
            self._trace(conn, doc_id, org_id, "", _("resent by the operator"), at)


"""``vbdt axis serve``: the exchange axis over real HTTP on 127.0.0.1.

A thin JSON front end over :class:`~simulator.routing.axis.Axis` (the
state stays in its database, so the server can be stopped and restarted
at will). Routes:

==========  ===================  ==============================================
method      path                 what
==========  ===================  ==============================================
GET         /orgs                the identifier registry
POST        /documents           send an edXML envelope or status package (body)
GET         /pending             ?org=..&kind=edoc|status
GET         /document            ?doc_id=..&org=..&kind=..&code=..  (edXML)
POST        /confirm             {"doc_id", "org", "status", "description", "staff", "business"}
POST        /ack                 {"id" or "ids", "org"} status packages were read
GET         /traces              ?doc_id=..
POST        /traces              {"doc_id", "org", "description"}
GET         /seats               a class's axis: the organisations trainees hold (code -> role)
GET         /pki                 a class's axis: its training PKI (zip), for a seat opened where the class's
                                 folder cannot be read (another account or machine); ETag, and 304 to an
                                 If-None-Match that is still current
GET         /handoffs            a class's axis: the hand-offs of the token's agency between its clerk and its
                                 leader (simulator.routing.handoffs); the instructor: every agency's
GET         /handoffs/pdf        ?id=..[&signed=1] the PDF handed, or the leader's signed one
POST        /handoffs            the clerk hands one: {"kind", "ref", "document_id", "subject", "at",
                                 "details", "pdf" (base64)}
POST        /handoffs/answer     the leader answers one: {"id", "at", "answer", "pdf" (base64, signed)}
GET         /operator            queues, stuck deliveries, outages
POST        /resend              {"doc_id", "org"}
POST        /outage              {"org": code or null, "down": bool}
==========  ===================  ==============================================

Errors: 400 with ``{"error", "errors": [{"path", "message"}]}`` for bad
input, 404 for an unknown route, 503 when the axis or a link is down.

Every route takes ``at`` (ISO time, query or JSON field): the simulated
world's time of the operation (traces, outages), as the in-process axis does.

A class's axis (``vbdt class serve``) is served with an ``authority``: a
bearer token names one organisation (a seat), or ``*`` for the instructor.
Without a known token: 401. A seat acts only as itself: a document or status
whose sender is another organisation, or pending/get/confirm/ack/trace
updates for another organisation, get 403; ``GET /seats`` lists the
organisations held; operator routes are the instructor's.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import asdict
from datetime import datetime
from typing import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from simulator.errors import UserError
from simulator.i18n import translator
from simulator.routing.axis import Axis
from simulator.routing.axis_operator import AxisUnavailable
from simulator.routing.client import pki_tag
from simulator.routing.edxml import EdxmlError
from simulator.routing.handoffs import Handoffs, leader_org, seat_of

_ = translator("routing")
_c = translator("classroom")  # a class's axis (simulator.seat.classroom)
MAX_BODY = 80 * 1024 * 1024
INSTRUCTOR = "*"  # what an authority returns for the instructor's token (every organisation, operator routes)
OPERATOR_ROUTES = ("_get_operator", "_post_resend", "_post_outage")


class Forbidden(UserError):
    """A token acting outside its own seat (HTTP 403)."""


class Unauthorized(UserError):
    """No token, or one the class does not know (HTTP 401)."""


class NotFound(UserError):
    """What this axis does not serve: a class's PKI or hand-offs on a plain axis (HTTP 404)."""


class _Handler(BaseHTTPRequestHandler):
    axis: Axis  # set on the class built by make_server
    authority: Callable[[str], str | None] | None = None  # token -> organisation (or INSTRUCTOR); None: open
    seats: Callable[[], dict] | None = None  # the organisations held in a class, for GET /seats
    pki: Callable[[str | None], bytes] | None = None  # a class's training PKI as a zip for a seat, GET /pki
    handoffs: Handoffs | None = None  # a class's hand-offs between each agency's clerk and leader
    org: str | None = None  # the organisation of this request's token (None: an open axis)
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet: the operator view is the log
        pass

    # -- plumbing ------------------------------------------------------------
    def _reply(self, code: int, payload, content_type: str = "application/json", headers: dict | None = None) -> None:
        body = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False,
                                                                     default=str).encode("utf-8")
        self.send_response(code)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type + ("; charset=utf-8" if "json" in content_type else ""))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise UserError(_("The request body is too large."))
        return self.rfile.read(length) if length else b""

    def _json(self) -> dict:
        try:
            data = json.loads(self._body() or b"{}")
        except json.JSONDecodeError as exc:
            raise UserError(_("The request is not valid JSON: {reason}", reason=str(exc))) from None
        if not isinstance(data, dict):
            raise UserError(_("Expected a JSON object."))
        return data

    def _dispatch(self, method: str) -> None:
        url = urlparse(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        route = getattr(self, f"_{method}_{url.path.strip('/').replace('/', '_') or 'root'}", None)
        try:
            if route is None:
                self._reply(404, {"error": _("No route {method} {path}.", method=method.upper(), path=url.path)})
                return
            self._authorize(route.__name__)
            route(query)
        except Unauthorized as exc:
            self._reply(401, {"error": str(exc)})
        except Forbidden as exc:
            self._reply(403, {"error": str(exc)})
        except NotFound as exc:
            self._reply(404, {"error": str(exc)})
        except AxisUnavailable as exc:
            self._reply(503, {"error": str(exc)})
        except EdxmlError as exc:
            self._reply(400, {"error": str(exc), "errors": [asdict(e) for e in exc.errors]})
        except UserError as exc:
            self._reply(400, {"error": str(exc), "errors": [{"path": exc.field or "", "message": str(exc)}]})

    def do_GET(self):
        self._dispatch("get")

    def do_POST(self):
        self._dispatch("post")

    @staticmethod
    def _need(data: dict, name: str):
        value = data.get(name)
        if value in (None, ""):
            raise UserError(_("The parameter {name!r} is missing.", name=name), field=name)
        return value

    # -- who may do what (a class's axis) ----------------------------------------
    def _authorize(self, route: str) -> None:
        if self.authority is None:
            return
        header = self.headers.get("Authorization") or ""
        token = header[7:].strip() if header[:7].lower() == "bearer " else ""
        self.org = self.authority(token) if token else None
        if not self.org:
            raise Unauthorized(_c("A token of this class is needed (Authorization: Bearer ...)."))
        if route in OPERATOR_ROUTES and self.org != INSTRUCTOR:
            raise Forbidden(_c("Only the instructor may operate the class's axis."))

    def _as(self, org: str) -> None:
        """Refuse (403) a seat acting as another organisation."""
        if self.org not in (None, INSTRUCTOR) and org != self.org:
            raise Forbidden(_c("Your seat is {mine}; you cannot act as {other}.", mine=self.org, other=org))

    @staticmethod
    def _business(data: dict) -> int | None:
        value = data.get("business")
        if value in (None, ""):
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value not in (0, 1, 2, 3):
            raise UserError(_c("The parameter {name!r} must be a business type 0-3.", name="business"),
                            field="business")
        return value

    @staticmethod
    def _at(data: dict) -> datetime | None:
        value = data.get("at")
        if not value:
            return None
        try:
            return datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise UserError(_c("The parameter {name!r} is not an ISO time.", name="at"), field="at") from None

    # -- routes -----------------------------------------------------------------
    def _get_seats(self, query):
        self._reply(200, self.seats() if self.seats else {})

    def _get_pki(self, query):
        if self.pki is None:
            raise NotFound(_c("This axis serves no class's PKI."))
        archive = self.pki(self.org)
        tag = f'"{pki_tag(archive)}"'
        if tag in (self.headers.get("If-None-Match") or "").split(", "):   # the seat's copy is current
            self._reply(304, b"", "application/zip", {"ETag": tag})
            return
        self._reply(200, archive, "application/zip", {"ETag": tag})

    def _get_orgs(self, query):
        self._reply(200, [asdict(o) for o in self.axis.orgs()])

    def _post_documents(self, query):
        body = self._body()
        if self.org not in (None, INSTRUCTOR):
            from simulator.routing import edxml

            self._as(edxml.read(body).sender.organ_id)  # a document's From, a status package's sender
        result = self.axis.send(body, at=self._at(query))
        payload = asdict(result)
        payload["refused"] = [{"org": org, "reason": reason} for org, reason in result.refused]
        self._reply(200, payload)

    def _get_pending(self, query):
        self._as(self._need(query, "org"))
        items = self.axis.pending(query["org"], query.get("kind", "edoc"), at=self._at(query))
        self._reply(200, [asdict(p) for p in items])

    def _get_document(self, query):
        self._as(self._need(query, "org"))
        data = self.axis.get(self._need(query, "doc_id"), query["org"], query.get("kind", "edoc"),
                             query.get("code") or None, at=self._at(query))
        self._reply(200, data, "application/xml")

    def _post_confirm(self, query):
        data = self._json()
        self._as(self._need(data, "org"))
        fresh = self.axis.confirm(self._need(data, "doc_id"), data["org"], data.get("status", "01"),
                                  description=data.get("description", ""), staff=data.get("staff", ""),
                                  close=bool(data.get("close", True)), business=self._business(data),
                                  at=self._at(data))
        self._reply(200, {"recorded": fresh})

    def _post_ack(self, query):
        data = self._json()
        self._as(self._need(data, "org"))
        ids = data.get("ids") if isinstance(data.get("ids"), list) else [self._need(data, "id")]
        for pending_id in ids:  # several status packages read at once: one request
            self.axis.ack_status(int(pending_id), data["org"], at=self._at(data))
        self._reply(200, {"ok": True})

    def _get_traces(self, query):
        self._reply(200, [asdict(t) for t in self.axis.traces(self._need(query, "doc_id"))])

    def _post_traces(self, query):
        data = self._json()
        self._as(self._need(data, "org"))
        self.axis.update_trace(self._need(data, "doc_id"), data["org"], self._need(data, "description"),
                               at=self._at(data))
        self._reply(200, {"ok": True})

    def _get_operator(self, query):
        self._reply(200, {"queues": self.axis.queues(), "stuck": self.axis.stuck(), "outages": self.axis.outages()})

    def _post_resend(self, query):
        data = self._json()
        self.axis.resend(self._need(data, "doc_id"), self._need(data, "org"))
        self._reply(200, {"ok": True})

    # -- an agency's clerk and leader (a class) ----------------------------------------
    def _agency(self, role: str | None = None) -> str:
        """The unit of this request's seat (403 for another role than ``role``; 404 without hand-offs)."""
        if self.handoffs is None:
            raise NotFound(_c("This axis keeps no hand-offs between a clerk and a leader."))
        unit, mine = seat_of(self.org or "")
        if self.org == INSTRUCTOR or (role and mine != role):
            raise Forbidden(_c("Your seat is {mine}; you cannot act as {other}.", mine=self.org,
                               other=leader_org(unit) if role == "leader" else unit))
        return unit

    def _get_handoffs(self, query):
        if self.org == INSTRUCTOR and self.handoffs is not None:   # every agency's
            self._reply(200, [h.to_json() for h in self.handoffs.everything()])
        else:
            self._reply(200, [h.to_json() for h in self.handoffs.of(self._agency())])

    def _get_handoffs_pdf(self, query):
        unit = self._agency()
        number = self._need(query, "id")
        if not str(number).isdigit():
            raise UserError(_c("The parameter {name!r} must be a number.", name="id"), field="id")
        self._reply(200, self.handoffs.pdf(unit, int(number), answered=query.get("signed") == "1"), "application/pdf")

    def _post_handoffs(self, query):
        unit, data = self._agency("clerk"), self._json()
        moment = self._at({"at": self._need(data, "at")})
        handed = self.handoffs.hand(unit, self._need(data, "kind"), self._need(data, "ref"),
                                    self._need(data, "document_id"), str(data.get("subject") or ""), moment,
                                    _base64(self._need(data, "pdf")), data.get("details") or {})
        self._reply(200, handed.to_json())

    def _post_handoffs_answer(self, query):
        unit, data = self._agency("leader"), self._json()
        number = self._need(data, "id")
        if not isinstance(number, int) or isinstance(number, bool):
            raise UserError(_c("The parameter {name!r} must be a number.", name="id"), field="id")
        answer = data.get("answer") or {}
        if not isinstance(answer, dict):
            raise UserError(_("Expected a JSON object."), field="answer")
        pdf = _base64(data["pdf"]) if data.get("pdf") else None
        self._reply(200, self.handoffs.answer(unit, number, self._at({"at": self._need(data, "at")}), answer,
                                              pdf).to_json())

    def _post_outage(self, query):
        data = self._json()
        self.axis.set_outage(data.get("org") or None, bool(data.get("down", True)))
        self._reply(200, {"outages": self.axis.outages()})


def _base64(text) -> bytes:
    try:
        return base64.b64decode(str(text), validate=True)
    except ValueError:
        raise UserError(_c("The parameter {name!r} is not base64.", name="pdf"), field="pdf") from None


def make_server(axis: Axis, port: int = 0, host: str = "127.0.0.1", *, authority=None,
                seats=None, pki=None, handoffs: Handoffs | None = None) -> ThreadingHTTPServer:
    """An HTTP server for ``axis`` bound to the loopback interface (port 0: any free port).

    ``authority(token) -> organisation | INSTRUCTOR | None`` makes it a class's axis (see the module
    docstring); ``seats() -> dict`` answers ``GET /seats``, ``pki(organisation) -> bytes`` ``GET /pki`` and
    ``handoffs`` (:class:`~simulator.routing.handoffs.Handoffs`) the ``/handoffs`` routes."""
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise UserError(_("The axis serves on the loopback interface only (127.0.0.1)."), field="host")
    handler = type("AxisHandler", (_Handler,), {"axis": axis, "authority": staticmethod(authority) if authority
                                                else None, "seats": staticmethod(seats) if seats else None,
                                                "pki": staticmethod(pki) if pki else None, "handoffs": handoffs})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def serve_in_thread(axis: Axis, port: int = 0, **options) -> tuple[ThreadingHTTPServer, str]:
    """Start serving in a background thread; returns the server and its base URL."""
    server = make_server(axis, port, **options)
    threading.Thread(target=server.serve_forever, daemon=True, name="axis-http").start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}"

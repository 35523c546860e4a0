"""A client of ``vbdt axis serve``: the same operations as :class:`Axis`, over HTTP."""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.error
import urllib.request
from datetime import datetime
from urllib.parse import urlencode

from simulator.errors import UserError
from simulator.i18n import translator
from simulator.routing.axis import Pending, SendResult, Trace
from simulator.routing.axis_operator import AxisUnavailable
from simulator.routing.edxml import EdxmlError, Error
from simulator.routing.handoffs import Handoff

_ = translator("routing")


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


class AxisClient:
    """``AxisClient(url, token=None)``: ``token`` is a seat's secret on a class's axis (``vbdt class serve``);
    ``at`` on each operation is the simulated world's time, as for :class:`Axis`."""

    def __init__(self, base_url: str, timeout: float = 30.0, token: str | None = None) -> None:
        self.base = base_url.rstrip("/")
        self.timeout = timeout
        self.token = token

    def _call(self, method: str, path: str, *, query: dict | None = None, body: bytes | None = None,
              payload: dict | None = None, raw: bool = False, headers: dict | None = None):
        url = self.base + path + (f"?{urlencode({k: v for k, v in query.items() if v is not None})}" if query else "")
        headers = {**(headers or {}), **({"Authorization": f"Bearer {self.token}"} if self.token else {})}
        if payload is not None:
            body = json.dumps(payload).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 304:   # If-None-Match: what the caller has is current
                return None
            detail = self._json(exc.read() or b"{}")
            message = detail.get("error", str(exc)) if isinstance(detail, dict) else str(exc)
            if exc.code == 503:
                raise AxisUnavailable(message) from None
            errors = (detail.get("errors") if isinstance(detail, dict) else None) or []
            if errors and any(e.get("path", "").startswith("/") for e in errors):
                raise EdxmlError([Error(e["path"], e["message"]) for e in errors]) from None
            raise UserError(message) from None
        except urllib.error.URLError as exc:
            raise AxisUnavailable(_("Cannot reach the exchange axis at {url}: {reason}", url=self.base,
                                    reason=exc.reason)) from None
        except (OSError, ValueError) as exc:  # reset connections, timeouts, a malformed status line
            raise AxisUnavailable(_("Cannot reach the exchange axis at {url}: {reason}", url=self.base,
                                    reason=exc)) from None
        return data if raw else self._json(data)

    def _json(self, data: bytes):
        """The server's JSON answer; anything else means what answered is not the exchange axis."""
        try:
            return json.loads(data)
        except ValueError:
            raise UserError(_("What answers at {url} is not the exchange axis (vbdt axis serve).",
                              url=self.base), field="url") from None

    def send(self, envelope_bytes: bytes, at: datetime | None = None) -> SendResult:
        d = self._call("POST", "/documents", body=envelope_bytes, query={"at": _iso(at)} if at else None)
        return SendResult(d["doc_id"], d["kind"], tuple(d["accepted"]),
                          tuple((r["org"], r["reason"]) for r in d["refused"]), d["duplicate"])

    def pending(self, org_id: str, kind: str = "edoc", at: datetime | None = None) -> list[Pending]:
        return [Pending(**p) for p in self._call("GET", "/pending", query={"org": org_id, "kind": kind,
                                                                           "at": _iso(at)})]

    def get(self, doc_id: str, org_id: str, kind: str = "edoc", code: str | None = None,
            at: datetime | None = None) -> bytes:
        return self._call("GET", "/document", query={"doc_id": doc_id, "org": org_id, "kind": kind, "code": code,
                                                     "at": _iso(at)}, raw=True)

    def confirm(self, doc_id: str, org_id: str, status: str = "01", *, description: str = "", staff: str = "",
                close: bool = True, business: int | None = None, at: datetime | None = None) -> bool:
        return self._call("POST", "/confirm", payload={"doc_id": doc_id, "org": org_id, "status": status,
                                                       "description": description, "staff": staff,
                                                       "close": close, "business": business,
                                                       "at": _iso(at)})["recorded"]

    def ack_status(self, pending_id: int, org_id: str, at: datetime | None = None) -> None:
        self._call("POST", "/ack", payload={"id": pending_id, "org": org_id, "at": _iso(at)})

    def ack_statuses(self, pending_ids: list[int], org_id: str, at: datetime | None = None) -> None:
        """Several status packages read at once (one request)."""
        self._call("POST", "/ack", payload={"ids": list(pending_ids), "org": org_id, "at": _iso(at)})

    def traces(self, doc_id: str) -> list[Trace]:
        return [Trace(**t) for t in self._call("GET", "/traces", query={"doc_id": doc_id})]

    def update_trace(self, doc_id: str, org_id: str, description: str, at: datetime | None = None) -> None:
        self._call("POST", "/traces", payload={"doc_id": doc_id, "org": org_id, "description": description,
                                               "at": _iso(at)})

    def seats(self) -> dict:
        """The organisations held by trainees on a class's axis (code -> role)."""
        return self._call("GET", "/seats")

    def pki(self, have: str | None = None) -> bytes | None:
        """A class's training PKI, as the zip ``GET /pki`` serves; None when ``have`` (:func:`pki_tag` of the
        zip taken last time) is still what the server would send."""
        return self._call("GET", "/pki", raw=True, headers={"If-None-Match": f'"{have}"'} if have else None)

    # -- an agency's clerk and leader in a class (simulator.routing.handoffs) ----------------------
    def handoffs(self) -> list[Handoff]:
        """The hand-offs of the token's agency (the instructor's token: every agency's)."""
        return [Handoff.from_json(h) for h in self._call("GET", "/handoffs")]

    def handoff_pdf(self, handoff_id: int, signed: bool = False) -> bytes:
        return self._call("GET", "/handoffs/pdf", query={"id": handoff_id, "signed": "1" if signed else None},
                          raw=True)

    def hand(self, kind: str, ref: str, document_id: str, subject: str, at: datetime, pdf: bytes,
             details: dict | None = None) -> Handoff:
        """The clerk hands the agency's leader a draft to sign or a document to assign."""
        return Handoff.from_json(self._call("POST", "/handoffs", payload={
            "kind": kind, "ref": ref, "document_id": document_id, "subject": subject, "at": _iso(at),
            "details": details or {}, "pdf": base64.b64encode(pdf).decode("ascii")}))

    def answer_handoff(self, handoff_id: int, at: datetime, answer: dict, pdf: bytes | None = None) -> Handoff:
        """The leader answers a hand-off: the signed draft, or the handler and the due date."""
        return Handoff.from_json(self._call("POST", "/handoffs/answer", payload={
            "id": handoff_id, "at": _iso(at), "answer": answer,
            **({"pdf": base64.b64encode(pdf).decode("ascii")} if pdf else {})}))

    def orgs(self) -> list[dict]:
        return self._call("GET", "/orgs")

    def operator(self) -> dict:
        return self._call("GET", "/operator")

    def resend(self, doc_id: str, org_id: str) -> None:
        self._call("POST", "/resend", payload={"doc_id": doc_id, "org": org_id})

    def set_outage(self, org_id: str | None = None, down: bool = True) -> dict:
        return self._call("POST", "/outage", payload={"org": org_id, "down": down})


def pki_tag(archive: bytes) -> str:
    """The entity tag of a class's PKI zip (``GET /pki``): its SHA-256, which client and server both compute."""
    return hashlib.sha256(archive).hexdigest()

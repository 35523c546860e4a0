"""Serving the built portal on 127.0.0.1, with its search endpoint.

A threading ``http.server`` serves the files of ``<folder>/site`` as they are
(the pages, the signed PDFs, the sitemap and the feed) and answers
``GET /api/tim-kiem`` from the index the build wrote, held in memory:

- ``q``: words, with or without tone marks, or a number and code;
- ``loai`` (type key), ``co-quan`` (issuer code or name), ``nam`` (year),
  ``linh-vuc`` (field), ``hieu-luc`` (``con``: in force, ``het``: not);
- ``gioi-han`` (page size, at most 1000) and ``bat-dau`` (offset).

The answer is JSON ``{"total": n, "items": [...]}``; a bad parameter gets
400 and a one-line Vietnamese ``error``. A build while the server runs is
picked up at the next request (the build swaps the site in by renaming).
"""

from __future__ import annotations

import json
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from simulator.errors import UserError
from simulator.i18n import translator
from simulator.portal.search import MAX_LIMIT, Query, SearchIndex
from simulator.portal.site import DATA, INDEX_JSON

_ = translator("portal")

API = "/api/tim-kiem"
HIDDEN = ("key", "exact")


def load_index(site: Path) -> SearchIndex:
    return SearchIndex(json.loads((site / DATA / INDEX_JSON).read_text(encoding="utf-8")))


class _LiveIndex:
    """The index of the site as last built: a new build (swapped in by renaming) is read at the next search."""

    def __init__(self, site: Path) -> None:
        self.site, self._lock = site, threading.Lock()
        self._stamp, self._index = None, None

    def get(self) -> SearchIndex:
        try:
            st = (self.site / DATA / INDEX_JSON).stat()
            stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:  # between the two renames of a build: keep answering from the last index
            stamp = self._stamp
        with self._lock:
            if self._index is None or stamp != self._stamp:
                self._index, self._stamp = load_index(self.site), stamp
            return self._index


def query_of(params: dict[str, list[str]]) -> Query:
    """The Query a request's parameters ask for (UserError for a bad value)."""
    def one(name: str, default: str = "") -> str:
        return (params.get(name) or [default])[-1].strip()

    def number(name: str, default: int, low: int, high: int) -> int:
        value = one(name, str(default))
        if not value.isdigit() or not low <= int(value) <= high:
            raise UserError(_("{name}: give a whole number from {low} to {high}.", name=name, low=low, high=high),
                            field=name)
        return int(value)

    force = one("hieu-luc")
    if force not in ("", "con", "het"):
        raise UserError(_("hieu-luc: give con (in force) or het (not in force)."), field="hieu-luc")
    return Query(text=one("q")[:500], type=one("loai"), issuer=one("co-quan"),
                 year=number("nam", 0, 1, 9999) if one("nam") else None, field=one("linh-vuc"),
                 in_force=None if not force else force == "con", limit=number("gioi-han", 50, 1, MAX_LIMIT),
                 offset=number("bat-dau", 0, 0, 10 ** 9))


def answer(index: SearchIndex, params: dict[str, list[str]]) -> dict:
    total, items = index.search(query_of(params))
    return {"total": total, "items": [{k: v for k, v in rec.items() if k not in HIDDEN} for rec in items]}


class _Handler(SimpleHTTPRequestHandler):
    live: _LiveIndex

    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        parts = urlsplit(self.path)
        if parts.path != API:
            return super().do_GET()
        try:
            status, body = HTTPStatus.OK, answer(self.live.get(), parse_qs(parts.query))
        except UserError as exc:
            status, body = HTTPStatus.BAD_REQUEST, {"error": str(exc)}
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args) -> None:  # noqa: A002 - quiet: the CLI prints where it serves
        pass


class PortalServer:
    """The site of ``site`` on 127.0.0.1:``port`` (0: any free port); ``start()`` in a thread or ``serve()``."""

    def __init__(self, site: str | Path, port: int = 0, host: str = "127.0.0.1") -> None:
        self.site = Path(site)
        if not (self.site / DATA / INDEX_JSON).is_file():
            raise UserError(_("--folder: the portal has not been built yet; run: vbdt portal build"),
                            field="--folder")
        live = _LiveIndex(self.site)
        live.get()
        handler = type("Handler", (_Handler,), {"live": live})
        self.httpd = ThreadingHTTPServer((host, port), partial(handler, directory=str(self.site)))
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def serve(self) -> None:
        self.httpd.serve_forever()

    def start(self) -> "PortalServer":
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(5)

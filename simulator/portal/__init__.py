"""The province portal's legal-documents section (cổng thông tin điện tử, DOMAIN.md §10).

Front doors::

    with Portal(folder, create=True) as portal:
        row = portal.publish(signed_pdf, pki)    # verified, facts read from what the signatures cover
        site = build_site(portal, base_url=..., on=day)
    PortalServer(site.folder, port).start()       # the pages and GET /api/tim-kiem

Names are imported lazily so that a command which only reads the store does
not pay for Jinja2 or the HTTP server.
"""

from importlib import import_module

DEFAULT_FOLDER = "cong-thong-tin"  # `vbdt portal --folder`'s default; a seat's portal is this folder of its work folder
DEFAULT_URL = "http://127.0.0.1:8765/"  # where `vbdt portal serve` serves by default

_WHERE = {
    "Portal": "store", "Verification": "store", "PortalMetadata": "metadata", "read_metadata": "metadata",
    "build_site": "site", "BuiltSite": "site", "PortalServer": "server", "Query": "search",
    "SearchIndex": "search", "eli_path": "addresses",
}

__all__ = sorted([*_WHERE, "DEFAULT_FOLDER", "DEFAULT_URL"])


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(import_module(f"simulator.portal.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'simulator.portal' has no attribute {name!r}")

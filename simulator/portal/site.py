"""Building the legal-documents section of the portal as a static site (Jinja2 templates).

The site is built from the publication store into ``<folder>/site``:

- ``index.html``: the list, newest first, with filters (type, issuer, year,
  field, in force or not) and a search box that folds tone marks; its script
  asks the search endpoint when served and reads ``du-lieu/chi-muc.js`` when
  the files are opened directly;
- one page per document at its stable address (:mod:`.addresses`) with the
  facts, the status in force on the day of the build, the signed file
  (``van-ban.pdf``, the published bytes) and the verdict the portal reached
  when it verified the signatures, and schema.org JSON-LD;
- ``sitemap.xml`` and ``nguon-tin.xml`` (Atom).

Dates read dd/mm/yyyy. The new site is written beside the old one and swapped
in by renaming, so a server never serves half a build.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from simulator.calendar import vn_datetime
from simulator.portal.machine import atom, legislation, sitemap
from simulator.portal.search import Query, SearchIndex, record

SITE = "site"
DATA = "du-lieu"
INDEX_JSON = "chi-muc.json"
FIRST_PAGE = 50
ROLES = {"person": "Người có thẩm quyền ký", "seal": "Chữ ký số của cơ quan (dấu)"}


@dataclass(frozen=True)
class BuiltSite:
    folder: Path
    documents: int
    pages: int          # HTML pages, the list included
    base_url: str


def _environment() -> Environment:
    return Environment(loader=PackageLoader("simulator.portal", "templates"),
                       autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def province_full(province: str) -> str:
    return province if province.lower().startswith(("tỉnh", "thành phố")) else f"tỉnh {province}"


def _link(source: Path, target: Path) -> None:
    """The published bytes, shared with the store when the file system allows (they never change)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def build_site(portal, *, base_url: str = "http://127.0.0.1:8765/", on: date | None = None) -> BuiltSite:
    """Build the site of ``portal`` (a :class:`~simulator.portal.store.Portal`) as of day ``on`` (default today)."""
    on = on or date.today()
    base_url = base_url.rstrip("/") + "/"
    rows = portal.rows()
    env = _environment()
    full = province_full(portal.province)
    common = {"province_full": full, "built_on": on.strftime("%d/%m/%Y"), "roles": ROLES}
    final = portal.folder / SITE
    work = portal.folder / (SITE + ".part")
    shutil.rmtree(work, ignore_errors=True)
    (work / DATA).mkdir(parents=True)
    page_template = env.get_template("document.html")
    records, urls = [], [(base_url, on.isoformat())]
    for row in rows:
        rec = record(row, on)
        doc = {**rec, "url": base_url + row["path"], "pdf_url": base_url + row["path"] + "van-ban.pdf",
               "published": row["published_at"], "issued_vn": vn_datetime(row["issued"]),
               "effective_vn": vn_datetime(row["effective"]), "published_vn": vn_datetime(row["published_at"]),
               "status_note": row["status_note"], "text": row.get("text", ""), "sha256": row["sha256"], "size_kb": max(1, round(row["size"] / 1024)),
               "file_name": row["number_code"].replace("/", "-") + ".pdf",
               "verification": _verification(row["verification"]),
               "checked_vn": vn_datetime(row["verification"]["checked_at"]) if row["verification"]["checked_at"] else ""}
        folder = work / row["path"]
        folder.mkdir(parents=True)
        depth = row["path"].count("/")
        html = page_template.render(doc=doc, jsonld=legislation(doc, full), root="../" * depth, **common)
        (folder / "index.html").write_text(html, encoding="utf-8")
        _link(portal.file_of(row), folder / "van-ban.pdf")
        records.append(doc)
        urls.append((doc["url"], row["published_at"][:10]))
    index = SearchIndex([_indexed(d) for d in records])
    total, first = index.search(Query(limit=FIRST_PAGE))
    first = [{**rec, "issued_vn": vn_datetime(rec["issued"])} for rec in first]
    html = env.get_template("list.html").render(
        facets=index.facets(), first=first, total=total, pages=max(1, -(-total // FIRST_PAGE)), root="", **common)
    (work / "index.html").write_text(html, encoding="utf-8")
    data = json.dumps(index.records, ensure_ascii=False, separators=(",", ":"))
    (work / DATA / INDEX_JSON).write_text(data, encoding="utf-8")
    (work / DATA / "chi-muc.js").write_text(f"window.PORTAL_INDEX = {data};\n", encoding="utf-8")
    (work / DATA / "tim-kiem.js").write_text(
        resources.files("simulator.portal").joinpath("templates", "tim-kiem.js").read_text(encoding="utf-8"),
        encoding="utf-8")
    (work / "sitemap.xml").write_bytes(sitemap(urls))
    updated = max((d["published"] for d in records), default=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    (work / "nguon-tin.xml").write_bytes(atom(records, base_url=base_url, updated=updated,
                                              title=f"Văn bản pháp luật - Cổng thông tin điện tử {full}"))
    (work / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n", encoding="utf-8")
    _swap(work, final)
    return BuiltSite(final, len(records), len(records) + 1, base_url)


def _indexed(doc: dict) -> dict:
    keep = ("path", "number_code", "issued", "year", "type_key", "type_name", "issuer_code", "issuer_name", "signer",
            "effective", "field", "subject", "status", "status_label", "in_force", "key", "exact")
    return {k: doc[k] for k in keep}


def _verification(value: dict) -> dict:
    sigs = [{**s, "signed_vn": vn_datetime(s["signed_at"]) if s.get("signed_at") else ""}
            for s in value.get("signatures", ())]
    return {**value, "signatures": sigs}


def _swap(work: Path, final: Path) -> None:
    old = final.with_name(final.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        os.replace(final, old)
    os.replace(work, final)
    shutil.rmtree(old, ignore_errors=True)

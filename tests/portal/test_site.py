"""The built portal: pages, JSON-LD, sitemap, Atom feed, search with and without tone marks, the server."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.portal.conftest import BASE_URL

ATOM = "{http://www.w3.org/2005/Atom}"
DECISION = "eli/vn/nghe-an/000.00.00.h41/2026/quyet-dinh/05-qd-ubnd/"


class _Scripts(HTMLParser):
    """The JSON-LD blocks and the links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.jsonld, self.links, self._in = [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._in = tag == "script" and attrs.get("type") == "application/ld+json"
        if self._in:
            self.jsonld.append("")
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        self._in = False

    def handle_data(self, data):
        if self._in:
            self.jsonld[-1] += data


def _page(site: Path, path: str) -> _Scripts:
    parser = _Scripts()
    parser.feed((site / path / "index.html").read_text(encoding="utf-8"))
    return parser


def test_document_page_shows_the_facts_and_links_the_signed_file(published, material):
    site = published / "site"
    html = (site / DECISION / "index.html").read_text(encoding="utf-8")
    for label in ("Số ký hiệu", "Ngày ban hành", "Loại văn bản", "Cơ quan ban hành", "Người ký", "Ngày có hiệu lực",
                  "Tình trạng hiệu lực", "Lĩnh vực", "Trích yếu"):
        assert f"<th>{label}</th>" in html
    assert "05/03/2026" in html and "20/03/2026" in html  # dd/mm/yyyy
    assert material.decision.doc.signer.full_name in html
    assert "Còn hiệu lực" in html  # built as of 10/04/2026, in force since 20/03/2026
    assert "Kết quả kiểm tra chữ ký số khi đăng: Hợp lệ" in html
    assert 'href="van-ban.pdf"' in html
    assert (site / DECISION / "van-ban.pdf").read_bytes() == material.decision.pdf.read_bytes()
    assert not re.search(r"\d{4}-\d{2}-\d{2}", html.split("</script>")[-1])  # no ISO dates where people read
    assert "Điều 1. Ban hành kèm theo Quyết định này" in html  # the full text, as the signed revision shows it


def test_json_ld_is_schema_org_legislation(published, material):
    blocks = _page(published / "site", DECISION).jsonld
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org" and data["@type"] == "Legislation"
    assert data["legislationIdentifier"] == "05/QĐ-UBND"
    assert data["legislationType"] == "Quyết định"
    assert data["legislationDate"] == "2026-03-05"
    assert data["legislationDateOfApplicability"] == "2026-03-20"
    assert data["legislationLegalForce"] == "https://schema.org/InForce"
    assert data["legislationPassedBy"]["identifier"] == material.decision.doc.issuer_code
    assert data["url"] == BASE_URL + DECISION
    assert data["encoding"]["contentUrl"] == BASE_URL + DECISION + "van-ban.pdf"
    plan = next(p for p in (published / "site").rglob("index.html") if "/ke-hoach/" in str(p))
    expired = json.loads(_page(published / "site", str(plan.parent.relative_to(published / "site"))).jsonld[0])
    assert expired["legislationLegalForce"] == "https://schema.org/NotInForce"


def test_sitemap_lists_every_page(published):
    site = published / "site"
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    listed = {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    pages = {BASE_URL + str(p.parent.relative_to(site)) + "/" for p in site.rglob("index.html") if p.parent != site}
    assert len(pages) == 3
    assert listed == pages | {BASE_URL}


def test_atom_feed_is_valid(published):
    """RFC 4287: feed and entries carry id, title, updated; an author; links; dates in RFC 3339."""
    from datetime import datetime

    feed = ET.parse(published / "site" / "nguon-tin.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == BASE_URL + "nguon-tin.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    for entry in entries:
        for name in ("id", "title", "updated", "summary"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
        datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith(BASE_URL + "eli/vn/nghe-an/")
        assert entry.find(f"{ATOM}link[@rel='enclosure']").get("type") == "application/pdf"
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == 3
    try:
        import feedparser
    except ImportError:
        return
    parsed = feedparser.parse(str(published / "site" / "nguon-tin.xml"))
    assert not parsed.bozo and len(parsed.entries) == 3


def _index(published):
    from simulator.portal.server import load_index

    return load_index(published / "site")


def test_found_by_number_and_without_tone_marks(published):
    from simulator.portal import Query

    index = _index(published)
    total, items = index.search(Query(text="05/QĐ-UBND"))
    assert items[0]["path"] == DECISION
    total, items = index.search(Query(text="05/qd-ubnd"))
    assert total == 1 and items[0]["path"] == DECISION
    total, items = index.search(Query(text="boi thuong thu hoi dat"))
    assert [r["path"] for r in items] == [DECISION]
    total, items = index.search(Query(text="SỐT XUẤT HUYẾT"))
    assert total == 1 and items[0]["type_name"] == "Chỉ thị"
    assert index.search(Query(text="dich sot xuat huyet"))[0] == 1
    assert index.search(Query(text="không có trong văn bản nào"))[0] == 0
    assert index.search(Query(text="ubnd 05"))[0] == 1  # the parts of a number and code are words too
    assert index.search(Query(text="rung"))[0] == 0  # words start words: not "trung", "chung"


def test_filters(published):
    from simulator.portal import Query

    index = _index(published)
    assert index.search(Query(type="Chỉ thị"))[0] == 1
    assert index.search(Query(type="quyet_dinh"))[0] == 1
    assert index.search(Query(year=2025))[0] == 1
    assert index.search(Query(field="dat dai"))[0] == 1
    assert index.search(Query(issuer="000.00.00.H41"))[0] == 2
    assert index.search(Query(in_force=True))[0] == 2
    _total, expired = index.search(Query(in_force=False))
    assert [r["type_name"] for r in expired] == ["Kế hoạch"] and expired[0]["status_label"] == "Hết hiệu lực toàn bộ"


def test_exact_form_comes_first():
    """'sở' and 'số' fold alike; who typed 'sở' sees documents with 'sở' first."""
    from simulator.portal import Query, SearchIndex
    from simulator.portal.search import record

    def row(n, subject, issued):
        return {"path": f"p{n}/", "number_code": f"{n:02d}/QĐ-UBND", "issued": issued, "year": 2026,
                "type_key": "quyet_dinh", "type_name": "Quyết định", "issuer_code": "000.00.00.H41",
                "issuer_name": "Ủy ban nhân dân tỉnh Nghệ An", "signer": "Nguyễn Văn An", "effective": issued,
                "field": "khác", "subject": subject, "status": None}

    index = SearchIndex([record(row(1, "Về việc số hóa hồ sơ", "2026-05-01"), date(2026, 6, 1)),
                         record(row(2, "Về việc giao nhiệm vụ cho sở", "2026-01-01"), date(2026, 6, 1))])
    assert [r["path"] for r in index.search(Query(text="sở"))[1]] == ["p2/", "p1/"]
    assert [r["path"] for r in index.search(Query(text="so"))[1]] == ["p1/", "p2/"]  # newest first


def test_not_yet_in_force_before_the_effective_date(published, tmp_path):
    import shutil

    from simulator.portal import Portal, build_site

    shutil.copytree(published, tmp_path / "c")
    with Portal(tmp_path / "c") as portal:
        build_site(portal, on=date(2026, 3, 10))
    html = (tmp_path / "c" / "site" / DECISION / "index.html").read_text(encoding="utf-8")
    assert "Chưa có hiệu lực" in html


@pytest.fixture(scope="module")
def server(published):
    from simulator.portal import PortalServer

    running = PortalServer(published / "site", 0).start()
    yield running.url
    running.stop()


def _get(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers, response.read()


def test_server_search_endpoint(server):
    status, headers, body = _get(server + "api/tim-kiem?" + urllib.parse.urlencode({"q": "quyet dinh dat dai"}))
    data = json.loads(body)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert data["total"] == 1 and data["items"][0]["path"] == DECISION
    assert "key" not in data["items"][0]
    data = json.loads(_get(server + "api/tim-kiem?hieu-luc=het")[2])
    assert [r["type_name"] for r in data["items"]] == ["Kế hoạch"]
    with pytest.raises(urllib.error.HTTPError) as bad:
        _get(server + "api/tim-kiem?nam=hai-nghin")
    assert bad.value.code == 400 and "số nguyên" in json.loads(bad.value.read())["error"]


def test_server_serves_pages_and_the_signed_file(server, material):
    status, headers, body = _get(server + DECISION + "van-ban.pdf")
    assert status == 200 and body == material.decision.pdf.read_bytes()
    status, _h, body = _get(server + DECISION)
    assert status == 200 and "05/QĐ-UBND" in body.decode("utf-8")
    status, _h, body = _get(server + "sitemap.xml")
    assert status == 200 and ET.fromstring(body).tag.endswith("urlset")


def test_a_new_build_is_served_without_a_restart(portal_copy):
    from simulator.portal import Portal, PortalServer, build_site

    server = PortalServer(portal_copy / "site", 0).start()
    try:
        assert json.loads(_get(server.url + "api/tim-kiem?hieu-luc=het")[2])["total"] == 1
        with Portal(portal_copy) as portal:
            portal.record_status("03/CT-UBND", "ngung-hieu-luc", note="Tạm ngưng để rà soát")
            build_site(portal, on=date(2026, 4, 10))
        data = json.loads(_get(server.url + "api/tim-kiem?hieu-luc=het")[2])
        assert {r["number_code"] for r in data["items"]} == {"03/CT-UBND", "412/KH-UBND"}
    finally:
        server.stop()

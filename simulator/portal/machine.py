"""What machines read on the portal: schema.org ``Legislation`` JSON-LD, the sitemap and the Atom feed.

- ``Legislation`` (schema.org, from the ELI ontology) carries the facts people
  look for: identifier, type, date, the body that passed it, the date it
  applies from, whether it is in force (``LegalForceStatus``), and the signed
  file as a ``LegislationObject`` with official legal value.
- The sitemap (sitemaps.org 0.9) lists every page, so a search engine finds
  each document at its stable address.
- The Atom feed (RFC 4287) lists the latest publications, so others can
  follow what the province publishes.
"""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_SIZE = 100
_FORCE = {"con-hieu-luc": "InForce", "het-hieu-luc-mot-phan": "PartiallyInForce"}


def legislation(doc: dict, province_full: str) -> str:
    """The JSON-LD of one document page (``doc``: an index record with ``url``, ``pdf_url``, ``published``)."""
    data = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": doc["url"],
        "url": doc["url"],
        "name": f"{doc['type_name']} {doc['number_code']}",
        "legislationIdentifier": doc["number_code"],
        "legislationType": doc["type_name"],
        "legislationDate": doc["issued"],
        "legislationDateOfApplicability": doc["effective"],
        "legislationLegalForce": "https://schema.org/" + _FORCE.get(doc["status"], "NotInForce"),
        "legislationPassedBy": {"@type": "GovernmentOrganization", "name": doc["issuer_name"],
                                "identifier": doc["issuer_code"]},
        "legislationJurisdiction": f"{province_full}, Việt Nam",
        "author": {"@type": "Person", "name": doc["signer"]},
        "about": doc["field"],
        "abstract": doc["subject"],
        "inLanguage": "vi",
        "datePublished": doc["published"][:10],
        "encoding": {"@type": "LegislationObject", "contentUrl": doc["pdf_url"], "encodingFormat": "application/pdf",
                     "legislationLegalValue": "https://schema.org/OfficialLegalValue"},
    }
    # '</' cannot close the script element the JSON sits in
    return json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")


def sitemap(urls: list[tuple[str, str]]) -> bytes:
    """``urls``: (absolute URL, last modification YYYY-MM-DD)."""
    root = ET.Element("urlset", xmlns=SITEMAP)
    for loc, lastmod in urls:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = loc
        ET.SubElement(url, "lastmod").text = lastmod
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def atom(records: list[dict], *, base_url: str, title: str, updated: str) -> bytes:
    """The feed of the latest ``FEED_SIZE`` publications (``records`` with ``url``, ``published``), newest first."""
    ET.register_namespace("", ATOM)

    def sub(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "vi"})
    sub(feed, "id", base_url)
    sub(feed, "title", title)
    sub(feed, "updated", updated)
    sub(feed, "link", href=base_url + "nguon-tin.xml", rel="self", type="application/atom+xml")
    sub(feed, "link", href=base_url, rel="alternate", type="text/html")
    sub(sub(feed, "author"), "name", title)
    latest = sorted(records, key=lambda r: (r["published"], r["path"]), reverse=True)[:FEED_SIZE]
    for rec in latest:
        entry = sub(feed, "entry")
        sub(entry, "id", rec["url"])
        sub(entry, "title", f"{rec['type_name']} {rec['number_code']}: {rec['subject']}")
        sub(entry, "link", href=rec["url"], rel="alternate", type="text/html")
        sub(entry, "link", href=rec["pdf_url"], rel="enclosure", type="application/pdf")
        sub(entry, "published", rec["published"])
        sub(entry, "updated", rec["published"])
        sub(sub(entry, "author"), "name", rec["issuer_name"])
        sub(entry, "category", term=rec["type_key"], label=rec["type_name"])
        sub(entry, "summary", f"{rec['issuer_name']} ban hành ngày {rec['issued_vn']}; người ký: {rec['signer']}; "
                              f"có hiệu lực từ ngày {rec['effective_vn']}.")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)

"""PREMIS preservation events and agents (PREMIS 3, Library of Congress).

Every action on a package leaves an event: ingestion, message digest
calculation, format identification, validation (the signature verdict),
fixity check, migration (a PDF/A derivative), deletion. Each names its
agents: the person who acted and the software with its version. Events are
rows in the catalogue (they outlive a disposed package, for ever) and the
ingest-time events are also written into the package as ``premis.xml``.
"""

from __future__ import annotations

import platform
import uuid
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version

from lxml import etree

PREMIS_NS = "http://www.loc.gov/premis/v3"
EVENT_TYPES = ("ingestion", "message digest calculation", "format identification", "validation",
               "fixity check", "migration", "deletion", "capture", "replication", "recovery")


@lru_cache(maxsize=None)
def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class Agent:
    name: str
    type: str = "person"        # person, organization, software
    role: str = "implementer"   # PREMIS eventLinkingAgentRole
    version: str = ""

    @property
    def identifier(self) -> str:
        return f"{self.type}:{self.name}" + (f"/{self.version}" if self.version else "")


def software(name: str = "vbdt-lab", package: str | None = None, role: str = "executing program") -> Agent:
    return Agent(name, "software", role, _version(package or name))


def agent(value: "Agent | str | None") -> Agent:
    if isinstance(value, Agent):
        return value
    return Agent(value or "unknown")


@dataclass
class Event:
    event_type: str
    object_id: str
    outcome: str = "success"
    detail: str = ""
    outcome_detail: str = ""
    agents: list[Agent] = field(default_factory=list)
    event_datetime: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def row(self, seq: int) -> dict:
        return {"id": self.id, "seq": seq, "event_type": self.event_type, "event_datetime": self.event_datetime,
                "detail": self.detail, "outcome": self.outcome, "outcome_detail": self.outcome_detail,
                "object_id": self.object_id, "agents": [asdict(a) for a in self.agents]}


def to_xml(events: list[Event] | list[dict]) -> bytes:
    """A PREMIS 3 document with the events and their agents."""
    P = f"{{{PREMIS_NS}}}"
    root = etree.Element(P + "premis", nsmap={"premis": PREMIS_NS}, version="3.0")
    agents: dict[str, dict] = {}
    for ev in events:
        ev = ev if isinstance(ev, dict) else ev.row(0)
        e = etree.SubElement(root, P + "event")
        ident = etree.SubElement(e, P + "eventIdentifier")
        etree.SubElement(ident, P + "eventIdentifierType").text = "UUID"
        etree.SubElement(ident, P + "eventIdentifierValue").text = ev["id"]
        etree.SubElement(e, P + "eventType").text = ev["event_type"]
        when = ev["event_datetime"]
        etree.SubElement(e, P + "eventDateTime").text = when.isoformat() if hasattr(when, "isoformat") else str(when)
        if ev.get("detail"):
            info = etree.SubElement(e, P + "eventDetailInformation")
            etree.SubElement(info, P + "eventDetail").text = ev["detail"]
        out = etree.SubElement(e, P + "eventOutcomeInformation")
        etree.SubElement(out, P + "eventOutcome").text = ev.get("outcome") or ""
        if ev.get("outcome_detail"):
            od = etree.SubElement(out, P + "eventOutcomeDetail")
            etree.SubElement(od, P + "eventOutcomeDetailNote").text = ev["outcome_detail"]
        for a in ev["agents"]:
            a = a if isinstance(a, dict) else asdict(a)
            key = Agent(**a).identifier
            agents[key] = a
            link = etree.SubElement(e, P + "linkingAgentIdentifier")
            etree.SubElement(link, P + "linkingAgentIdentifierType").text = "local"
            etree.SubElement(link, P + "linkingAgentIdentifierValue").text = key
            etree.SubElement(link, P + "linkingAgentRole").text = a.get("role", "")
        link = etree.SubElement(e, P + "linkingObjectIdentifier")
        etree.SubElement(link, P + "linkingObjectIdentifierType").text = "local"
        etree.SubElement(link, P + "linkingObjectIdentifierValue").text = ev["object_id"]
    for key, a in agents.items():
        el = etree.SubElement(root, P + "agent")
        ident = etree.SubElement(el, P + "agentIdentifier")
        etree.SubElement(ident, P + "agentIdentifierType").text = "local"
        etree.SubElement(ident, P + "agentIdentifierValue").text = key
        etree.SubElement(el, P + "agentName").text = a["name"]
        etree.SubElement(el, P + "agentType").text = a["type"]
        if a.get("version"):
            etree.SubElement(el, P + "agentVersion").text = a["version"]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def environment() -> str:
    return f"Python {platform.python_version()} on {platform.system()}"

"""Building one preservation package (an OAIS AIP) per record, as a BagIt bag.

Inside the bag's payload (``data/``)::

    originals/001.pdf          the filed documents, byte for byte
    derivatives/001.pdfa.pdf   optional PDF/A-2b copies of unsigned originals
    metadata/record.json       descriptive metadata (Appendix VI) of the record and its documents
    metadata/premis.xml        the ingest-time PREMIS events and agents

with ``manifest-sha256.txt`` and ``manifest-sha512.txt`` (and tag
manifests) written by bagit-python. The bag is built in a work folder and
moved into the store only when complete (see ``store.py``).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import bagit

from simulator.archiving import premis
from simulator.archiving.formats import identify, pdfa_derivative
from simulator.archiving.premis import Agent, Event, software
from simulator.archiving.validation import Validator, Verdict

ALGORITHMS = ("sha256", "sha512")
_ROLES = {"originals": "original", "derivatives": "derivative", "metadata": "metadata"}


@dataclass
class BuiltPackage:
    path: Path
    files: list[dict]              # path (in bag), role, size, sha256, sha512
    events: list[Event]
    payload_oxum: str
    verdicts: dict[int, Verdict] = field(default_factory=dict)  # document id -> signature verdict


def _json_default(value):
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def build(work: Path, package_id: str, record: dict, docs: list[dict], sources: dict[int, Path], *,
          person: Agent, validator: Validator, derivatives: bool) -> BuiltPackage:
    """Assemble the bag in ``work`` (an empty folder). ``docs`` are catalogue rows."""
    me = software()
    bagger = software("bagit-python", "bagit")
    pdf_tool = software("pikepdf", "pikepdf")
    evs: list[Event] = []
    verdicts: dict[int, Verdict] = {}
    (work / "originals").mkdir()
    (work / "metadata").mkdir()
    listing = []
    for doc in docs:
        name = f"originals/{doc['ordinal']:03d}.pdf"
        shutil.copyfile(sources[doc["id"]], work / name)
        facts = identify(work / name, extract_text=False)
        obj = f"{package_id}/data/{name}"
        evs.append(Event("format identification", obj, detail=f"{facts.format_name} ({facts.puid})",
                         outcome_detail=f"PRONOM {facts.puid}", agents=[pdf_tool]))
        verdict = validator(work / name)
        verdicts[doc["id"]] = verdict
        evs.append(Event("validation", obj, outcome=verdict.outcome,
                         detail="digital signature validation", outcome_detail=f"{verdict.indication}: {verdict.detail}",
                         agents=[a for a in (verdict.agent, person) if a]))
        entry = {"ordinal": doc["ordinal"], "file": f"data/{name}", "sha256": doc["sha256"], "size": doc["size"],
                 "signed": facts.signed, "signature": verdict.indication, "format": facts.format_name,
                 "puid": facts.puid, "metadata": doc["metadata"]}
        if derivatives and not facts.signed and facts.pdfa.upper() not in ("2B", "2U", "2A"):
            (work / "derivatives").mkdir(exist_ok=True)
            dname = f"derivatives/{doc['ordinal']:03d}.pdfa.pdf"
            try:
                pdfa_derivative(work / name, work / dname)
            except Exception as exc:  # a file pikepdf cannot make conform: keep the original only, say so
                (work / dname).unlink(missing_ok=True)
                evs.append(Event("migration", obj, outcome="failure", detail=f"PDF/A-2b copy of data/{name}",
                                 outcome_detail=f"{type(exc).__name__}: {exc}"[:500], agents=[pdf_tool, person]))
            else:
                entry["derivative"] = f"data/{dname}"
                evs.append(Event("migration", f"{package_id}/data/{dname}", detail=f"PDF/A-2b copy of data/{name}",
                                 outcome_detail="validated by pikepdf.pdfa", agents=[pdf_tool, person]))
        listing.append(entry)
    descriptive = {"package": package_id, "record": record, "documents": listing,
                   "retention_source": record.get("retention_source", "")}
    (work / "metadata" / "record.json").write_text(
        json.dumps(descriptive, ensure_ascii=False, indent=2, default=_json_default), encoding="utf-8")
    n_files = sum(1 for p in work.rglob("*") if p.is_file()) + 1  # + premis.xml
    evs.append(Event("message digest calculation", package_id, detail="BagIt manifests " + ", ".join(ALGORITHMS),
                     outcome_detail=f"{n_files} payload files", agents=[bagger]))
    evs.append(Event("ingestion", package_id, detail=f"record {record['file_code']} into the archive",
                     outcome_detail=premis.environment(), agents=[person, me]))
    (work / "metadata" / "premis.xml").write_bytes(premis.to_xml(evs))
    bag = bagit.make_bag(str(work), {"Source-Organization": record.get("creator", ""),
                                     "External-Identifier": record["file_code"],
                                     "External-Description": record["title"][:200],
                                     "Bag-Group-Identifier": record["id"]},
                         checksums=list(ALGORITHMS))
    files = []
    for rel, hashes in sorted(bag.entries.items()):
        if not rel.startswith("data/"):
            continue
        role = _ROLES.get(rel.split("/")[1], "payload")
        files.append({"path": rel, "role": role, "size": (work / rel).stat().st_size,
                      "sha256": hashes["sha256"], "sha512": hashes["sha512"]})
    return BuiltPackage(work, files, evs, bag.info.get("Payload-Oxum", ""), verdicts)

"""Archiving: records (hồ sơ) and their metadata, retention, preservation packages, store, audit, search, disposal.

The entry point is :class:`Archive` (an archive folder plus its catalogue);
see ``archive.py`` for an example. Nothing here imports the simulation or
any Jupyter package: the widgets and the world call these functions.
"""

from simulator.archiving.archive import Archive, FiledDocument, Package, Record
from simulator.archiving.audit import AuditReport
from simulator.archiving.backup import BackupSet
from simulator.archiving.disposal import ExpiredRecord, Tombstone
from simulator.archiving.metadata import DocumentMetadata, FileCode, RecordMetadata, from_document
from simulator.archiving.premis import Agent
from simulator.archiving.retention import RETENTION_SCHEDULE, RetentionRule, handover_due, retention_rule
from simulator.archiving.scan import check_scan, scan_to_pdf
from simulator.archiving.search import Hit
from simulator.archiving.validation import Verdict, detect_only, signing_validator

__all__ = [
    "Agent", "Archive", "AuditReport", "BackupSet", "DocumentMetadata", "ExpiredRecord", "FileCode", "FiledDocument",
    "Hit", "Package", "RETENTION_SCHEDULE", "Record", "RecordMetadata", "RetentionRule", "Tombstone", "Verdict",
    "check_scan", "detect_only", "from_document", "handover_due", "retention_rule", "scan_to_pdf",
    "signing_validator",
]

"""The seat's records and archive (hồ sơ, lưu trữ): open a record, file documents, archive, search,
audit and back up (mixed into :class:`simulator.lab.session.Session`)."""

from __future__ import annotations

from pathlib import Path


class RecordsDesk:
    def create_record(self, title: str, retention: str, *, notation: str | None = None) -> str:
        """Open a record (hồ sơ); ``retention`` is a key of the retention schedule
        (``simulator.archiving.RETENTION_SCHEDULE``, Circular 10/2022/TT-BNV)."""
        notation = notation or f"{len(self.records) + 1:02d}"
        record = self.archive.create_record(
            file_code=f"{self.seat.code}.{self.clock.year}.{notation}", title=title, maintenance=retention,
            creator=self.seat.name, start_date=self.clock.date())
        self.records[record.id] = {"documents": [], "archived": False, "title": title, "retention": retention}
        self._log("create_record", {"record": record.id, "title": title, "retention": retention,
                                    "file_code": record.file_code})
        return record.id

    def file(self, record_id: str, item_id: str) -> None:
        """File an incoming (NNN) or outgoing (out:NNN) document into a record."""
        if item_id.startswith("out:"):
            out = self.outgoing(item_id[4:])
            doc, pdf = out.document, out.current_pdf
        else:
            item = self.item(item_id)
            doc, pdf = item.document, item.pdf
        flow = self._flow_of(item_id)
        flow.check("file", self.config.role, self.clock, record=record_id)
        from simulator.archiving import from_document

        metadata = from_document(doc)
        if not item_id.startswith("out:"):
            metadata.update(direction="incoming", arrival_number=item.number,
                            arrival_date=item.registered_at.date() if item.registered_at else self.clock.date())
        self.archive.file_document(record_id, pdf, metadata)
        self._step(flow, "file", record=record_id)
        self.records.setdefault(record_id, {"documents": [], "archived": False})["documents"].append(item_id)
        self._log("file", {"record": record_id, "document": item_id, "document_id": doc.document_id})

    def archive_record(self, record_id: str):
        from simulator.calendar import VN_TZ

        # the signatures are judged at the world's clock, like every other check at the seat
        package = self.archive.ingest(record_id, agent=self.seat.name, pki=self.pki,
                                      at=self.clock.replace(tzinfo=VN_TZ))
        self.records.setdefault(record_id, {"documents": []})["archived"] = True
        self._log("archive", {"record": record_id})
        return package

    def search(self, query: str):
        hits = self.archive.search(query)
        self._log("search", {"query": query, "hits": len(hits)})
        return hits

    def audit_archive(self):
        report = self.archive.audit(agent=self.seat.name)
        self._log("audit", {"success": report.success, "changed": report.changed, "missing": report.missing,
                            "untracked": report.untracked})
        return report

    def backup_archive(self, destination: str | Path, full: bool = True):
        result = self.archive.backup(destination, full=full)
        self._log("backup", {"destination": str(destination), "full": full})
        return result

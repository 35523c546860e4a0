"""The outgoing desk's last step for legal documents: "Đăng cổng thông tin" (publish on the portal).

The plan's sixth goal (rows II.5 and III.5, DOMAIN.md §10): every legal
normative document, and the directive documents, published on the
province's portal. At the seat, the clerk publishes a document the unit
issued once it carries the leader's signature, its number and the agency
seal: the signed file itself (``sealed.pdf``) goes to the seat's portal
store, ``<work folder>/cong-thong-tin`` (the folder ``vbdt portal --folder``
builds, serves and searches), through :func:`simulator.portal.store.publish_file`,
the one path ``vbdt portal publish`` takes; the portal verifies every
signature at the world's time and reads what it shows from what the
signatures cover. A document of a type that is not published, not yet
sealed, or missing what the portal shows is refused with one line and
nothing changes.

What is published is the portal's own record, never a status kept here:
:meth:`PublishingDesk.portal_figures` counts II.5 and III.5 from the portal
store against the outgoing register.
"""

from __future__ import annotations

from pathlib import Path

from simulator.calendar import VN_TZ
from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("lab")

PUBLISHABLE = ("sealed", "dispatched", "acknowledged")  # issued, numbered and sealed


class PublishingDesk:
    """Publishing steps of :class:`simulator.lab.session.Session` (which mixes this in)."""

    @property
    def portal_folder(self) -> Path:
        """The seat's portal store: ``vbdt portal --folder <this> build|serve|search``."""
        from simulator.portal import DEFAULT_FOLDER

        return self.folder / DEFAULT_FOLDER

    def publish(self, out_id: str) -> dict:
        """'Đăng cổng thông tin': publish the sealed legal or directive document ``out_id`` on the portal;
        the portal's row (its address ``path``, the facts it shows, the verification verdict)."""
        from simulator.portal.store import publish_file

        out = self.outgoing(out_id)
        doc = out.document
        if not doc.type.legal:
            raise UserError(_("{code} is a {type}: only legal normative and directive documents are published on "
                              "the portal.", code=_number_or_item(out), type=doc.type.name), field="out")
        if out.status not in PUBLISHABLE:
            raise UserError(_("Document {item} is not issued and sealed yet: the portal publishes the signed, "
                              "numbered and sealed document.", item=out_id), field="out")
        for row in self.published():
            if row["document_id"] == doc.document_id:
                raise UserError(_("{code} is already on the portal at {path}.", code=doc.number_code,
                                  path=row["path"]), field="out")
        row = publish_file(self.portal_folder, out.folder / "sealed.pdf", self.pki,
                           at=self.clock.replace(tzinfo=VN_TZ))
        self._log("publish", {"out": out_id, "number_code": row["number_code"], "document_id": doc.document_id,
                              "path": row["path"], "sha256": row["sha256"]})
        return row

    def build_portal(self, base_url: str | None = None):
        """Build the seat's portal site as of the world's day (what ``vbdt portal --folder <portal_folder>
        build`` does); serve it with ``vbdt portal --folder <portal_folder> serve``."""
        from simulator.portal import DEFAULT_URL, Portal, build_site

        with Portal(self.portal_folder) as portal:  # nothing published yet: one line
            return build_site(portal, base_url=base_url or DEFAULT_URL, on=self.clock.date())

    def published(self) -> list[dict]:
        """What the seat's unit has on the portal, newest first (read from the portal store)."""
        from simulator.portal import Portal
        from simulator.portal.store import CATALOGUE

        if not (self.portal_folder / CATALOGUE).is_file():
            return []
        with Portal(self.portal_folder) as portal:
            return [r for r in portal.rows() if r["issuer_code"] == self.seat.code]

    def portal_figures(self) -> dict:
        """Rows II.5 and III.5 of the plan for the seat's unit, counted from what is on the portal.

        Of the legal and directive documents the unit issued (its outgoing register), those whose
        DocumentId is on the portal; II.5 for those sent to agencies, III.5 for those addressed to
        businesses or citizens (a recipient without an identifier code). ``share`` is None when the unit
        issued none."""
        from simulator.documents.types import document_type

        on_portal = {r["document_id"] for r in self.published()}
        rows = {"II.5": [0, 0], "III.5": [0, 0]}
        for entry in self.registers.outgoing():
            if not document_type(entry.type_name).legal:
                continue
            citizens = any(not code for code, _name in entry.recipients)
            counts = rows["III.5" if citizens else "II.5"]
            counts[1] += 1
            counts[0] += entry.document_id in on_portal
        return {rid: {"published": n, "issued": m, "share": (n / m) if m else None} for rid, (n, m) in rows.items()}


def _number_or_item(out) -> str:
    return out.document.number_code if out.document.number is not None else out.item_id

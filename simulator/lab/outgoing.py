"""The seat's outgoing documents: draft, the leader signs, the clerk issues, seals and dispatches.

Decree 30 (Art. 15): the number and the date of issue are given by the
clerk from the outgoing register after the person with authority has
signed, never at drafting. So a reply is drafted with blank number and
date fields; the leader signs; issuing takes the next number from the
register (one transaction) and writes it into the signed PDF as a form
fill the signature permits; the agency seal then covers it; dispatch sends
the sealed document through the exchange axis, which refuses loudly a
second, different document under a DocumentId already sent.

Besides replies, the seat drafts documents of its own (:meth:`OutgoingDesk.draft_document`): a
Quyết định of the commune's chairman (cá biệt, under the chairman's own
authority), a legal normative Quyết định (QPPL: issued by the People's
Committee as a collective, its number carries the year, ``03/2026/QĐ-UBND``),
a Chỉ thị, or a Thông báo; the documents generator
(:class:`simulator.documents.ContentGenerator`) writes them in Decree-30
form, signed by the seat's leader. They go through the same steps.

Each reply is driven by the Decree-30 outgoing workflow
(:class:`simulator.routing.workflow.OutgoingFlow`: drafted → signed → issued
→ sealed → dispatched); its state is the reply's status.

A dispatched document can be recalled (:meth:`OutgoingDesk.recall`, thu hồi: QCVN 102 business type 1,
the same DocumentId): :mod:`simulator.lab.recall`, which this desk inherits.

Files of a reply (``outbox/NNN/``): ``document.json`` (the document, with its
number once issued), ``draft.pdf``, ``signed.pdf``, ``issued.pdf``,
``sealed.pdf``, ``envelope.xml``, and ``recall.xml`` once recalled.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from simulator.calendar import VN_TZ
from simulator.documents import Document, Recipient, Signer, render_pdf
from simulator.errors import UserError
from simulator.i18n import translator
from simulator.lab.recall import OutgoingRecall, RecallDesk
from simulator.routing.workflow import FollowsFlow, OutgoingFlow

_ = translator("lab")

CLERK = "van_thu"
# What the seat can draft besides replies: kind -> (document type, legal normative or not). The legal and
# directive ones are published on the portal (simulator.lab.publishing); a Thông báo is not.
DRAFT_KINDS = {"quyet_dinh": ("quyet_dinh", False), "quyet_dinh_qppl": ("quyet_dinh", True),
               "chi_thi": ("chi_thi", False), "thong_bao": ("thong_bao", False)}
_TRIES = 64  # generator seeds tried for a legal normative decision (about one in four is)


@dataclass
class OutgoingItem(FollowsFlow):
    item_id: str
    document: Document               # number None until issued
    folder: Path
    flow: OutgoingFlow               # the Decree-30 workflow: its state is the reply's status
    reply_to: str | None = None
    refused: dict[str, str] = field(default_factory=dict)  # recipients the axis could not deliver to, why
    dispatched_at: datetime | None = None  # on the seat's clock (the recipients answer from then on)
    recall: OutgoingRecall | None = None   # the seat took the dispatched document back

    @property
    def current_pdf(self) -> Path:
        for name in ("sealed.pdf", "issued.pdf", "signed.pdf", "draft.pdf"):
            if (self.folder / name).exists():
                return self.folder / name
        return self.folder / "draft.pdf"


def document_to_json(doc: Document) -> dict:
    data = asdict(doc)
    data["issued_date"] = doc.issued_date.isoformat()
    data["due_date"] = doc.due_date.isoformat() if doc.due_date else None
    data["priority"] = int(doc.priority)
    data["secrecy"] = doc.secrecy.value
    return data


def document_from_json(data: dict) -> Document:
    from simulator.documents import Priority, Secrecy

    data = dict(data)
    data["issued_date"] = date.fromisoformat(data["issued_date"])
    data["due_date"] = date.fromisoformat(data["due_date"]) if data.get("due_date") else None
    data["signer"] = Signer(**data["signer"])
    data["recipients"] = tuple(Recipient(**r) for r in data["recipients"])
    data["body"] = tuple(data["body"])
    data["attachments"] = tuple(data["attachments"])
    data["priority"] = Priority(data["priority"])
    data["secrecy"] = Secrecy(data["secrecy"])
    return Document(**data)


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class OutgoingDesk(RecallDesk):
    """The outgoing steps of :class:`simulator.lab.session.Session` (which mixes this in)."""

    def _save_outgoing(self, out: OutgoingItem) -> None:
        meta = {"document": document_to_json(out.document), "reply_to": out.reply_to}
        _write(out.folder / "document.json", json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8"))

    def _load_outgoing(self, action: str, data: dict) -> None:
        """Replay one outgoing step from the journal (the number is the one the journal recorded)."""
        out_id = data["out"]
        folder = self.folder / "outbox" / out_id
        item = self.outbox.get(out_id)
        if item is None:
            meta = json.loads((folder / "document.json").read_text(encoding="utf-8"))
            document = document_from_json(meta["document"])
            item = OutgoingItem(out_id, document, folder, self._new_outgoing_flow(document),
                                reply_to=meta.get("reply_to"))
        if action == "issue":
            item.document = item.document.with_number(data["number"], date.fromisoformat(data["issued_date"]))
            self._step(item.flow, "issue", number=data["number"])
        elif action in ("sign", "seal", "dispatch"):
            self._step(item.flow, action)
            if action == "dispatch":
                item.dispatched_at = self.clock
        item.refused = dict(data.get("refused") or {})
        self.outbox[out_id] = item

    def _new_outgoing_flow(self, document: Document) -> OutgoingFlow:
        return OutgoingFlow(self.clock, self.config.role, recipients=[r.code for r in document.recipients if r.code],
                            priority=int(document.priority), calendar=self.calendar)

    def _next_out_id(self) -> str:
        """The next free number of ``outbox/`` (a folder left by a crash before its journal line is skipped)."""
        used = set(self.outbox)
        if (self.folder / "outbox").is_dir():
            used |= {p.name for p in (self.folder / "outbox").iterdir()}
        number = len(self.outbox) + 1
        while f"{number:03d}" in used:
            number += 1
        return f"{number:03d}"

    def outgoing_items(self) -> list[OutgoingItem]:
        """Every outgoing document of the seat (replies and its own), in the order drafted."""
        return [self.outbox[k] for k in sorted(self.outbox)]

    def draft_document(self, kind: str = "quyet_dinh") -> OutgoingItem:
        """Draft a document of the seat's own (not a reply): ``kind`` one of :data:`DRAFT_KINDS`
        ("quyet_dinh": a chairman's decision; "quyet_dinh_qppl": a legal normative decision; "chi_thi";
        "thong_bao"). No number yet: the clerk gives it at issuance, after the leader signs."""
        from simulator.documents import ContentGenerator, Priority

        if kind not in DRAFT_KINDS:
            raise UserError(_("Unknown kind of document {kind!r}; choose one of: {choices}.", kind=kind,
                              choices=", ".join(DRAFT_KINDS)), field="kind")
        doc_type, normative = DRAFT_KINDS[kind]
        out_id = self._next_out_id()
        for k in range(_TRIES):  # the generator decides whether a decision is normative; its seed is ours
            doc = ContentGenerator(self.config.seed * 100_003 + int(out_id) * 1_009 + k).document(
                self.seat, self.province, doc_type, issued=self.clock.date(), number=None,
                priority=Priority.NORMAL)
            if doc.normative == normative:
                break
        else:
            raise UserError(_("{unit} does not issue legal normative documents in this structure of the province.",
                              unit=self.seat.name), field="kind")
        # the seat's leader holds the practice certificate: the block names them (own authority or TM.)
        doc = replace(doc, signer=self.leader_signer, number=None)
        return self._new_draft(out_id, doc, "draft", kind=kind, type=doc.doc_type, normative=doc.normative)

    def _new_draft(self, out_id: str, doc: Document, action: str, *, before=None, reply_to: str | None = None,
                   **journal) -> OutgoingItem:
        """A drafted document in ``outbox/<out_id>/draft.pdf`` (number and date blank), on the desk and in the
        journal as ``action``; ``before`` runs once the draft is rendered (a reply's own workflow step)."""
        folder = self.folder / "outbox" / out_id
        folder.mkdir(parents=True, exist_ok=True)
        render_pdf(doc, folder / "draft.pdf")
        if before is not None:
            before()
        out = OutgoingItem(out_id, doc, folder, self._new_outgoing_flow(doc), reply_to=reply_to)
        self._save_outgoing(out)
        self.outbox[out_id] = out
        self._log(action, {"out": out_id, **({"reply_to": reply_to} if reply_to else {}), **journal,
                           "status": out.status})
        return out

    def reply(self, item_id: str, body: str | None = None) -> OutgoingItem:
        """Draft a reply (công văn) to an incoming document from the template: no number yet."""
        item = self.item(item_id)
        sender = self.province.unit(item.arrival.sender_code)
        original = item.document
        out_id = self._next_out_id()
        text = body or _("Replying to document {code} of {sender}, {unit} reports that it has carried out the "
                         "requested tasks on time.", code=original.number_code, sender=sender.name,
                         unit=self.seat.name)
        doc = Document(
            issuer_code=self.seat.code, issuer_name=self.seat.name, issuer_abbreviation=self.seat.abbreviation,
            doc_type="cong_van", subject=f"V/v trả lời văn bản số {original.number_code}",
            issued_date=self.clock.date(), place=self.seat.place,
            signer=self.leader_signer,
            recipients=(Recipient(sender.name, sender.code),), body=(text,),
            number=None, drafting_unit="VP", filed_copies="VT, VP")
        item.flow.check("reply", self.config.role, self.clock, out=out_id)
        return self._new_draft(out_id, doc, "reply", reply_to=item_id,
                               before=lambda: self._step(item.flow, "reply", out=out_id))

    def outgoing(self, out_id: str) -> OutgoingItem:
        try:
            return self.outbox[out_id]
        except KeyError:
            raise UserError(_("No outgoing document {item}.", item=out_id), field="out") from None

    def sign(self, out_id: str, passphrase: str) -> Path:
        """The leader signs the reply (the trainee holds the leader's practice certificate)."""
        from simulator.signing import sign_person

        out = self.outgoing(out_id)
        if out.status not in ("drafted", "approved"):
            raise UserError(_("Document {item} is already signed.", item=out_id), field="out")
        target = out.folder / "signed.pdf"
        sign_person(out.folder / "draft.pdf", target, self._cert("person"), passphrase, self.pki,
                    at=self.clock.replace(tzinfo=VN_TZ))
        self._step(out.flow, "sign")
        self._log("sign", {"out": out_id, "status": out.status})
        return target

    def issue(self, out_id: str):
        """The clerk issues the signed reply: the outgoing register gives the number and the date
        of issue (one transaction), written into the signed PDF before the agency seal."""
        from simulator.routing.envelope import page_count
        from simulator.signing.issuance import check_issuable, issue_pdf
        from simulator.signing.pdfread import read_pdf

        out = self.outgoing(out_id)
        if out.status in ("issued", "sealed", "dispatched"):
            raise UserError(_("Document {item} is already issued with number {code}.", item=out_id,
                              code=out.document.number_code), field="out")
        if out.status != "signed":
            raise UserError(_("The leader has not signed {item} yet: the number is given after the person's "
                              "signature.", item=out_id), field="out")
        signed = out.folder / "signed.pdf"
        if out.document.number is None:
            check_issuable(read_pdf(signed), signed.name)  # before a number is used up
            entry = self.registers.issue(out.document, by=CLERK, at=self.clock.replace(tzinfo=VN_TZ),
                                         pages=page_count(read_pdf(signed)))
            out.document = entry.document
            self._save_outgoing(out)  # kept with the reply at once: a crash here reuses this number
        issue_pdf(signed, out.folder / "issued.pdf", out.document)
        self._step(out.flow, "issue", number=out.document.number)
        doc = out.document
        self._log("issue", {"out": out_id, "status": out.status, "number": doc.number, "number_code": doc.number_code,
                            "issued_date": doc.issued_date.isoformat(), "document_id": doc.document_id})
        return self._register_entry(doc)

    def seal(self, out_id: str, passphrase: str) -> Path:
        """The clerk applies the agency's digital seal (after the person's signature and the number:
        a signed reply not yet issued is issued first, "Cấp số và đóng dấu")."""
        from simulator.signing import sign_seal

        out = self.outgoing(out_id)
        if out.status in ("sealed", "dispatched"):
            raise UserError(_("Document {item} is already sealed.", item=out_id), field="out")
        if out.status in ("drafted", "approved"):
            raise UserError(_("The leader has not signed {item} yet: the agency seal comes after the person's "
                              "signature.", item=out_id))
        if out.status == "signed":
            self.issue(out_id)
        target = out.folder / "sealed.pdf"
        sign_seal(out.folder / "issued.pdf", target, self._cert("seal"), passphrase, self.pki,
                  at=self.clock.replace(tzinfo=VN_TZ))
        self._step(out.flow, "seal")
        self._log("seal", {"out": out_id, "status": out.status})
        return target

    def _register_entry(self, doc: Document):
        for entry in self.registers.outgoing(doc.issued_date.year):
            if entry.document_id == doc.document_id:
                return entry
        raise UserError(_("Document {code} is not in the outgoing register.", code=doc.number_code))

    def dispatch(self, out_id: str):
        """Send the issued, sealed reply through the axis; returns its outgoing register entry.

        The envelope is kept before it is sent, so a retry sends the very same
        bytes (a no-op at the axis); a refusal by the axis reaches the caller."""
        from simulator.routing import edxml
        from simulator.routing.envelope import Attachment, envelope_from_document

        out = self.outgoing(out_id)
        if out.status != "sealed":
            raise UserError(_("Document {item} must be signed and sealed before it is dispatched.", item=out_id))
        entry = self._register_entry(out.document)
        kept = out.folder / "envelope.xml"
        if kept.exists():
            data = kept.read_bytes()
        else:
            sealed = out.folder / "sealed.pdf"
            # a reply names the document it answers (QCVN 102 ResponseFor), as its sender's envelope had it
            answered = edxml.parse(self.item(out.reply_to).envelope.read_bytes()) if out.reply_to else None
            envelope = envelope_from_document(out.document, attachments=[Attachment("document.pdf",
                                                                                    sealed.read_bytes())],
                                              sent_at=self.clock.replace(tzinfo=VN_TZ), province=self.province,
                                              response_for=answered)
            data = edxml.build(envelope)
            _write(kept, data)
        result = self.axis.send(data, at=self.clock.replace(tzinfo=VN_TZ))
        refused = dict(result.refused)
        self.registers.dispatched(out.document.document_id, at=self.clock.replace(tzinfo=VN_TZ),
                                  receipt=_("Sent through the exchange axis"))  # ngày chuyển, ký nhận
        self._step(out.flow, "dispatch")
        out.refused, out.dispatched_at = refused, self.clock  # the recipients answer as the clock gets there
        self._log("dispatch", {"out": out_id, "status": out.status, "number": entry.number,
                               "document_id": out.document.document_id, "accepted": list(result.accepted),
                               "refused": refused})
        return entry

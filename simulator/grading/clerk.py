"""Checks for commune staff (văn thư): they work at the desks; these read what the
clicks left behind (journal, registers, signed files, the archive) and compare it
with what their own world sent them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simulator.grading import evidence
from simulator.grading.result import Marks, Result, zero
from simulator.flows.traps import BAD_SIGNATURE as BAD_SIGNATURE_TRAPS
from simulator.grading.seat import SeatView, graded, open_seat, vn_naive
from simulator.grading.values import same_date, same_text, text_set
from simulator.i18n import translator

_ = translator("grading")

RECORD_RETENTION = "cong_van_trao_doi"   # the record the assignment asks for: routine correspondence


def _item(index: int) -> str:
    return f"{index:03d}"


def _trap_message(view: SeatView, item: str, trap: str, line: int) -> str:
    if trap == "tampered":
        return _("Document {item} was changed after it was signed (its signature is not intact), yet it was "
                 "registered (journal line {line}). Verify every document first and refuse those that fail.",
                 item=item, line=line)
    if trap == "revoked":
        return _("Document {item} is signed with a revoked certificate, yet it was registered (journal line "
                 "{line}). Read the verification result and refuse it.", item=item, line=line)
    if trap == "expired":
        return _("Document {item} is signed with an expired certificate, yet it was registered (journal line "
                 "{line}). Read the verification result and refuse it.", item=item, line=line)
    doc = view.expected_document(int(item))
    return _("Document {item} is addressed to {unit}, not to your unit, yet it was registered (journal line "
             "{line}). Read the recipients (Nơi nhận) and return misaddressed documents.", item=item,
             unit=doc.recipients[0].name if doc.recipients else "?", line=line)


def _overridden(view: SeatView, item: str) -> int | None:
    """The journal line where ``item`` was registered with the override (None: it was not)."""
    for entry in view.actions("register"):
        if entry["data"].get("item") == item and entry["data"].get("override") is True:
            return entry["seq"]
    return None


def _register_entry(view: SeatView, incoming: list, item: str, document_id: str) -> tuple[dict | None, object]:
    """(the journal line that registered ``item``, its incoming-register entry): the entry that line numbered
    (a corrected copy keeps the DocumentId of the returned original, so the id alone does not say which item
    was registered)."""
    logged = evidence.last(view, "register", item)
    if logged is None:
        return None, None
    number = logged["data"].get("number")
    return logged, next((e for e in incoming if e.document_id == document_id and e.number == number), None)



# -- assignment 1: the anatomy of a document ---------------------------------------------------------
ANATOMY_KEYS = ("so_ky_hieu", "loai_van_ban", "co_quan_ban_hanh", "ngay_ban_hanh", "nguoi_ky")


def grade_anatomy(folder: str | Path, trainee_id: str, answers: Any) -> Result:
    """The parts of the first document in the trainee's inbox (Decree 30, Art. 8), read from its PDF."""
    def body() -> Result:
        from simulator.documents import document_type

        view = open_seat(folder, trainee_id)
        if "000" not in view.received():
            return zero(len(ANATOMY_KEYS), _("Document 000 has not reached your desk yet: press 'Get new documents' in "
                                            "the Incoming documents desk first."))
        if type(answers) is not dict:
            return zero(len(ANATOMY_KEYS), _("The answers must be a dict as in the template (keys {keys}).",
                                             keys=", ".join(ANATOMY_KEYS)))
        doc = view.expected_document(0)
        marks = Marks()
        marks.check(same_text(answers.get("so_ky_hieu"), doc.number_code), 1,
                    _("The number and code (số, ký hiệu) is not right: copy it exactly, e.g. 05/QĐ-UBND, no spaces."))
        marks.check(same_text(answers.get("loai_van_ban"), document_type(doc.doc_type).name, fold=True), 1,
                    _("The type of document (tên loại) is not right: it is printed above the summary line; a "
                      "công văn has no type name printed."))
        marks.check(same_text(answers.get("co_quan_ban_hanh"), doc.issuer_name, fold=True), 1,
                    _("The issuing agency (tên cơ quan ban hành) is not right: it is the bold line at the top left, "
                      "under the parent agency."))
        marks.check(same_date(answers.get("ngay_ban_hanh"), doc.issued_date), 1,
                    _("The date of issue is not right: give a datetime.date or text dd/mm/yyyy, read from the line "
                      "with the place name at the top right."))
        marks.check(same_text(answers.get("nguoi_ky"), doc.signer.full_name, fold=True), 1,
                    _("The signer's full name is not right: it is under the signature at the bottom right."))
        return marks.result()

    return graded(len(ANATOMY_KEYS), body)


# -- assignment 2: signing and verifying ---------------------------------------------------------------
def grade_verification(folder: str | Path, trainee_id: str, invalid_items: Any) -> Result:
    """Every received document verified; ``invalid_items``: the ids whose signatures do not pass."""
    def body() -> Result:
        view = open_seat(folder, trainee_id)
        received = view.received()
        marks = Marks()
        expected_invalid = set()
        for index, arrival in enumerate(view.arrivals):
            item = _item(index)
            if arrival.trap == "recall":
                continue
            if arrival.trap in BAD_SIGNATURE_TRAPS:
                expected_invalid.add(item)
            if arrival.corrects is not None and item not in received:
                continue  # re-sent after a refusal this assignment does not ask for: verified if it came
            if item not in received:
                marks.check(False, 1, _("Document {item} has not been received: press 'Get new documents' until "
                                        "nothing new comes.", item=item))
                continue
            verified = view.last("verify", item)
            marks.check(verified is not None, 1,
                        _("Document {item} was never verified: select it in the Incoming documents desk "
                          "and press 'Check signatures'.", item=item))
        answer = text_set(invalid_items)
        if answer is None:
            marks.check(False, 2, _("The list of invalid documents must be a list of ids as text, e.g. "
                                    "[\"001\", \"004\"]."))
        else:
            misjudged = sorted(answer ^ frozenset(expected_invalid))
            if not misjudged:
                marks.check(True, 2, "")
            else:
                marks.partial(1.0 if len(misjudged) == 1 else 0.0, 2,
                              _("{n} document(s) are misjudged in your list of invalid documents: read again the "
                                "verification result of each (intact, trusted, certificate status).",
                                n=len(misjudged)))
                for item in misjudged:
                    checked = evidence.last(view, "verify", item)
                    if checked is not None:
                        marks.note(_("Document {item}: your check of it (journal line {line}) said {verdict}.",
                                     item=item, line=checked["seq"], verdict=checked["data"].get("verdict", "?")))
        return marks.result()

    return graded(1, body)


# -- assignment 3: incoming documents -----------------------------------------------------------------
def grade_incoming(folder: str | Path, trainee_id: str) -> Result:
    """Clean documents registered on time with gapless numbers; traps refused; recalls answered."""
    def body() -> Result:
        view = open_seat(folder, trainee_id)
        received = view.received()
        with evidence.registers(view) as books:
            incoming = books.incoming()
        marks = Marks()
        for index, arrival in enumerate(view.arrivals):
            item = _item(index)
            if item not in received:
                marks.check(False, 1, _("Document {item} has not been received: press 'Get new documents' until "
                                        "nothing new comes.", item=item))
                continue
            doc_id = view.expected_document(index).document_id
            logged, entry = _register_entry(view, incoming, item, doc_id)
            forced = _overridden(view, item)
            if forced is not None and entry is not None:
                # registered without a passed check, on the trainee's explicit say-so (Decree 30: check first)
                marks.check(False, 1, _("Document {item} was registered without a passed signature check (journal "
                                        "line {line}: “register it all the same”). Check first; return what fails.",
                                        item=item, line=forced))
                continue
            if arrival.trap is None:  # a sound document, or the corrected copy of a returned one (same rule)
                if entry is None:
                    marks.check(False, 1, _("Document {item} is valid but was not registered: press 'Register' in "
                                            "the Incoming documents desk.", item=item))
                    continue
                due = view.due(index)
                at = vn_naive(entry.arrival_at)
                if at <= due:
                    marks.check(True, 1, "")
                else:
                    marks.partial(0.5, 1, _("Document {item} was registered late ({at}, journal line {line}); the "
                                            "deadline was {due} (the next working day, Decree 30 Art. 22).",
                                            item=item, at=at.strftime("%d/%m/%Y %H:%M"), line=logged["seq"],
                                            due=due.strftime("%d/%m/%Y %H:%M")))
            elif arrival.trap == "recall":
                answer = evidence.last(view, "recall", item)
                if answer is None:
                    marks.check(False, 1, _("Document {item} is a recall request from the sender and was not "
                                            "agreed to: answer it with 'Agree to recall' in the Incoming documents "
                                            "desk.", item=item))
                else:
                    marks.check(answer["data"].get("agree") is True, 1,
                                _("Document {item} is a recall request from the sender and your answer refused it "
                                  "(journal line {line}): agree to the recall in the Incoming documents desk.",
                                  item=item, line=answer["seq"]))
            else:
                if entry is not None:
                    marks.check(False, 1, _trap_message(view, item, arrival.trap, logged["seq"]))
                else:
                    marks.check(view.last("refuse", item) is not None, 1,
                                _("Document {item} should have been returned with 'Return to sender' and a "
                                  "reason, and it was not.", item=item))
        numbers = sorted(e.number for e in incoming)
        in_book = {(e.document_id, e.number) for e in incoming}
        lines = view.actions("register")
        consistent = (bool(numbers) and numbers == list(range(1, len(numbers) + 1))
                      and {(e["data"]["document_id"], e["data"]["number"]) for e in lines} == in_book)
        unmatched = [e for e in lines if (e["data"]["document_id"], e["data"]["number"]) not in in_book]
        if unmatched:  # the register lost or changed what a journal line registered
            marks.check(consistent, 1, _("The incoming register (sổ đến) does not hold number {number} that you "
                                         "gave on journal line {line}: numbers must run 1, 2, 3… without gaps and "
                                         "each must be the one given when you registered. Do not edit the register "
                                         "by hand.", number=unmatched[0]["data"]["number"],
                                         line=unmatched[0]["seq"]))
        else:
            marks.check(consistent, 1, _("The incoming register (sổ đến) does not match your actions: numbers must "
                                         "run 1, 2, 3… without gaps and each must be the one given when you "
                                         "registered. Do not edit the register by hand."))
        return marks.result()

    return graded(1, body)


# -- assignment 4: outgoing documents -----------------------------------------------------------------
def reply_target(view: SeatView) -> str:
    """The document the trainee replies to: the first valid one their world sent that is not recalled."""
    recalled = view.recalled()
    return next(_item(i) for i, a in enumerate(view.arrivals) if a.trap is None and _item(i) not in recalled)


def grade_outgoing(folder: str | Path, trainee_id: str) -> Result:
    """A reply signed by the leader, then sealed by the agency, verified, numbered and dispatched."""
    def body() -> Result:
        from simulator.signing import verify

        from simulator.grading.trust import seat_pki

        view = open_seat(folder, trainee_id)
        target = reply_target(view)
        replies = [e for e in view.actions("reply") if e["data"].get("reply_to") == target]
        marks = Marks()
        if not replies:
            marks.check(False, 6, _("There is no reply to document {item}: draft one with 'Draft reply' in the "
                                    "Signing and dispatch desk.", item=target))
            return marks.result()
        marks.check(True, 1, "")
        drafted = replies[-1]
        out = drafted["data"]["out"]
        # the line each signature mark rests on: the seal, else the leader's signature, else the draft
        sealed_line = evidence.last(view, "seal", out, key="out") or drafted
        signed_line = evidence.last(view, "sign", out, key="out") or drafted
        sealed = view.folder / "outbox" / out / "sealed.pdf"
        if not sealed.is_file():
            marks.check(False, 4, _("Reply {out} (drafted on journal line {line}) has no sealed copy: the leader "
                                    "signs first, then the clerk applies the agency seal (Signing and dispatch "
                                    "desk).", out=out, line=drafted["seq"]))
        else:
            report = verify(sealed, seat_pki(view))
            marks.check(report.indication == "TOTAL_PASSED", 2,
                        _("The signatures on reply {out} do not verify ({indication}; journal line {line}): sign "
                          "and seal again from the draft.", out=out, indication=report.indication,
                          line=sealed_line["seq"]))
            sigs = report.signatures
            person_first = bool(sigs) and sigs[0].role == "person" and same_text(sigs[0].signer, view.leader_name,
                                                                                 fold=True)
            marks.check(person_first, 1, _("The first signature on reply {out} must be the leader's personal "
                                           "signature ({leader}), before the agency seal (journal line {line}).",
                                           out=out, leader=view.leader_name, line=signed_line["seq"]))
            seal_last = (len(sigs) >= 2 and sigs[-1].role == "seal" and sigs[-1].unit_code == view.unit.code
                         and report.decree30.ok)
            marks.check(seal_last, 1, _("The agency seal of {unit} must come last, over the leader's signature "
                                        "(Decree 30, Art. 8 and Appendix I; journal line {line}).",
                                        unit=view.unit.name, line=sealed_line["seq"]))
        dispatched = evidence.last(view, "dispatch", out, key="out")
        with evidence.registers(view) as books:
            entries = {e.document_id: e for e in books.outgoing()}
        data = dispatched["data"] if dispatched is not None else {}
        ok = (dispatched is not None and data.get("document_id") in entries
              and entries[data["document_id"]].number == data.get("number"))
        if dispatched is None:
            marks.check(False, 1, _("Reply {out} (drafted on journal line {line}) was not dispatched with an "
                                    "outgoing number (sổ đi): press 'Dispatch' after sealing.", out=out,
                                    line=drafted["seq"]))
        else:
            marks.check(ok, 1, _("Reply {out} was dispatched (journal line {line}) with number {number}, which the "
                                 "outgoing register (sổ đi) does not hold: do not edit the register by hand.",
                                 out=out, line=dispatched["seq"], number=data.get("number", "?")))
        return marks.result()

    return graded(1, body)


# -- assignment 5: records and archiving --------------------------------------------------------------
def grade_records(folder: str | Path, trainee_id: str, retention: str = RECORD_RETENTION) -> Result:
    """A record with the right retention key, holding the registered documents, archived, auditing clean."""
    def body() -> Result:
        from simulator.archiving import RETENTION_SCHEDULE

        view = open_seat(folder, trainee_id)
        created = view.actions("create_record")
        marks = Marks()
        if not created:
            marks.check(False, 5, _("No record (hồ sơ) was opened: open one in the Records and archive desk."))
            return marks.result()
        with evidence.archive(view) as archive:
            in_catalogue = {r.id: r for r in archive.records()}
            opened = next((c for c in created if c["data"].get("retention") == retention), created[-1])
            chosen = opened["data"]
            title = chosen.get("title", "?")
            record = in_catalogue.get(chosen["record"])
            rule = RETENTION_SCHEDULE[retention]
            right = record is not None and record.maintenance == retention
            wrong = RETENTION_SCHEDULE.get(record.maintenance) if record is not None else None
            marks.check(right, 2, _("Record '{title}' (opened on journal line {line}) is kept for {got}; routine "
                                    "correspondence is kept for {want} (Circular 10/2022/TT-BNV): choose "
                                    "'{want_title}' as its retention.", title=title, line=opened["seq"],
                                    got=wrong.label if wrong else "?", want=rule.label, want_title=rule.title))
            filed = {e["data"]["document_id"] for e in view.actions("file")
                     if e["data"].get("record") == chosen["record"]}
            recalled = view.recalled()
            registered = [e for e in view.actions("register") if e["data"]["item"] not in recalled]
            unfiled = [e for e in registered if e["data"]["document_id"] not in filed]
            on_disk = len(archive.documents(chosen["record"]))
            if unfiled:
                marks.check(False, 1, _("Document {item}, registered on journal line {line}, is not filed in record "
                                        "'{title}': file each registered document with 'File' in the Records and "
                                        "archive desk.", item=unfiled[0]["data"]["item"], line=unfiled[0]["seq"],
                                        title=title))
            else:
                marks.check(bool(registered) and on_disk >= len(filed), 1,
                            _("Not every registered document is filed in record '{title}' (opened on journal line "
                              "{line}): file each one with 'File' in the Records and archive desk.", title=title,
                              line=opened["seq"]))
            package = archive.package(chosen["record"])
            archived = evidence.last(view, "archive", chosen["record"], key="record")
            marks.check(package is not None, 1, _("Record '{title}' (opened on journal line {line}) has not been "
                                                  "archived (no preservation package): press 'Archive record'.",
                                                  title=title, line=opened["seq"]))
            report = archive.audit()
            marks.check(package is not None and report.success, 1,
                        _("The archive audit finds damage ({changed} changed, {missing} missing) in what you archived "
                          "on journal line {line}: do not edit files inside the archive.", changed=len(report.changed),
                          missing=len(report.missing), line=(archived or opened)["seq"]))
        return marks.result()

    return graded(1, body)

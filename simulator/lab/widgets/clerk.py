"""The commune clerk's desks: inbox, register book and records (the outgoing desk is in outgoing.py).

Words follow what staff see in their document system (văn bản đến, vào
sổ, trình, phân công, ký số, đóng dấu số, phát hành, hồ sơ).
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from simulator.calendar import vn_datetime
from simulator.i18n import translator
from simulator.lab.widgets.base import Desk, page_image, table, world_time
from simulator.routing.workflow import state_label

_ = translator("lab")


def _set_options(dropdown, options) -> None:
    """Replace a dropdown's options, keeping the current choice when it is still there."""
    current = dropdown.value
    dropdown.options = options
    values = [value for _label, value in options]
    if current in values:
        dropdown.value = current
    elif values:
        dropdown.value = values[-1]


def _status(value: str) -> str:
    """The workflow's word for a state (simulator.routing.workflow), capitalised for a list."""
    label = state_label(value)
    return label[:1].upper() + label[1:]


VERDICT = {"TOTAL_PASSED": "valid", "TOTAL_FAILED": "not valid", "INDETERMINATE": "cannot be confirmed"}  # msgids


class ClockBar:
    """The world's clock and the trainee's two ways of moving it on, on a desk."""

    after_wait = "Clock: {clock}. Press “Get new documents” to see what has arrived."  # msgid

    def time_bar(self) -> w.HBox:
        self.clock = w.HTML()
        return w.HBox([self.clock, self.button(_("Until the end of the session"), self.wait),
                       self.button(_("To the next working day"), self.next_day)])

    def show_clock(self) -> None:
        self.clock.value = f"<b>{_('World time')}: {world_time(self.session.clock)}</b>"

    def wait(self):
        self.show_call("session.wait_until_end_of_session()")
        clock = self.session.wait_until_end_of_session()
        self.say(_(self.after_wait, clock=world_time(clock)))
        return clock

    def next_day(self):
        self.show_call("session.next_working_day()")
        clock = self.session.next_working_day()
        self.say(_(self.after_wait, clock=world_time(clock)))
        return clock


class InboxDesk(ClockBar, Desk):
    """Incoming documents: see, verify, register, submit, assign, refuse, answer a recall."""

    def __init__(self, session, **kwargs) -> None:
        self.title = _("Incoming documents")
        super().__init__(session, **kwargs)
        self.items = w.Select(options=[], rows=8, layout=w.Layout(width="100%"))
        self.preview = w.Image(format="png", layout=w.Layout(width="420px"))
        self.details = w.HTML()
        self.reason = w.Text(placeholder=_("Reason for returning it"), layout=w.Layout(width="60%"))
        self.handler = w.Text(placeholder=_("Handler (full name)"), layout=w.Layout(width="40%"))
        self.days = w.BoundedIntText(value=5, min=1, max=60, description=_("Days"), layout=w.Layout(width="160px"))
        self.override = w.Checkbox(value=False, indent=False, layout=w.Layout(width="auto"),
                                   description=_("Register it even though its check did not pass (recorded as a "
                                                 "mistake in the journal)"))
        self.notices = w.HTML()  # the leader's reminders, notes on corrected copies, the late list
        self.items.observe(lambda _c: self._show(), names="value")
        time_bar = self.time_bar()
        buttons = w.HBox([
            self.button(_("Get new documents"), self.receive, "info"),
            self.button(_("Check signatures"), self.verify),
            self.button(_("Register"), self.register, "success"),
            self.button(_("Submit to leader"), self.submit),
        ])
        assign = w.HBox([self.handler, self.days, self.button(_("Assign"), self.assign)])
        refuse = w.HBox([self.reason, self.button(_("Return to sender"), self.refuse, "danger"),
                         self.button(_("Agree to recall"), self.agree_recall, "warning"),
                         self.button(_("Refuse the recall"), self.refuse_recall)])
        self.body.children = [time_bar, self.notices, buttons, self.override, self.items, w.HBox([self.preview, self.details]),
                              assign, refuse]
        self.refresh()

    def _label(self, item) -> str:
        doc = item.document
        urgent = f" · {doc.priority.label_vi.upper()}" if int(doc.priority) else ""
        recall = f" · {_('RECALL')}" if item.is_recall else ""
        if item.arrival.corrects is not None:
            recall += f" · {_('SENT AGAIN') if item.arrival.insists else _('CORRECTED COPY')}"
        return (f"{item.item_id} · {_status(item.status)}{urgent}{recall} · {doc.number_code} · "
                f"{doc.issuer_name} · {_('due')} {item.due:%d/%m %H:%M}")

    def refresh(self) -> None:
        self.show_clock()
        lines = [f"{world_time(n.at)} · {escape(n.text)}" for n in self.session.notices[-5:]]
        late = self.session.late()
        if late:
            lines.append(_("Late documents: {items}", items=", ".join(d.item_id for d in late)))
        self.notices.value = "<br>".join(lines)
        current = self.items.value
        self.items.options = [(self._label(i), i.item_id) for i in self.session.inbox.values()]
        if current in self.session.inbox:
            self.items.value = current
        elif self.session.inbox:
            self.items.value = list(self.session.inbox)[0]
        self._show()

    def selected(self):
        from simulator.errors import UserError

        if not self.items.value:
            raise UserError(_("Choose a document in the list first."))
        return self.items.value

    def _show(self) -> None:
        item = self.session.inbox.get(self.items.value) if self.items.value else None
        if item is None:
            self.details.value = f"<i>{_('No documents yet: press “Get new documents”.')}</i>"
            self.preview.layout.display = "none"  # an empty image shows as a broken picture
            return
        if item.pdf.exists():
            self.preview.value = page_image(item.pdf)
            self.preview.layout.display = None
        doc = item.document
        rows = [
            [_("Number, code"), doc.number_code], [_("Type"), doc.type.name], [_("Issuer"), doc.issuer_name],
            [_("Subject"), doc.subject], [_("Signed by"), f"{doc.signer.position} {doc.signer.full_name}"],
            [_("Addressed to"), "; ".join(r.name for r in doc.recipients)],
            [_("Arrived"), world_time(item.arrival.arrived)],
            [_("Register by"), world_time(item.due)], [_("Status"), _status(item.status)],
        ]
        if item.number:
            rows.append([_("Incoming number"), item.number])
        if item.verdict:
            rows.append([_("Signature check"), _(VERDICT.get(item.verdict, item.verdict))])
        self.details.value = table(rows, [_("Field"), _("Value")])

    # each action: one Session call, shown to the trainee
    def receive(self):
        self.show_call("session.receive()")
        new = self.session.receive()
        if new:
            self.say(_("{n} new document(s) arrived. Clock: {clock}", n=len(new), clock=world_time(self.session.clock)))
        else:
            self.say(_("Nothing new by {clock}. Move time on with “Until the end of the session” or “To the next "
                       "working day”, then get new documents again.", clock=world_time(self.session.clock)))
        return new

    def verify(self):
        item_id = self.selected()
        self.show_call(f'session.verify("{item_id}")')
        report = self.session.verify(item_id)
        number = self.session.inbox[item_id].document.number_code   # which document the verdict is about
        self.say_checks(f"{item_id} · {number}: {report.headline()}", report.checks(), ok=report.passed)
        return report

    def register(self):
        item_id = self.selected()
        override = bool(self.override.value)
        self.show_call(f'session.register("{item_id}", override=True)' if override
                       else f'session.register("{item_id}")')
        entry = self.session.register(item_id, override=override)
        self.override.value = False  # asked again for every document
        if self.session.item(item_id).flow.overridden:
            self.say(_("Registered with incoming number {n}, although its check did not pass: the journal records "
                       "this as a mistake.", n=entry.arrival_number), ok=False)
        else:
            self.say(_("Registered with incoming number {n}.", n=entry.arrival_number))
        return entry

    def submit(self):
        item_id = self.selected()
        self.show_call(f'session.submit("{item_id}")')
        self.session.submit(item_id)
        self.say(_("Submitted to the leader."))

    def assign(self):
        item_id = self.selected()
        handler = self.handler.value.strip() or _("Specialist")
        self.show_call(f'session.assign("{item_id}", "{handler}", days={self.days.value})')
        due = self.session.assign(item_id, handler, days=self.days.value)
        self.say(_("Assigned to {who}, due {due:%d/%m/%Y}.", who=handler, due=due))
        return due

    def refuse(self):
        item_id = self.selected()
        self.show_call(f'session.refuse("{item_id}", "{self.reason.value}")')
        self.session.refuse(item_id, self.reason.value)
        self.say(_("Returned to the sender (status 02)."))

    def agree_recall(self):
        item_id = self.selected()
        self.show_call(f'session.answer_recall("{item_id}", agree=True)')
        self.session.answer_recall(item_id, agree=True)
        self.say(_("Recall agreed (status 15): the earlier document is withdrawn."))

    def refuse_recall(self):
        """Keep the document the sender asks back (16), with the reason typed in the reason field."""
        item_id = self.selected()
        reason = self.reason.value.strip()
        self.show_call(f'session.answer_recall("{item_id}", agree=False, reason={reason!r})')
        self.session.answer_recall(item_id, agree=False, reason=reason)
        self.say(_("Recall refused (status 16): the document stays with your unit."))


class RegisterDesk(Desk):
    """The incoming and outgoing register books (sổ văn bản đến / đi)."""

    def __init__(self, session, **kwargs) -> None:
        self.title = _("Register books")
        super().__init__(session, **kwargs)
        self.book = w.ToggleButtons(options=[(_("Incoming"), "in"), (_("Outgoing"), "out")], value="in")
        self.query = w.Text(placeholder=_("Search: number, code, subject…"))
        self.view = w.HTML()
        self.book.observe(lambda _c: self.refresh(), names="value")
        self.body.children = [w.HBox([self.book, self.query, self.button(_("Search"), self.search)]), self.view]
        self.refresh()

    def _rows(self, entries):
        if self.book.value == "in":
            return [[e.number, vn_datetime(e.arrival_at), f"{e.code_number}/{e.code_notation}",
                     e.issuer_name, e.subject] for e in entries]
        return [[e.number, vn_datetime(e.registered_at.date()), f"{e.code_number}/{e.code_notation}",
                 "; ".join(name for _code, name in e.recipients), e.subject] for e in entries]

    def _header(self):
        if self.book.value == "in":
            return [_("Incoming no."), _("Arrived"), _("Number, code"), _("Issuer"), _("Subject")]
        return [_("No."), _("Date"), _("Number, code"), _("Recipients"), _("Subject")]

    def refresh(self) -> None:
        entries = self.session.registers.incoming() if self.book.value == "in" else self.session.registers.outgoing()
        self.show_call(f'session.registers.{"incoming" if self.book.value == "in" else "outgoing"}()')
        self.view.value = table(self._rows(entries), self._header())

    def search(self):
        self.show_call(f'session.registers.search("{self.query.value}", book="{self.book.value}")')
        entries = self.session.registers.search(self.query.value or None, book=self.book.value)
        self.view.value = table(self._rows(entries), self._header())
        self.say(_("{n} entries found.", n=len(entries)))
        return entries


class RecordDesk(Desk):
    """Records (hồ sơ): open one, file documents into it, archive it, search the archive."""

    def __init__(self, session, **kwargs) -> None:
        from simulator.archiving import RETENTION_SCHEDULE

        self.title = _("Records and archive")
        super().__init__(session, **kwargs)
        self.record_title = w.Text(placeholder=_("Record title"), layout=w.Layout(width="50%"))
        self.retention = w.Dropdown(description=_("Retention"), options=[
            (f"{rule.title} ({rule.label})", key) for key, rule in RETENTION_SCHEDULE.items()])
        self.record = w.Dropdown(description=_("Record"), options=[])
        self.document = w.Dropdown(description=_("Document"), options=[])
        self.query = w.Text(placeholder=_("Search the archive (with or without tone marks)"))
        self.results = w.HTML()
        self.body.children = [
            w.HBox([self.record_title, self.retention, self.button(_("Open record"), self.create, "info")]),
            w.HBox([self.record, self.document, self.button(_("File"), self.file),
                    self.button(_("Archive record"), self.archive, "success")]),
            w.HBox([self.query, self.button(_("Search"), self.search)]), self.results,
        ]
        self.refresh()

    def refresh(self) -> None:
        _set_options(self.record, [(f"{info.get('title', rid)} ({len(info.get('documents', []))})", rid)
                                   for rid, info in self.session.records.items() if not info.get("archived")])
        docs = [(f"{i.item_id} · {i.document.number_code}", i.item_id) for i in self.session.inbox.values()
                if i.status in ("registered", "submitted", "assigned")]
        docs += [(f"out:{o.item_id} · {o.document.number_code}", f"out:{o.item_id}")
                 for o in self.session.outbox.values() if o.status == "dispatched"]
        _set_options(self.document, docs)

    def create(self):
        self.show_call(f'session.create_record("{self.record_title.value}", "{self.retention.value}")')
        record_id = self.session.create_record(self.record_title.value, self.retention.value)
        self.say(_("Record {id} opened.", id=record_id))
        return record_id

    def file(self):
        self.show_call(f'session.file("{self.record.value}", "{self.document.value}")')
        self.session.file(self.record.value, self.document.value)
        self.say(_("Filed."))

    def archive(self):
        self.show_call(f'session.archive_record("{self.record.value}")')
        package = self.session.archive_record(self.record.value)
        self.say(_("Archived: preservation package {id}.", id=package.id))
        return package

    def search(self):
        self.show_call(f'session.search("{self.query.value}")')
        hits = self.session.search(self.query.value)
        self.results.value = table([[h.code, h.subject, h.issuer, vn_datetime(h.date) if h.date else ""] for h in hits],
                                   [_("Number, code"), _("Subject"), _("Issuer"), _("Date")])
        self.say(_("{n} document(s) found.", n=len(hits)))
        return hits

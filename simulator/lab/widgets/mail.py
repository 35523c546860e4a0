"""The Mail desk: the seat unit's official mailbox over IMAP and SMTP (simulator.lab.mail_client).

Folders, the list of messages (world time, dd/mm/yyyy HH:MM), reading with
the attached PDF shown, reply and forward with attachments, search with or
without tone marks, reporting a suspicious message, and the button the
lesson warns about (recording a mailed document as an incoming one). Each
click shows the call behind it, like every desk.
"""

from __future__ import annotations

import tempfile
from html import escape
from pathlib import Path

import ipywidgets as w

from simulator.i18n import translator
from simulator.lab.mail_client import MailClient, attachment_names, shown_date, text_of
from simulator.lab.widgets.base import Desk, page_image, world_time

_ = translator("maildesk")

FOLDER_LABELS = (("Inbox", "INBOX"), ("Sent", "Sent"), ("Drafts", "Drafts"), ("Trash", "Trash"))  # msgids


class MailDesk(Desk):
    """``MailDesk(session)`` (opens the seat's mailbox) or ``MailDesk(session, seat_mail)``."""

    def __init__(self, session, seat_mail=None, **kwargs) -> None:
        from simulator.lab.mail_desk import SeatMail

        self.title = _("Official mail")
        super().__init__(session, **kwargs)
        self.mail = seat_mail or SeatMail.open(session)
        self.client = MailClient(self.mail)
        self.found: list | None = None  # a search's result, until the search box is emptied
        self.who = w.HTML()
        self.folder = w.Dropdown(options=[(_(label), value) for label, value in FOLDER_LABELS], value="INBOX",
                                 description=_("Folder"), layout=w.Layout(width="240px"))
        self.query = w.Text(placeholder=_("Search (with or without tone marks)"), layout=w.Layout(width="40%"))
        self.items = w.Select(options=[], rows=8, layout=w.Layout(width="100%"))
        self.reading = w.HTML()
        self.preview = w.Image(format="png", layout=w.Layout(width="420px", display="none"))
        self.to = w.Text(placeholder=_("To (forward): address@…gov.vn"), layout=w.Layout(width="60%"))
        self.text = w.Textarea(placeholder=_("Your message"), layout=w.Layout(width="100%", height="90px"))
        self.files = w.FileUpload(multiple=True, description=_("Attach files"), layout=w.Layout(width="auto"))
        self.folder.observe(lambda _c: self._reload(), names="value")
        self.items.observe(lambda _c: self._show(), names="value")
        self.body.children = [
            self.who,
            w.HBox([self.folder, self.button(_("Get new mail"), self.get_new, "primary"), self.query,
                    self.button(_("Search"), self.search)]),
            self.items, w.HBox([self.reading, self.preview]),
            w.HTML(f"<b>{escape(_('Answer or pass on the selected message'))}</b>"), self.text,
            w.HBox([self.to, self.files]),
            w.HBox([self.button(_("Reply"), self.reply, "success"), self.button(_("Forward"), self.forward),
                    self.button(_("Report suspicious mail"), self.report, "warning"),
                    self.button(_("Register as an incoming document"), self.register, "danger")]),
        ]
        self.refresh()

    # -- what the buttons call -----------------------------------------------------------------------------
    def _selected(self) -> int:
        from simulator.errors import UserError

        if self.items.value is None:
            raise UserError(_("Select a message first."), field="message")
        return self.items.value

    def _attachments(self) -> list[tuple[str, bytes]]:
        return [(f["name"], bytes(f["content"])) for f in self.files.value]

    def get_new(self):
        self.show_call("seat_mail.fill()   # " + _("what the world sent by e-mail up to its clock") +
                       "\nclient.messages('INBOX')")
        new = self.client.fetch_new()
        self.query.value, self.found = "", None
        self.say(_("{n} new message(s).", n=len(new)) if new else _("No new mail."))
        return new

    def search(self):
        text = self.query.value
        self.show_call(f"client.search({text!r}, {self.folder.value!r})   # fold(): "
                       + _("tone marks and đ do not matter"))
        self.found = self.client.search(text, self.folder.value) if text.strip() else None
        if self.found is not None:
            self.say(_("{n} message(s) found for “{text}”.", n=len(self.found), text=text))
        return self.found

    def reply(self):
        uid, files = self._selected(), self._attachments()
        self.show_call(f"client.reply({uid}, {self.text.value!r}, attachments={[n for n, _d in files]!r})   "
                       "# smtplib: login, send_message; imapclient: append('Sent', …)")
        sent = self.client.reply(uid, self.text.value, attachments=files, folder=self.folder.value)
        self._sent(sent)
        return sent

    def forward(self):
        uid, files = self._selected(), self._attachments()
        self.show_call(f"client.forward({uid}, {self.to.value!r}, {self.text.value!r}, "
                       f"attachments={[n for n, _d in files]!r})")
        sent = self.client.forward(uid, self.to.value, self.text.value, attachments=files, folder=self.folder.value)
        self._sent(sent)
        return sent

    def report(self):
        uid = self._selected()
        self.show_call(f"client.report({uid})   # " + _("forwarded whole, as an attachment, to {address}",
                                                          address=self.mail.info["report"]))
        sent = self.client.report(uid, self.folder.value)
        self.say(_("Reported to {address}. Do not answer the message nor open its links.",
                   address=self.mail.info["report"]))
        return sent

    def register(self):
        uid = self._selected()
        self.show_call(f"client.register_as_incoming({uid})   # journal: mail_register")
        entry = self.client.register_as_incoming(uid, self.folder.value)
        self.say(_("Recorded in the journal (line {seq}) as an incoming document received by mail.",
                   seq=entry["seq"]), ok=False)
        return entry

    def _sent(self, sent) -> None:
        self.text.value, self.to.value = "", ""
        self.files.value = ()
        self.say(_("Sent to {to} at {at}.", to=sent["To"], at=shown_date(sent)))

    # -- drawing ---------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.who.value = (f"<b>{escape(_('Mailbox'))}: {escape(self.mail.address)}</b> &nbsp; "
                          f"{escape(_('World time'))}: {escape(world_time(self.session.clock))}")
        self._reload()

    def _reload(self) -> None:
        shown = self.found if self.found is not None else self.client.messages(self.folder.value)
        current = self.items.value
        self.items.options = [(f"{'' if m.seen else '● '}{m.date} | {m.sender} | {m.subject}{self._attached(m)}", m.uid)
                              for m in shown]
        if current in [m.uid for m in shown]:
            self.items.value = current

    @staticmethod
    def _attached(item) -> str:
        return _(" ({n} attached)", n=len(item.attachments)) if item.attachments else ""

    def _show(self) -> None:
        if self.items.value is None:
            self.reading.value, self.preview.layout.display = "", "none"
            return
        msg = self.client.read(self.items.value, self.folder.value)
        rows = [(_("From"), msg["From"]), (_("To"), msg["To"]), (_("Date"), shown_date(msg)),
                (_("Subject"), msg["Subject"]), (_("Attachments"), ", ".join(attachment_names(msg)) or "-")]
        head = "".join(f"<tr><th style='text-align:left;padding-right:8px'>{escape(k)}</th>"
                       f"<td>{escape(str(v or ''))}</td></tr>" for k, v in rows)
        body = "white-space:pre-wrap;max-width:520px;font-family:inherit"
        self.reading.value = f"<table>{head}</table><div style='{body}'>{escape(text_of(msg))}</div>"
        pdfs = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
        if pdfs:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "tep.pdf"
                path.write_bytes(pdfs[0].get_content())
                self.preview.value = page_image(path, width=420)
            self.preview.layout.display = ""
        else:
            self.preview.layout.display = "none"

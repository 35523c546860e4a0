"""What every desk shares: a status line, the API call behind each click, errors in plain words.

A desk is a thin front end: each button calls one :class:`Session` method
(the same a script would call) and shows that call, so a curious trainee
sees the code behind the click. Errors the user can act on
(:class:`UserError`) appear as a red line; nothing else is swallowed.

Desks over one session agree: a notebook often shows several (the class panel, the signing desk, the
incoming desk), and after any desk's successful action every other desk of the same session redraws (its
clock, its lists), so the trainee never sees two world times. Each desk is listed, weakly, under its
session (:func:`desks_of`); the session itself knows nothing of desks.
"""

from __future__ import annotations

import html
import io
import weakref
from typing import Any, Callable

import ipywidgets as w

from simulator.errors import UserError
from simulator.i18n import translator

_ = translator("lab")


def page_image(pdf_path, width: int = 420, page: int = 0) -> bytes:
    """PNG bytes of one page, for showing a document next to its details."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf_path))
    try:
        document.init_forms()  # signature stamps live in form fields: draw them
        pdf_page = document[page]
        scale = width / pdf_page.get_width()
        image = pdf_page.render(scale=scale, may_draw_forms=True).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")  # msgids


def world_time(moment) -> str:
    """The world's clock as people read it: "Thứ Hai, 02/03/2026 07:30" (English: "Monday, 02/03/2026 07:30")."""
    from simulator.calendar import VN_TZ, vn_datetime

    if moment.tzinfo is not None:
        moment = moment.astimezone(VN_TZ)
    return f"{_(WEEKDAYS[moment.weekday()])}, {vn_datetime(moment)}"


def table(rows: list[list[Any]], header: list[str]) -> str:
    head = "".join(f"<th style='text-align:left;padding:2px 8px'>{html.escape(str(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td style='padding:2px 8px'>{html.escape(str(c))}</td>" for c in row) + "</tr>"
        for row in rows)
    return f"<table style='border-collapse:collapse'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_DESKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # session -> WeakSet of its desks


def desks_of(session) -> list["Desk"]:
    """The desks showing ``session`` now (a desk no longer referenced drops out by itself)."""
    return list(_DESKS.get(session, ())) if session is not None else []


class Desk(w.VBox):
    """Base of every desk: ``self.body`` holds the desk's own widgets."""

    title = ""

    def __init__(self, session, **kwargs) -> None:
        self.session = session
        self.status = w.HTML()
        self.code = w.HTML()
        self.body = w.VBox()
        self.confirmation = w.HBox()   # the question before an irreversible action, and its two buttons
        super().__init__([w.HTML(f"<h3>{html.escape(self.title)}</h3>"), self.body, self.status,
                          self.confirmation, self.code], **kwargs)
        if session is not None:  # the instructor's and the planner's desks have no seat
            _DESKS.setdefault(session, weakref.WeakSet()).add(self)

    def button(self, label: str, action: Callable[[], Any], style: str = "") -> w.Button:
        button = w.Button(description=label, button_style=style, layout=w.Layout(width="auto"))
        button.on_click(lambda _b: self.run(action))
        return button

    def confirm_button(self, label: str, action: Callable[[], Any], question: Callable[[], str],
                       style: str = "danger") -> w.Button:
        """A button for an irreversible action: the first click asks, "Confirm" runs it, "Cancel" drops it."""
        def ask(_b) -> None:
            try:
                text = question()
            except UserError as exc:
                self.say(str(exc), ok=False)
                return
            yes = w.Button(description=_("Confirm"), button_style=style, layout=w.Layout(width="auto"))
            no = w.Button(description=_("Cancel"), layout=w.Layout(width="auto"))
            yes.on_click(lambda _b: (self._close_question(), self.run(action)))
            no.on_click(lambda _b: (self._close_question(), self.say(_("Cancelled: nothing was changed."))))
            self.confirmation.children = [w.HTML(f"<b style='color:#b71c1c'>{html.escape(text)}</b>"), yes, no]
        button = w.Button(description=label, button_style=style, layout=w.Layout(width="auto"))
        button.on_click(ask)
        return button

    def _close_question(self) -> None:
        self.confirmation.children = []

    def run(self, action: Callable[[], Any]) -> Any:
        """Call the API, show the call and the outcome; a UserError becomes a red line."""
        try:
            result = action()
        except UserError as exc:
            self.say(str(exc), ok=False)
            return None
        self.refresh()
        self.tell_the_others()
        return result

    def tell_the_others(self) -> None:
        """Every other desk of the same session redraws after this desk's action (the clock, the lists); a
        UserError while one redraws is that desk's red line."""
        for desk in desks_of(self.session):
            if desk is self:
                continue
            try:
                desk.refresh()
            except UserError as exc:
                desk.say(str(exc), ok=False)

    def show_call(self, call: str) -> None:
        self.code.value = (f"<details><summary>{html.escape(_('The code behind this click'))}</summary>"
                           f"<pre>{html.escape(call)}</pre></details>")
        self.last_call = call

    def say(self, message: str, ok: bool = True) -> None:
        colour = "#1b5e20" if ok else "#b71c1c"
        self.status.value = f"<div style='color:{colour};font-weight:bold'>{html.escape(message)}</div>"
        self.last_message = message

    def say_checks(self, headline: str, checks, ok: bool) -> None:
        """A verdict and its checks as a short list, one line per check (each with .ok, .mark, .text, .level)."""
        colours = {True: "#1b5e20", False: "#b71c1c", None: "#8d6e00"}
        items = "".join(
            f"<li style='margin-left:{c.level * 1.5}em;color:{colours[c.ok]}'>"
            f"<b>{c.mark}</b> {html.escape(c.text)}</li>" for c in checks)
        self.status.value = (f"<div style='color:{colours[ok]};font-weight:bold'>{html.escape(headline)}</div>"
                             f"<ul style='list-style:none;padding-left:0;margin:4px 0'>{items}</ul>")
        self.last_message = "\n".join([headline] + [c.line() for c in checks])

    def refresh(self) -> None:  # desks redraw their lists here
        pass

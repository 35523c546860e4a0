"""Reading a trainee's work folder as the grader: whose it is, whether the journal
is intact, and what their world (recomputed from their id) sent them.

Nothing here trusts the trainee's files for what the answer should be: the
journal's decisions are replayed, once, through the trainee's world rebuilt
from the seed derived from their id (:class:`simulator.seat.SeatWorld`), which
says what arrived, which were traps and what the senders answered; the files
are only evidence of what the trainee did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from simulator.calendar import VN_TZ, WorkingCalendar, default_calendar
from simulator.i18n import translator

_ = translator("grading")

MIN_ARRIVALS = 4          # a world smaller than this is not the exercise
MIN_TRAP_SHARE = 0.3      # nor one with (almost) no traps in it


class NotTheirWork(Exception):
    """The folder cannot be graded for this trainee; the message says why (0 points)."""


@dataclass
class SeatView:
    folder: Path
    trainee: str
    config: Any                # simulator.seat.SeatConfig
    province: Any
    unit: Any
    arrivals: list             # simulator.seat.Arrival: what the trainee's world sent, with the senders' answers
    entries: list[dict]        # the journal, verified intact
    calendar: WorkingCalendar

    def actions(self, *names: str) -> list[dict]:
        return [e for e in self.entries if e["action"] in names]

    def received(self) -> dict[str, dict]:
        return {e["data"]["item"]: e["data"] for e in self.actions("receive")}

    def last(self, action: str, item: str, key: str = "item") -> dict | None:
        found = [e["data"] for e in self.actions(action) if e["data"].get(key) == item]
        return found[-1] if found else None

    def recalled(self) -> set[str]:
        """Items the sender takes back later (a recall arrival names them): not replied to, not filed."""
        return {f"{a.recalls:03d}" for a in self.arrivals if a.trap == "recall"}

    @property
    def leader_name(self) -> str:
        from simulator.documents import ContentGenerator

        return ContentGenerator(self.config.leader_seed).person_name()

    def expected_document(self, index: int):
        """The document arrival ``index`` carries (a recall the earlier one, a corrected copy the refused one's
        number and date)."""
        from simulator.seat import document_of

        return document_of(self.arrivals, index, self.unit, self.province)

    def due(self, index: int) -> datetime:
        """The registration deadline of arrival ``index``: the desk's own rule (one rule, one answer)."""
        from simulator.seat import registration_due

        return registration_due(self.arrivals[index], self.calendar)


def open_seat(folder: str | Path, trainee_id: Any, *, need_arrivals: bool = True) -> SeatView:
    """The work folder as evidence for ``trainee_id``; raises :class:`NotTheirWork` with the reason."""
    from simulator.province import load_province
    from simulator.seat import ALLOWED_SCENARIOS, SEAT_FILE, Journal, SeatConfig, seed_for

    if type(trainee_id) is not str or not trainee_id.strip():
        raise NotTheirWork(_("The trainee id is missing; open the notebook from your own account."))
    folder = Path(folder)
    seat_file = folder / SEAT_FILE
    if not seat_file.is_file():
        raise NotTheirWork(_("No work folder at {folder}: run the first cell of the assignment to open your "
                             "desk, do the work, then submit.", folder=folder))
    try:
        config = SeatConfig.read(folder)
    except (ValueError, TypeError):
        raise NotTheirWork(_("The file {file} in the work folder is damaged; open a new desk and do the work "
                             "again.", file=SEAT_FILE)) from None
    if config.trainee != trainee_id or config.seed != seed_for(trainee_id):
        raise NotTheirWork(_("This work folder belongs to another trainee ({other}), not to {me}: everyone works "
                             "in their own world, copied work gets no points.",
                             other=config.trainee or "?", me=trainee_id))
    journal = Journal(folder / "journal.jsonl")
    breaks = journal.verify()
    if breaks:
        first = breaks[0]
        raise NotTheirWork(_("The journal was changed by hand (line {line}: {reason}); a changed journal gets no "
                             "points. Open a new desk and do the work again in it.",
                             line=first.line, reason=_chain_reason(first.reason)))
    entries = list(journal.entries())
    if not entries or entries[0]["action"] != "open" or entries[0]["data"].get("seed") != config.seed:
        raise NotTheirWork(_("The journal does not start with opening this desk; open a new desk and do the "
                             "work again in it."))
    if getattr(config, "scenario", "plan-2020") not in ALLOWED_SCENARIOS:
        raise NotTheirWork(_("This desk was opened in another world than the assignment's; run the assignment's "
                             "first cell as it is."))
    if need_arrivals and (config.arrivals < MIN_ARRIVALS or config.trap_share < MIN_TRAP_SHARE):
        raise NotTheirWork(_("This desk was opened with fewer documents or traps than the assignment sets; run "
                             "the assignment's first cell as it is."))
    province = load_province(config.province, config.structure)
    unit = province.unit(config.unit_code)
    calendar = default_calendar()
    arrivals = replay_world(config, province, unit, calendar, entries).arrivals
    view = SeatView(folder, trainee_id, config, province, unit, arrivals, entries, calendar)
    # what was received must be what this trainee's world sent (not documents from someone else's folder)
    for item, data in view.received().items():
        index = int(item) if item.isdigit() else -1
        if not 0 <= index < len(arrivals) or data.get("document_id") != view.expected_document(index).document_id:
            raise NotTheirWork(_("Document {item} in the work folder is not one your world sent you; copied work "
                                 "gets no points.", item=item))
    return view


def _chain_reason(reason: str) -> str:
    return {
        "not UTF-8": _("not UTF-8 text"),
        "not JSON": _("not a JSON line"),
        "missing hash": _("the line has no hash"),
        "previous hash does not match": _("the link to the line before is broken"),
        "sequence number out of order": _("lines are missing or out of order"),
        "line changed after it was written": _("the line was changed after it was written"),
    }.get(reason, reason)


def replay_world(config, province, unit, calendar, entries: list[dict]):
    """The trainee's world with the journal's decisions replayed through it, once, up to the journal's
    last moment (the end of its last wait): what arrived, which were traps, what the senders answered."""
    from simulator.seat import SeatWorld

    world = SeatWorld(config, province, unit, calendar)
    last = None
    for entry in entries:
        at = vn_naive(datetime.fromisoformat(entry["at"]))
        world.follow(entry["action"], entry["data"], at)
        last = vn_naive(datetime.fromisoformat(entry["data"]["until"])) if entry["action"] == "wait" else at
    if last is not None:
        world.advance(last)
    return world


def vn_naive(moment: datetime) -> datetime:
    """A register time as Vietnam wall-clock time without tzinfo (the calendar's convention)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(VN_TZ)
    return moment.replace(tzinfo=None)

"""Working time: Vietnamese public holidays, office hours and deadlines.

Time in the simulator is a float number of minutes since the calendar's
epoch (00:00 on 1 January of ``start_year``, Vietnam local time). Every
question ("add 90 working minutes", "when does the next working day close")
is answered by binary search over the cumulative working minutes at the
start of each day, so the simulator's hot path never loops over minutes or
schedules shift events.

Rules (Decree 30/2020, Art. 10-24): registering and submitting incoming
documents happen on the day of arrival, at the latest the next working day;
urgent documents at once; handling deadlines count working days. One public
function answers every such question: :meth:`WorkingCalendar.due`.
Holidays come from the ``holidays`` package (``VN``, lunar New Year
included); a province's yearly swaps of working days are settings.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

import holidays as holidays_lib

MINUTES_PER_DAY = 1440
VN_TZ = timezone(timedelta(hours=7), "ICT")
DEFAULT_OFFICE_HOURS = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))
# "At once" (Decree 30, Art. 16 and 22: urgent documents are registered, submitted and dispatched
# "ngay sau khi nhận được" / "ngay") sets no figure. We read it as one working hour: the clerk's own
# steps on the document (check, register, submit: about 15 minutes) plus the time to finish the
# document already in hand. Urgent means priority 1 (khẩn) and above (QCVN 102: 2 thượng khẩn,
# 3 hỏa tốc, 4 hỏa tốc hẹn giờ).
URGENT_WORKING_MINUTES = 60


def iso_vn(moment: datetime) -> str:
    """ISO 8601 with the Vietnam offset, e.g. ``2026-03-02T09:15:30+07:00``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VN_TZ)
    return moment.astimezone(VN_TZ).isoformat(timespec="seconds")


def vn_datetime(moment: datetime | date | str) -> str:
    """What people read: ``30/11/2026 09:04`` (dd/mm/yyyy HH:MM, Vietnam time); a date alone: ``30/11/2026``.

    A naive moment is Vietnam local time (the world's clock); an ISO 8601 text
    (as stored in registers and traces) is read first. ISO 8601 stays for JSON
    and the attachment-signature text Decree 30 prescribes (:func:`iso_vn`)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment) if "T" in moment or " " in moment.strip() \
            else date.fromisoformat(moment)
    if not isinstance(moment, datetime):
        return moment.strftime("%d/%m/%Y")
    if moment.tzinfo is not None:
        moment = moment.astimezone(VN_TZ)
    return moment.strftime("%d/%m/%Y %H:%M")


def _keep_type(method):
    """Let a method take minutes (float) or a datetime and answer in kind."""

    @functools.wraps(method)
    def wrapper(self, moment, *args, **kwargs):
        if isinstance(moment, datetime):
            return self.to_datetime(method(self, self.to_minutes(moment), *args, **kwargs))
        return method(self, moment, *args, **kwargs)

    return wrapper


@dataclass(frozen=True)
class CalendarSettings:
    """Office hours and working days; provinces differ, so all are settings."""

    office_hours: tuple[tuple[time, time], ...] = DEFAULT_OFFICE_HOURS
    workdays: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday..Friday
    start_year: int = 2015
    end_year: int = 2035
    extra_holidays: tuple[date, ...] = ()
    extra_working_days: tuple[date, ...] = ()  # e.g. a Saturday swapped for a Tết bridge day
    urgent_minutes: int = URGENT_WORKING_MINUTES  # "at once" for urgent documents, in working minutes

    def __post_init__(self) -> None:
        previous = -1
        for start, end in self.office_hours:
            s, e = start.hour * 60 + start.minute, end.hour * 60 + end.minute
            if not previous <= s < e:
                raise ValueError("office hours must be increasing, non-overlapping windows")
            previous = e
        if self.end_year < self.start_year:
            raise ValueError("end_year before start_year")


@dataclass
class WorkingCalendar:
    settings: CalendarSettings = field(default_factory=CalendarSettings)

    def __post_init__(self) -> None:
        s = self.settings
        self.epoch = datetime(s.start_year, 1, 1)
        self._windows = [(a.hour * 60 + a.minute, b.hour * 60 + b.minute) for a, b in s.office_hours]
        self._window_ends = []
        total = 0
        for a, b in self._windows:
            total += b - a
            self._window_ends.append(total)
        self.minutes_per_day = total
        self.open_minute = self._windows[0][0]
        self.close_minute = self._windows[-1][1]
        years = range(s.start_year, s.end_year + 1)
        self.holidays = holidays_lib.country_holidays("VN", years=years)
        extra_off, extra_on = set(s.extra_holidays), set(s.extra_working_days)
        n_days = (date(s.end_year + 1, 1, 1) - self.epoch.date()).days
        self._working = bytearray(n_days)
        self._cum = [0] * (n_days + 1)
        first = self.epoch.date()
        for d in range(n_days):
            day = first + timedelta(days=d)
            works = (day.weekday() in s.workdays and day not in self.holidays) or day in extra_on
            works = works and day not in extra_off
            self._working[d] = works
            self._cum[d + 1] = self._cum[d] + (self.minutes_per_day if works else 0)
        self._working_days = [d for d in range(n_days) if self._working[d]]

    # -- conversions ---------------------------------------------------
    def to_minutes(self, moment: datetime | date) -> float:
        if not isinstance(moment, datetime):
            moment = datetime.combine(moment, time())
        if moment.tzinfo is not None:
            moment = moment.astimezone(VN_TZ).replace(tzinfo=None)
        return (moment - self.epoch).total_seconds() / 60.0

    def to_datetime(self, minutes: float) -> datetime:
        return self.epoch + timedelta(minutes=minutes)

    def _day_index(self, day: date) -> int:
        index = (day - self.epoch.date()).days
        if not 0 <= index < len(self._working):
            s = self.settings
            raise ValueError(f"{day} is outside the calendar ({s.start_year}-{s.end_year})")
        return index

    # -- days ----------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        return bool(self._working[self._day_index(day)])

    def is_holiday(self, day: date) -> bool:
        return day in self.holidays

    def holiday_name(self, day: date) -> str | None:
        return self.holidays.get(day)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (n >= 0; n == 0 gives ``day`` or the next working day)."""
        index = self._day_index(day)
        if n <= 0:
            k = bisect.bisect_left(self._working_days, index)
        else:
            k = bisect.bisect_right(self._working_days, index) + n - 1
        if k >= len(self._working_days):
            raise ValueError("date beyond the end of the calendar")
        return self.epoch.date() + timedelta(days=self._working_days[k])

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]."""
        a, b = self._day_index(start), self._day_index(end)
        return bisect.bisect_right(self._working_days, b) - bisect.bisect_right(self._working_days, a)

    def close_of(self, day: date) -> datetime:
        return datetime.combine(day, time()) + timedelta(minutes=self.close_minute)

    # -- minutes -------------------------------------------------------
    def working_index(self, t: float) -> float:
        """Working minutes elapsed between the epoch and ``t``."""
        d = int(t // MINUTES_PER_DAY)
        base = self._cum[d]
        if not self._working[d]:
            return base
        m = t - d * MINUTES_PER_DAY
        done = 0.0
        for a, b in self._windows:
            if m <= a:
                break
            done += (m if m < b else b) - a
        return base + done

    def at_working_index(self, w: float, *, finishing: bool = False) -> float:
        """Earliest time whose working index (:meth:`working_index`) is ``w``: its inverse.

        ``finishing`` picks the end of an office window when ``w`` falls
        exactly on it (work that ends at 11:30 ends at 11:30, not at 13:30).
        Unlike :meth:`add_working_minutes`, nothing is special about zero:
        work of no minutes started while the office is closed ends where the
        last window closed."""
        return self._at_index(w, finishing=finishing)

    @property
    def office_windows(self) -> tuple[tuple[int, int], ...]:
        """Office hours of a working day as (opening, closing) minutes after midnight."""
        return tuple(self._windows)

    def office_window(self, t: float) -> tuple[float, float] | None:
        """The office window ``t`` (minutes) falls in, as (opening, closing) minutes; None when closed."""
        day = int(t // MINUTES_PER_DAY)
        if self._working[day]:
            m = t - day * MINUTES_PER_DAY
            for a, b in self._windows:
                if a <= m < b:
                    return day * 1440.0 + a, day * 1440.0 + b
        return None

    def day_tables(self) -> tuple[list[int], bytes, list[int]]:
        """Copies of the per-day tables, for vectorised arithmetic (numpy) over many times at once.

        Cumulative working minutes at the start of each day since the epoch
        (one entry more than days), whether each day is a working day (0/1),
        and the numbers of the working days (days since the epoch)."""
        return list(self._cum), bytes(self._working), list(self._working_days)

    def _at_index(self, w: float, *, finishing: bool) -> float:
        """Earliest time whose working index is ``w``.

        ``finishing`` picks the end of a window when ``w`` falls exactly on it
        (a task that ends at 11:30 ends at 11:30, not at 13:30)."""
        cum = self._cum
        if finishing and w > 0:
            d = bisect.bisect_left(cum, w) - 1
        else:
            d = bisect.bisect_right(cum, w) - 1
        if d >= len(self._working):
            raise ValueError("time beyond the end of the calendar")
        r = w - cum[d]
        previous = 0
        for (a, b), end in zip(self._windows, self._window_ends):
            if r < end or (finishing and r == end):
                return d * MINUTES_PER_DAY + a + (r - previous)
            previous = end
        return d * MINUTES_PER_DAY + self._windows[-1][1]

    @_keep_type
    def next_open(self, t: float) -> float:
        """``t`` itself during office hours, else the next opening."""
        return self._at_index(self.working_index(t), finishing=False)

    def is_open(self, moment: float | datetime) -> bool:
        t = self.to_minutes(moment) if isinstance(moment, datetime) else moment
        return self.next_open(t) == t

    @_keep_type
    def add_working_minutes(self, t: float, minutes: float) -> float:
        """When a task of ``minutes`` working minutes started at ``t`` is finished."""
        if minutes <= 0:
            return self.next_open(t)
        return self._at_index(self.working_index(t) + minutes, finishing=True)

    def working_minutes_between(self, a: float | datetime, b: float | datetime) -> float:
        if isinstance(a, datetime):
            a = self.to_minutes(a)
        if isinstance(b, datetime):
            b = self.to_minutes(b)
        return self.working_index(b) - self.working_index(a)

    # -- deadlines of Decree 30 ----------------------------------------
    def due(self, start: float | datetime, *, priority: int = 0, working_days: int | None = None):
        """The one deadline rule of Decree 30 (Art. 16, 22, 24), answered in kind.

        - ``working_days=n``: a handling deadline, the close of the n-th
          working day after the day of ``start``;
        - otherwise a document of ``priority`` 0 (thường): the same day, at the
          latest the close of the next working day (a Saturday arrival is due
          on Monday);
        - ``priority`` >= 1 (khẩn and above): at once, i.e. ``urgent_minutes``
          working minutes (:data:`URGENT_WORKING_MINUTES`).

        ``start`` in minutes since the epoch (the world's hot path: no dates
        are built) gives minutes; a datetime gives a datetime, aware (Vietnam
        time) when ``start`` is."""
        if isinstance(start, datetime):
            result = self.to_datetime(self._due(self.to_minutes(start), int(priority), working_days))
            return result.replace(tzinfo=VN_TZ) if start.tzinfo is not None else result
        return self._due(float(start), int(priority), working_days)

    def _due(self, t: float, priority: int, working_days: int | None) -> float:
        if working_days is not None:
            if int(working_days) < 1:
                raise ValueError("a handling deadline counts at least one working day")
            n = int(working_days)
        elif priority >= 1:
            return float(self.add_working_minutes(t, self.settings.urgent_minutes))
        else:
            n = 1
        k = bisect.bisect_right(self._working_days, int(t // MINUTES_PER_DAY)) + n - 1
        if k >= len(self._working_days):
            raise ValueError("date beyond the end of the calendar")
        return self._working_days[k] * 1440.0 + self.close_minute


@functools.lru_cache(maxsize=8)
def default_calendar() -> WorkingCalendar:
    return WorkingCalendar()

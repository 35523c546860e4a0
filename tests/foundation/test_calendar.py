from datetime import date, datetime

import pytest
from hypothesis import given, strategies as st

from simulator.calendar import WorkingCalendar, default_calendar, iso_vn

cal = default_calendar()


def test_weekends_and_tet():
    assert not cal.is_working_day(date(2026, 11, 28))  # Saturday
    assert cal.is_working_day(date(2026, 11, 27))
    for day in range(16, 21):  # Tết Bính Ngọ 2026
        assert not cal.is_working_day(date(2026, 2, day))
    assert cal.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)
    assert not cal.is_working_day(date(2026, 9, 2))  # National Day


def test_deadline_crosses_new_year():
    friday = datetime(2026, 12, 31, 16, 0)  # Thursday 31/12; 1/1 is a holiday
    assert cal.due(friday) == datetime(2027, 1, 4, 17, 0)
    assert cal.add_working_days(date(2026, 12, 30), 2) == date(2027, 1, 4)


def test_next_working_day_rule():
    assert cal.due(datetime(2026, 3, 2, 9, 0)) == datetime(2026, 3, 3, 17, 0)
    assert cal.due(datetime(2026, 3, 7, 9, 0)) == datetime(2026, 3, 9, 17, 0)  # Saturday


def test_one_deadline_rule_for_every_priority():
    from simulator.calendar import URGENT_WORKING_MINUTES, VN_TZ

    monday = datetime(2026, 3, 2, 11, 0)
    assert URGENT_WORKING_MINUTES == 60
    for priority in (1, 2, 3, 4):  # khẩn, thượng khẩn, hỏa tốc, hỏa tốc hẹn giờ: at once
        assert cal.due(monday, priority=priority) == datetime(2026, 3, 2, 14, 0)  # lunch does not count
    assert cal.due(monday, working_days=5) == datetime(2026, 3, 9, 17, 0)
    assert cal.due(monday, priority=3, working_days=1) == datetime(2026, 3, 3, 17, 0)
    aware = cal.due(monday.replace(tzinfo=VN_TZ), priority=1)
    assert aware.tzinfo is not None and aware == datetime(2026, 3, 2, 14, 0, tzinfo=VN_TZ)
    with pytest.raises(ValueError):
        cal.due(monday, working_days=0)


@given(st.datetimes(min_value=datetime(2016, 1, 1), max_value=datetime(2034, 6, 1)),
       st.integers(0, 4), st.one_of(st.none(), st.integers(1, 30)))
def test_the_minutes_twin_is_the_same_rule(start, priority, days):
    """The world asks in minutes (its hot path), the desk and the grader in dates: one answer."""
    start = start.replace(microsecond=0)
    in_minutes = cal.due(cal.to_minutes(start), priority=priority, working_days=days)
    assert isinstance(in_minutes, float)
    assert abs((cal.to_datetime(in_minutes) - cal.due(start, priority=priority, working_days=days)).total_seconds()) < 1e-3


def test_working_minutes_skip_lunch_and_nights():
    assert cal.add_working_minutes(datetime(2026, 3, 2, 11, 0), 30) == datetime(2026, 3, 2, 11, 30)
    assert cal.add_working_minutes(datetime(2026, 3, 2, 11, 0), 31) == datetime(2026, 3, 2, 13, 31)
    assert cal.add_working_minutes(datetime(2026, 3, 2, 16, 30), 60) == datetime(2026, 3, 3, 7, 30)
    assert cal.next_open(datetime(2026, 3, 2, 12, 0)) == datetime(2026, 3, 2, 13, 30)
    assert cal.working_minutes_between(datetime(2026, 3, 2, 7), datetime(2026, 3, 3, 7)) == 480


@given(st.datetimes(min_value=datetime(2016, 1, 1), max_value=datetime(2034, 6, 1)),
       st.integers(0, 5000))
def test_adding_minutes_is_consistent(start, minutes):
    end = cal.add_working_minutes(start, minutes)
    assert end >= start
    assert cal.working_minutes_between(start, end) == pytest.approx(minutes, abs=1e-6)
    if minutes:
        assert cal.is_working_day(end.date())


def test_office_hours_are_a_setting():
    from datetime import time

    from simulator.calendar import CalendarSettings

    summer = WorkingCalendar(CalendarSettings(office_hours=((time(7, 0), time(11, 30)), (time(14, 0), time(17, 30)))))
    assert summer.next_open(datetime(2026, 6, 1, 13, 45)) == datetime(2026, 6, 1, 14, 0)
    with pytest.raises(ValueError):
        CalendarSettings(office_hours=((time(13, 0), time(12, 0)),))


def test_iso_vn():
    assert iso_vn(datetime(2026, 3, 2, 9, 15, 30)) == "2026-03-02T09:15:30+07:00"

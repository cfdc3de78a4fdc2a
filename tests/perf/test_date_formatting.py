"""The direct date formatter (app.templating): Guatemala's time, Babel's exact output."""
from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale, format_date, format_datetime

from app.templating import fast_gettext, long_date, short_date, short_datetime, time_of_day

# 02:30 UTC on Friday 6 July 2018 is Thursday 5 July 2018, 20:30 in Guatemala (UTC-6).
LATE_EVENING = datetime(2018, 7, 6, 2, 30, tzinfo=UTC)


@pytest.fixture()
def in_request(app):
    with app.test_request_context("/"):
        yield


def test_long_date_in_spanish_uses_guatemalan_time_and_spanish_names(in_request):
    with force_locale("es"):
        assert long_date(LATE_EVENING) == "jueves 5 de julio de 2018"
        assert long_date(date(2018, 9, 1)) == "sábado 1 de septiembre de 2018"


def test_long_date_in_english_uses_english_names(in_request):
    with force_locale("en"):
        assert long_date(LATE_EVENING) == "Thursday, July 5, 2018"
        assert long_date(date(2019, 1, 2)) == "Wednesday, January 2, 2019"


def test_short_forms_are_day_month_year_digits(in_request):
    assert short_date(LATE_EVENING) == "05-07-2018"
    assert short_date(date(2018, 3, 9)) == "09-03-2018"
    assert short_date("2018-11-30T10:00:00") == "30-11-2018"
    assert short_date("not a date") == "not a date"
    assert short_date(None) == ""
    assert short_datetime(LATE_EVENING) == "05-07-2018 20:30"
    assert time_of_day(LATE_EVENING) == "20:30"
    assert long_date(None) == "" and short_datetime(None) == "" and time_of_day(None) == ""


def test_naive_datetimes_are_taken_as_utc(in_request):
    assert short_datetime(LATE_EVENING.replace(tzinfo=None)) == "05-07-2018 20:30"


@pytest.mark.parametrize("locale", ["es", "en"])
def test_output_is_identical_to_babel(in_request, locale):
    pattern = "EEEE d 'de' MMMM 'de' y" if locale == "es" else "EEEE, MMMM d, y"
    start = datetime(2017, 12, 31, 23, 59, tzinfo=UTC)
    with force_locale(locale):
        for step in range(0, 800):
            value = start + timedelta(hours=step * 13, minutes=step * 7)
            assert long_date(value) == format_datetime(value, pattern)
            assert long_date(value.date()) == format_date(value.date(), pattern)
            assert short_date(value) == format_datetime(value, "dd-MM-y")
            assert short_datetime(value) == format_datetime(value, "dd-MM-y HH:mm")
            assert time_of_day(value) == format_datetime(value, "HH:mm")


def test_fast_gettext_follows_a_locale_change_within_a_request(in_request):
    with force_locale("en"):
        assert fast_gettext("Anterior") == "Previous"
    with force_locale("es"):
        assert fast_gettext("Anterior") == "Anterior"
    with force_locale("en"):
        assert fast_gettext("Página %(page)d de %(pages)d", page=2, pages=3) == "Page 2 of 3"

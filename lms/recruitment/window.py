"""A session's window as people read it on the candidate's exam page, in the viewer's time
zone (Vietnam): one day — "từ 08:00 đến 10:00, thứ Bảy 05/12/2026"; whole days (from midnight
to midnight, as the demo's year-long session) — "từ thứ Bảy 05/12/2026 đến hết Chủ nhật
05/12/2027"; otherwise — "từ 08:00 thứ Bảy 05/12/2026 đến 10:00 Chủ nhật 06/12/2026". Dates and
times in Babel's forms for the locale (vi: dd/MM/yyyy and 24-hour HH:mm; en: its own)."""

from datetime import date, datetime, time, timedelta

from flask_babel import format_date, format_time, get_locale, to_user_timezone

from lms.i18n import _

_DAY_PATTERNS = {"vi": "EEEE dd/MM/yyyy"}  # thứ Bảy 05/12/2026
_TIME_PATTERNS = {"vi": "HH:mm"}


def _day(value: date) -> str:
    locale = str(get_locale())
    text = format_date(value, _DAY_PATTERNS.get(locale, "EEEE, d MMMM y"))
    if locale == "vi":  # weekdays inside a sentence: "thứ Bảy", "Chủ nhật"
        text = text.replace("Thứ ", "thứ ").replace("Chủ Nhật", "Chủ nhật")
    return text


def _time(value: time) -> str:
    return format_time(value, _TIME_PATTERNS.get(str(get_locale()), "short"))


def exam_window(starts_at: datetime, ends_at: datetime) -> str:
    """The window from `starts_at` up to `ends_at` (naive UTC) as a phrase of the locale."""
    start = to_user_timezone(starts_at).replace(tzinfo=None)
    end = to_user_timezone(ends_at).replace(tzinfo=None)
    if start.date() == end.date():
        return _(
            "from %(start)s to %(end)s, %(day)s",
            start=_time(start.time()),
            end=_time(end.time()),
            day=_day(start.date()),
        )
    if start.time() == time(0) and end.time() == time(0):
        last = end.date() - timedelta(days=1)
        if last == start.date():
            return _("all day, %(day)s", day=_day(start.date()))
        return _("from %(first)s to the end of %(last)s", first=_day(start.date()), last=_day(last))
    return _(
        "from %(start)s on %(first)s to %(end)s on %(last)s",
        start=_time(start.time()),
        first=_day(start.date()),
        end=_time(end.time()),
        last=_day(end.date()),
    )

"""Dates with their precision (a subset of EDTF level 1) and honest display.

Accepted, as text or (for a bare year) a YAML number:

    2015            year only                 -> "2015"
    2015-11         month only                -> "Nov. 2015"
    2015-11-03      a day                     -> "Nov. 3, 2015"
    2015-21..24     a season (EDTF)           -> "spring 2015"
    ...~            approximate               -> "about Sept. 2015"
    ...?            uncertain                 -> "Sept. 6, 2015 (date uncertain)"
    ...%            approximate and uncertain -> "about Sept. 2015 (date uncertain)"
    2015-10-21T12:16-07:00   a moment (seconds and the offset optional)
                             -> "Oct. 21, 2015, 12:16 p.m. (UTC-07:00)",
                             or "12:16 p.m. PDT" when the site's `timezone:` is
                             America/Los_Angeles

Month names follow AP style (Jan., Feb., March, ..., Sept., ...). Nothing here
invents precision: a month stays a month.
"""

from __future__ import annotations

import calendar
import datetime
import re
import zoneinfo
from dataclasses import dataclass

AP_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.",
             "Oct.", "Nov.", "Dec.")
MINUS = "\u2212"  # typographic minus sign, as in "UTC\u221205:00"
SEASONS = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}

_DATE = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<qual>[~?%])?$")
_MOMENT = re.compile(
    r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})[T ](?P<hour>\d{2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2}))?(?P<tz>Z|[+-]\d{2}:?\d{2})?$")
_SLASHED = re.compile(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$")


@dataclass(frozen=True)
class FuzzyDate:
    year: int
    month: int | None = None  # 1-12
    day: int | None = None
    season: int | None = None  # 21-24
    approximate: bool = False
    uncertain: bool = False
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    utc_offset: str | None = None  # "+00:00" style, or None when not given

    @property
    def precision(self) -> str:
        if self.hour is not None:
            return "time"
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        if self.season is not None:
            return "season"
        return "year"

    def display(self, zone: str = "") -> str:
        """The date as a newsroom writes it. With `zone` (an IANA name, the site's
        `timezone:`), a time whose offset is that zone's at that moment is written with
        the zone's abbreviation ("8:01 p.m. EDT"); any other keeps its offset."""
        if self.day is not None and self.month is not None:
            text = f"{AP_MONTHS[self.month - 1]} {self.day}, {self.year}"
        elif self.month is not None:
            text = f"{AP_MONTHS[self.month - 1]} {self.year}"
        elif self.season is not None:
            text = f"{SEASONS[self.season]} {self.year}"
        else:
            text = str(self.year)
        if self.hour is not None and self.minute is not None:
            suffix = "a.m." if self.hour < 12 else "p.m."
            hour12 = self.hour % 12 or 12
            text += f", {hour12}:{self.minute:02d} {suffix}"
            if self.utc_offset:
                abbreviation = self.zone_abbreviation(zone) if zone else ""
                text += f" {abbreviation}" if abbreviation else \
                    " (UTC" + self.utc_offset.replace("-", MINUS) + ")"
        if self.approximate:
            text = "about " + text
        if self.uncertain:
            text += " (date uncertain)"
        return text

    def zone_abbreviation(self, zone: str) -> str:
        """'EDT' when this moment's offset is `zone`'s at that moment, else ''."""
        if self.utc_offset is None or self.hour is None or self.day is None or \
                self.month is None:
            return ""
        sign = -1 if self.utc_offset.startswith("-") else 1
        hours, minutes = (int(part) for part in self.utc_offset[1:].split(":"))
        fixed = datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))
        try:
            wall = datetime.datetime(self.year, self.month, self.day, self.hour,
                                     self.minute or 0, tzinfo=fixed)
            there = wall.astimezone(zoneinfo.ZoneInfo(zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OverflowError, OSError):
            return ""
        name = there.tzname() or ""
        same_clock = there.replace(tzinfo=None) == wall.replace(tzinfo=None)
        return name if same_clock and name[:1].isalpha() else ""

    def machine(self) -> str:
        """A valid HTML `datetime` attribute value with the same precision."""
        if self.month is None:
            return f"{self.year:04d}"
        text = f"{self.year:04d}-{self.month:02d}"
        if self.day is None:
            return text
        text += f"-{self.day:02d}"
        if self.hour is None:
            return text
        text += f"T{self.hour:02d}:{self.minute:02d}"
        if self.second is not None:
            text += f":{self.second:02d}"
        return text + (self.utc_offset or "")

    def sort_key(self) -> tuple:
        return (self.year, self.month or 0, self.day or 0, self.hour or 0, self.minute or 0)


def parse_date(value: object) -> tuple[FuzzyDate | None, str, str]:
    """(date, problem, hint): date is None and problem says why when it fails."""
    if isinstance(value, bool) or value is None:
        return None, f"expected a date, got {value!r}", "write a date like 2015-11-03"
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return None, "expected a date written as text", "write a date like 2015-11-03"
    text = value.strip()
    match = _MOMENT.match(text)
    if match:
        return _moment(match)
    match = _DATE.match(text)
    if not match:
        if _SLASHED.match(text):
            return None, f"{text!r} is ambiguous (day/month or month/day?)", (
                "write dates as YYYY-MM-DD, e.g. 2016-03-04 for March 4, 2016")
        return None, f"{text!r} is not a date in the accepted form", (
            "write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2015-11 or 2015-11-03), "
            "add ~ for 'about' or ? for 'uncertain'")
    year = int(match["year"])
    if year < 1:
        return None, f"{text!r}: there is no year 0000", "the first year is 0001"
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    qual = match["qual"] or ""
    season = None
    if month is not None and month in SEASONS and day is None:
        season, month = month, None
    elif month is not None and not 1 <= month <= 12:
        return None, f"{text!r}: there is no month {month}", "months run from 01 to 12"
    if day is not None and month is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return None, (f"{text!r} is not a real date: "
                          f"{calendar.month_name[month]} {year} has {last} days"), (
                "check the day; if only the month is known, write "
                f"{year}-{month:02d}")
    return FuzzyDate(year, month, day, season, approximate=qual in "~%" and bool(qual),
                     uncertain=qual in "?%" and bool(qual)), "", ""


def _moment(match: re.Match[str]) -> tuple[FuzzyDate | None, str, str]:
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    hour, minute = int(match["hour"]), int(match["minute"])
    if year < 1:
        return None, f"{match.group(0)!r}: there is no year 0000", "the first year is 0001"
    second = int(match["second"]) if match["second"] else None
    text = match.group(0)
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None, f"{text!r} is not a real date", "check the month and the day"
    if hour > 23 or minute > 59 or (second or 0) > 59:
        return None, f"{text!r} has an impossible time of day", "use 24-hour time, 00:00-23:59"
    tz = match["tz"]
    offset = None
    if tz:
        if tz == "Z":
            offset = "+00:00"
        else:
            digits = tz[1:].replace(":", "")
            if int(digits[:2]) > 14 or int(digits[2:]) > 59:
                return None, f"{text!r} has an impossible UTC offset", "e.g. -05:00"
            offset = f"{tz[0]}{digits[:2]}:{digits[2:]}"
    return FuzzyDate(year, month, day, hour=hour, minute=minute, second=second,
                     utc_offset=offset), "", ""

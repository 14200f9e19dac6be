"""A story's timeline: every quoted source placed by date, as inline SVG.

Honest about precision: a date known to the day is a dot; a month, a season or a year
is a bar over the whole span; an approximate date is drawn dashed and an uncertain one
hollow, with a legend; the publication date is a vertical line. Each item links to its
quote in the story. An ordered list of the same items, in date order, serves screen
readers and readers without SVG (the drawings are hidden from assistive technology).

A story gets a timeline page (`timeline/index.html`) when at least two of its source
documents are dated: one document (a speech) has nothing to set against. The axis
fits the dates: years, months, days, or hours when every source is of one day; when
everything is within one hour there is no drawing, only the list. Two drawings are
made, a wide one and a narrow one for phones (CSS shows one): labels always lie
within the drawing, on the side of their mark that has room. Drawn at build time:
no script.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote as url_quote

from markupsafe import Markup, escape

from ..core.dates import FuzzyDate
from ..core.words import shorten
from .base import PageContext, Pages, StoryView
from .notes import shown_date
from .share import story_share
from .text import plain_text
from .urls import feed_url, folder_link, pretty_links

ROW = 30
TOP = 34
LEFT = RIGHT = 8


@dataclass(frozen=True)
class Drawing:
    """One drawing's size: its width in SVG units, and the label length it allows."""

    width: int
    label_characters: int
    ticks: int  # at most this many tick labels
    character_width: float = 7.4  # at most, of the 12px sans-serif labels, in SVG units


WIDE = Drawing(640, 44, 7)
NARROW = Drawing(340, 24, 4)


@dataclass(frozen=True)
class Item:
    label: str  # the quote, shortened
    source: str  # short citation
    when: FuzzyDate
    href: str  # the quote in the story
    document: str = ""  # the source document's folder: one per document


def shifted(day: date, days: int) -> date:
    """`day` moved by `days`, kept within the calendar (years 1 to 9999)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def span(when: FuzzyDate) -> tuple[date, date]:
    """The days a date may mean: [first, last]."""
    year = when.year
    if when.month and when.day:
        day = date(year, when.month, when.day)
        return day, day
    if when.month:
        return date(year, when.month, 1), _month_end(year, when.month)
    if when.season:
        start_month = {21: 3, 22: 6, 23: 9, 24: 12}[when.season]
        end_month = start_month + 2  # a season is three months, winter into the next year
        end_year = year + (end_month > 12)
        last = _month_end(end_year, (end_month - 1) % 12 + 1) if end_year <= date.max.year \
            else date.max
        return date(year, start_month, 1), last
    return date(year, 1, 1), date(year, 12, 31)


def moment(when: FuzzyDate) -> datetime | None:
    """The instant a date with a time of day means (UTC), or None."""
    if when.hour is None or when.day is None or when.month is None:
        return None
    offset = timedelta()
    if when.utc_offset:
        sign = -1 if when.utc_offset.startswith("-") else 1
        hours, minutes = (int(part) for part in when.utc_offset[1:].split(":"))
        offset = sign * timedelta(hours=hours, minutes=minutes)
    local = datetime(when.year, when.month, when.day, when.hour, when.minute or 0)
    try:
        return (local - offset).replace(tzinfo=UTC)
    except OverflowError:
        return None


# --- the axis -------------------------------------------------------------------

@dataclass(frozen=True)
class Axis:
    """Where a date goes: `start` to `end` (as numbers: days, or minutes on an hour
    axis), and the ticks with their labels."""

    start: float
    end: float
    ticks: tuple[tuple[float, str], ...]
    hours: bool = False

    def x(self, value: float, drawing: Drawing) -> float:
        usable = drawing.width - LEFT - RIGHT
        share = (value - self.start) / max(self.end - self.start, 1e-9)
        return round(LEFT + usable * min(max(share, 0.0), 1.0), 1)


def _ordinal(day: date) -> float:
    return float(day.toordinal())


def _day_ticks(first: date, last: date, most: int) -> list[tuple[float, str]]:
    """Ticks on a calendar axis: years, months or days, whichever gives at most `most`."""
    days = (last - first).days
    if days > 3 * 366:
        step = max(1, -(-(last.year - first.year + 1) // most))
        return [(_ordinal(date(year, 1, 1)), str(year))
                for year in range(first.year + 1, last.year + 1) if year % step == 0]
    if days > 62:
        months = []
        current = date(first.year, first.month, 1)
        while current <= last:
            if current >= first:
                months.append(current)
            if current.year == date.max.year and current.month == 12:
                break
            current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
        step = max(1, -(-len(months) // most))
        return [(_ordinal(m), m.strftime("%b %Y") if m.month == 1 or i == 0 else
                 m.strftime("%b")) for i, m in enumerate(months[::step])]
    step = max(1, -(-max(days, 1) // most))
    return [(_ordinal(shifted(first, k)), f"{shifted(first, k):%b} {shifted(first, k).day}")
            for k in range(0, days + 1, step)]


def _hour_ticks(start: float, end: float, offset: timedelta, most: int
                ) -> list[tuple[float, str]]:
    """Ticks on an hour axis (minutes since the epoch, UTC), labelled in local time."""
    for step in (60, 120, 180, 240, 360, 720):
        if (end - start) / step <= most:
            break
    first = int(start // step + 1) * step
    ticks = []
    for minute in range(first, int(end) + 1, step):
        local = datetime(1970, 1, 1) + timedelta(minutes=minute) + offset
        suffix = "a.m." if local.hour < 12 else "p.m."
        ticks.append((float(minute), f"{local.hour % 12 or 12} {suffix}"))
    return ticks


def _minutes(instant: datetime) -> float:
    return (instant - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds() / 60


def one_day(items: list[Item]) -> bool:
    """Every source is of one and the same day."""
    return len({span(i.when) for i in items}) == 1 and span(items[0].when)[0] == \
        span(items[0].when)[1]


def within_an_hour(items: list[Item]) -> bool:
    """Every source is of one day, and those with a time of day within an hour (or none
    has a time): a drawing would put every mark on one point."""
    if not one_day(items):
        return False
    instants = [m for m in (moment(i.when) for i in items) if m is not None]
    return not instants or (max(instants) - min(instants)) <= timedelta(hours=1)


def axis(items: list[Item], published: FuzzyDate, drawing: Drawing) -> Axis:
    """The axis the items need: hours for one day, else the days of the sources and
    of the publication, with a little room at both ends."""
    instants = [m for m in (moment(i.when) for i in items) if m is not None]
    if one_day(items) and instants:
        day = span(items[0].when)[0]
        offset = _offset(items)
        start = min(_minutes(m) for m in instants)
        end = max(_minutes(m) for m in instants)
        pad = max((end - start) * 0.08, 10)
        midnight = _minutes(datetime(day.year, day.month, day.day, tzinfo=UTC)
                            - offset)
        start, end = max(start - pad, midnight), min(end + pad, midnight + 24 * 60)
        return Axis(start, end, tuple(_hour_ticks(start, end, offset, drawing.ticks)),
                    hours=True)
    first = min([span(i.when)[0] for i in items] + [span(published)[0]])
    last = max([span(i.when)[1] for i in items] + [span(published)[1]])
    pad = max((last - first).days // 30, 2)
    first, last = shifted(first, -pad), shifted(last, pad)
    return Axis(_ordinal(first), _ordinal(shifted(last, 1)),
                tuple(_day_ticks(first, last, drawing.ticks)))


def _offset(items: list[Item]) -> timedelta:
    """The UTC offset the hour axis is labelled in: the first timed item's."""
    for item in items:
        if moment(item.when) is not None and item.when.utc_offset:
            text = item.when.utc_offset
            sign = -1 if text.startswith("-") else 1
            hours, minutes = (int(part) for part in text[1:].split(":"))
            return sign * timedelta(hours=hours, minutes=minutes)
    return timedelta()


def _place(item: Item, scale: Axis) -> tuple[float, float]:
    """Where an item begins and ends on the axis."""
    if scale.hours:  # a time, or the whole day
        instant = moment(item.when)
        if instant is None:  # the whole day
            return scale.start, scale.end
        return _minutes(instant), _minutes(instant)
    begin, end = span(item.when)
    if begin == end:
        return _ordinal(begin), _ordinal(begin)
    return _ordinal(begin), _ordinal(shifted(end, 1))


def label_x(begin: float, end: float, characters: int, drawing: Drawing) -> tuple[float, str]:
    """Where a label goes, and its anchor: starting at its mark when there is room to
    the right, else ending at it; never past either edge of the drawing."""
    width = characters * drawing.character_width
    if begin + width <= drawing.width - RIGHT:
        return max(begin, LEFT), "start"
    if end - width >= LEFT:
        return min(end, drawing.width - RIGHT), "end"
    return LEFT, "start"


def svg(items: list[Item], published: FuzzyDate, drawing: Drawing = WIDE) -> Markup:
    """A drawing (aria-hidden: the list beside it says the same)."""
    dated = items_in_order(items)
    scale = axis(dated, published, drawing)
    width = drawing.width
    height = TOP + ROW * len(dated) + 24
    parts = [f'<svg class="timeline-svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">']
    for value, text in scale.ticks:
        tick_x = scale.x(value, drawing)
        half = len(text) * drawing.character_width / 2
        text_x = min(max(tick_x, LEFT + half), width - RIGHT - half)
        parts.append(f'<line class="tick" x1="{tick_x}" x2="{tick_x}" y1="{TOP - 10}" '
                     f'y2="{height - 20}"/><text class="tick-label" x="{round(text_x, 1)}" '
                     f'y="{TOP - 16}" text-anchor="middle">{escape(text)}</text>')
    for row, item in enumerate(dated):
        y = TOP + ROW * row + 10
        begin, end = (scale.x(v, drawing) for v in _place(item, scale))
        style = " ".join(word for word, on in (("approximate", item.when.approximate),
                                               ("uncertain", item.when.uncertain)) if on)
        classes = f"mark {style}".strip()
        if begin == end:
            shape = f'<circle class="{classes}" cx="{begin}" cy="{y}" r="5"/>'
        else:
            shape = (f'<rect class="{classes}" x="{begin}" y="{y - 5}" '
                     f'width="{max(end - begin, 4)}" height="10" rx="3"/>')
        label = shorten(item.label, drawing.label_characters)
        text_x, anchor = label_x(begin, end, len(label), drawing)
        parts.append(f'<a href="{escape(item.href)}" tabindex="-1">{shape}'
                     f'<text class="item-label" x="{text_x}" y="{y + 18}" '
                     f'text-anchor="{anchor}">{escape(label)}</text></a>')
    published_at = _published_at(published, scale)
    if published_at is not None:
        p_x = scale.x(published_at, drawing)
        words = "published"
        text_x, anchor = label_x(p_x, p_x, len(words), drawing)
        parts.append(f'<line class="published" x1="{p_x}" x2="{p_x}" y1="{TOP - 10}" '
                     f'y2="{height - 20}"/><text class="published-label" x="{text_x}" '
                     f'y="{height - 6}" text-anchor="{anchor}">{words}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _published_at(published: FuzzyDate, scale: Axis) -> float | None:
    """Where the publication goes on the axis, or None when it is off it."""
    if scale.hours:
        instant = moment(published)
        value = _minutes(instant) if instant is not None else None
    else:
        value = _ordinal(span(published)[0])
    if value is None or not scale.start <= value <= scale.end:
        return None
    return value


def items_in_order(items: list[Item]) -> list[Item]:
    def when(item: Item) -> tuple:
        instant = moment(item.when)
        return (span(item.when)[0], instant.timestamp() if instant else 0.0)
    return sorted(items, key=when)


def timeline_items(view: StoryView, pretty: bool = False) -> list[Item]:
    """An item for each dated quote of the story, in reading order."""
    by_id = {a.annotation.id: a.annotation for a in view.anchored.anchors}
    items = []
    for note in view.notes:
        when = shown_date(by_id[note.id], view.findings)
        if when is None:
            continue
        items.append(Item(shorten(note.quote, 70), note.source_short, when,
                          folder_link(f"../#{note.ids['quote']}", pretty),
                          note.document_folder))
    return items


def worth_a_timeline(items: list[Item]) -> bool:
    """At least two dated source documents: one has nothing to be set against."""
    return len({item.document for item in items}) >= 2


def timeline_page(context: PageContext, view: StoryView) -> Pages:
    """timeline/index.html, when the story has two dated source documents or more."""
    settings, story = context.settings, view.story
    items = timeline_items(view, pretty_links(settings))
    if not worth_a_timeline(items):
        return Pages()
    zone = settings.timezone
    ordered = [{"label": i.label, "source": i.source, "href": i.href,
                "date_text": i.when.display(zone), "machine": i.when.machine()}
               for i in items_in_order(items)]
    canonical = f"{settings.base_url}{url_quote(story.slug)}/timeline/" \
        if settings.base_url else ""
    drawings = Markup("") if within_an_hour(items) else Markup(
        f'<div class="timeline-wide">{svg(items, story.front.date, WIDE)}</div>'
        f'<div class="timeline-narrow">{svg(items, story.front.date, NARROW)}</div>')
    html = context.env.get_template("timeline.html").render(
        site=settings, root="../../", story=story.front, slug=story.slug,
        canonical=canonical,
        description=f"When each quoted source of \u201c{plain_text(story.front.title)}\u201d "
                    "was written", promise="", feed_url=feed_url(settings),
        title_html=plain_text(story.front.title), title_text=plain_text(story.front.title),
        svg=drawings, items=ordered, og_image=story_share(settings, view),
        date_text=story.front.date.display(zone), date_machine=story.front.date.machine())
    return Pages({"timeline/index.html": html.encode("utf-8")})

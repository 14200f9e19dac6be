"""A story's timeline: every quoted source placed by date, as inline SVG.

Honest about precision: a date known to the day is a dot; a month, a season or a year
is a bar over the whole span; an approximate date is drawn dashed and an uncertain one
hollow, with a legend; the publication date is a vertical line. Each item links to its
quote in the story. An ordered list of the same items, in date order, serves screen
readers and readers without SVG (the SVG itself is hidden from assistive technology).
Drawn at build time: no script. A story gets a timeline page (`timeline/index.html`)
when at least one of its quotes is dated.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote as url_quote

from markupsafe import Markup, escape

from ..core.dates import FuzzyDate
from ..core.words import shorten
from .base import PageContext, Pages, StoryView
from .notes import shown_date
from .text import plain_text
from .urls import feed_url

WIDTH = 640
LEFT = 8
RIGHT = 8
ROW = 30
TOP = 34


@dataclass(frozen=True)
class Item:
    label: str  # the quote, shortened
    source: str  # short citation
    when: FuzzyDate
    href: str  # the quote in the story


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


def _month_ticks(start: date, end: date) -> list[date]:
    ticks, current = [], date(start.year, start.month, 1)
    while current <= end:
        ticks.append(current)
        if current.year == date.max.year and current.month == 12:
            break
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    step = max(1, len(ticks) // 6)
    return ticks[::step]


def svg(items: list[Item], published: FuzzyDate) -> Markup:
    """The drawing (aria-hidden: the list beside it says the same)."""
    dated = sorted(items, key=lambda i: span(i.when)[0])
    first = min([span(i.when)[0] for i in dated] + [span(published)[0]])
    last = max([span(i.when)[1] for i in dated] + [span(published)[1]])
    first, last = shifted(first, -3), shifted(last, 3)
    days = max((last - first).days, 1)
    usable = WIDTH - LEFT - RIGHT

    def x(day: date) -> float:
        return round(LEFT + usable * (day - first).days / days, 1)
    height = TOP + ROW * len(dated) + 24
    parts = [f'<svg class="timeline-svg" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">']
    for tick in _month_ticks(first, last):
        parts.append(f'<line class="tick" x1="{x(tick)}" x2="{x(tick)}" y1="{TOP - 10}" '
                     f'y2="{height - 20}"/><text class="tick-label" x="{x(tick)}" '
                     f'y="{TOP - 16}">{tick.strftime("%b %Y")}</text>')
    for row, item in enumerate(dated):
        y = TOP + ROW * row + 10
        begin, end = span(item.when)
        style = ("approximate " if item.when.approximate else "") + \
            ("uncertain" if item.when.uncertain else "")
        if begin == end:
            shape = f'<circle class="mark {style}" cx="{x(begin)}" cy="{y}" r="5"/>'
        else:
            shape = (f'<rect class="mark {style}" x="{x(begin)}" y="{y - 5}" '
                     f'width="{max(x(shifted(end, 1)) - x(begin), 4)}" height="10" '
                     f'rx="3"/>')
        label = shorten(item.label, 44)
        text_x = min(x(begin), WIDTH - RIGHT - 7 * len(label))
        parts.append(f'<a href="{escape(item.href)}" tabindex="-1">{shape}'
                     f'<text class="item-label" x="{max(text_x, LEFT)}" y="{y + 18}">'
                     f'{escape(label)}</text></a>')
    p_begin, _ = span(published)
    label_x = min(x(p_begin), WIDTH - 40)
    parts.append(f'<line class="published" x1="{x(p_begin)}" x2="{x(p_begin)}" y1="{TOP - 10}" '
                 f'y2="{height - 20}"/><text class="published-label" x="{label_x}" '
                 f'y="{height - 6}">published</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def items_in_order(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: span(i.when)[0])


def timeline_items(view: StoryView) -> list[Item]:
    """An item for each dated quote of the story, in reading order."""
    by_id = {a.annotation.id: a.annotation for a in view.anchored.anchors}
    items = []
    for note in view.notes:
        when = shown_date(by_id[note.id], view.findings)
        if when is None:
            continue
        items.append(Item(shorten(note.quote, 70), note.source_short, when,
                          f"../index.html#{note.ids['quote']}"))
    return items


def timeline_page(context: PageContext, view: StoryView) -> Pages:
    """timeline/index.html, when the story has dated quotes."""
    items = timeline_items(view)
    if not items:
        return Pages()
    settings, story = context.settings, view.story
    ordered = [{"label": i.label, "source": i.source, "href": i.href,
                "date_text": i.when.display(), "machine": i.when.machine()}
               for i in items_in_order(items)]
    canonical = f"{settings.base_url}{url_quote(story.slug)}/timeline/" \
        if settings.base_url else ""
    html = context.env.get_template("timeline.html").render(
        site=settings, root="../../", story=story.front, canonical=canonical,
        description=f"When each quoted source of \u201c{plain_text(story.front.title)}\u201d "
                    "was written", promise="", feed_url=feed_url(settings),
        title_html=plain_text(story.front.title), title_text=plain_text(story.front.title),
        svg=svg(items, story.front.date), items=ordered,
        date_text=story.front.date.display(), date_machine=story.front.date.machine())
    return Pages({"timeline/index.html": html.encode("utf-8")})

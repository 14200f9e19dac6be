"""Each story's timeline of its quoted sources, drawn at build time."""

import re
from datetime import date

import pytest
from bs4 import BeautifulSoup
from helpers import make_project
from hypothesis import given
from hypothesis import strategies as st

from annostory.commands.cli import main
from annostory.core.dates import parse_date
from annostory.pages.timeline import NARROW, WIDE, Item, axis, label_x, svg


def test_the_timeline_places_every_dated_source_honestly(tmp_path):
    root = make_project(tmp_path)
    assert main(["build", "--root", str(root)]) == 0
    folder = root / "site" / "trumka-not-motivated"
    story = BeautifulSoup((folder / "index.html").read_text(), "html.parser")
    assert story.find("a", href="../trumka-not-motivated/timeline/index.html") is not None
    page = BeautifulSoup((folder / "timeline" / "index.html").read_text(), "html.parser")
    drawings = page.select("svg.timeline-svg")
    assert len(drawings) == 2  # wide and narrow (for phones)
    for drawing in drawings:
        assert drawing["aria-hidden"] == "true"
    svg_wide = page.select_one(".timeline-wide svg")
    items = page.select("ol.timeline-list li")
    marks = svg_wide.select(".mark")
    assert len(items) == len(marks) == 13
    dates = [li.time["datetime"] for li in items]
    assert dates == sorted(dates, key=lambda d: (d[:7], d))  # in date order
    classes = {" ".join(m.get("class", [])) for m in marks}
    assert "mark approximate" in classes  # about Sept. 2015: a month, dashed
    assert "mark uncertain" in classes  # Sept. 6, 2015 (date uncertain)
    month = [m for m in marks if "approximate" in m["class"]][0]
    assert month.name == "rect" and float(month["width"]) > 4  # a span over the month
    day = [m for m in marks if m["class"] == ["mark"]][0]
    assert day.name == "circle"
    assert svg_wide.select_one("line.published") is not None
    for li in items:  # every item links to its quote
        href = li.a["href"]
        assert href.startswith("../index.html#quote-")
        assert story.find(id=href.split("#")[1]) is not None
    legend = page.select_one("figcaption.legend").get_text(" ", strip=True)
    for word in ("a known day or time", "a day, month, season or year", "approximate",
                 "uncertain", "publication"):
        assert word in legend


def within_drawing(drawing, width: int) -> None:
    """Every tick and label lies inside the drawing, by where its anchor puts it."""
    for text in drawing.select("text"):
        x = float(text["x"])
        length = len(text.get_text()) * WIDE.character_width
        anchor = text.get("text-anchor", "start")
        left = x - length / 2 if anchor == "middle" else x - length if anchor == "end" else x
        assert left >= 0 and left + length <= width, (text, left, length)
    for line in drawing.select("line"):
        assert 0 <= float(line["x1"]) <= width


ONE_DAY = """sources:
  a: {type: statement, sent: "2024-07-24T09:05-04:00"}
  b: {type: transcript, sent: "2024-07-24T20:01-04:00"}
  c: {type: post, sent: "2024-07-24T13:30-04:00"}
annotations:
  - {quote: alpha, source: a}
  - {quote: beta, source: b}
  - {quote: gamma, source: c}
"""


def one_day_story(root, notes: str) -> None:
    (root / "content" / "day.md").write_text(
        "---\ntitle: Day\ndate: 2024-07-25\n---\nThey said \"alpha\", \"beta\" and "
        "\"gamma\".\n")
    (root / "annotations" / "day.yaml").write_text(notes)


def test_a_one_day_story_gets_an_hour_axis(tmp_path):
    root = make_project(tmp_path, example=False)
    one_day_story(root, ONE_DAY)
    (root / "site.yaml").write_text("title: T\ntimezone: America/New_York\n")
    assert main(["build", "--root", str(root)]) == 0
    page = BeautifulSoup((root / "site" / "day" / "timeline" / "index.html").read_text(),
                         "html.parser")
    wide = page.select_one(".timeline-wide svg")
    ticks = [t.get_text() for t in wide.select(".tick-label")]
    assert ticks and all(re.fullmatch(r"\d{1,2} [ap]\.m\.", t) for t in ticks), ticks
    xs = sorted(float(c["cx"]) for c in wide.select("circle.mark"))
    assert len(set(xs)) == 3 and xs[-1] - xs[0] > 300  # spread over the day, not stacked
    listed = [li.time.get_text() for li in page.select("ol.timeline-list li")]
    assert listed == ["July 24, 2024, 9:05 a.m. EDT", "July 24, 2024, 1:30 p.m. EDT",
                      "July 24, 2024, 8:01 p.m. EDT"]
    for drawing, width in ((wide, WIDE.width), (page.select_one(".timeline-narrow svg"),
                                                NARROW.width)):
        within_drawing(drawing, width)


def test_within_an_hour_there_is_only_the_list(tmp_path):
    root = make_project(tmp_path, example=False)
    one_day_story(root, ONE_DAY.replace("09:05", "20:10").replace("13:30", "20:40"))
    assert main(["build", "--root", str(root)]) == 0
    page = BeautifulSoup((root / "site" / "day" / "timeline" / "index.html").read_text(),
                         "html.parser")
    assert page.select("svg") == [] and len(page.select("ol.timeline-list li")) == 3


def test_one_dated_document_gets_no_timeline(tmp_path):
    """Eight quotes of one speech have nothing to be set against: no page, no link."""
    root = make_project(tmp_path, example=False)
    one_day_story(root, ONE_DAY.replace("source: b", "source: a").replace(
        "source: c", "source: a"))
    assert main(["build", "--root", str(root)]) == 0
    assert not (root / "site" / "day" / "timeline").exists()
    story = (root / "site" / "day" / "index.html").read_text()
    assert "timeline" not in story.lower()


DATES = st.sampled_from(["2015", "2015-11", "2015-11-03", "2015-21", "2015-09~", "2016-02-17?",
                         "2016-02-29", "2015-10-21T12:16-07:00", "2024-07-24T20:01-04:00",
                         "0001-01-01", "9999-12", "2016-11-01T23:59Z"])


@given(st.lists(DATES, min_size=2, max_size=12), DATES,
       st.lists(st.text(alphabet="ab W\u00e9", min_size=1, max_size=90), min_size=12,
                max_size=12))
def test_drawings_keep_every_label_and_tick_inside(dates, published, labels):
    items = [Item(labels[i], "Memo", parse_date(d)[0], "#q", f"doc{i}")
             for i, d in enumerate(dates)]
    when = parse_date(published)[0]
    for drawing in (WIDE, NARROW):
        soup = BeautifulSoup(str(svg(items, when, drawing)), "html.parser")
        within_drawing(soup.svg, drawing.width)
        scale = axis(items, when, drawing)
        assert scale.start < scale.end


@pytest.mark.parametrize("begin", [0, 100, 320, 600, 640])
def test_a_label_goes_where_there_is_room(begin):
    for characters in (1, 20, 44):
        x, anchor = label_x(begin, begin, characters, WIDE)
        width = characters * WIDE.character_width
        left = x - width if anchor == "end" else x
        assert left >= 0 and left + width <= WIDE.width


def test_month_ticks_fall_within_the_axis():
    items = [Item("a", "M", parse_date("2026-03-12")[0], "#", "a"),
             Item("b", "M", parse_date("2026-03-12~")[0], "#", "b")]
    scale = axis(items, parse_date("2026-03-14")[0], WIDE)
    assert all(scale.start <= value <= scale.end for value, _ in scale.ticks)
    assert date.fromordinal(int(scale.start)) <= date(2026, 3, 12)

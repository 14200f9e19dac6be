"""Each story's timeline of its quoted sources, drawn at build time."""

from bs4 import BeautifulSoup
from helpers import make_project

from annostory.commands.cli import main


def test_the_timeline_places_every_dated_source_honestly(tmp_path):
    root = make_project(tmp_path)
    assert main(["build", "--root", str(root)]) == 0
    folder = root / "site" / "trumka-not-motivated"
    story = BeautifulSoup((folder / "index.html").read_text(), "html.parser")
    assert story.find("a", href="timeline/index.html") is not None
    page = BeautifulSoup((folder / "timeline" / "index.html").read_text(), "html.parser")
    svg = page.select_one("svg.timeline-svg")
    assert svg["aria-hidden"] == "true"
    items = page.select("ol.timeline-list li")
    marks = svg.select(".mark")
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
    assert svg.select_one("line.published") is not None
    for li in items:  # every item links to its quote
        href = li.a["href"]
        assert href.startswith("../index.html#quote-")
        assert story.find(id=href.split("#")[1]) is not None
    legend = page.select_one("figcaption.legend").get_text(" ", strip=True)
    for word in ("a known day", "a month, season or year", "approximate", "uncertain",
                 "publication"):
        assert word in legend

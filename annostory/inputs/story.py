"""A story file -> `Story`: front matter checked, headline, dek and body parsed.

`content/<slug>.md` is YAML front matter between `---` lines, then Markdown.
Parsing records every piece of visible text in the story's `TextIndex`
(`inputs.textindex`), so annotations can be anchored afterwards (`anchoring`).
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it.token import Token

from ..core.characters import REFUSED, character_name
from ..core.dates import FuzzyDate
from ..core.diagnostics import Diagnostic, Position, error, warning
from . import schema
from .annotations import parsed_date
from .files import SourceText
from .markdown import MAX_NESTING, render_note, story_markdown, unsafe_links
from .textindex import ENV_KEY, TextIndex
from .yamltree import YamlDocument, load_yaml

FRONT_MATTER_EXAMPLE = "a line '---', then 'title: The headline', 'date: 2016-11-01', then '---'"


@dataclass(frozen=True)
class Correction:
    date: FuzzyDate
    text: str  # inline Markdown


@dataclass(frozen=True)
class Photo:
    file: str
    alt: str = ""
    caption: str = ""
    credit: str = ""
    decorative: bool = False
    position: Position = Position("")


@dataclass(frozen=True)
class FrontMatter:
    title: str
    date: FuzzyDate
    dek: str = ""
    byline: str = ""
    byline_url: str = ""
    publisher: str = ""
    original_url: str = ""  # the story as first published (`canonical` is its old name)
    photo_credit: str = ""
    updated: FuzzyDate | None = None
    corrections: tuple[Correction, ...] = ()
    draft: bool = False
    tags: tuple[str, ...] = ()
    photo: Photo | None = None


@dataclass
class Story:
    slug: str
    file: str
    front: FrontMatter
    title_tokens: list[Token]
    dek_tokens: list[Token]
    body_tokens: list[Token]
    text: TextIndex
    env: dict


def _inline_env(index: TextIndex, part: str, doc: YamlDocument, key: str,
                lines: list[str]) -> dict:
    pos = doc.position((key,))
    column = pos.column - 1
    line = lines[pos.line - 1] if 0 < pos.line <= len(lines) else ""
    if column < len(line) and line[column] in "\"'":
        column += 1
    return {ENV_KEY: index, "part": part, "first_line": pos.line - 1,
            "column_base": column}


def load_story(slug: str, source: SourceText) -> tuple[Story | None, list[Diagnostic]]:
    md = story_markdown()
    file = source.display_name
    lines = source.text.split("\n")
    index = TextIndex(file, lines)
    if not source.text.strip():
        return None, [error("empty-story", "the story file is empty", Position(file, 1, 1),
                            hint=f"start with front matter: {FRONT_MATTER_EXAMPLE}")]
    env: dict = {ENV_KEY: index, "part": "body"}
    tokens = md.parse(source.text, env)
    problem = _shape_problem(tokens, file)
    if problem is not None:
        return None, [problem]
    front_token, body = tokens[0], tokens[1:]
    doc, diagnostics = load_yaml(front_token.content, file, line_offset=1)
    if doc is None:
        return None, diagnostics
    if not isinstance(doc.data, dict):
        return None, [error("front-matter-shape", "front matter must be 'key: value' lines",
                            doc.position(()), hint=FRONT_MATTER_EXAMPLE)]
    diagnostics = schema.validate(doc, "story.schema.json")
    if diagnostics:
        return None, diagnostics
    front = _front_matter(doc, diagnostics)
    if not any(t.type == "inline" and t.content.strip() for t in body):
        end_line = front_token.map[1] + 1 if front_token.map else 1
        diagnostics.append(error("empty-story", "the story has no text after its front matter",
                                 Position(file, end_line, 1),
                                 hint="write the story below the closing '---'"))
    title_tokens = md.parseInline(front.title, _inline_env(index, "title", doc, "title", lines))
    dek_tokens = md.parseInline(front.dek, _inline_env(index, "dek", doc, "dek", lines)) \
        if front.dek else []
    index.in_reading_order()
    diagnostics += _text_problems(index, title_tokens + dek_tokens + body)
    story = Story(slug, file, front, title_tokens, dek_tokens, body, index, env)
    return story, diagnostics


def _shape_problem(tokens: list[Token], file: str) -> Diagnostic | None:
    """No front matter, or text nested deeper than MAX_NESTING."""
    if not tokens or tokens[0].type != "front_matter":
        return error("missing-front-matter",
                     "the story does not start with front matter (title, date)",
                     Position(file, 1, 1),
                     hint=f"put this at the very top: {FRONT_MATTER_EXAMPLE}")
    deepest = max(tokens[1:], key=lambda t: t.level, default=None)
    if deepest is not None and deepest.level > MAX_NESTING:
        line = (deepest.map[0] + 1) if deepest.map else 1
        return error("nested-too-deep",
                     f"the text is nested {deepest.level} levels deep (block quotes "
                     f"or lists inside each other); the limit is {MAX_NESTING}",
                     Position(file, line, 1),
                     hint="nest fewer block quotes or lists; no words are dropped "
                          "silently, so the story is refused instead")
    return None


def _front_matter(doc: YamlDocument, diagnostics: list[Diagnostic]) -> FrontMatter:
    """The front matter (valid against the schema) as a record, with what the schema
    cannot say: a photo without alt text, a renamed key, unsafe links in corrections."""
    data = doc.data

    def when(value, path: tuple) -> FuzzyDate:
        return parsed_date(value, doc, path, diagnostics) or FuzzyDate(1)
    date = when(data["date"], ("date",))
    corrections = tuple(Correction(when(c["date"], ("corrections", i, "date")),
                                   c["text"].strip())
                        for i, c in enumerate(data.get("corrections", [])))
    front = FrontMatter(title=data["title"].strip(), date=date, dek=data.get("dek", "").strip(),
                        byline=data.get("byline", ""), byline_url=data.get("byline_url", ""),
                        publisher=data.get("publisher", ""),
                        original_url=data.get("original_url") or data.get("canonical", ""),
                        photo_credit=data.get("photo_credit", ""),
                        updated=when(data["updated"], ("updated",)) if "updated" in data
                        else None,
                        corrections=corrections, draft=data.get("draft", False),
                        tags=tuple(" ".join(t.split()) for t in data.get("tags", [])),
                        photo=_photo(data.get("photo"), doc))
    if front.photo and not front.photo.alt and not front.photo.decorative:
        diagnostics.append(error(
            "missing-alt", "the photo has no 'alt' text", doc.key_position(("photo",)),
            hint="describe what the photo shows (alt: ...), or mark it 'decorative: true' "
                 "if it adds nothing a reader needs"))
    if "canonical" in data:
        diagnostics.append(warning(
            "renamed-key", "'canonical' is now called 'original_url' (the address of the "
            "story as first published)", doc.key_position(("canonical",)),
            hint="rename the key to original_url: (a page's own canonical link comes from "
                 "base_url in site.yaml)"))
    for i, correction in enumerate(corrections):
        for problem in render_note(correction.text)[1]:
            diagnostics.append(error("unsafe-link", f"link in a correction not allowed: "
                                     f"{problem}", doc.position(("corrections", i, "text")),
                                     hint="only http, https and mailto links are published"))
    return front


def _text_problems(index: TextIndex, tokens: list[Token]) -> list[Diagnostic]:
    """One link policy for every Markdown field (the headline and dek as the body), and
    control characters that character references make ("&#12;")."""
    found = []
    for token, problem in unsafe_links(tokens, allow_relative=True):
        found.append(error("unsafe-link", f"link not allowed: {problem}",
                           index.token_position(token),
                           hint="only http, https, mailto and links inside the site"))
    for run in index.runs:
        for match in REFUSED.finditer(run.text):
            found.append(error(
                "control-character",
                f"the story shows the invisible control character "
                f"{character_name(match.group())}", run.position(match.start()),
                hint="remove the character reference (&#12;, &#13;...)"))
    return found


def _photo(value: dict | None, doc: YamlDocument) -> Photo | None:
    if not value:
        return None
    return Photo(value["file"].strip(), value.get("alt", "").strip(),
                 value.get("caption", "").strip(), value.get("credit", "").strip(),
                 value.get("decorative", False), doc.position(("photo", "file")))

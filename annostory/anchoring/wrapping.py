"""Token rewriting: wrap each anchored passage in the story's token stream.

Each passage is wrapped in `annotation_open` / `annotation_close` tokens (a link to its
note, `<a class="anno" ...>`), splitting text tokens and closing and reopening inline
markup so the HTML stays well nested. A passage that holds a link, or is inside one,
is marked with a `<span>` instead and followed, outside every link, by a note link of
its own (`annotation_marker_open` ... `_close`). The new tokens carry their tag and
attributes, so markdown-it's default renderer writes them; no render rule is needed.
Called once, after matching reported no errors; nothing after it changes a token.
"""

from __future__ import annotations

from markdown_it.token import Token

from ..inputs.textindex import TEXT_TYPES
from .anchors import Anchor

MARKER_LABEL = '<span class="anno-marker-label">note</span>'


def wrap_all(anchors: list[Anchor]) -> None:
    """Wrap every anchored passage (only when matching reported no errors)."""
    by_run: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        by_run.setdefault(id(anchor.run), []).append(anchor)
    for group in by_run.values():
        for anchor in sorted(group, key=lambda a: a.start, reverse=True):
            _wrap(anchor)


def _split(children: list[Token], child: int, offset: int) -> int:
    """Split child `child` at `offset`; return the index where new tokens go."""
    token = children[child]
    if offset <= 0:
        return child
    if token.type not in TEXT_TYPES or offset >= len(token.content):
        return child + 1
    tail = token.copy()
    tail.content = token.content[offset:]
    token.content = token.content[:offset]
    children.insert(child + 1, tail)
    return child + 1


def _matching_open(children: list[Token], close_index: int, stop: int) -> Token | None:
    depth = 0
    for i in range(stop - 1, -1, -1):
        t = children[i]
        if t.nesting == -1:
            depth += 1
        elif t.nesting == 1:
            if depth == 0 and t.tag == children[close_index].tag:
                return t
            depth -= 1
    return None


def _pairs(children: list[Token]) -> dict[int, int]:
    """Index of each opening token -> index of its closing token, and back."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, t in enumerate(children):
        if t.nesting == 1:
            stack.append(i)
        elif t.nesting == -1 and stack:
            j = stack.pop()
            pairs[i], pairs[j] = j, i
    return pairs


def _widen_over_markup(children: list[Token], open_at: int, close_at: int) -> tuple[int, int]:
    """Take in markup that opens just before / closes just after the passage when its
    other half is inside, so `*word*` quoted whole becomes <a><em>word</em></a>."""
    pairs = _pairs(children)
    changed = True
    while changed:
        changed = False
        if close_at < len(children) and children[close_at].nesting == -1 and \
                open_at <= pairs.get(close_at, -1) < close_at:
            close_at += 1
            changed = True
        if open_at > 0 and children[open_at - 1].nesting == 1 and \
                open_at <= pairs.get(open_at - 1, -1) < close_at:
            open_at -= 1
            changed = True
        if open_at > 0 and close_at < len(children) and \
                pairs.get(open_at - 1) == close_at:  # markup wrapping exactly the passage
            open_at, close_at = open_at - 1, close_at + 1
            changed = True
    return open_at, close_at


def _wrap(anchor: Anchor) -> None:
    annotation = anchor.annotation
    children = anchor.run.token.children
    assert children is not None
    end_child, end_offset = anchor.run.location(anchor.end - 1)
    start_child, start_offset = anchor.run.location(anchor.start)
    close_at = _split(children, end_child, end_offset + 1)
    open_at = _split(children, start_child, start_offset)
    if open_at > start_child:
        close_at += 1  # the start split added a token before the end
    open_at, close_at = _widen_over_markup(children, open_at, close_at)
    inner = children[open_at:close_at]
    link_depth = _link_depth(children, open_at)
    uses_marker = link_depth > 0 or any(t.type == "link_open" for t in inner)

    ids = element_ids(annotation.id)
    opener = Token("annotation_open", "a", 1)
    closer = Token("annotation_close", "a", -1)
    marker: list[Token] = []
    note_attrs = {"id": ids["quote"], "href": f"#{ids['note']}",
                  "aria-describedby": ids["about"], "data-note": annotation.id}
    if uses_marker:  # no link inside a link: mark the text, put the note link after it
        opener.tag = closer.tag = "span"
        opener.attrs = {"class": "anno anno-with-link"}
        marker = _marker({"class": "anno-marker", **note_attrs})
    else:
        opener.attrs = {"class": "anno", **note_attrs}

    # Keep nesting valid: markup that closes inside the passage is closed before it
    # and reopened inside; markup that opens inside is closed at its end and reopened after.
    unmatched_closes: list[Token] = []
    stack: list[Token] = []
    for t in inner:
        if t.nesting == 1:
            stack.append(t)
        elif t.nesting == -1:
            if stack:
                stack.pop()
            else:
                unmatched_closes.append(t)
    before: list[Token] = []
    reopen_inside: list[Token] = []
    for close in unmatched_closes:
        index = children.index(close)
        opened = _matching_open(children, index, open_at)
        before.append(close.copy())
        reopen_inside.insert(0, (opened or Token(close.type.replace("_close", "_open"),
                                                   close.tag, 1)).copy())
    close_inside = [Token(t.type.replace("_open", "_close"), t.tag, -1) for t in reversed(stack)]
    reopen_after = [t.copy() for t in stack]

    # The original unmatched closes inside now close the reopened copies.
    children[close_at:close_at] = close_inside + [closer] + reopen_after
    children[open_at:open_at] = before + [opener] + reopen_inside
    if marker:  # after the passage, outside every link around it
        at = children.index(closer) + 1
        depth = _link_depth(children, at)
        while depth > 0 and at < len(children):
            if children[at].type == "link_close":
                depth -= 1
            elif children[at].type == "link_open":
                depth += 1
            at += 1
        children[at:at] = marker


def element_ids(annotation_id: str) -> dict[str, str]:
    """The ids an annotation gives the page: the quote, its note (the permalink
    #note-ID) and the note's text (the quote's accessible description). Each kind has
    its own prefix and no prefix is a prefix of another, so ids of different
    annotations never collide ("a" and "a-text" once did)."""
    return {"quote": f"quote-{annotation_id}", "note": f"note-{annotation_id}",
            "about": f"about-{annotation_id}"}


def _link_depth(children: list[Token], index: int) -> int:
    """How many links are open just before children[index]."""
    depth = 0
    for token in children[:index]:
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
    return depth


def _marker(attrs: dict[str, str]) -> list[Token]:
    """The focusable note link that follows a quote holding or inside a link."""
    opener = Token("annotation_marker_open", "a", 1)
    opener.attrs = attrs
    label = Token("html_inline", "", 0)
    label.content = MARKER_LABEL
    return [opener, label, Token("annotation_marker_close", "a", -1)]

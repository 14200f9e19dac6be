"""The story's HTML from its anchored token stream.

markdown-it's own renderer, with two additions that read what the checks found and
change no token: a local image is written with the sizes the `images` check made
(`src`, `srcset`, `sizes`, `width`, `height`), and a paragraph holding only an image
with a title becomes a figure whose caption is that title.
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from ..checks.images import SIZES, Picture

PICTURES = "pictures"  # env: id() of an image token -> its Picture
FIGURES = "figures"  # env: id() of a figure's paragraph tokens and image -> its caption


def figures(tokens: list[Token]) -> dict[int, str]:
    """The paragraphs that hold only an image with a title: their opening and closing
    tokens and the image, by id(), with the title (the figure's caption)."""
    found: dict[int, str] = {}
    for i in range(len(tokens) - 2):
        opening, inline, closing = tokens[i:i + 3]
        if opening.type != "paragraph_open" or inline.type != "inline" or \
                closing.type != "paragraph_close":
            continue
        children = [c for c in inline.children or [] if not (c.type == "text" and
                                                              not c.content.strip())]
        if len(children) != 1 or children[0].type != "image":
            continue
        title = str(children[0].attrGet("title") or "").strip()
        if title:
            for token in (opening, closing, children[0]):
                found[id(token)] = title
    return found


class StoryRenderer(RendererHTML):
    """markdown-it's HTML renderer, with pictures and figures (see the module)."""

    def image(self, tokens: Sequence[Token], idx: int, options, env) -> str:
        token = tokens[idx].copy(attrs=dict(tokens[idx].attrs))
        picture: Picture | None = env.get(PICTURES, {}).get(id(tokens[idx]))
        if picture is not None:
            token.attrSet("src", picture.src)
            for name, value in (("srcset", picture.srcset), ("sizes", SIZES),
                                ("width", str(picture.width)),
                                ("height", str(picture.height)), ("decoding", "async")):
                token.attrSet(name, value)
        if id(tokens[idx]) in env.get(FIGURES, {}):
            token.attrs.pop("title", None)
        token.attrSet("alt", self.renderInlineAsText(token.children or [], options, env))
        return self._render_as(tokens, idx, options, env, token)

    def paragraph_open(self, tokens: Sequence[Token], idx: int, options, env) -> str:
        if id(tokens[idx]) not in env.get(FIGURES, {}):
            return self.renderToken(tokens, idx, options, env)
        return self._render_as(tokens, idx, options, env, _as_figure(tokens[idx]))

    def paragraph_close(self, tokens: Sequence[Token], idx: int, options, env) -> str:
        caption = env.get(FIGURES, {}).get(id(tokens[idx]))
        if caption is None:
            return self.renderToken(tokens, idx, options, env)
        return (f"<figcaption>{escapeHtml(caption)}</figcaption>"
                + self._render_as(tokens, idx, options, env, _as_figure(tokens[idx])))

    def _render_as(self, tokens: Sequence[Token], idx: int, options, env, token: Token
                   ) -> str:
        """renderToken for `token` standing in for tokens[idx] (its neighbours count)."""
        window = list(tokens[max(idx - 1, 0):idx + 2])
        at = 1 if idx > 0 else 0
        window[at] = token
        return self.renderToken(window, at, options, env)


def _as_figure(token: Token) -> Token:
    copy = token.copy()
    copy.tag = "figure"
    return copy

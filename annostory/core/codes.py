"""Every diagnostic code: its severity, what it means, and what to do.

The one list of codes: the README's table is generated from it
(`python -m annostory.core.codes`), and the tests check that every code the engine
can emit is here, with the severity it is emitted with.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    severity: str  # "error" or "warning"
    meaning: str
    fix: str
    settable: bool = False  # a setting of site.yaml may make it an error


def _e(meaning: str, fix: str) -> Code:
    return Code("error", meaning, fix)


def _w(meaning: str, fix: str) -> Code:
    return Code("warning", meaning, fix)


CODES: dict[str, Code] = {
    # anchoring a quote to the story
    "anchor-not-found": _e("the quote is not in the story; the hint shows the closest passage",
                           "copy the words from the story"),
    "anchor-ambiguous": _e("the words occur more than once; every place is listed",
                           "add the suggested `prefix:` or `suffix:`"),
    "anchor-overlap": _e("two annotations share words", "shorten one quote, or merge them"),
    "anchor-spans-paragraphs": _e("a quote runs over a paragraph break",
                                  "annotate each part"),
    "anchor-context-mismatch": _e("the words are there, but not with this prefix/suffix",
                                  "check or remove them"),
    "anchor-partial-word": _e("the quote starts or ends inside a word of the story",
                              "quote whole words"),
    "anchor-partial-character": _e("the quote cuts an emoji sequence, a flag or an accented "
                                   "letter", "quote whole characters"),
    "empty-quote": _e("a quote with no words", "write the quoted words"),
    # annotations files
    "missing-quote": _e("an annotation has no `quote:`", "add it"),
    "missing-source": _e("an annotation has no `source:` (every quote is tied to its source)",
                         "add it"),
    "missing-name": _e("a person has no `name:`", "add it"),
    "missing-type": _e("a source has no `type:`", "add it, e.g. `type: email`"),
    "missing-publisher": _e("a `reported_by:` entry has no `publisher:`", "add it"),
    "missing-text": _e("a correction, excerpt or `not_quotations:` entry has no `text:`",
                       "add it"),
    "missing-reason": _e("a `not_quotations:` entry has no `reason:`", "say why it is not a "
                         "quotation"),
    "missing-file": _e("a `photo:` has no `file:`", "add the image's path under images/"),
    "missing-attribution_reason": _e("`attribution: disputed` without a reason",
                                     "add `attribution_reason:`"),
    "missing-annotations": _e("the file has no `annotations:` list", "add it"),
    "unknown-key": _e("a misspelt key (`speakr`)", "the hint says \"did you mean\""),
    "undefined-person": _e("a person id that is not defined under `people:`",
                           "define it, or fix the id"),
    "undefined-source": _e("a source id that is not defined under `sources:`",
                           "define it, or fix the id"),
    "duplicate-id": _e("two annotations have the same `id:`", "give each its own, or leave "
                       "ids out"),
    "bad-id": _e("a key that cannot be an id", "use lower-case letters, digits and dashes"),
    "unused-entry": _w("a person or source no annotation refers to",
                       "remove it, or refer to it"),
    "empty-annotations": _w("the annotations file is empty", "run `stub` to list the "
                            "story's quotations"),
    "stub-flow-list": _e("`stub` cannot add to `annotations:` written as a [flow, list]",
                         "write it as a block list"),
    # values
    "wrong-type": _e("e.g. a list where a name is expected, or `true` where text is expected",
                     "see the hint"),
    "bad-value": _e("a value that is not one of those allowed", "the hint lists them"),
    "bad-date": _e("an impossible (`2016-02-30`) or ambiguous (`03/04/2016`) date",
                   "write YYYY-MM-DD"),
    "bad-timezone": _e("a `timezone:` this machine does not know (`America/New_Yrok`)",
                       "write an IANA name; the hint guesses it"),
    "bad-url": _e("not a web address (or `base_url` that a site cannot be served from)",
                  "write a full https:// address"),
    "empty-value": _e("a key with an empty value", "write the value, or remove the line"),
    "too-long": _e("a text over its length limit", "shorten it"),
    "too-many": _e("a list over its limit (at most 20 tags a story)", "keep those that "
                   "matter most"),
    "schema": _e("any other mismatch with the schema", "as the message says"),
    "unsafe-url": _e("a `javascript:`, `data:` or `file:` address in YAML",
                     "use http(s) or mailto"),
    "unsafe-link": _e("a `javascript:`, `data:` or `file:` link in Markdown",
                      "use http(s) or mailto"),
    # YAML
    "yaml-syntax": _e("tabs, an unclosed quote, bad indentation", "the message says where"),
    "yaml-duplicate-key": _e("the same key twice (YAML would silently keep the last)",
                             "remove one"),
    "yaml-complex-key": _e("a key that is not a simple name", "write `name: value`"),
    "yaml-several-documents": _e("more than one YAML document (`---`) in a file",
                                 "keep one"),
    "yaml-tag-refused": _e("a YAML tag (`!!python/object`...)", "remove it"),
    "yaml-too-deep": _e("values nested more than 32 levels", "write plain values"),
    "yaml-too-large": _e("aliases expanding to more than 20,000 values",
                         "write the values out"),
    "yaml-too-many-aliases": _e("more than 50 aliases in one file", "write the values out"),
    # stories
    "missing-title": _e("the front matter has no `title:`", "add it"),
    "missing-date": _e("the front matter has no `date:`", "add it"),
    "missing-front-matter": _e("the story does not start with front matter",
                               "start with `---`, `title:`, `date:`, `---`"),
    "front-matter-shape": _e("front matter that is not `key: value` lines",
                             "write `key: value` lines"),
    "empty-story": _e("a story file without text", "write the story"),
    "nested-too-deep": _e("block quotes or lists nested more than 16 deep",
                          "flatten the text (it is refused, never dropped)"),
    "missing-alt": _e("a photo without `alt:` text", "describe it, or mark it "
                      "`decorative: true`"),
    "renamed-key": _w("a key with a new name (`canonical` is now `original_url`)",
                      "rename it"),
    "no-annotations-file": _w("a story without an annotations file", "run `stub`"),
    "annotations-without-story": _e("an annotations file whose story does not exist",
                                    "rename it to match its story"),
    "wrong-extension": _e("an annotations file ending in .yml", "rename it to .yaml"),
    "no-stories": _e("no stories in content/", "add a story"),
    # coverage and checks
    "unsourced-quotation": _w("a quotation without an annotation",
                              "annotate it (`stub` helps)"),
    "partly-annotated-quotation": _w("only part of a quotation carries a note",
                                     "widen the quote, or annotate the rest"),
    "unclosed-quotation": _w("a quotation mark that is never closed",
                             "close it, or open the next paragraph with one"),
    "unused-not-quotation": _w("a `not_quotations:` entry that matches no quotation",
                               "copy the words exactly, or remove it"),
    "misquote": _e("a quote whose words differ from its source's original (changed, added "
                   "or dropped words, spelling), or that is not in it",
                   "fix the quote, mark deliberate changes, or record `verified: misquoted`"),
    "punctuation-differs": Code("warning", "only the punctuation or capitals of a quote "
                                "differ from its original (site.yaml's "
                                "`punctuation_differs` can make this ignored, or an error)",
                                "accept it: `verified: punctuation`", settable=True),
    "stale-verified": _w("`verified:` on a quote that is now the original's words",
                         "remove `verified:` and `verified_reason:`"),
    "missing-verified_reason": _e("`verified:` without a reason", "add `verified_reason:`"),
    "unknown-source-type": _w("a source type close to a known one (`emial`)",
                              "the hint says \"did you mean\""),
    "original-not-found": _e("`original:` names a file that does not exist",
                             "put it under sources/"),
    "original-format": _e("an original annostory cannot read", "save it as .eml, .txt or "
                          ".md"),
    "original-outside-sources": _e("`original:` is not a file under sources/ (a `..` path, "
                                   "or a link out of it)", "keep originals in sources/"),
    "original-unreadable": _e("an email with too many parts, or parts nested too deeply",
                              "save the message itself from the mail program"),
    "original-charset": _w("an email in a character set Python does not know (read as "
                           "UTF-8)", "check the words; save the email again if they look "
                           "wrong"),
    "original-characters": _w("control characters, bidirectional overrides or "
                              "noncharacters in an original (removed from the pages)",
                              "nothing, unless the words look wrong"),
    "original-differs": _w("a source's field differs from its email's header",
                           "check which is right"),
    "attribution-differs": _w("the story attributes a quote to someone else",
                              "check; record `attribution: disputed` if you know"),
    "image-not-found": _e("an image that does not exist", "check the file name"),
    "image-outside-images": _e("an image that is not under images/", "move it there"),
    "not-an-image": _e("a file that is not an image Pillow can read (SVG is not accepted: "
                       "it can hold scripts)", "save it as JPEG, PNG or WebP"),
    "image-too-large": _e("an image over 50 megapixels (it would take a gigabyte to "
                          "decode)", "resize it"),
    # files
    "not-utf8": _e("a file that is not UTF-8", "save it as UTF-8"),
    "control-character": _e("an invisible control character (in the file, a YAML escape or "
                            "a character reference)", "delete it"),
    "file-too-large": _e("a file over its size limit (1 MiB for text)",
                         "check that it is the right file"),
    "file-outside-project": _e("a link to a file outside the project", "copy the file in"),
    "file-unreadable": _e("a file that cannot be read", "as the message says"),
    "not-a-file": _e("a pipe, socket, device or folder where a file is expected",
                     "use an ordinary file"),
    "bad-file-name": _e("a file name that is not UTF-8 or holds control characters (it is "
                        "left out)", "rename it"),
    "file-name-case": _w("two stories or annotations files whose names differ only in "
                         "capitals (one file on many hosts)", "rename one"),
    "duplicate-file-name": _e("two file names that differ only in Unicode form",
                              "keep one"),
    "no-settings": _w("no site.yaml", "create one"),
    # the site
    "template": _e("a template error, at the template's line", "the hint suggests a name"),
    "theme-override-outdated": _w("a template or static file copied from the built-in "
                                  "theme, which has changed since",
                                  "compare them: `annostory theme diff NAME`"),
    "broken-link": _e("a page links to a file of the site that does not exist (a template "
                      "naming an asset that neither static/ nor the theme has)",
                      "fix the template; `annostory theme diff` shows what changed"),
    "template-missing": _e("a template that exists neither in the project nor built in",
                           "include only templates that exist"),
    "output-collision": _e("two inputs would make the same page (a story called `assets`)",
                           "rename one"),
    "write-failed": _e("the preview could not write the site", "as the message says"),
}


def markdown_table() -> str:
    """The README's table of codes."""
    rows = ["| code | | meaning | what to do |", "| --- | --- | --- | --- |"]
    for code, entry in CODES.items():
        rows.append(f"| `{code}` | {entry.severity} | {entry.meaning} | {entry.fix} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown_table())

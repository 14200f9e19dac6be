"""Characters that must never reach a page or a terminal raw: the one rule.

`REFUSED` are refused in every input (a story, YAML, a character reference such as
`&#12;`): C0 and C1 control characters except tab and newline, DEL, noncharacters
(U+FFFE, U+FFFF... which XML forbids) and lone surrogates. `UNSAFE` is what a message
escapes before it is printed: those, and the bidirectional overrides, embeddings and
isolates that reorder how a terminal shows text. `FROM_ORIGINALS` is what is removed
from an original (an email, a document), whose words are evidence and are not edited
by hand: all of those.
"""

from __future__ import annotations

import re

_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff" + "".join(
    f"{chr(plane * 0x10000 + 0xfffe)}{chr(plane * 0x10000 + 0xffff)}" for plane in range(1, 17))
_BIDI = "\u202a-\u202e\u2066-\u2069"
REFUSED = re.compile(f"[{_CONTROLS}{_NONCHARACTERS}]")
UNSAFE = re.compile(f"[{_CONTROLS}{_NONCHARACTERS}{_BIDI}]")
FROM_ORIGINALS = UNSAFE
# A terminal's colour or cursor sequence (ESC [ 31 m, CSI 2 J): removed whole.
_ESCAPE_SEQUENCE = re.compile("(?:\x1b\\[|\x9b)[0-9;?]*[A-Za-z]")


def without_unsafe(text: str) -> str:
    """`text` without what FROM_ORIGINALS matches (a terminal escape sequence whole)."""
    return FROM_ORIGINALS.sub("", _ESCAPE_SEQUENCE.sub("", text))

_NAMES = {0x1b: "ESCAPE", 0x07: "BELL", 0x08: "BACKSPACE", 0x0c: "FORM FEED",
          0x0d: "CARRIAGE RETURN", 0x00: "NULL", 0x7f: "DELETE", 0x9b: "CSI"}


def character_name(ch: str) -> str:
    """'U+001B (ESCAPE)' for a control character, 'U+202E RIGHT-TO-LEFT OVERRIDE'."""
    import unicodedata

    name = _NAMES.get(ord(ch)) or unicodedata.name(ch, "") or (
        "half of a surrogate pair" if 0xd800 <= ord(ch) <= 0xdfff else
        "a noncharacter" if unicodedata.category(ch) == "Cn" else "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def printable(text: str) -> str:
    """`text` with every unsafe character written as a visible escape (\\x1b)."""
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) > 0xff
                      else f"\\x{ord(m.group()):02x}", text)


def script_safe(json_text: str) -> str:
    """JSON text that can stand inside an HTML <script> element: `<`, `>` and `&`
    written as escapes, so no string in it can close the element."""
    return json_text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

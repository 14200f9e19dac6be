"""Characters that must never reach a page or a terminal raw: the one rule.

`REFUSED` are refused in every input (a story, YAML, a character reference such as
`&#12;`): C0 and C1 control characters except tab and newline, and DEL. `UNSAFE` is
what a message escapes before it is printed: those, and the bidirectional overrides,
embeddings and isolates that reorder how a terminal shows text.
"""

from __future__ import annotations

import re

REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_NAMES = {0x1b: "ESCAPE", 0x07: "BELL", 0x08: "BACKSPACE", 0x0c: "FORM FEED",
          0x0d: "CARRIAGE RETURN", 0x00: "NULL", 0x7f: "DELETE", 0x9b: "CSI"}


def character_name(ch: str) -> str:
    """'U+001B (ESCAPE)' for a control character."""
    return f"U+{ord(ch):04X}" + (f" ({_NAMES[ord(ch)]})" if ord(ch) in _NAMES else "")


def printable(text: str) -> str:
    """`text` with every unsafe character written as a visible escape (\\x1b)."""
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) > 0xff
                      else f"\\x{ord(m.group()):02x}", text)


def script_safe(json_text: str) -> str:
    """JSON text that can stand inside an HTML <script> element: `<`, `>` and `&`
    written as escapes, so no string in it can close the element."""
    return json_text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

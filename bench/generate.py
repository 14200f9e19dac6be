"""A deterministic synthetic newsroom for benchmarks: `python bench/generate.py DIR N`.

Each story is about 1,100 words in paragraphs of reported speech, with 20 quotations,
every one annotated in the README's format (people and sources shared by every
story: the same ten people and five source documents; each quote is from an email
its speaker sent, so the attribution check agrees with the story). The same seed gives the same
files, byte for byte. Pathological stories for the matcher are made by
`pathological(kind)`.
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vi", "so", "de", "pa", "gu", "hi", "be",
             "fo", "za", "qu", "ri", "no", "se", "wa"]
COMMON = ["the", "union", "said", "campaign", "vote", "members", "would", "not", "and",
          "in", "a", "of", "to", "that", "endorsement", "leaders", "primary", "its", "was",
          "on", "for", "with", "as", "by", "statement", "officials", "week", "after"]
PEOPLE = [("alice-barnes", "Alice Barnes", "campaign chair"),
          ("boris-chen", "Boris Chen", "union president"),
          ("carla-diaz", "Carla Diaz", "labor director"),
          ("dev-ellis", "Dev Ellis", "spokesman"),
          ("eva-fitz", "Eva Fitz", "political director"),
          ("frank-gold", "Frank Gold", "senior adviser"),
          ("gina-hart", "Gina Hart", "press secretary"),
          ("hugo-ines", "Hugo Ines", "treasurer"),
          ("ida-jones", "Ida Jones", "organizer"),
          ("jon-kim", "Jon Kim", "field director")]


def word(rng: random.Random) -> str:
    if rng.random() < 0.55:
        return rng.choice(COMMON)
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(word(rng) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def people_and_sources() -> str:
    lines = ["# yaml-language-server: $schema=../schema/annotations.schema.json", "people:"]
    for pid, name, role in PEOPLE:
        lines.append(f"  {pid}: {{name: {name}, role: {role}}}")
    lines.append("sources:")
    for k in range(5):
        sender = PEOPLE[k][0]
        to = PEOPLE[k + 5][0]
        lines += [f"  email-{k}:", "    type: email", f"    from: {sender}", f"    to: [{to}]",
                  f"    subject: Plan number {k}",
                  f"    sent: 2015-1{k % 3}-0{k + 1}T09:3{k}:00-05:00",
                  f"    url: https://example.org/emails/{k}", "    verification: original"]
    return "\n".join(lines) + "\n"


def story(index: int, seed: int = 2016) -> tuple[str, str]:
    """(Markdown, annotations YAML) of synthetic story `index`."""
    rng = random.Random(seed * 100_003 + index)
    paragraphs, entries = [], []
    for p in range(20):
        sender = rng.randrange(5)  # the five emails' senders speak
        pid, name, _ = PEOPLE[sender]
        quote = f"{word(rng)} {word(rng)} s{index}q{p} " + " ".join(
            word(rng) for _ in range(rng.randint(4, 9)))
        before = sentence(rng, rng.randint(14, 22))
        after = sentence(rng, rng.randint(12, 20))
        paragraphs.append(f"{before} {name.split()[1]} said the {word(rng)} would be "
                          f"\u201c{quote}\u201d in the end. {after}")
        entries.append(f"  - quote: \"{quote}\"\n    speaker: {pid}\n"
                       f"    source: email-{sender}\n"
                       + ("    date: 2015-09~\n" if p % 4 == 0 else "")
                       + f"    note: Checked against the email, [paragraph {p}]"
                         f"(https://example.org/e/{index}/{p}).\n")
    front = (f"---\ntitle: \"Story {index}: {sentence(rng, 6)[:-1]}\"\n"
             f"dek: {sentence(rng, 10)}\ndate: 2016-{index % 12 + 1:02d}-{index % 28 + 1:02d}\n"
             f"byline: Synthetic Reporter\npublisher: Bench Gazette\n---\n\n")
    return front + "\n\n".join(paragraphs) + "\n", people_and_sources() + "annotations:\n" + \
        "".join(entries)


def empty_project(root: Path, title: str) -> Path:
    """A fresh project folder with the real templates and no stories."""
    if root.exists():
        shutil.rmtree(root)
    (root / "content").mkdir(parents=True)
    (root / "annotations").mkdir()
    for name in ("templates", "static"):  # the built-in theme, as the project's own
        shutil.copytree(REPO / "annostory" / "theme" / name, root / name)
    (root / "site.yaml").write_text(f"title: {title}\nlanguage: en\n")
    return root


def make_site(root: Path, count: int, seed: int = 2016) -> Path:
    """A project folder with `count` synthetic stories and the real templates."""
    empty_project(root, "Bench Gazette")
    for i in range(count):
        markdown, notes = story(i, seed)
        (root / "content" / f"story-{i:05}.md").write_text(markdown)
        (root / "annotations" / f"story-{i:05}.yaml").write_text(notes)
    return root


PATHOLOGICAL = ("ambiguous-a-1000", "ambiguous-a-2000", "ambiguous-a-4000", "long-near-miss-200",
                "long-near-miss-400", "long-near-miss-800", "typo-80kb", "the-80kb",
                "huge-100k-words-2000", "huge-100k-words-1")


def pathological(root: Path, kind: str, ordinary: bool = False) -> Path:
    """One story that used to make matching super-linear (issue 9); with `ordinary`,
    the same story with one ordinary annotation instead (none where the story has no
    passage that occurs once, as in 'a a a ...'), to compare against."""
    empty_project(root, "Pathological")
    front = "---\ntitle: Pathological\ndate: 2016-11-01\n---\n\n"
    rng = random.Random(kind)
    quotes: list[str] = []
    if kind.startswith("ambiguous-a-"):
        body = "a " * int(kind.rsplit("-", 1)[1])
        quotes = ["a a"]
    elif kind.startswith("long-near-miss-"):
        n = int(kind.rsplit("-", 1)[1])
        body = "a " * n
        quotes = ["a " * (n // 2) + "b"]
    elif kind in ("typo-80kb", "the-80kb"):
        paragraphs = [sentence(rng, 120) for _ in range(110)]
        body = "\n\n".join(paragraphs)
        if kind == "typo-80kb":
            words = paragraphs[50].split()[:40]
            words[20] = words[20] + "x"
            quotes = [" ".join(words)]
        else:
            quotes = ["the"]
    else:  # huge-100k-words-N: N ordinary annotations in 100,000 words
        count = int(kind.rsplit("-", 1)[1])
        paragraphs = []
        for p in range(2000):
            unique = f"u{p}x " + " ".join(word(rng) for _ in range(5))
            paragraphs.append(f"{sentence(rng, 22)} They said \u201c{unique}\u201d. "
                              f"{sentence(rng, 20)}")
            if p < count:
                quotes.append(unique)
        body = "\n\n".join(paragraphs)
    if ordinary:
        first = body.split("\n\n")[0].split()
        quotes = [] if kind.startswith(("ambiguous", "long")) else [" ".join(first[:6])]
    (root / "content" / "p.md").write_text(front + body + "\n")
    entries = "".join(f"  - quote: {json_quote(q)}\n    source: s\n" for q in quotes)
    (root / "annotations" / "p.yaml").write_text(
        "sources:\n  s: {type: email}\nannotations:\n" + entries if entries else
        "annotations: []\n")
    return root


def json_quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


if __name__ == "__main__":
    target, number = Path(sys.argv[1]), int(sys.argv[2])
    make_site(target, number)
    print(f"{number} stories in {target}")

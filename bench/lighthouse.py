"""Lighthouse scores of the example site: `python bench/lighthouse.py` (not part of
`make test`: about 20 s a page).

Builds the example into a temporary folder with a local base URL, serves it with
Python's plain HTTP server on 127.0.0.1, and runs npm's `lighthouse` (installed into
bench/.lighthouse on first use) against Debian's Chromium on every kind of page: the
index, the story, its timeline, the tags index and a tag, the people index and a
person, the sources index and a document, and the 404 page. Prints the four category
scores of each page and every audit that lost points.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TOOLS = HERE / ".lighthouse"
PAGES = ("", "trumka-not-motivated/", "trumka-not-motivated/timeline/", "tags/", "tags/labor/",
         "people/", "people/nikki-budzinski/", "sources/", "SOURCE", "404.html")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    binary = TOOLS / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        TOOLS.mkdir(exist_ok=True)
        subprocess.run(["npm", "i", "-E", "lighthouse@12", "--prefix", str(TOOLS),
                        "--no-audit", "--no-fund", "--loglevel=error"], check=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(REPO), "--out",
                        str(site), "--base-url", base, "--no-cache"], check=True,
                       capture_output=True)
        server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                                   "127.0.0.1"], cwd=site, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        worst = 100
        try:
            source = sorted((site / "sources").glob("*/index.html"))[0].parent.name
            for page in (p.replace("SOURCE", f"sources/{source}/") for p in PAGES):
                report = Path(tmp) / "report.json"
                subprocess.run([str(binary), base + page, "--quiet",
                                "--chrome-flags=--headless --no-sandbox --disable-gpu "
                                "--disable-background-networking",
                                "--only-categories=performance,accessibility,best-practices,seo",
                                "--output=json", f"--output-path={report}"],
                               env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
                               check=True, capture_output=True)
                data = json.loads(report.read_text())
                scores = {key: round(value["score"] * 100)
                          for key, value in data["categories"].items()}
                worst = min(worst, *scores.values())
                print(f"/{page}: {scores}")
                for key, category in data["categories"].items():
                    for ref in category["auditRefs"]:
                        audit = data["audits"][ref["id"]]
                        if ref.get("weight") and audit.get("score") is not None \
                                and audit["score"] < 1:
                            print(f"    {key}: {audit['title']} ({audit['score']})")
        finally:
            server.terminate()
    return 0 if worst == 100 else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# A newsroom's first hour, for real: install annostory from this clone into a fresh
# virtual environment (dependencies from PyPI), start a project with `annostory new`,
# check and build it, follow every local link of every page, override one template,
# and preview it with a save while the deployed site/ stays byte for byte.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check "$here"
annostory="$work/venv/bin/annostory"
cd "$work"
"$annostory" new newsroom
cd newsroom
"$annostory" check --strict
"$annostory" build --base-url https://example.org/news/
"$work/venv/bin/python" - <<'PY'
import pathlib
from annostory.build.links import targets
site = pathlib.Path("site")
files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
count = 0
for page in sorted(f for f in files if f.endswith(".html")):
    for target in targets(page, (site / page).read_text(), "https://example.org/news/"):
        assert target in ("", ".") or target in files or f"{target}/index.html" in files, (page, target)
        count += 1
assert "feed.xml" in files and count > 30, count
print(f"every local link resolves ({count} links, {len(files)} files)")
PY
mkdir -p templates
printf '{%% extends "base.html" %%}{%% block main %%}<h1>Nothing here, friend</h1>{%% endblock %%}\n' > templates/404.html
"$annostory" build --base-url https://example.org/news/
grep -q "Nothing here, friend" site/404.html
before="$(cd site && find . -type f -exec sha256sum {} + | sort)"
port=$(( 20000 + RANDOM % 20000 ))
"$annostory" serve --port "$port" --base-url /news/ > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do grep -q "Serving" "$work/serve.log" && break; sleep 0.1; done
sed -i "s/on\nTuesday/on Tuesday evening/; s/its director said on/its director said late on/" content/welcome.md
for _ in $(seq 1 100); do [ "$(grep -c 'rebuilt in' "$work/serve.log")" -ge 2 ] && break; sleep 0.1; done
grep -c "rebuilt in" "$work/serve.log" | grep -qv "^[01]$"
kill "$server"; wait "$server" 2>/dev/null || true
after="$(cd site && find . -type f -exec sha256sum {} + | sort)"
[ "$before" = "$after" ]
echo "install check: pip install, new, check, build, links, an override and a preview that leaves site/ alone: all good"

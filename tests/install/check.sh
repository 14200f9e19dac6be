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
# the language server, as an editor starts it: initialize, a story opened with a typo
# in its annotations, its diagnostics, shutdown
"$work/venv/bin/python" - "$annostory" "$PWD" <<'PY'
import json, pathlib, re, subprocess, sys
root = pathlib.Path(sys.argv[2])
notes = next((root / "annotations").glob("*.yaml"))
text = notes.read_text()
quote = re.search(r"- quote: (.+)", text).group(0)
def message(body):
    data = json.dumps(body).encode()
    return b"Content-Length: %d\r\n\r\n" % len(data) + data
server = subprocess.Popen([sys.argv[1], "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def send(body):
    server.stdin.write(message(body)); server.stdin.flush()
def receive():
    length = 0
    while (line := server.stdout.readline().strip()):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(server.stdout.read(length))
send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
      "params": {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}})
assert "hoverProvider" in receive()["result"]["capabilities"]
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
    "uri": notes.as_uri(), "languageId": "yaml", "version": 1,
    "text": text.replace(quote, quote + " zzz", 1)}}})  # a word the story lacks
while True:
    found = receive()
    if found.get("method") == "textDocument/publishDiagnostics" and \
            found["params"]["uri"] == notes.as_uri():
        break
codes = [d["code"] for d in found["params"]["diagnostics"]]
assert "anchor-not-found" in codes, codes
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
send({"jsonrpc": "2.0", "method": "exit"})
server.wait(timeout=30)
PY
echo "install check: pip install, new, check, build, links, an override, a preview that leaves site/ alone and the language server: all good"

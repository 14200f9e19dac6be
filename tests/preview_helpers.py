"""Helpers to run the preview server for real: a subprocess and a livereload client."""

from __future__ import annotations

import asyncio
import json
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from helpers import REPO
from tornado.websocket import websocket_connect


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, root: Path, *args: str, port: int | None = None, timeout: float = 10):
        self.root = root
        self.port = port or free_port()
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "serve", "--root", str(root),
             "--port", str(self.port), *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for(r"Serving .* at http://", timeout=timeout)
        match = re.search(r"Serving (.*) at http://[^:]+:(\d+)(/\S*)", "".join(self.output))
        self.site = Path(match.group(1))  # the preview's own folder, never the project's site/
        self.port, self.base = int(match.group(2)), match.group(3)

    def _read(self):
        for line in self.proc.stdout:
            self.output.append(line)
            self.lines.put(line)

    def wait_for(self, pattern: str, timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no {pattern!r} in output:\n{''.join(self.output)}")

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url(path), timeout=15) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace")

    def status(self) -> dict:
        return json.loads(self.get("/__annostory/status.json")[1])

    def wait_status(self, predicate, timeout: float = 10) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if predicate(status):
                return status
            time.sleep(0.05)
        raise AssertionError(f"status never matched: {self.status()}")

    def stop(self, sig=signal.SIGINT) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


class LiveClient:
    """A livereload client: hello, info, then collect messages."""

    def __init__(self, port: int):
        self.messages: queue.Queue[dict] = queue.Queue()
        self.ready = threading.Event()
        self.url = f"ws://127.0.0.1:{port}/livereload"
        threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True).start()
        assert self.ready.wait(10), "no livereload handshake"
        time.sleep(0.2)  # let the server register us after 'info'

    async def _main(self):
        conn = await websocket_connect(self.url)
        await conn.write_message(json.dumps(
            {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
        hello = json.loads(await conn.read_message())
        assert hello["command"] == "hello"
        await conn.write_message(json.dumps({"command": "info", "url": "http://test/"}))
        self.ready.set()
        while True:
            message = await conn.read_message()
            if message is None:
                return
            self.messages.put(json.loads(message))

    def next_reload(self, timeout: float = 10) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = self.messages.get(timeout=0.1)
            except queue.Empty:
                continue
            if message.get("command") == "reload":
                return message
        raise AssertionError("no reload message")


"""``edition bench lsp``: the language server as an editor sees it, over stdio.

A small JSON-RPC client (this module) starts ``edition lsp`` as a process, as an editor would, and on two
corpora (a copy of the embedded edition, and N synthetic documents made by ``synth``) measures:

- the first diagnostics of a document after it is opened (the server reads the corpus then), at a first
  start and at the next one (which finds the unchanged documents' summaries in its start-up cache);
- the time from a ``didChange`` (one word typed, or a half-typed tag) to the ``publishDiagnostics`` of
  that version: the figure that tells whether one can type with it;
- a burst of changes a few milliseconds apart (typing fast): the time from the last change to the
  diagnostics of the last version, and how many stale versions were published on the way;
- a change of another file on disk reported by ``workspace/didChangeWatchedFiles``, to the new
  diagnostics of the open document;
- completion latency (pointer values after ``ref="org:``, or another prefix where the document has no
  organisation, and elements in a paragraph);
- the server's resident memory (VmRSS) and its peak (VmHWM), from /proc.

Times are taken by the reader thread when a message arrives, so the client's own work does not count.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from edition.core import resources
from edition.core.errors import UsageProblem
from edition.core.report import table

#: the targets of issue 16 (ms, ms, MB)
TARGET_DIAGNOSTICS_MS = 150
TARGET_COMPLETION_MS = 50
TARGET_MEMORY_MB = 500


class ServerGone(UsageProblem):
    pass


class Client:
    """JSON-RPC over a child's stdin/stdout, with the Content-Length framing of the protocol."""

    def __init__(self, command: list[str], cwd: Path, log: Path, env: dict | None = None):
        self.log = open(log, "wb")
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, cwd=cwd, env=env
        )
        self.pid = self.proc.pid
        self._next = 0
        self._responses: dict[int, tuple[float, dict]] = {}
        self._cond = threading.Condition()
        self.notifications: queue.Queue[tuple[float, dict]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        try:
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise ServerGone(f"the language server ended (exit {self.proc.poll()}); see {self.log.name}") from None

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    with self._cond:
                        self._cond.notify_all()
                    self.notifications.put((time.perf_counter(), {"method": "$/gone"}))
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            if length is None:
                continue
            message = json.loads(out.read(length))
            now = time.perf_counter()
            if "id" in message and "method" in message:  # a request of the server: accept it
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif "id" in message:
                with self._cond:
                    self._responses[message["id"]] = (now, message)
                    self._cond.notify_all()
            else:
                self.notifications.put((now, message))

    def request(self, method: str, params: dict, timeout: float = 600) -> tuple[float, dict]:
        """Send a request; (seconds to its response, the response)."""
        self._next += 1
        rid = self._next
        t0 = time.perf_counter()
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        with self._cond:
            ok = self._cond.wait_for(lambda: rid in self._responses or self.proc.poll() is not None, timeout)
            if rid not in self._responses:
                why = "timed out" if not ok else f"the server ended (exit {self.proc.poll()})"
                raise ServerGone(f"{method}: {why}; see {self.log.name}")
            at, response = self._responses.pop(rid)
        if "error" in response:
            raise ServerGone(f"{method}: {response['error'].get('message')}")
        return at - t0, response

    def notify(self, method: str, params: dict) -> float:
        t0 = time.perf_counter()
        self._send({"jsonrpc": "2.0", "method": method, "params": params})
        return t0

    def diagnostics(self, uri: str, version: int | None, timeout: float = 600) -> tuple[float, dict, list[int]]:
        """Wait for the diagnostics of ``uri`` at ``version`` (any version if None): (arrival time, the
        notification, the versions published before it while waiting)."""
        stale = []
        end = time.perf_counter() + timeout
        while True:
            try:
                at, message = self.notifications.get(timeout=max(0.01, end - time.perf_counter()))
            except queue.Empty:
                raise ServerGone(f"no diagnostics for version {version} within {timeout:.0f} s") from None
            if message.get("method") == "$/gone":
                raise ServerGone(f"the language server ended (exit {self.proc.poll()}); see {self.log.name}")
            if message.get("method") != "textDocument/publishDiagnostics":
                continue
            params = message["params"]
            if params["uri"] != uri:
                continue
            if version is None or params.get("version") == version:
                return at, params, stale
            stale.append(params.get("version"))

    def drain(self) -> None:
        while True:
            try:
                self.notifications.get_nowait()
            except queue.Empty:
                return

    def memory_mb(self) -> tuple[float, float]:
        """(VmRSS, VmHWM) of the server process in MB."""
        values = {}
        with open(f"/proc/{self.pid}/status") as fh:
            for line in fh:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    values[key] = int(rest.split()[0]) / 1024
        return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)

    def close(self) -> None:
        try:
            self.request("shutdown", {}, timeout=30)
            self.notify("exit", {})
            self.proc.wait(timeout=10)
        except (ServerGone, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        finally:
            self.log.close()


@dataclass
class Result:
    label: str
    files: int
    document: str
    size_kb: float
    open_seconds: float = 0.0
    reopen_seconds: float = 0.0
    change_ms: list[float] = field(default_factory=list)
    broken_ms: list[float] = field(default_factory=list)
    burst_ms: float = 0.0
    burst_stale: int = 0
    watched_ms: float = 0.0
    completion_ms: list[float] = field(default_factory=list)
    completion_items: int = 0
    element_ms: list[float] = field(default_factory=list)
    rss_mb: float = 0.0
    hwm_mb: float = 0.0


def _position(text: str, offset: int) -> dict:
    # the documents are ASCII-heavy; UTF-16 columns differ only after non-BMP characters, which they lack
    line = text.count("\n", 0, offset)
    return {"line": line, "character": offset - (text.rfind("\n", 0, offset) + 1)}


def server_command() -> list[str]:
    scripts = str(Path(__file__).resolve().parent.parent.parent)
    code = f"import sys; sys.path.insert(0, {scripts!r}); from edition.cli import main; main()"
    return [sys.executable, "-c", code, "lsp"]


def _start(client: Client, root: Path) -> None:
    client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": root.resolve().as_uri(),
            "workspaceFolders": [{"uri": root.resolve().as_uri(), "name": root.name}],
            "capabilities": {
                "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}},
                "textDocument": {
                    "publishDiagnostics": {"versionSupport": True},
                    "completion": {"completionItem": {"snippetSupport": False}},
                },
                "general": {"positionEncodings": ["utf-16"]},
            },
        },
    )
    client.notify("initialized", {})


def _open(client: Client, uri: str, text: str) -> float:
    """Open a document: seconds to its first diagnostics (the server reads the corpus then)."""
    t0 = client.notify(
        "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": text}}
    )
    at, _, _ = client.diagnostics(uri, 1)
    return at - t0


def measure(label: str, root: Path, document: Path, edits: int, workdir: Path) -> Result:
    """One server on one corpus: open ``document``, type into it, ask for completions, read its memory;
    then a second server, to open the document again with what the first one remembered."""
    text = document.read_text(encoding="utf-8")
    uri = document.resolve().as_uri()
    files = sum(1 for _ in root.rglob("*.xml"))
    result = Result(label, files, document.name, len(text.encode("utf-8")) / 1024)
    slug = re.sub(r"\W+", "-", label)
    env = dict(os.environ, EDITION_CACHE_DIR=str(workdir / f"cache-{slug}"))
    shutil.rmtree(workdir / f"cache-{slug}", ignore_errors=True)
    client = Client(server_command(), root, workdir / f"lsp-{slug}.log", env)
    try:
        _start(client, root)
        version = 1
        result.open_seconds = _open(client, uri, text)

        def change(new: str) -> float:
            nonlocal version
            version += 1
            t = client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": new}]},
            )
            at, _, _ = client.diagnostics(uri, version)
            return (at - t) * 1000

        closes = [m.start() for m in re.finditer("</p>", text)]
        if not closes:
            raise UsageProblem(f"{document}: no paragraph to type into")
        current = text
        for i in range(edits):
            where = closes[(i * 7) % len(closes)]
            time.sleep(0.15)  # a pause between words: the debounce of the server does not merge them
            current = text[:where] + f" word{i}" + text[where:]
            result.change_ms.append(change(current))
            time.sleep(0.15)
            result.broken_ms.append(change(text[:where] + " <pers" + text[where:]))  # a half-typed tag
        # a burst: six keystrokes 15 ms apart; the diagnostics of the last one count
        time.sleep(0.3)
        client.drain()
        where = closes[len(closes) // 2]
        last = 0.0
        for k in range(1, 7):
            version += 1
            last = client.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"text": text[:where] + " typed"[:k] + text[where:]}],
                },
            )
            time.sleep(0.015)
        at, _, stale = client.diagnostics(uri, version)
        result.burst_ms, result.burst_stale = (at - last) * 1000, len(stale)
        # another document changes on disk, as a save in another editor or a git checkout would
        others = [p for p in sorted((root / "documents").glob("*.xml")) if p.resolve() != document.resolve()]
        if others:
            other = others[len(others) // 2]
            body = other.read_text(encoding="utf-8")
            other.write_text(body.replace("</p>", " (changed)</p>", 1), encoding="utf-8")
            time.sleep(0.2)
            client.drain()
            t = client.notify(
                "workspace/didChangeWatchedFiles", {"changes": [{"uri": other.resolve().as_uri(), "type": 2}]}
            )
            at, _, _ = client.diagnostics(uri, None)
            result.watched_ms = (at - t) * 1000
        # completion: pointer values after ref="org: , and elements in a paragraph
        version += 1
        pointer = re.search(r'ref="org:', current) or re.search(r'ref="(?:place|person|event):', current)
        client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": current}]},
        )
        client.diagnostics(uri, version)
        if pointer is not None:
            pos = _position(current, pointer.end())
            for _ in range(max(3, edits)):
                seconds, response = client.request(
                    "textDocument/completion", {"textDocument": {"uri": uri}, "position": pos}
                )
                result.completion_ms.append(seconds * 1000)
                items = response.get("result") or {}
                result.completion_items = len(items.get("items", []) if isinstance(items, dict) else items)
        p_open = re.search(r"<p\b[^>]*>", current)
        if p_open:
            pos = _position(current, p_open.end())
            for _ in range(max(3, edits)):
                seconds, _ = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": pos})
                result.element_ms.append(seconds * 1000)
        result.rss_mb, result.hwm_mb = client.memory_mb()
    finally:
        client.close()
    again = Client(server_command(), root, workdir / f"lsp-{slug}-again.log", env)
    try:
        _start(again, root)
        result.reopen_seconds = _open(again, uri, text)
    finally:
        again.close()
    return result


def _closest(folder: Path, size: int) -> Path:
    docs = sorted(folder.glob("*.xml"))
    if not docs:
        raise UsageProblem(f"no documents in {folder}")
    return min(docs, key=lambda p: (abs(p.stat().st_size - size), p.name))


def run(n: int, workdir: Path, edits: int = 10) -> tuple[str, dict]:
    """The embedded edition (a copy) and ``n`` synthetic documents, each with its own server."""
    from edition.bench import synth

    workdir.mkdir(parents=True, exist_ok=True)
    edition = workdir / "edition"
    if edition.exists():
        shutil.rmtree(edition)
    shutil.copytree(resources.edition_tei(), edition)
    t0 = time.perf_counter()
    synthetic = synth.generate(resources.edition_tei(), workdir / "tei-lsp", n)
    generated = time.perf_counter() - t0
    docs = sorted((synthetic / "documents").glob("*.xml"))
    results = [
        measure("embedded edition", edition, _closest(edition / "documents", 20 * 1024), edits, workdir),
        measure(f"synthetic, {n} documents", synthetic, docs[len(docs) // 2], edits, workdir),
    ]

    def ms(values: list[float]) -> str:
        if not values:
            return ""
        return f"{statistics.median(values):.0f} / {max(values):.0f}"

    rows = []
    for r in results:
        rows.append(
            [
                r.label,
                str(r.files),
                f"{r.document} ({r.size_kb:.0f} KB)",
                f"{r.open_seconds:.2f} s / {r.reopen_seconds:.2f} s",
                ms(r.change_ms),
                ms(r.broken_ms),
                f"{r.burst_ms:.0f} ({r.burst_stale} stale)",
                f"{r.watched_ms:.0f}",
                ms(r.completion_ms) + (f" ({r.completion_items} items)" if r.completion_ms else ""),
                ms(r.element_ms),
                f"{r.rss_mb:.0f} / {r.hwm_mb:.0f}",
            ]
        )
    headers = [
        "corpus",
        "files",
        "document",
        "open → diagnostics (first start / next start)",
        "change → diagnostics, ms (median / max)",
        "half-typed tag → diagnostics, ms",
        "burst of 6: last change → diagnostics, ms",
        "file changed on disk → diagnostics, ms",
        'completion of a pointer (after ref="org:), ms',
        "completion of elements, ms",
        "server memory MB (RSS / peak)",
    ]
    met = []
    for r in results:
        worst = max(r.change_ms + r.broken_ms + [r.burst_ms]) if r.change_ms else 0
        slow = max(r.completion_ms + r.element_ms, default=0)
        met.append(
            f"{r.label}: diagnostics {'within' if worst <= TARGET_DIAGNOSTICS_MS else 'MISSED'} {TARGET_DIAGNOSTICS_MS} ms "
            f"(worst {worst:.0f}), completion {'within' if slow <= TARGET_COMPLETION_MS else 'MISSED'} "
            f"{TARGET_COMPLETION_MS} ms (worst {slow:.0f}), memory {'under' if r.hwm_mb < TARGET_MEMORY_MB else 'OVER'} "
            f"{TARGET_MEMORY_MB} MB (peak {r.hwm_mb:.0f})"
        )
    text = (
        f"edition lsp over stdio; {edits} edits of each kind; synthetic corpus generated in {generated:.1f} s\n\n"
        + table(headers, rows)
        + "\n\n"
        + "\n".join(met)
    )
    data = {
        "n": n,
        "edits": edits,
        "generated_seconds": generated,
        "targets": {
            "diagnostics_ms": TARGET_DIAGNOSTICS_MS,
            "completion_ms": TARGET_COMPLETION_MS,
            "memory_mb": TARGET_MEMORY_MB,
        },
        "results": [r.__dict__ for r in results],
    }
    return text, data

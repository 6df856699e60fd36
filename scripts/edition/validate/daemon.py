"""``edition validate --daemon``: a warm process that keeps the compiled schemas, reused by repeated runs.

Compiling a large grammar (tei_all: 5-8 s in libxml2) is most of a cold run, and libxml2 cannot save a
compiled grammar to disk. So, as mypy's dmypy does, the first ``--daemon`` run starts a server process for
its schemas, which compiles them once and then answers runs over a unix socket; later runs send their
request (folder, paths, options) and get back the report, in milliseconds plus the time to check the files
that changed. Each request is handled in a process forked from the server (it inherits the compiled grammar,
and whatever it does to its memory goes away with it); when the server runs Saxon (the edition's own
Schematron), which does not survive a fork, requests are handled in the server itself, one at a time.

The socket is named by a digest of the schemas and of the program's code, in a folder only the user may
open (``$XDG_RUNTIME_DIR`` or the system's temporary folder): a changed schema or a new version gets a new
server, and a server nobody asks for ``IDLE_SECONDS`` stops by itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from edition.core.errors import UsageProblem

#: a server that gets no request for this long stops (override with EDITION_DAEMON_IDLE, in seconds)
IDLE_SECONDS = 900
#: how long a client waits for a new server to compile its schemas and answer
START_SECONDS = 300


def socket_path(schemas: list[Path]) -> Path:
    from edition.core import fingerprint

    h = hashlib.sha256()
    for p in schemas:
        h.update(os.fsencode(os.path.realpath(p)) + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    h.update(fingerprint.code("core", "validate").encode())
    base = Path(os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()) / f"edition-{os.getuid()}"
    if len(os.fsencode(base)) > 70:  # a unix socket's path has at most 107 bytes
        base = Path(tempfile.gettempdir()) / f"edition-{os.getuid()}"
    base.mkdir(mode=0o700, exist_ok=True)
    st = base.lstat()
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        raise UsageProblem(f"{base}: not a private folder of this user; remove it or set XDG_RUNTIME_DIR")
    return base / f"validate-{h.hexdigest()[:20]}.sock"


def _ask(path: Path, request: dict) -> dict | None:
    """Send a request; the answer, or None when no server listens there."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(os.fspath(path))
            s.sendall(json.dumps(request).encode() + b"\n")
            s.shutdown(socket.SHUT_WR)
            chunks = []
            while True:
                data = s.recv(1 << 20)
                if not data:
                    break
                chunks.append(data)
    except (FileNotFoundError, ConnectionRefusedError):
        return None
    except ConnectionResetError:
        if request.get("stop"):
            return None  # a server that was stopping as we asked: stopped all the same
        raise UsageProblem(f"--daemon: the server at {path} closed the connection; run again") from None
    except OSError as exc:
        raise UsageProblem(f"--daemon: cannot reach the server at {path}: {exc.strerror or exc}") from None
    if not chunks:
        return None
    return json.loads(b"".join(chunks))


#: what the server takes from the client's environment (where the result cache is)
ENVIRONMENT = ("EDITION_CACHE_DIR", "XDG_CACHE_HOME", "HOME")


def _schemas(schema: Path | None, schematron: Path | None) -> list[Path]:
    from edition.core import resources

    edition = schema is None and schematron is None
    return [
        p
        for p in (
            schema if schema is not None else (resources.schema_file("edition.rng") if edition else None),
            schematron if schematron is not None else (resources.schema_file("edition.sch") if edition else None),
        )
        if p is not None
    ]


def request(schema: Path | None, schematron: Path | None, targets: list[Path], jobs: int, cache: bool):
    """Run a validation in the server for these schemas (started now if there is none): the ``Report``, and
    whether a file could not be read (exit code 2)."""
    from edition.core.report import Finding, Report

    path = socket_path(_schemas(schema, schematron))
    req = {
        "cwd": os.getcwd(),
        "targets": [os.fspath(t) for t in targets],
        "jobs": jobs,
        "cache": cache,
        "env": {k: os.environ[k] for k in ENVIRONMENT if k in os.environ},
    }
    answer = _ask(path, req)
    if answer is None:
        args = json.dumps([os.fspath(schema) if schema else None, os.fspath(schematron) if schematron else None])
        started = subprocess.Popen(
            [sys.executable, "-m", "edition.validate.daemon", os.fspath(path), args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)),
        )
        deadline = time.monotonic() + START_SECONDS
        while answer is None and time.monotonic() < deadline:
            if started.poll() is not None:
                answer = _ask(path, req)  # another client's server may have taken the socket
                if answer is None:
                    raise UsageProblem("--daemon: the server stopped as it started; run without --daemon to see why")
                break
            time.sleep(0.05)
            answer = _ask(path, req)
        if answer is None:
            raise UsageProblem(f"--daemon: the server did not start within {START_SECONDS} s; run without --daemon")
    if "error" in answer:
        raise UsageProblem(answer["error"])
    report = Report(tool="edition validate")
    report.files = answer["files"]
    report.findings = [Finding(**f) for f in answer["findings"]]
    return report, answer["io_problem"]


def stop(schema: Path | None, schematron: Path | None) -> bool:
    """Stop the server of these schemas; False if none was running."""
    answer = _ask(socket_path(_schemas(schema, schematron)), {"stop": True})
    return bool(answer and answer.get("stopped"))


# -- the server -----------------------------------------------------------------------------------------


def _read(conn: socket.socket) -> bytes:
    """A request: one line of JSON (a client that sends nothing for 10 s is dropped)."""
    conn.settimeout(10)
    data = b""
    try:
        while not data.endswith(b"\n"):
            part = conn.recv(1 << 16)
            if not part:
                break
            data += part
    except OSError:
        return b""
    return data


def _handle(validator, conn: socket.socket, data: bytes) -> None:
    from dataclasses import asdict

    from edition.core.corpus import Corpus
    from edition.core.errors import EditionError
    from edition.validate.validator import IO_RULES

    try:
        req = json.loads(data)
        os.chdir(req["cwd"])
        for k in ENVIRONMENT:
            os.environ.pop(k, None)
        os.environ.update(req["env"])
        validator.jobs = req["jobs"]
        validator.cache = None
        if req["cache"]:
            validator.use_cache()
        report = validator.run(Corpus.load([Path(t) for t in req["targets"]]))
        answer = {
            "files": report.files,
            "findings": [asdict(f) for f in report.findings],
            "io_problem": any(f.rule in IO_RULES for f in report.findings),
        }
    except EditionError as exc:
        answer = {"error": str(exc)}
    except Exception as exc:  # a bug: the client says so, the server goes on
        answer = {"error": f"--daemon: the server failed: {type(exc).__name__}: {exc}"}
    conn.sendall(json.dumps(answer).encode())


def serve(path: Path, schema: Path | None, schematron: Path | None) -> None:
    from edition.core import saxon
    from edition.validate.validator import Validator

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stopped by kill: the socket is removed
    validator = Validator.for_schemas(schema, schematron)
    idle = float(os.environ.get("EDITION_DAEMON_IDLE", IDLE_SECONDS))
    temporary = path.with_name(path.name + f".{os.getpid()}")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(os.fspath(temporary))
    server.listen(16)
    os.replace(temporary, path)  # a server of the same schemas that started meanwhile is replaced
    ours = os.stat(path).st_ino

    def still_ours() -> bool:
        try:
            return os.stat(path).st_ino == ours
        except OSError:
            return False

    server.settimeout(idle)
    forking = saxon._processor is None
    try:
        while True:
            try:
                conn, _ = server.accept()
            except socket.timeout:
                break
            if not still_ours():  # replaced by a newer server, or removed: leave the socket to it
                conn.close()
                break
            data = _read(conn)
            if data.startswith(b'{"stop"'):
                if still_ours():  # no one may connect to a server that is stopping (they would be reset)
                    path.unlink(missing_ok=True)
                conn.sendall(b'{"stopped": true}')
                conn.close()
                break
            if forking:
                pid = os.fork()
                if pid == 0:
                    server.close()
                    try:
                        _handle(validator, conn, data)
                    finally:
                        os._exit(0)
                conn.close()
                while True:  # reap the children that are done
                    try:
                        done, _ = os.waitpid(-1, os.WNOHANG)
                    except ChildProcessError:
                        break
                    if done == 0:
                        break
            else:
                with conn:
                    _handle(validator, conn, data)
    finally:
        if still_ours():
            path.unlink(missing_ok=True)
        server.close()


if __name__ == "__main__":
    spec = json.loads(sys.argv[2])
    serve(Path(sys.argv[1]), *(Path(p) if p else None for p in spec))

"""libxml2's own noise kept off the user's terminal.

Some messages of libxml2 do not go through its error handlers (which lxml collects) but straight to the C
``stderr``: "RNG internal error trying to compile notAllowed" is printed by its RELAX NG compiler for every
``notAllowed`` it meets in content it turns into an automaton (1,425 times for an EpiDoc schema), about a
case it handles correctly. ``c_stderr_filtered`` captures file descriptor 2 around such a call, drops the
lines known to be noise and writes the others back to stderr.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager

NOISE = re.compile(r"^RNG internal error trying to compile \w+\s*$")
_lock = threading.Lock()


@contextmanager
def c_stderr_filtered(noise: re.Pattern = NOISE) -> Iterator[None]:
    """Run the body with the process's file descriptor 2 captured; known noise is dropped, the rest kept."""
    with _lock:
        try:
            sys.stderr.flush()
            saved = os.dup(2)
        except (OSError, ValueError):  # no usable descriptor 2: nothing to protect
            yield
            return
        with tempfile.TemporaryFile() as tmp:
            os.dup2(tmp.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
                os.close(saved)
                tmp.seek(0)
                text = tmp.read().decode("utf-8", errors="replace")
                kept = [line for line in text.splitlines() if line.strip() and not noise.match(line)]
                if kept:
                    sys.stderr.write("\n".join(kept) + "\n")
                    sys.stderr.flush()

"""Worker processes for ``--jobs``, each with a Saxon processor of its own.

A Saxon processor lives in one process and does not survive a fork, so workers are spawned (a fresh Python
each), and each compiles the stylesheets it needs once, when it starts::

    with Pool(jobs, stylesheets=[path]) as pool:
        futures = [pool.submit(task, batch) for batch in batches]
        for result in pool.results(futures):
            ...

A task is a module-level function (it is sent to the worker by name) and finds its compiled stylesheet with
``stylesheet(path)``. Workers start when the first tasks are submitted, so a caller can submit first and do
its own work while they start. A worker that dies (killed, out of memory) stops the build with ``WorkerDied``
and the other tasks are cancelled.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from typing import Callable, Iterable, Iterator

from edition.core.errors import EditionError


class WorkerDied(EditionError):
    """A worker process of --jobs stopped without a result."""


#: in a worker process: its stylesheets, compiled once, by path
_compiled: dict[str, object] = {}


def _start(stylesheets: list[str], initializer: Callable | None = None, initargs: tuple = ()) -> None:
    from edition.core import saxon

    for path in stylesheets:
        _compiled[path] = saxon.compile_stylesheet(path=Path(path))
    if initializer is not None:
        initializer(*initargs)


def stylesheet(path: Path | str):
    """In a worker: the stylesheet at ``path``, compiled when the worker started (or now, once)."""
    key = str(path)
    if key not in _compiled:
        from edition.core import saxon

        _compiled[key] = saxon.compile_stylesheet(path=Path(key))
    return _compiled[key]


class Pool:
    """``jobs`` spawned worker processes that compile ``stylesheets`` when they start, then call
    ``initializer(*initargs)`` (a module-level function) if one is given."""

    def __init__(
        self,
        jobs: int,
        stylesheets: Iterable[Path | str] = (),
        name: str = "a worker process of --jobs",
        initializer: Callable | None = None,
        initargs: tuple = (),
    ):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.name = name
        self.executor = ProcessPoolExecutor(
            max_workers=max(1, jobs),
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start,
            initargs=([str(p) for p in stylesheets], initializer, initargs),
        )

    def submit(self, task: Callable, *args) -> Future:
        return self.executor.submit(task, *args)

    def result(self, future: Future):
        """The result of one task; an exception of the task is raised here, as it was, and a worker that
        died is ``WorkerDied``."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            return future.result()
        except BrokenProcessPool:
            raise WorkerDied(f"{self.name} stopped; build again with --jobs 1 to see why") from None

    def results(self, futures: Iterable[Future]) -> Iterator:
        """The results of ``futures`` in their order (see ``result``)."""
        for future in futures:
            yield self.result(future)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

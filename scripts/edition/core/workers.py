"""Worker processes for ``--jobs``, each with a Saxon processor of its own.

A Saxon processor lives in one process and does not survive a fork, so workers are forked only while this
process has not started Saxon (``start_method``), else spawned (a fresh Python each); each starts its own
Saxon and compiles the stylesheets it needs once, when it starts::

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


def start_method() -> str:
    """How workers start: forked (at once, with what this process has read and imported) while this process
    runs no Saxon, whose runtime has threads of its own; else spawned (a fresh Python each). A pool of forked
    workers starts them all with its first task, so the choice made when it is created holds for them all
    as long as its first task is given before this process starts Saxon."""
    import multiprocessing

    from edition.core import saxon

    return "fork" if saxon._processor is None and "fork" in multiprocessing.get_all_start_methods() else "spawn"


class Pool:
    """``jobs`` worker processes that compile ``stylesheets`` when they start, then call
    ``initializer(*initargs)`` (a module-level function) if one is given."""

    def __init__(
        self,
        jobs: int,
        stylesheets: Iterable[Path | str] = (),
        name: str = "a worker process of --jobs",
        initializer: Callable | None = None,
        initargs: tuple = (),
    ):
        self.name = name
        self._jobs = max(1, jobs)
        self._initargs = ([str(p) for p in stylesheets], initializer, initargs)
        self._executor = None

    @property
    def executor(self):
        """The processes, made with the first task (forked if this process runs no Saxon then)."""
        if self._executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._executor = ProcessPoolExecutor(
                max_workers=self._jobs,
                mp_context=multiprocessing.get_context(start_method()),
                initializer=_start,
                initargs=self._initargs,
            )
        return self._executor

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

    def shutdown(self, wait: bool = True) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=wait, cancel_futures=True)

    def close(self) -> None:
        self.shutdown()

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

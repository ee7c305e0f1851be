"""A process pool that survives its workers: each paper runs in a worker process under a time
limit and a memory cap; a paper that hangs, crashes the process (a MuPDF segfault) or exhausts
memory becomes an error row, the worker is replaced and the run goes on.

``concurrent.futures`` cannot do this (one dead worker breaks the whole pool), so the pool is
small and explicit: one pipe per worker, one task in flight per worker, ``wait`` on pipes and
process sentinels with the nearest deadline as timeout.

Workers die with their parent: on Linux the kernel kills them when it dies (parent-death
signal), and everywhere a worker closes the pipe ends that are not its own (a forked child
inherits them), so a dead parent means end-of-file on its pipe and a worker waiting there exits.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import resource
import signal
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from scitune_data.pipeline.limits import DEFAULT_START

Work = Callable[[Any], Any]
PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass(frozen=True, slots=True)
class Failure:
    """What happened to a task that produced no result."""

    kind: str  # timeout | crash | memory
    message: str


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this process when its parent dies (Linux); if the parent is
    already gone, leave now."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(0)


def _address_space() -> int:
    """Bytes of address space this process maps now (0 where /proc is not there to say)."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _cap_memory(allowance: int) -> None:
    """Let the worker map ``allowance`` bytes beyond what it starts with (a forked worker starts
    with its parent's whole address space, mostly shared and untouched), within the hard limit."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + allowance
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _worker_main(connection: Connection, work: Work, memory_bytes: int | None, parent: int,
                 not_mine: list[Connection]) -> None:
    _die_with_parent(parent)
    for inherited in not_mine:  # the parent's pipe ends a forked child got a copy of
        inherited.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    if memory_bytes:
        _cap_memory(memory_bytes)
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return  # the parent closed its end or died
        if task is None:
            return
        try:
            result = work(task)
        except MemoryError:
            result = Failure("memory", "out of memory (over the worker's memory cap)")
        try:
            connection.send(result)
        except OSError:
            return  # the parent is gone: nobody to report to


@dataclass(slots=True)
class _Worker:
    process: multiprocessing.Process
    connection: Connection
    task: Any = None
    deadline: float = 0.0


class WorkerPool:
    def __init__(self, work: Work, workers: int, timeout: float | None = None,
                 memory_bytes: int | None = None, start_method: str = DEFAULT_START) -> None:
        """``start_method`` "spawn" for hosts whose own threads make forking unsafe (Ray workers)."""
        self.work, self.size, self.timeout, self.memory_bytes = work, max(1, workers), timeout, memory_bytes
        self._context = multiprocessing.get_context(start_method)
        self._workers: list[_Worker] = []
        self.replaced = 0

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        forked = self._context.get_start_method() == "fork"
        not_mine = [parent, *(w.connection for w in self._workers)] if forked else []
        process = self._context.Process(target=_worker_main, daemon=True,
                                        args=(child, self.work, self.memory_bytes, os.getpid(), not_mine))
        process.start()
        child.close()  # the worker's end: the parent never uses it
        return _Worker(process, parent)

    def __enter__(self) -> WorkerPool:
        for _ in range(self.size):
            self._workers.append(self._spawn())  # one at a time: each later child closes the earlier ones' ends
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self._workers:
            try:
                worker.connection.send(None)
            except (BrokenPipeError, OSError):
                pass
        for worker in self._workers:
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()

    def _replace(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.connection.close()
        index = self._workers.index(worker)
        self._workers[index] = self._spawn()
        self.replaced += 1

    def run(self, tasks: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
        """``(task, result or Failure)`` as tasks finish (not in input order). Tasks are taken
        from ``tasks`` only as workers come free, so a lazy iterable holds few in memory."""
        pending = iter(tasks)
        more = True
        while True:
            for worker in self._workers:
                if worker.task is None and more:
                    worker.task = next(pending, None)
                    more = worker.task is not None
                    if more:
                        worker.deadline = time.monotonic() + self.timeout if self.timeout else float("inf")
                        worker.connection.send(worker.task)
            busy = [w for w in self._workers if w.task is not None]
            if not busy:
                return
            nearest = min(w.deadline for w in busy)
            waiting = None if nearest == float("inf") else max(0.0, nearest - time.monotonic())
            ready = set(wait([w.connection for w in busy] + [w.process.sentinel for w in busy], timeout=waiting))
            now = time.monotonic()
            for worker in busy:
                task = worker.task
                if worker.connection in ready:
                    try:
                        result = worker.connection.recv()
                    except (EOFError, OSError):
                        result = _death(worker)
                        self._replace(worker)
                        yield task, result
                        continue
                    worker.task = None
                    if isinstance(result, Failure) and result.kind == "memory":
                        self._replace(worker)  # its heap may be fragmented past use
                    yield task, result
                elif worker.process.sentinel in ready:
                    failure = _death(worker)
                    self._replace(worker)
                    yield task, failure
                elif now >= worker.deadline:
                    self._replace(worker)
                    yield task, Failure("timeout", f"timed out after {self.timeout:g} s (worker killed and replaced)")


def _death(worker: _Worker) -> Failure:
    worker.process.join(timeout=1)
    code = worker.process.exitcode
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        kind = "memory" if -code == signal.SIGKILL else "crash"
        return Failure(kind, f"worker process died with {name}" + (" (killed: out of memory?)" if kind == "memory" else ""))
    return Failure("crash", f"worker process exited with status {code}")

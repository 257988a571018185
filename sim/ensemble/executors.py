"""Where replications run: in this process, in local worker processes, on Dask, or on any Executor.

:func:`open_executor` turns the user's choice into an :class:`ExecutorHandle`:

``"inprocess"``
    Runs every replication in the calling process (no start-up cost; one core).
``"process"`` (the default)
    A :class:`concurrent.futures.ProcessPoolExecutor` with ``workers`` processes (default and
    most: every core available to this process — more would only compete for the cores; a capped
    request is noted as ``workers_requested`` in the description). The pool gets an explicit multiprocessing *context object*
    — no global ``set_start_method`` — and an initializer that imports the model once per worker.
    The context is ``fork`` on Linux when the calling process has a single Python thread (workers
    inherit the already imported model, so they start in milliseconds; every worker is started
    at once, before any thread of the pool exists) and ``spawn`` otherwise (safe with threads; each
    worker imports the model once, about 2 s on an idle machine). Pass ``start_method`` to choose.
``"dask"``
    A ``dask.distributed`` client: to the scheduler at ``scheduler`` (``tcp://HOST:PORT``) or, without
    one, to a local cluster of ``workers`` single-threaded worker processes started for this
    ensemble. Needs the optional extra ``pip install 'flashpoint[dask]'``; remote workers need
    Flashpoint installed.
a :class:`concurrent.futures.Executor`, or a ``dask.distributed.Client``
    Used as given and never shut down (the caller owns it).

Whatever the executor, replications are sent in batches (one task runs many seeds) and results are
aggregated in replication order, so every executor and worker count gives identical results.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import math
import multiprocessing
import os
import sys
import threading
import warnings
from dataclasses import dataclass, field
from typing import Any

from sim.errors import FlashpointError

__all__ = ["ExecutorHandle", "open_executor", "default_workers", "new_process_pool", "pool_is_broken", "EXECUTOR_NAMES"]

#: Executor names accepted as strings.
EXECUTOR_NAMES = ("process", "inprocess", "dask")


def default_workers() -> int:
    """Return the number of cores this process may use."""
    if hasattr(os, "process_cpu_count"):
        return max(1, os.process_cpu_count() or 1)  # Python 3.13+
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _start_method(requested: str | None) -> str:
    if requested:
        if requested not in multiprocessing.get_all_start_methods():
            raise FlashpointError(f"start method '{requested}' is not available here "
                                  f"(available: {', '.join(multiprocessing.get_all_start_methods())})")
        return requested
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _renewal_method() -> str:
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return _start_method(None)
    multiprocessing.get_context("forkserver").set_forkserver_preload(["sim.model", "sim.ensemble.worker"])
    return "forkserver"


@dataclass
class ExecutorHandle:
    """An executor ready for use, what it is, and how to close it."""

    kind: str
    executor: cf.Executor | None
    slots: int
    owned: bool
    description: dict[str, Any] = field(default_factory=dict)
    _closers: list = field(default_factory=list)
    _start_method: str | None = None
    _requested_method: str | None = None
    renewals: int = 0
    #: Seconds the executor may be unable to work (no Dask worker left) before the rest is given up.
    stall_timeout: float = 60.0
    _client: Any = None
    _seen_workers: set = field(default_factory=set)
    _workers: list = field(default_factory=list)

    def health(self) -> str | None:
        """Return why the executor cannot run tasks now (``None``: it can), noting lost Dask workers.

        Called by the scheduler while no task finishes. A Dask worker that disappears (killed, its
        machine gone; a nanny may start a fresh one) is counted in ``description["workers_lost"]``;
        with no worker left the answer is a message, and after :attr:`stall_timeout` seconds of
        that the scheduler gives up on the runs not yet finished.
        """
        if self._client is None:
            return None
        try:
            now = set(self._client.scheduler_info().get("workers", {}))
        except Exception as exc:  # noqa: BLE001 — the scheduler itself is gone
            return f"the Dask scheduler does not answer ({type(exc).__name__}: {exc})"
        self.note_workers(now)
        if not now:
            return f"no Dask worker is left (waited {self.stall_timeout:.0f} s for one to join)"
        return None

    def note_workers(self, now: set) -> None:
        """Record the Dask workers present now; any seen before and gone since count as lost."""
        gone = self._seen_workers - now
        if gone:
            self.description["workers_lost"] = int(self.description.get("workers_lost", 0)) + len(gone)
            self.description.setdefault("workers_lost_names", []).extend(sorted(gone))
        self._seen_workers = set(now)
        self.description["workers_now"] = len(now)

    @property
    def can_renew(self) -> bool:
        """True for a process pool this handle created (it can be replaced after a worker dies)."""
        return self.kind == "process" and self.owned

    def renew(self) -> None:
        """Replace a broken process pool by a fresh one (after a worker process died)."""
        if not self.can_renew:
            raise RuntimeError("only an owned process pool can be renewed")
        try:
            self.executor.shutdown(wait=False, cancel_futures=True)  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001 — it is broken already
            pass
        # threads run by now (the pool's manager thread, a progress bar): fork only if asked for;
        # otherwise a fork server that has imported the model, which forks each new pool's workers
        # in milliseconds and outlives the pools (a bisection after a crash renews several times)
        method = self._requested_method or _renewal_method()
        self.executor = _process_pool(self.slots, method)
        self._workers = []  # started on demand; shutdown() stops them
        self.description["start_method_after_renewal"] = method
        self.renewals += 1

    def close(self, *, cancel: bool = False, wait: bool = True, kill: bool = False) -> None:
        """Shut down what this handle created (a caller's executor is left alone).

        ``kill`` stops an owned process pool's workers at once (for a command that fails before
        using them: otherwise the process would wait for them to finish starting).
        """
        if kill and self.owned and isinstance(self.executor, cf.ProcessPoolExecutor):
            if hasattr(self.executor, "terminate_workers"):  # Python ≥ 3.14
                self.executor.terminate_workers()
            else:  # the worker processes this handle saw start (multiprocessing's public API)
                for proc in self._workers:
                    if proc.is_alive():
                        proc.terminate()
        if self.owned and self.executor is not None:
            self.executor.shutdown(wait=wait, cancel_futures=cancel)
        for fn in reversed(self._closers):
            try:
                fn()
            except Exception:  # noqa: BLE001 — closing a cluster must not mask the results
                pass
        self._closers.clear()


def _noop() -> None:
    return None


def new_process_pool(workers: int | None = None, start_method: str | None = None, *,
                     preload: tuple[str, ...] = ("sim.model", "sim.ensemble.worker")) -> cf.ProcessPoolExecutor:
    """A process pool for replications, for a caller that keeps it (e.g. a server for its lifetime).

    Its workers run :func:`~sim.ensemble.worker.init_worker` (model imported, one BLAS thread,
    catalog read). ``start_method`` defaults to ``forkserver`` where available, with ``preload``
    imported once by the fork server (safe with threads, fast to start each worker), else
    ``spawn``. Pass it to :func:`open_executor` (with its ``workers``) or to ``run_ensemble`` as
    ``executor=``; check it with :func:`pool_is_broken` and replace it when broken.
    """
    methods = multiprocessing.get_all_start_methods()
    method = start_method or ("forkserver" if "forkserver" in methods else "spawn")
    if method == "forkserver" and preload:
        multiprocessing.get_context("forkserver").set_forkserver_preload(list(preload))
    return _process_pool(int(workers or default_workers()), method)


def pool_is_broken(pool: cf.Executor) -> bool:
    """True when ``pool`` can take no more tasks (a worker process died, or it was shut down).

    Uses only the documented behaviour of :meth:`concurrent.futures.Executor.submit`, which raises
    ``BrokenExecutor`` (or ``RuntimeError`` after shutdown) for such a pool; a healthy pool runs a
    no-op task.
    """
    try:
        fut = pool.submit(_noop)
    except (cf.BrokenExecutor, RuntimeError):
        return True
    fut.cancel()
    return False


def _process_pool(workers: int, start_method: str | None) -> cf.ProcessPoolExecutor:
    from sim.ensemble.worker import init_worker

    ctx = multiprocessing.get_context(start_method)
    pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=init_worker)
    if start_method == "fork":
        # With fork the pool starts every worker at the first submit, synchronously, before its
        # own manager thread; do it now, while this process has no other Python thread (the
        # workers then import the model in the background: no need to wait). CPython 3.12 warns
        # about fork whenever the OS reports more than one thread, which numpy's and Arrow's native
        # pools always make true; those pools are fork-aware and workers do not use Arrow, so the
        # warning is silenced for this one call only (pass start_method="spawn" to avoid fork).
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=DeprecationWarning, message=r".*fork\(\) may lead to deadlocks.*")
            pool.submit(_noop)
    return pool


def _is_dask_client(obj: Any) -> bool:
    mod = type(obj).__module__ or ""
    return mod.startswith("distributed") and type(obj).__name__ == "Client"


#: Environment variable: seconds to wait with no Dask worker before giving up (default 60).
STALL_ENV = "FLASHPOINT_DASK_WAIT"


def _stall_timeout() -> float:
    """Seconds to wait with no Dask worker: ``FLASHPOINT_DASK_WAIT``, at least 1; 60 when unset or not a finite number."""
    try:
        value = float(os.environ.get(STALL_ENV, "60"))
    except ValueError:
        return 60.0
    return max(1.0, value) if math.isfinite(value) else 60.0  # inf would wait for ever, nan compares false


def _dask_handle(client: Any, closers: list, description: dict[str, Any]) -> ExecutorHandle:
    try:
        nthreads = dict(client.nthreads())
    except Exception:  # noqa: BLE001 — an old or unusual client: assume one slot
        nthreads = {}
    slots = max(1, sum(nthreads.values()))
    description.update({"dask_workers": len(nthreads), "workers": slots})
    return ExecutorHandle(kind="dask", executor=client.get_executor(pure=False), slots=slots, owned=False,
                          description=description, _closers=closers, _client=client,
                          _seen_workers=set(nthreads), stall_timeout=_stall_timeout())


def open_executor(executor: str | cf.Executor | Any = "process", workers: int | None = None,
                  scheduler: str | None = None, start_method: str | None = None, *,
                  preload: bool = True) -> ExecutorHandle:
    """Make an :class:`ExecutorHandle` for ``executor`` (see the module docstring).

    ``preload`` (local processes started by fork): import the model and read the catalog tables in
    this process first, so that every pool this process opens starts its workers with both loaded
    (about 1.2 s, then paid once per process, not once per pool). A one-shot command passes
    ``False`` and opens the pool before reading its input, so that the workers' imports overlap
    with that work.

    Raises:
        FlashpointError: unknown executor name, bad worker count, Dask missing or unreachable.
    """
    if workers is not None and int(workers) < 1:
        raise FlashpointError(f"workers must be at least 1, got {workers}")
    if scheduler and executor in ("process", None):
        executor = "dask"
    if isinstance(executor, cf.Executor):
        slots = int(workers or default_workers())  # a caller's pool: its size as told (default: the cores)
        return ExecutorHandle(kind="executor", executor=executor, slots=slots, owned=False,
                              description={"executor": type(executor).__name__, "workers": slots})
    if _is_dask_client(executor):
        return _dask_handle(executor, [], {"executor": "dask", "scheduler": str(getattr(executor.scheduler, "address", ""))})
    if not isinstance(executor, str) or executor not in EXECUTOR_NAMES:
        raise FlashpointError(f"unknown executor {executor!r} (choose one of {', '.join(EXECUTOR_NAMES)}, "
                              "or pass a concurrent.futures.Executor)")
    if executor == "inprocess":
        return ExecutorHandle(kind="inprocess", executor=None, slots=1, owned=True,
                              description={"executor": "inprocess", "workers": 1})
    capped = workers is not None and int(workers) > default_workers()
    if executor == "process":
        n = min(int(workers or default_workers()), default_workers())  # more only compete for the cores
        method = _start_method(start_method)
        if preload and method == "fork":
            import sim.model  # noqa: F401 — inherited by the forked workers
            from sim.ensemble.worker import warm_catalog

            warm_catalog()  # likewise the catalog tables (once per process)
        before = set(multiprocessing.active_children())
        pool = _process_pool(n, method)  # with fork, every worker has started by now
        handle = ExecutorHandle(kind="process", executor=pool, slots=n, owned=True,
                                _workers=[p for p in multiprocessing.active_children() if p not in before],
                                description={"executor": "process", "workers": n, "start_method": method},
                                _start_method=method, _requested_method=start_method)
        if capped:
            handle.description["workers_requested"] = int(workers)
        return handle
    # dask
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise FlashpointError("the Dask executor needs the optional extra: pip install 'flashpoint[dask]'") from exc
    closers: list = []
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except Exception as exc:  # noqa: BLE001 — OSError, TimeoutError, ValueError …
            raise FlashpointError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        closers.append(client.close)
        desc: dict[str, Any] = {"executor": "dask", "scheduler": scheduler}
    else:
        n = min(int(workers or default_workers()), default_workers())
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
        client = Client(cluster)
        closers += [cluster.close, client.close]
        desc = {"executor": "dask", "scheduler": "local cluster", "workers": n,
                **({"workers_requested": int(workers)} if capped else {})}
    return _dask_handle(client, closers, desc)

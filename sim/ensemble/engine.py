"""The scheduling loop shared by ensembles, comparisons and sweeps.

:func:`execute` runs one or more :class:`Job` s (a scenario and its seeds) on an
:class:`~sim.ensemble.executors.ExecutorHandle` and hands every finished replication to its job's
sink **in replication order**, whatever order the workers finish in — which is why one worker, two
workers and a Dask cluster give identical aggregates.

Batching: a task carries a batch of replications, which the worker steps together in one model
(:func:`~sim.ensemble.worker.run_lanes`) — the more runs a model steps at once, the cheaper each
run. An ensemble is therefore split into as few tasks as possible, the same number for every worker
slot and of equal size, each of at most :data:`MAX_BATCH` runs and at most what one model may hold
(see :func:`~sim.ensemble.worker.lanes_for`): 1,000 runs on 2 workers are 2 tasks of 500, 10,000
runs 10 tasks of 1,000. With a
custom run function (one run per call) the first task carries one run; after that the batch size is
chosen so that a task takes about :data:`TARGET_TASK_SECONDS`, capped so that the tail of the
ensemble still spreads over every worker. At most ``2 × slots`` tasks are in flight and at most
``4 × slots`` tasks' worth of results wait for an earlier replication, so memory does not grow with
the number of runs.

Failures: a run that raises is recorded with its seed and the error (the other runs continue). A
task that fails as a whole (a Dask worker killed, an executor broken) records each of its runs as
failed with its seed. When a worker process of an owned local pool dies, the pool is replaced and
the runs of the lost tasks are retried one at a time, so that the run that kills a worker is
identified by its seed. Ctrl-C (``KeyboardInterrupt``) stops submitting, waits for running tasks,
keeps every finished run and marks the result partial.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sim.analysis.digest import RunBatch, RunDigest
from sim.ensemble.executors import ExecutorHandle
from sim.ensemble.worker import BatchResult, RunFn, Task, lanes_for, run_batch

__all__ = ["Job", "Report", "execute", "TARGET_TASK_SECONDS", "MAX_BATCH"]

#: Wall time a task should take once the run time is known.
TARGET_TASK_SECONDS = 0.5
#: Largest batch of runs in one task. A step costs a fixed ~3.5 ms of numpy calls plus ~0.05 ms per
#: replication (founding scenario, measured in CPU time): 3.4 ms CPU a run in batches of 250,
#: 2.9 ms in batches of 1,000 (issue 14, item 17; was 256).
MAX_BATCH = 1024
#: How many times a broken local pool is replaced before the rest is given up.
MAX_RENEWALS = 24
#: How often (seconds) the scheduler looks at the executor's health while no task finishes.
POLL_SECONDS = 1.0

Sink = Callable[[int, int, RunDigest | None, str | None], None]
BatchSink = Callable[[list[int], RunBatch], None]
Progress = Callable[[int, int], None]


@dataclass
class Job:
    """Replications of one scenario (a variant already applied): ``seeds[k]`` is replication k."""

    scenario: Any
    seeds: Sequence[int]
    sink: Sink
    dyad_levels: bool = True
    label: str = ""
    #: Takes runs that arrived together in bulk: ``batch_sink(indices, batch)`` must do what
    #: ``sink(index, seed, batch.digest(r), None)`` for each run in turn would (optional).
    batch_sink: BatchSink | None = None


@dataclass
class Report:
    """How an execution went."""

    total: int = 0
    ok: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)
    not_run: int = 0
    partial: bool = False
    interrupted: bool = False
    seconds: float = 0.0
    tasks: int = 0
    run_seconds: float = 0.0
    executor: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Plain data for manifests and ``--json``."""
        return {"total": self.total, "ok": self.ok, "failed": len(self.failures), "not_run": self.not_run,
                "partial": self.partial, "interrupted": self.interrupted, "seconds": round(self.seconds, 4),
                "tasks": self.tasks, "mean_run_seconds": round(self.run_seconds / max(1, self.ok), 6),
                "executor": self.executor}


class _Scheduler:
    def __init__(self, jobs: Sequence[Job], handle: ExecutorHandle, progress: Progress | None,
                 batch_size: int | None, run_fn: RunFn | None):
        self.jobs = list(jobs)
        self.handle = handle
        self.progress = progress
        self.fixed = batch_size
        self.run_fn = run_fn
        self.report = Report(total=sum(len(j.seeds) for j in jobs), executor=dict(handle.description))
        self.cursor = [0] * len(self.jobs)          # next replication to submit, per job
        self.emit = [0] * len(self.jobs)            # next replication to hand to the sink, per job
        self.buffer: list[dict[int, tuple]] = [{} for _ in self.jobs]
        self.job_at = 0
        self.retry: deque[Task] = deque()
        self.est: float | None = None               # seconds per run (moving average)
        self.done = 0
        self.futures: dict[cf.Future, Task] = {}
        self.stalled_since: float | None = None

    # ---------------------------------------------------------------- batching
    def remaining(self) -> int:
        return sum(len(j.seeds) - c for j, c in zip(self.jobs, self.cursor, strict=True))

    def batch_size(self) -> int:
        if self.fixed:
            return max(1, int(self.fixed))
        if self.run_fn is None:
            # the model steps a task's runs together, so fewer, larger tasks are faster: as few as
            # MAX_BATCH and what one model may hold allow, the same number for every slot and of
            # equal size, so that the workers finish together
            j = min(self.job_at, len(self.jobs) - 1)
            cap = max(1, min(MAX_BATCH, lanes_for(len(self.jobs[j].scenario.actors))))
            per_slot = math.ceil(self.report.total / self.handle.slots)
            return max(1, math.ceil(per_slot / math.ceil(per_slot / cap)))
        if self.est is None:
            return 1
        size = int(TARGET_TASK_SECONDS / max(self.est, 1e-6))
        tail = math.ceil(self.remaining() / (2 * self.handle.slots))
        return max(1, min(size, tail, MAX_BATCH))

    def next_task(self) -> Task | None:
        if self.retry:
            return self.retry.popleft()
        while self.job_at < len(self.jobs) and self.cursor[self.job_at] >= len(self.jobs[self.job_at].seeds):
            self.job_at += 1
        if self.job_at >= len(self.jobs):
            return None
        j = self.job_at
        job = self.jobs[j]
        a = self.cursor[j]
        b = min(len(job.seeds), a + self.batch_size())
        self.cursor[j] = b
        return Task(job=j, scenario=job.scenario, items=[(k, int(job.seeds[k])) for k in range(a, b)],
                    dyad_levels=job.dyad_levels, run_fn=self.run_fn)

    # ---------------------------------------------------------------- results
    def deliver(self, res: BatchResult) -> None:
        j = res.job
        buf = self.buffer[j]
        n = 0
        for indices, batch in res.parts:
            for r, index in enumerate(indices):
                buf[index] = (batch, r, None)
            n += len(indices)
            if batch.seconds is not None:
                self.report.run_seconds += float(batch.seconds.sum())
        for index, seed, err in res.errors:
            buf[index] = (None, seed, err)
            n += 1
        if n and res.seconds > 0:
            per = res.seconds / n
            self.est = per if self.est is None else 0.7 * self.est + 0.3 * per
        self.flush(j, contiguous=True)
        self.done += n
        self.report.tasks += 1
        if self.progress is not None:
            self.progress(self.done, self.report.total)

    def fail_task(self, task: Task, error: str) -> None:
        self.deliver(BatchResult(job=task.job, errors=[(i, s, error) for i, s in task.items]))

    def flush(self, j: int, contiguous: bool) -> None:
        """Hand buffered runs of job ``j`` to its sink in replication order.

        ``contiguous``: only the runs that follow the last one handed over without a gap (during
        the ensemble); otherwise every buffered run (at the end, after an interruption). Runs that
        sit next to each other in one :class:`RunBatch` go to the job's ``batch_sink`` together.
        """
        buf = self.buffer[j]
        if contiguous:
            keys = []
            k = self.emit[j]
            while k in buf:
                keys.append(k)
                k += 1
            self.emit[j] = k
        else:
            keys = sorted(buf)
        a = 0
        while a < len(keys):
            batch, r, err = buf.pop(keys[a])  # (batch, row, None), or (None, seed, error) for a failure
            b = a + 1
            if batch is not None:  # extend over the following runs of the same batch, in batch order
                while (b < len(keys) and keys[b] == keys[b - 1] + 1 and buf[keys[b]][0] is batch
                       and buf[keys[b]][1] == r + (b - a)):
                    buf.pop(keys[b])
                    b += 1
                self._emit_runs(j, keys[a:b], batch, r, r + (b - a))
            else:
                self._emit_failure(j, keys[a], r, err)
            a = b

    def _emit_runs(self, j: int, indices: list[int], batch: RunBatch, r0: int, r1: int) -> None:
        job = self.jobs[j]
        self.report.ok += r1 - r0
        if job.batch_sink is not None:
            job.batch_sink(indices, batch.rows(r0, r1) if (r0, r1) != (0, len(batch)) else batch)
        else:
            for index, r in zip(indices, range(r0, r1), strict=True):
                job.sink(index, int(batch.seeds[r]), batch.digest(r), None)

    def _emit_failure(self, j: int, index: int, seed: int, err: str | None) -> None:
        job = self.jobs[j]
        self.report.failures.append({"job": j, "label": job.label, "index": int(index), "seed": int(seed),
                                     "error": err or "no result"})
        job.sink(index, seed, None, err or "no result")

    def waiting(self) -> int:
        return sum(len(b) for b in self.buffer)

    # ---------------------------------------------------------------- loops
    def run_inprocess(self) -> None:
        if self.progress is not None:
            self.progress(0, self.report.total)
        while (task := self.next_task()) is not None:
            self.deliver(run_batch(task))

    def run_pool(self) -> None:
        futures = self.futures
        slots = self.handle.slots

        def admissible() -> Task | None:
            """The next task to submit now, or None (see the module docstring: retries first)."""
            if len(futures) >= 2 * slots or any(t.solo for t in futures.values()):
                return None
            if self.retry:
                if self.retry[0].solo and futures:
                    return None  # a suspect runs alone, so that a dead worker names it
                return self.retry.popleft()
            # new work; a result waiting for an earlier replication holds memory, so the number of
            # tasks in flight is bounded by what waits — but never to zero, which would stall
            if futures and len(futures) + self.waiting() // max(1, self.batch_size()) >= 4 * slots:
                return None
            return self.next_task()

        def top_up() -> None:
            while (task := admissible()) is not None:
                try:
                    fut = self.handle.executor.submit(run_batch, task)  # type: ignore[union-attr]
                except (cf.BrokenExecutor, RuntimeError) as exc:
                    self._worker_lost(task, futures, exc)
                    continue
                futures[fut] = task

        top_up()
        if self.progress is not None:
            self.progress(0, self.report.total)
        while futures:
            done, _ = cf.wait(list(futures), timeout=POLL_SECONDS, return_when=cf.FIRST_COMPLETED)
            if not done:
                self._watch()
                continue
            for fut in done:
                task = futures.pop(fut, None)
                if task is None:
                    continue
                try:
                    res = fut.result()
                except cf.BrokenExecutor as exc:
                    self._worker_lost(task, futures, exc)
                    continue
                except cf.CancelledError:
                    self.fail_task(task, "cancelled")
                    continue
                except Exception as exc:  # noqa: BLE001 — e.g. distributed.KilledWorker
                    self.fail_task(task, f"the task running this seed failed: {type(exc).__name__}: {exc}")
                    continue
                self.deliver(res)
            top_up()
        for j in range(len(self.jobs)):
            self.flush(j, contiguous=False)

    def _watch(self) -> None:
        """While nothing finishes: ask the executor whether it can still work (a hang is an error)."""
        problem = self.handle.health()
        if problem is None:
            self.stalled_since = None
            return
        now = time.monotonic()
        if self.stalled_since is None:
            self.stalled_since = now
        if now - self.stalled_since < self.handle.stall_timeout:
            return
        # give up: whatever is in flight or not yet submitted is not run (counted in not_run)
        self.report.executor["error"] = f"gave up after {self.handle.stall_timeout:.0f} s: {problem}"
        self.report.partial = True
        for fut in list(self.futures):
            fut.cancel()
        self.futures.clear()
        self.retry.clear()
        self.cursor = [len(j.seeds) for j in self.jobs]

    def _worker_lost(self, task: Task, futures: dict[cf.Future, Task], exc: BaseException) -> None:
        """Handle a dead worker: retry the lost runs on a fresh pool, or give up on them.

        Every task that was in flight is retried *solo* (with nothing else in flight), so that a
        worker that dies next names its task. A task that killed its worker alone is cut in halves,
        each retried solo, until the run is found, which is reported as failed with its seed
        (bisection: about ``log2(batch)`` extra breaks, each a pool renewal, at most
        :data:`MAX_RENEWALS` in all). Runs lost to a one-off kill (the OOM killer, an operator)
        just run again.
        """
        lost = [task] + list(futures.values())
        futures.clear()
        self.report.executor["workers_lost"] = int(self.report.executor.get("workers_lost", 0)) + 1
        if not self.handle.can_renew or self.handle.renewals >= MAX_RENEWALS:
            why = (f"the executor broke ({type(exc).__name__}: {exc})" if not self.handle.can_renew
                   else f"worker processes died {self.handle.renewals + 1} times (limit {MAX_RENEWALS})")
            for t in lost:
                self.fail_task(t, f"{why} while running this seed")
            # the executor cannot take more work: whatever was not submitted is not run
            for t in self.retry:
                self.fail_task(t, f"not run: {why}")
            self.retry.clear()
            self.report.executor["error"] = f"gave up: {why}"
            self.report.not_run += self.remaining()
            self.cursor = [len(j.seeds) for j in self.jobs]
            self.report.partial = True
            return
        self.handle.renew()
        if len(lost) == 1:  # it ran alone: the dead worker was running this task
            t = lost[0]
            if len(t.items) == 1:
                self.fail_task(t, "the worker process died while running this seed (a crash or out of memory)")
                return
            half = len(t.items) // 2  # bisect, each half alone, until the seed is found
            self.retry.extendleft([_solo(t, t.items[half:]), _solo(t, t.items[:half])])
            return
        # any of them may have killed the worker: each runs again, alone (in submission order)
        self.retry.extendleft(reversed([_solo(t, t.items) for t in lost]))


def _solo(t: Task, items: list[tuple[int, int]]) -> Task:
    return Task(job=t.job, scenario=t.scenario, items=list(items), dyad_levels=t.dyad_levels, run_fn=t.run_fn,
                retry=True, solo=True)


def execute(jobs: Sequence[Job], handle: ExecutorHandle, *, progress: Progress | None = None,
            batch_size: int | None = None, run_fn: RunFn | None = None) -> Report:
    """Run ``jobs`` on ``handle``; every replication goes to its job's sink in replication order.

    Args:
        jobs: The jobs (scenario, seeds, sink).
        handle: From :func:`~sim.ensemble.executors.open_executor`; closed by the caller.
        progress: Called as ``progress(done, total)`` after each task.
        batch_size: Runs per task (default: adaptive, see the module docstring).
        run_fn: Replaces :func:`~sim.ensemble.worker.run_one` (tests and extensions; it must be
            picklable for process and Dask executors).

    Returns:
        A :class:`Report`. On ``KeyboardInterrupt`` the finished runs have been delivered and the
        report is marked partial and interrupted (the interrupt is not re-raised).
    """
    scheduler = _Scheduler(jobs, handle, progress, batch_size, run_fn)
    t0 = time.perf_counter()
    try:
        if handle.kind == "inprocess":
            scheduler.run_inprocess()
        else:
            scheduler.run_pool()
    except KeyboardInterrupt:
        scheduler.report.interrupted = scheduler.report.partial = True
        _drain(scheduler, handle)
    except BaseException:
        # e.g. the progress callback cancelled the work (the app's Cancel button): tasks not yet
        # started are withdrawn, so that a shared pool is free again for the next request
        for fut in list(scheduler.futures):
            fut.cancel()
        raise
    handle.health()  # a last look: Dask workers lost while tasks kept finishing
    for key in ("workers_lost", "workers_lost_names", "workers_now"):
        if key in handle.description:
            scheduler.report.executor[key] = handle.description[key]
    scheduler.report.seconds = time.perf_counter() - t0
    scheduler.report.not_run = scheduler.report.total - scheduler.report.ok - len(scheduler.report.failures)
    if scheduler.report.not_run:
        scheduler.report.partial = True
    return scheduler.report


def _drain(scheduler: _Scheduler, handle: ExecutorHandle) -> None:
    """After Ctrl-C: stop the executor, keep every run that finished, in replication order."""
    pending = dict(scheduler.futures)
    scheduler.futures.clear()
    for fut in pending:
        fut.cancel()
    try:
        if handle.owned and handle.executor is not None:
            handle.executor.shutdown(wait=True, cancel_futures=True)
        else:
            cf.wait(list(pending), timeout=5 * TARGET_TASK_SECONDS + 5)
    except KeyboardInterrupt:  # a second Ctrl-C: do not wait for running tasks
        if handle.owned and handle.executor is not None:
            handle.executor.shutdown(wait=False, cancel_futures=True)
    scheduler.progress = None
    for fut in pending:
        if fut.done() and not fut.cancelled() and fut.exception() is None:
            scheduler.deliver(fut.result())
    for j in range(len(scheduler.jobs)):
        scheduler.flush(j, contiguous=False)

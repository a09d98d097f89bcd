"""What a job's work sees of the job: a place to report progress and a way to learn it was cancelled."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

# Writes (done, failed, total) somewhere durable; returns whether a cancellation was requested there.
ProgressWriter = Callable[[int, int, int | None], bool]


class JobCancelled(Exception):
    """Raised by work (or by the runner on its behalf) to stop and roll back."""


class JobContext:
    """Handed to a job's work. `done` counts every item handled so far (good or bad), `failed` the bad
    ones among them; `total`, when known, is what `done` will reach. Call `progress` between chunks and
    stop (return, or raise `JobCancelled`) as soon as `cancelled()` is true: the runner rolls the work's
    transaction back either way."""

    def __init__(self, job_id: int, *, every_seconds: float = 0.0) -> None:
        self.job_id = job_id
        self.done = 0
        self.failed = 0
        self.total: int | None = None
        self.writer: ProgressWriter | None = None
        self._every = every_seconds
        self._last_write = float("-inf")
        self._cancel = threading.Event()
        self.cancelled_by: str | None = None

    def progress(self, done: int, failed: int = 0, total: int | None = None) -> None:
        self.done, self.failed = done, failed
        if total is not None:
            self.total = total
        now = time.monotonic()
        if self.writer is not None and now - self._last_write >= self._every:
            self._last_write = now
            if self.writer(done, failed, self.total):
                self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self, by: str | None = None) -> None:
        self.cancelled_by = self.cancelled_by or by
        self._cancel.set()

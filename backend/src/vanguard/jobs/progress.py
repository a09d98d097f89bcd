"""A console progress bar for a job (the CLI's local and remote imports): redrawn in place on a
terminal, a line now and then otherwise (logs, CI)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    def __init__(self, label: str, stream: TextIO | None = None, *, width: int = 30) -> None:
        self.label, self.width = label, width
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        self._last_line = float("-inf")
        self._drawn = False

    def update(self, done: int, failed: int, total: int | None) -> None:
        now = time.monotonic()
        if not self.tty and now - self._last_line < 5:
            return
        self._last_line = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        if total:
            share = min(1.0, done / total)
            filled = int(share * self.width)
            bar = "#" * filled + "." * (self.width - filled)
            left = (total - done) / rate if rate > 0 else None
            eta = f"  ETA {int(left // 60)}:{int(left % 60):02d}" if left is not None else ""
            counts = f"{done:,}/{total:,} rows, {failed:,} bad, {rate:,.0f}/s"
            text = f"{self.label} [{bar}] {share:4.0%} {counts}{eta}"
        else:
            text = f"{self.label} {done:,} rows, {failed:,} bad, {rate:,.0f}/s"
        if self.tty:
            self.stream.write("\r" + text + "\033[K")
            self._drawn = True
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()

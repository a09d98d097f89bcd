"""Concurrency fixtures: races run only against PostgreSQL, whose row locks and READ COMMITTED snapshots are
what production relies on (SQLite serialises every writer, so a race there proves nothing)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar, cast

import pytest

T = TypeVar("T")

ROUNDS = 10  # each race is run this many times: one lucky interleaving must not hide a double-apply


@pytest.fixture
def postgresql_only(request: pytest.FixtureRequest) -> None:
    # Checked from the parameter, before `db_url` builds a database only to be skipped.
    if request.node.callspec.params.get("db_url") != "postgresql":
        pytest.skip("races and crashes are tested against PostgreSQL (SQLite runs one writer at a time)")


def race(runners: int, run: Callable[[int], T]) -> list[T]:
    """Run `run(0)`, …, `run(runners - 1)` in threads released together by a barrier; their results in
    order. An exception in any thread fails the test after every thread has finished."""
    start = threading.Barrier(runners)
    results: list[T | None] = [None] * runners
    errors: list[BaseException] = []

    def runner(i: int) -> None:
        try:
            start.wait(timeout=30)
            results[i] = run(i)
        except BaseException as exc:  # reported to the test below, once every thread is done
            errors.append(exc)

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return cast(list[T], results)

"""The permission boundary every resource must hold, checked by one runner for every feature.

For each endpoint, in an order where only the last call may change anything: no login → 401, a plain
member → 403, an auditor → reads only, a secretary of another branch → 404 (never a hint that the record
exists), and finally the owning branch's secretary → success. One database per endpoint, not five.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests.problems import assert_problem
from tests.world import World

API = "/api/v1"
Ids = dict[str, int]


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # under /api/v1, with {placeholders} filled from the test's ids
    body: Any = None  # JSON, or a function of the ids for bodies that name records
    outsider_code: str | None = None  # what another branch gets; None when the call names no record
    reads: bool | None = None  # an auditor may call it; defaults to GET

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def auditor_may_call(self) -> bool:
        return self.method == "GET" if self.reads is None else self.reads


def each(endpoints: list[Endpoint]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("endpoint", endpoints, ids=str)


def call(client: TestClient, world: World, user: str | None, endpoint: Endpoint, ids: Ids) -> Response:
    body = endpoint.body(ids) if callable(endpoint.body) else endpoint.body
    headers = world.auth(user) if user else {}
    response: Response = client.request(
        endpoint.method, API + endpoint.path.format(**ids), json=body, headers=headers
    )
    return response


def assert_boundary(
    client: TestClient,
    world: World,
    endpoint: Endpoint,
    ids: Ids,
    *,
    insider: str | None = "sec_a1",
    outsider: str = "sec_b1",
    succeeded: Callable[[Response], bool] = lambda r: r.status_code in (200, 201, 202, 204),
) -> None:
    assert_problem(call(client, world, None, endpoint, ids), 401, "unauthenticated")
    assert_problem(call(client, world, "member_a1", endpoint, ids), 403, "forbidden")
    by_auditor = call(client, world, "auditor", endpoint, ids)
    if endpoint.auditor_may_call:
        assert by_auditor.status_code == 200, by_auditor.text
    else:
        assert_problem(by_auditor, 403, "forbidden")
    if endpoint.outsider_code is not None:
        assert_problem(call(client, world, outsider, endpoint, ids), 404, endpoint.outsider_code)
    if insider is not None:
        by_insider = call(client, world, insider, endpoint, ids)
        assert succeeded(by_insider), by_insider.text

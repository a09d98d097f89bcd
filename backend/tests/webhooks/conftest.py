"""A real HTTP receiver on 127.0.0.1 for deliveries, and a subscription helper."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.world import World, add_user
from vanguard.core.permissions import Role

API = "/api/v1/webhooks"


@dataclass
class Receiver:
    url: str
    status: int = 204  # what the receiver answers; tests change it
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(state.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:  # keep the test output clean
            pass

    with serving(Handler) as url:
        state.url = url
        yield state


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """`handler` on a free port of 127.0.0.1, in a thread; yields the URL deliveries are posted to."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks/vanguard"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def town_b_admin(session: Session, world: World) -> str:
    """An organisation department of the other town: same rights as town_a_admin, another subtree."""
    world.users["town_b_admin"] = add_user(session, "town_b_admin", Role.ORG_ADMIN, world.orgs["town_b"])
    session.commit()
    return "town_b_admin"


def subscribe(
    client: TestClient, world: World, url: str, *, org: str = "town_a", by: str = "town_a_admin", **extra: Any
) -> dict[str, Any]:
    body = {"org_id": world.orgs[org].id, "url": url, "event_types": ["complaint.received"], **extra}
    r = client.post(API, json=body, headers=world.auth(by))
    assert r.status_code == 201, r.text
    created: dict[str, Any] = r.json()
    return created


@dataclass(frozen=True)
class Account:
    """A service account made through the API, and one token of it."""

    id: int
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def service_account(
    client: TestClient,
    world: World,
    name: str,
    *,
    org: str = "town_a",
    scopes: tuple[str, ...] = ("webhooks:manage", "complaints:read"),
) -> Account:
    admin = world.auth("admin")
    body = {"name": name, "org_id": world.orgs[org].id, "scopes": list(scopes)}
    created = client.post("/api/v1/service-accounts", json=body, headers=admin)
    assert created.status_code == 201, created.text
    account_id = created.json()["id"]
    issued = client.post(f"/api/v1/service-accounts/{account_id}/tokens", json={"name": "t"}, headers=admin)
    assert issued.status_code == 201, issued.text
    return Account(account_id, issued.json()["token"])

"""The OA integration example in examples/, run as an OA team would: against a live server on 127.0.0.1
(uvicorn, with its webhook worker running), a service token, and a receiver that verifies signatures."""

from __future__ import annotations

import importlib.util
import socket
import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine

from tests.world import World
from vanguard.core.config import Settings
from vanguard.main import create_app

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "oa_integration.py"


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("oa_integration", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def live_server(engine: Engine, world: World) -> Iterator[str]:
    """The app served by uvicorn as in production (lifespan on, so the webhook worker runs every second)."""
    settings = Settings(VANGUARD_ENV="development", VANGUARD_WEBHOOK_DELIVERY_SECONDS=1)  # type: ignore[call-arg]
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, engine=engine), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_push_complaints_and_receive_verified_webhooks(live_server: str, world: World) -> None:
    example = _example()
    admin = httpx.Client(base_url=live_server, headers=world.auth("town_a_admin"), timeout=10)
    town_a = world.orgs["town_a"].id

    # What the county's IT staff do once: a service account for the OA system, a token, a subscription.
    account = (
        admin.post(
            "/api/v1/service-accounts",
            json={"name": "县信访OA", "org_id": town_a, "scopes": ["complaints:read", "complaints:write"]},
        )
        .raise_for_status()
        .json()
    )
    token = (
        admin.post(f"/api/v1/service-accounts/{account['id']}/tokens", json={"name": "prod"})
        .raise_for_status()
        .json()["token"]
    )

    # The receiver's address is known once it listens; subscribe, then point the subscription at it.
    subscription = (
        admin.post(
            "/api/v1/webhooks",
            json={
                "org_id": town_a,
                "url": "http://127.0.0.1:9/not-yet",
                "event_types": ["complaint.received"],
            },
        )
        .raise_for_status()
        .json()
    )
    received: list[dict[str, Any]] = []
    receiver = ThreadingHTTPServer(
        ("127.0.0.1", 0), example.webhook_handler(subscription["secret"], received.append)
    )
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{receiver.server_address[1]}/vanguard"
        admin.patch(f"/api/v1/webhooks/{subscription['id']}", json={"url": url}).raise_for_status()

        complaint = {
            "category": "roads",
            "title": "村口路灯不亮",
            "description": "村口路灯坏了一周，夜间出行不便",
        }
        created = example.push_complaint(live_server, token, complaint, key="oa-20261123-0001")
        again = example.push_complaint(live_server, token, complaint, key="oa-20261123-0001")
        assert again["id"] == created["id"]  # a retried push lands once

        deadline = time.monotonic() + 20
        while not received and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [e["type"] for e in received] == ["complaint.received"]
        assert received[0]["data"]["id"] == created["id"]
        assert "reporter_name" not in received[0]["data"]

        with pytest.raises(RuntimeError, match="422"):
            example.push_complaint(live_server, token, {**complaint, "category": "no-such-category"})
    finally:
        receiver.shutdown()
        receiver.server_close()
        admin.close()

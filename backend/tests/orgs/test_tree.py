from __future__ import annotations

from fastapi.testclient import TestClient

from tests.world import World


def test_secretary_sees_own_branch_as_root(client: TestClient, world: World) -> None:
    r = client.get("/api/v1/orgs/roots", headers=world.auth("sec_a1"))
    assert r.status_code == 200
    assert [o["code"] for o in r.json()["items"]] == ["C-A-1"]
    assert r.json()["items"][0]["member_count"] == 3

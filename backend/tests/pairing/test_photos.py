"""Photos on visits: image attachments of the pair's org, linked on create and replaced on update."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.attachments.test_content_types import JPEG, PDF, PNG
from tests.pairing.conftest import API, STARTED
from tests.problems import assert_problem
from tests.world import World
from vanguard.audit.models import AuditEvent
from vanguard.pairing.models import Pair

P = API + "/pairing"


def _upload(client: TestClient, world: World, filename: str, data: bytes, org: str = "branch_a1") -> int:
    r = client.post(
        API + "/attachments",
        headers=world.auth("town_a_admin"),
        files={"file": (filename, data, "application/octet-stream")},
        data={"org_id": str(world.orgs[org].id)},
    )
    assert r.status_code == 201, r.text
    attachment_id: int = r.json()["id"]
    return attachment_id


def _create(client: TestClient, world: World, pair: Pair, photos: list[int]) -> Any:
    body = {
        "visited_on": STARTED.isoformat(),
        "type": "routine",
        "work_done": "入户走访",
        "attachment_ids": photos,
    }
    return client.post(f"{P}/pairs/{pair.id}/visits", json=body, headers=world.auth("sec_a1"))


def test_a_visit_with_photos(client: TestClient, world: World, pair: Pair) -> None:
    photo = _upload(client, world, "走访.png", PNG)
    r = _create(client, world, pair, [photo])
    assert r.status_code == 201, r.text
    assert [(p["id"], p["content_type"]) for p in r.json()["photos"]] == [(photo, "image/png")]
    listed = client.get(f"{P}/pairs/{pair.id}/visits", headers=world.auth("sec_a1")).json()["items"]
    assert [p["filename"] for p in listed[0]["photos"]] == ["走访.png"]


def test_only_images_of_the_pairs_org_are_accepted_naming_the_others(
    client: TestClient, world: World, pair: Pair
) -> None:
    photo = _upload(client, world, "走访.png", PNG)
    document = _upload(client, world, "说明.pdf", PDF)
    elsewhere = _upload(client, world, "别村.png", PNG, org="branch_a2")
    r = _create(client, world, pair, [photo, document, elsewhere])
    assert_problem(r, 422, "attachments_not_linkable")
    assert r.json()["errors"][0]["field"] == "body.attachment_ids"
    assert (
        r.json()["errors"][0]["message"] == f"以下图片不存在、不属于本组织或类型不符：{document}, {elsewhere}"
    )
    assert client.get(f"{P}/pairs/{pair.id}/visits", headers=world.auth("sec_a1")).json()["items"] == []
    assert_problem(_create(client, world, pair, [999_999]), 422, "attachments_not_linkable")


def test_replacing_photos_bumps_the_version_and_is_audited(
    client: TestClient, session: Session, world: World, pair: Pair
) -> None:
    first, second = _upload(client, world, "一.png", PNG), _upload(client, world, "二.jpg", JPEG)
    visit = _create(client, world, pair, [first]).json()
    url = f"{P}/pairs/{pair.id}/visits/{visit['id']}"
    auth = world.auth("sec_a1")
    r = client.patch(
        url, json={"attachment_ids": [second]}, headers={**auth, "If-Match": f'"{visit["version"]}"'}
    )
    assert r.status_code == 200, r.text
    assert [p["id"] for p in r.json()["photos"]] == [second]
    assert r.json()["version"] == visit["version"] + 1
    same = client.patch(url, json={"attachment_ids": [second], "skills": "电商"}, headers=auth)
    assert [p["id"] for p in same.json()["photos"]] == [second]
    events = session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "pairing_visits", AuditEvent.entity_id == str(visit["id"])
        )
    ).all()
    photo_changes = [(e.before, e.after) for e in events if e.after and "photo_ids" in e.after]
    assert photo_changes == [
        ({"photo_ids": []}, {"photo_ids": [first]}),
        ({"photo_ids": [first]}, {"photo_ids": [second]}),
    ]
    assert_problem(client.patch(url, json={"attachment_ids": None}, headers=auth), 422, "field_required")
    cleared = client.patch(url, json={"attachment_ids": []}, headers=auth)
    assert cleared.json()["photos"] == []

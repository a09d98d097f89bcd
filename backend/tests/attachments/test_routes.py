"""Upload, read, download and delete attachments over HTTP, on both databases."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.attachments.test_content_types import PDF, PNG
from tests.problems import assert_problem
from tests.world import World
from vanguard.attachments import service
from vanguard.attachments.models import Attachment, AttachmentContent
from vanguard.audit.models import AuditEvent
from vanguard.core import policy
from vanguard.core.permissions import Scope

API = "/api/v1/attachments"


def upload(
    client: TestClient, world: World, user: str, org: str, filename: str = "讲稿.pdf", data: bytes = PDF
) -> Any:
    return client.post(
        API,
        headers=world.auth(user),
        files={"file": (filename, data, "application/octet-stream")},
        data={"org_id": str(world.orgs[org].id)},
    )


def test_upload_then_read_and_download(client: TestClient, world: World, session: Session) -> None:
    r = upload(client, world, "sec_a1", "branch_a1")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["filename"] == "讲稿.pdf"
    assert body["content_type"] == "application/pdf"
    assert body["size"] == len(PDF)
    assert body["org_id"] == world.orgs["branch_a1"].id
    assert r.headers["Location"] == f"{API}/{body['id']}"

    meta = client.get(f"{API}/{body['id']}", headers=world.auth("town_a_admin"))
    assert meta.status_code == 200
    assert meta.json()["sha256"] == body["sha256"]

    download = client.get(f"{API}/{body['id']}/content", headers=world.auth("sec_a1"))
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert f"filename*=UTF-8''{quote('讲稿.pdf')}" in download.headers["content-disposition"]
    assert download.headers["x-content-type-options"] == "nosniff"

    event = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "attachments", AuditEvent.entity_id == str(body["id"]))
    ).one()
    assert event.action == "create"
    assert event.org_id == world.orgs["branch_a1"].id


def test_a_windows_path_keeps_only_the_file_name(client: TestClient, world: World) -> None:
    r = upload(client, world, "sec_a1", "branch_a1", filename="C:\\Users\\书记\\照片.png", data=PNG)
    assert r.status_code == 201, r.text
    assert r.json()["filename"] == "照片.png"


def test_too_large_is_413_and_stores_nothing(
    client: TestClient, world: World, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(policy, "ATTACHMENT_MAX_BYTES", len(PDF) - 1)
    assert_problem(upload(client, world, "sec_a1", "branch_a1"), 413, "attachment_too_large")
    assert session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_wrong_type_is_415_and_empty_is_422(client: TestClient, world: World, session: Session) -> None:
    assert_problem(
        upload(client, world, "sec_a1", "branch_a1", filename="x.pdf", data=PNG),
        415,
        "unsupported_attachment_type",
    )
    problem = assert_problem(upload(client, world, "sec_a1", "branch_a1", data=b""), 422, "attachment_empty")
    assert problem["errors"][0]["field"] == "body.file"
    assert session.scalar(select(func.count()).select_from(AttachmentContent)) == 0


def test_list_pages_through_an_orgs_files(client: TestClient, world: World) -> None:
    ids = [upload(client, world, "sec_a1", "branch_a1", filename=f"{i}.pdf").json()["id"] for i in range(3)]
    upload(client, world, "sec_b1", "branch_b1")
    params: dict[str, Any] = {"org_id": world.orgs["branch_a1"].id, "limit": 2}
    first = client.get(API, params=params, headers=world.auth("sec_a1")).json()
    assert [a["id"] for a in first["items"]] == ids[:2]
    second = client.get(
        API, params={**params, "cursor": first["next_cursor"]}, headers=world.auth("sec_a1")
    ).json()
    assert [a["id"] for a in second["items"]] == ids[2:]
    assert second["next_cursor"] is None


def test_delete_an_unlinked_file_removes_its_bytes(
    client: TestClient, world: World, session: Session
) -> None:
    attachment_id = upload(client, world, "sec_a1", "branch_a1").json()["id"]
    assert client.delete(f"{API}/{attachment_id}", headers=world.auth("sec_a1")).status_code == 204
    assert_problem(
        client.get(f"{API}/{attachment_id}", headers=world.auth("sec_a1")), 404, "attachment_not_found"
    )
    assert session.scalar(select(func.count()).select_from(AttachmentContent)) == 0


# --- the permission boundary -------------------------------------------------------------------


def test_another_branch_sees_nothing(client: TestClient, world: World) -> None:
    attachment_id = upload(client, world, "sec_a1", "branch_a1").json()["id"]
    other = world.auth("sec_b1")
    for method, path in [
        ("GET", f"{API}/{attachment_id}"),
        ("GET", f"{API}/{attachment_id}/content"),
        ("DELETE", f"{API}/{attachment_id}"),
    ]:
        assert_problem(client.request(method, path, headers=other), 404, "attachment_not_found")
    assert_problem(
        client.get(API, params={"org_id": world.orgs["branch_a1"].id}, headers=other), 404, "org_not_found"
    )
    # Nor can it upload into branch_a1.
    assert_problem(upload(client, world, "sec_b1", "branch_a1"), 404, "org_not_found")


def test_members_may_not_upload_or_read_and_auditors_only_read(client: TestClient, world: World) -> None:
    attachment_id = upload(client, world, "sec_a1", "branch_a1").json()["id"]
    assert_problem(upload(client, world, "member_a1", "branch_a1"), 403, "forbidden")
    assert_problem(client.get(f"{API}/{attachment_id}", headers=world.auth("member_a1")), 403, "forbidden")
    assert_problem(upload(client, world, "auditor", "branch_a1"), 403, "forbidden")
    assert client.get(f"{API}/{attachment_id}", headers=world.auth("auditor")).status_code == 200
    assert client.get(f"{API}/{attachment_id}").status_code == 401


# --- linking, as features use it -----------------------------------------------------------------


def test_linking_needs_files_of_that_very_org(client: TestClient, world: World, session: Session) -> None:
    pdf = upload(client, world, "sec_a1", "branch_a1").json()["id"]
    photo = upload(client, world, "sec_a1", "branch_a1", filename="p.png", data=PNG).json()["id"]
    other_branch = upload(client, world, "town_a_admin", "branch_a2").json()["id"]
    scope = Scope(world.orgs["branch_a1"].path)
    org_id = world.orgs["branch_a1"].id

    linked = service.attachments_for_link(session, scope, [photo, pdf, photo], org_id)
    assert [a.id for a in linked] == [photo, pdf]

    with pytest.raises(service.AttachmentsNotLinkable) as refused:
        service.attachments_for_link(session, scope, [pdf, other_branch, 999_999], org_id)
    assert refused.value.en.endswith(f"{other_branch}, 999999")

    with pytest.raises(service.AttachmentsNotLinkable) as not_images:
        service.attachments_for_link(
            session, scope, [photo, pdf], org_id, field="photo_ids", images_only=True
        )
    assert not_images.value.extra["errors"][0].field == "body.photo_ids"
    assert str(pdf) in not_images.value.en

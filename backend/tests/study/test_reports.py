"""述学/评学: filing, one report per period, edits until reviewed, ETags, review, scope, facts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.attachments.test_routes import upload
from tests.problems import assert_problem
from tests.study.conftest import API
from tests.world import World
from vanguard.audit.models import AuditEvent
from vanguard.core.errors import InvalidInput
from vanguard.core.permissions import Scope
from vanguard.members.models import Member
from vanguard.study import reports, service
from vanguard.study.models import ReportGrade, StudyReport
from vanguard.study.schemas import StudyReportCreate

URL = f"{API}/study/reports"


def _file(client: TestClient, world: World, member: Member, **over: Any) -> Any:
    body = {"member_id": member.id, "year": 2025, "content": "今年系统学习了党章党规。", **over}
    return client.post(URL, json=body, headers=world.auth("sec_a1"))


def test_report_lifecycle(client: TestClient, world: World, session: Session, member: Member) -> None:
    created = _file(client, world, member)
    assert created.status_code == 201, created.text
    report = created.json()
    assert created.headers["etag"] == '"1"'
    assert created.headers["location"] == f"{URL}/{report['id']}"
    assert (report["year"], report["half"], report["grade"], report["member_name"]) == (
        2025,
        None,
        None,
        "李学习",
    )
    assert report["org_id"] == world.orgs["branch_a1"].id

    # Every write is audited, attributed to the caller.
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "study_reports", AuditEvent.entity_id == str(report["id"])
        )
    ).one()
    assert (event.action, event.actor_name, event.org_id) == ("create", "sec_a1", world.orgs["branch_a1"].id)
    assert event.after is not None
    assert event.after["content"] == "今年系统学习了党章党规。"

    assert_problem(_file(client, world, member), 409, "duplicate_study_report")
    assert _file(client, world, member, half=1).status_code == 201  # a half-year is another period

    one = f"{URL}/{report['id']}"
    headers = world.auth("sec_a1")
    edited = client.patch(one, json={"content": "修改后的述学内容"}, headers={**headers, "If-Match": '"1"'})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["content"], edited.headers["etag"]) == ("修改后的述学内容", '"2"')
    stale = client.patch(one, json={"content": "过期"}, headers={**headers, "If-Match": '"1"'})
    assert_problem(stale, 412, "stale_version")

    review = {"comment": "学习扎实，联系实际。", "grade": "good"}
    assert_problem(
        client.post(f"{one}/review", json=review, headers={**headers, "If-Match": '"1"'}),
        412,
        "stale_version",
    )
    reviewed = client.post(f"{one}/review", json=review, headers={**headers, "If-Match": '"2"'})
    assert reviewed.status_code == 200, reviewed.text
    body = reviewed.json()
    assert (body["grade"], body["comment"], body["reviewed_by"]) == ("good", "学习扎实，联系实际。", "sec_a1")
    assert body["reviewed_at"] is not None

    assert_problem(
        client.patch(one, json={"content": "评后再改"}, headers=headers), 409, "study_report_reviewed"
    )
    # The branch may revise its own review.
    again = client.post(f"{one}/review", json={**review, "grade": "excellent"}, headers=headers)
    assert again.json()["grade"] == "excellent"
    fetched = client.get(one, headers=world.auth("town_a_admin"))
    assert (fetched.json()["grade"], fetched.json()["content"], fetched.headers["etag"]) == (
        "excellent",
        "修改后的述学内容",
        '"4"',
    )


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"half": 3}, "body.half"),
        ({"year": 1999}, "body.year"),
        ({"content": ""}, "body.content"),
        ({"content": "学" * 5001}, "body.content"),
    ],
)
def test_bad_reports_are_422(
    client: TestClient, world: World, member: Member, over: dict[str, Any], field: str
) -> None:
    body = assert_problem(_file(client, world, member, **over), 422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == [field]


def test_a_period_that_has_not_started_is_refused(session: Session, world: World, member: Member) -> None:
    scope = Scope(world.orgs["branch_a1"].path)
    with pytest.raises(InvalidInput) as caught:
        reports.create_report(
            session,
            scope,
            StudyReportCreate(member_id=member.id, year=2026, half=2, content="下半年"),
            today=date(2026, 6, 30),
        )
    assert caught.value.problem_code == "report_period_in_future"
    report, _ = reports.create_report(
        session,
        scope,
        StudyReportCreate(member_id=member.id, year=2026, half=2, content="下半年"),
        today=date(2026, 7, 1),
    )
    assert report.half == 2


def test_scope_and_permissions(client: TestClient, world: World, member: Member) -> None:
    report = _file(client, world, member).json()
    one = f"{URL}/{report['id']}"
    review = {"comment": "好", "grade": "good"}
    # Another branch's secretary sees nothing of branch_a1's reports.
    assert_problem(client.get(one, headers=world.auth("sec_b1")), 404, "study_report_not_found")
    assert_problem(
        client.patch(one, json={"content": "x"}, headers=world.auth("sec_b1")), 404, "study_report_not_found"
    )
    assert_problem(
        client.post(f"{one}/review", json=review, headers=world.auth("sec_b1")), 404, "study_report_not_found"
    )
    assert_problem(
        client.post(
            URL, json={"member_id": member.id, "year": 2024, "content": "x"}, headers=world.auth("sec_b1")
        ),
        404,
        "member_not_found",
    )
    listed = client.get(URL, params={"org_id": world.orgs["branch_a1"].id}, headers=world.auth("sec_b1"))
    assert_problem(listed, 404, "org_not_found")
    assert client.get(URL, headers=world.auth("sec_b1")).json()["items"] == []
    # A plain member may neither review nor file; the auditor reads but does not write.
    assert_problem(
        client.post(f"{one}/review", json=review, headers=world.auth("member_a1")), 403, "forbidden"
    )
    assert_problem(
        client.post(
            URL, json={"member_id": member.id, "year": 2024, "content": "x"}, headers=world.auth("member_a1")
        ),
        403,
        "forbidden",
    )
    assert client.get(one, headers=world.auth("auditor")).status_code == 200
    assert_problem(client.post(f"{one}/review", json=review, headers=world.auth("auditor")), 403, "forbidden")
    assert_problem(client.get(one), 401, "unauthenticated")


def test_list_filters_and_pages(
    client: TestClient, world: World, member: Member, add_member: Callable[..., Member]
) -> None:
    other = add_member(name="王述学")
    far = add_member(org="branch_b1", name="乙支部")
    _file(client, world, member, year=2024)
    _file(client, world, member, year=2025)
    _file(client, world, other, year=2025)
    client.post(URL, json={"member_id": far.id, "year": 2025, "content": "乙"}, headers=world.auth("sec_b1"))

    def ids(user: str, **params: Any) -> list[tuple[str, int]]:
        r = client.get(URL, params=params, headers=world.auth(user))
        assert r.status_code == 200, r.text
        return [(i["member_name"], i["year"]) for i in r.json()["items"]]

    assert ids("sec_a1") == [("李学习", 2024), ("李学习", 2025), ("王述学", 2025)]
    assert ids("county_admin", year=2025) == [("李学习", 2025), ("王述学", 2025), ("乙支部", 2025)]
    assert ids("town_a_admin", member_id=member.id) == [("李学习", 2024), ("李学习", 2025)]
    assert ids("county_admin", org_id=world.orgs["town_b"].id) == [("乙支部", 2025)]
    first = client.get(URL, params={"limit": 2}, headers=world.auth("sec_a1")).json()
    assert len(first["items"]) == 2
    assert first["next_cursor"]
    rest = client.get(URL, params={"limit": 2, "cursor": first["next_cursor"]}, headers=world.auth("sec_a1"))
    assert [i["member_name"] for i in rest.json()["items"]] == ["王述学"]


def test_study_facts_carry_the_report(session: Session, world: World, member: Member) -> None:
    session.add_all(
        [
            StudyReport(
                member_id=member.id,
                org_id=member.org_id,
                year=2025,
                half=1,
                content="上",
                grade=ReportGrade.FAIR,
            ),
            StudyReport(
                member_id=member.id,
                org_id=member.org_id,
                year=2025,
                half=0,
                content="全",
                grade=ReportGrade.GOOD,
            ),
            StudyReport(member_id=member.id, org_id=member.org_id, year=2024, half=2, content="旧"),
        ]
    )
    session.commit()
    scope = Scope(world.orgs["branch_a1"].path)

    def facts(start: date, end: date) -> tuple[bool, ReportGrade | None]:
        f = service.study_facts(session, scope, [member.id], start, end)[member.id]
        return f.report_filed, f.report_grade

    assert facts(date(2025, 1, 1), date(2025, 12, 31)) == (True, ReportGrade.GOOD)  # the whole year wins
    assert facts(date(2024, 1, 1), date(2024, 12, 31)) == (True, None)  # filed, not yet reviewed
    assert facts(date(2024, 1, 1), date(2024, 6, 30)) == (False, None)  # H2 does not cover the first half
    assert facts(date(2023, 1, 1), date(2023, 12, 31)) == (False, None)


def test_reports_carry_uploaded_files(client: TestClient, world: World, member: Member) -> None:
    mine = upload(client, world, "sec_a1", "branch_a1", filename="心得.pdf").json()
    theirs = upload(client, world, "sec_b1", "branch_b1").json()
    refused = _file(client, world, member, attachment_ids=[theirs["id"]])
    body = assert_problem(refused, 422, "attachments_not_linkable")
    assert body["errors"][0]["field"] == "body.attachment_ids"
    created = _file(client, world, member, attachment_ids=[mine["id"]])
    assert [a["filename"] for a in created.json()["attachments"]] == ["心得.pdf"]
    cleared = client.patch(
        f"{URL}/{created.json()['id']}", json={"attachment_ids": []}, headers=world.auth("sec_a1")
    )
    assert (cleared.json()["attachments"], cleared.json()["content"]) == ([], "今年系统学习了党章党规。")

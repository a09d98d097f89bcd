"""A few records of every resource, made through the API as the people who would make them, so that
ids and codes the fuzzer sends hit real rows some of the time (every table counts from 1: see
`KNOWN_IDS`). Each step must succeed: a failing step is a broken fixture, not a finding."""

from __future__ import annotations

import io
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import update
from sqlalchemy.orm import Session

from tests.world import World
from vanguard.complaints.models import Complaint
from vanguard.core.security import tokens
from vanguard.jobs.runner import get_runner
from vanguard.scoring.models import MassesToken

API = "/api/v1"
DAY = "2026-03-02"


# Every table counts from 1 and the seed makes a few rows of each: these ids name real records.
KNOWN_IDS = list(range(1, 9))
# Public complaint tracking codes and masses' ballot-sheet tokens are random secrets; the seed sets its
# records' to these, so the fuzzer can send them as `{code}` and `{token}`.
TRACKING_CODES = ["FUZZ23456789", "FUZZABCDEFGH"]
SHEET_TOKENS = ["fuzz-sheet-token-1", "fuzz-sheet-token-2"]


class _Seeder:
    def __init__(self, client: TestClient, world: World) -> None:
        self.client, self.world = client, world

    def org(self, name: str) -> int:
        return self.world.orgs[name].id

    def call(self, user: str, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        r = self.client.request(method, API + path, json=body, headers=self.world.auth(user), **kwargs)
        assert r.status_code in (200, 201, 202, 204), f"{method} {path}: {r.status_code} {r.text}"
        return r.json() if r.content else None

    def member(self, org: str, name: str, **extra: Any) -> int:
        body = {"name": name, "org_id": self.org(org), "gender": "female", **extra}
        created: int = self.call("sec_a1" if org == "branch_a1" else "admin", "POST", "/members", body)["id"]
        return created


def _org_workbook() -> bytes:
    """An org import with one good row and one bad one, so the job has bad rows to download."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["组织名称", "组织编码", "上级组织编码", "组织类别", "书记", "服务人口"])
    sheet.append(["甲三村党支部", "C-A-3", "C-A", "党支部", "王书记", 1200])
    sheet.append(["坏类别", "C-A-8", "C-A", "党部", "", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def seed(client: TestClient, world: World, session: Session) -> str:
    """Seed the records; the service account's token."""
    s = _Seeder(client, world)
    a1 = s.org("branch_a1")
    members = [s.member("branch_a1", f"种子党员{i}", category="employed", stage="full") for i in range(4)]
    applicant = s.member(
        "branch_a1", "入党申请人", stage="applicant", birth_date="1995-05-01", applied_on="2026-02-20"
    )
    s.member("branch_b1", "乙村党员")

    # Development: a talk with the applicant.
    s.call(
        "sec_a1", "POST", f"/members/{applicant}/development/talk", {"talked_on": DAY, "talked_by": "书记"}
    )

    # Transfers, dues, posts, pledges.
    s.call(
        "sec_a1",
        "POST",
        "/transfers",
        {"member_id": members[3], "to_org_id": s.org("branch_b1"), "reason": "工作调动"},
    )
    s.call(
        "sec_a1",
        "PUT",
        f"/members/{members[0]}/dues/base",
        {"effective_from": "2025-01", "monthly_income": "3200"},
    )
    s.call(
        "sec_a1",
        "POST",
        f"/members/{members[0]}/dues/payments",
        {"month": "2025-01", "amount": "16", "paid_on": "2025-01-05", "method": "cash"},
    )
    s.call(
        "sec_a1",
        "POST",
        f"/members/{members[1]}/dues/reductions",
        {"from_month": "2025-01", "to_month": "2025-06", "kind": "waiver", "reason": "家庭经济困难"},
    )
    for m in members[:2]:
        s.call(
            "sec_a1", "POST", f"/members/{m}/posts", {"title": "环境卫生监督岗", "duties": "每周巡查村道卫生"}
        )
        s.call(
            "sec_a1", "POST", f"/members/{m}/pledges", {"content": "帮助两户困难群众", "due_on": "2026-12-31"}
        )

    # Study: activities with attendance, a make-up, an exam with scores, a report.
    activity = s.call(
        "sec_a1",
        "POST",
        "/study/activities",
        {
            "org_id": a1,
            "kind": "training_class",
            "starts_at": "2026-03-01T01:30:00Z",
            "topic": "学习党章",
            "hours": "2",
        },
    )["id"]
    s.call(
        "sec_a1",
        "POST",
        "/study/activities",
        {
            "org_id": a1,
            "kind": "branch_meeting",
            "starts_at": "2026-04-01T01:30:00Z",
            "topic": "主题党日",
            "hours": "1",
        },
    )
    s.call(
        "sec_a1",
        "PUT",
        f"/study/activities/{activity}/attendance",
        {
            "entries": [
                {"member_id": members[0], "status": "present"},
                {"member_id": members[1], "status": "absent"},
            ]
        },
    )
    s.call(
        "sec_a1",
        "POST",
        f"/study/activities/{activity}/makeups",
        {"member_id": members[1], "studied_on": "2026-03-05", "method": "自学", "hours": "2"},
    )
    exam = s.call("sec_a1", "POST", f"/study/activities/{activity}/exams", {"title": "结业考试"})["id"]
    s.call(
        "sec_a1", "PUT", f"/study/exams/{exam}/scores", {"scores": [{"member_id": members[0], "score": 90}]}
    )
    s.call("sec_a1", "POST", "/study/reports", {"member_id": members[0], "year": 2026, "content": "学习心得"})

    # Pairing: a household and a member in hardship, a pair with a visit, an event that opens a task.
    household = s.call(
        "sec_a1",
        "POST",
        "/pairing/beneficiaries",
        {
            "kind": "household",
            "org_id": a1,
            "head_name": "张户主",
            "address": "甲一村三组",
            "household_size": 4,
        },
    )["id"]
    s.call("sec_a1", "POST", "/pairing/beneficiaries", {"kind": "member", "member_id": members[2]})
    pair = s.call(
        "sec_a1",
        "POST",
        "/pairing/pairs",
        {
            "helper_member_id": members[0],
            "beneficiary_id": household,
            "kind": "member_household",
            "started_on": "2026-01-01",
        },
    )["id"]
    s.call(
        "sec_a1",
        "POST",
        f"/pairing/pairs/{pair}/visits",
        {
            "visited_on": DAY,
            "type": "routine",
            "work_done": "走访慰问",
            "follow_up": "复查",
            "follow_up_due_on": "2026-03-20",
        },
    )
    s.call("sec_a1", "POST", "/pairing/events", {"member_id": members[2], "event": "illness"})

    # Complaints: staff-entered and public ones, walked a few steps; a category.
    s.call(
        "admin",
        "POST",
        "/complaints/categories",
        {"code": "fuzz_cat", "name_zh": "测试类", "name_en": "Fuzz"},
    )
    report = {
        "category": "roads",
        "title": "村口道路塌陷",
        "description": "村口主路塌陷",
        "village": "甲一村",
    }
    complaint = s.call("sec_a1", "POST", "/complaints", {**report, "channel": "hotline", "org_id": a1})
    s.call("sec_a1", "POST", f"/complaints/{complaint['id']}/accept", {})
    s.call("sec_a1", "POST", "/complaints", {**report, "channel": "visit", "org_id": a1})
    for known in TRACKING_CODES:
        receipt = client.post(f"{API}/public/complaints", json=report)
        assert receipt.status_code == 201, receipt.text
        code = receipt.json()["tracking_code"]
        session.execute(update(Complaint).where(Complaint.tracking_code == code).values(tracking_code=known))
        session.commit()  # SQLite has one writer: the next request must not wait on this session

    # Scoring: a scheme with a manual item, a round with ballots and public sheets.
    scheme = s.call(
        "sec_a1", "POST", "/scoring/schemes", {"org_id": a1, "name": "2026年度党员积分", "year": 2026}
    )["id"]
    s.call(
        "sec_a1",
        "POST",
        f"/scoring/schemes/{scheme}/items",
        {"member_id": members[0], "kind": "bonus", "points": "2", "reason": "抗洪抢险"},
    )
    round_id = s.call("sec_a1", "POST", f"/scoring/schemes/{scheme}/rounds", {"org_id": a1})["id"]
    s.call(
        "sec_a1",
        "POST",
        f"/scoring/rounds/{round_id}/ballots",
        {
            "member_id": members[0],
            "rater_group": "committee",
            "rater_member_id": members[1],
            "grade": "excellent",
        },
    )
    issued = s.call("sec_a1", "POST", f"/scoring/rounds/{round_id}/tokens", {"count": len(SHEET_TOKENS)})
    for raw, known in zip(issued["tokens"], SHEET_TOKENS, strict=True):
        stmt = update(MassesToken).where(MassesToken.token_digest == tokens.digest(raw))
        session.execute(stmt.values(token_digest=tokens.digest(known)))
    session.commit()

    # Attachments, an import job, webhooks with a delivery, a service account with a token.
    s.call(
        "sec_a1",
        "POST",
        "/attachments",
        files={"file": ("会议记录.txt", "会议记录".encode(), "text/plain")},
        data={"org_id": str(a1)},
    )
    job = s.call(
        "town_a_admin",
        "POST",
        "/imports/orgs",
        files={"file": ("orgs.xlsx", _org_workbook())},
        data={"dry_run": "true", "mode": "valid_rows"},
    )["id"]
    get_runner().wait(job, timeout=60)
    hook = s.call(
        "town_a_admin",
        "POST",
        "/webhooks",
        {
            "org_id": s.org("town_a"),
            "url": "https://oa.example.gov.cn/hook",
            "event_types": ["complaint.received"],
        },
    )["id"]
    s.call("town_a_admin", "POST", f"/webhooks/{hook}/ping")
    account = s.call(
        "admin",
        "POST",
        "/service-accounts",
        {
            "name": "oa-bridge",
            "org_id": s.org("town_a"),
            "scopes": [
                "members:read",
                "complaints:read",
                "complaints:write",
                "scoring:read",
                "webhooks:manage",
            ],
        },
    )["id"]
    service_token: str = s.call("admin", "POST", f"/service-accounts/{account}/tokens", {"name": "fuzz"})[
        "token"
    ]
    s.call(
        "admin",
        "POST",
        "/users",
        {
            "username": "sec_a2",
            "display_name": "甲二书记",
            "password": "correct horse battery staple",
            "role": "secretary",
            "org_id": s.org("branch_a2"),
        },
    )
    return service_token

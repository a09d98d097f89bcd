"""One database per backend and module, seeded with one record of each kind in branch_a1, shared by the
hundreds of calls of the generated sweeps (a fresh database per call would take minutes on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import BACKENDS, fresh_database
from tests.members.helpers import id_number
from tests.world import World, add_user, build_world
from vanguard.audit import hook
from vanguard.core.clock import local_today
from vanguard.core.config import Settings
from vanguard.core.db import build_engine, make_sessionmaker
from vanguard.core.permissions import Permission, Role
from vanguard.core.ratelimit import RateLimiter
from vanguard.main import create_app

API = "/api/v1"
ID_NUMBER = id_number(birth="19850312", seq="247")  # the person's: must never reach a caller without `pii`
PHONE = "13912345678"
MISSING = 2_000_000_000  # an id no record has (inside the RowId range)


@dataclass
class Arena:
    client: TestClient
    world: World
    session: Session
    ids: dict[str, Any] = field(default_factory=dict)  # path placeholder → a real record in branch_a1
    _service_auth: dict[tuple[Permission, bool, frozenset[Permission]], dict[str, str]] = field(
        default_factory=dict
    )

    def post(self, path: str, body: dict[str, Any], by: str = "sec_a1") -> dict[str, Any]:
        r = self.client.post(API + path, json=body, headers=self.world.auth(by))
        assert r.status_code in (200, 201), f"seeding {path}: {r.text}"
        created: dict[str, Any] = r.json()
        return created

    def service_auth(
        self, permission: Permission, *, granted: bool, withheld: frozenset[Permission] = frozenset()
    ) -> dict[str, str]:
        """A county-wide service account's token with `permission` as its one scope, or with every scope
        but that one (and `withheld`, scopes that would grant the same)."""
        withheld |= {permission}
        key = (permission, granted, withheld)
        if key not in self._service_auth:
            scopes = [permission] if granted else [p for p in Permission if p not in withheld]
            name = f"sa-{len(self._service_auth)}"
            body = {"name": name, "org_id": self.world.orgs["county"].id, "scopes": scopes}
            account = self.post("/service-accounts", body, by="admin")
            token = self.post(f"/service-accounts/{account['id']}/tokens", {"name": "t"}, by="admin")
            self._service_auth[key] = {"Authorization": f"Bearer {token['token']}"}
        return self._service_auth[key]


def _seed(arena: Arena) -> None:
    w, a1 = arena.world, arena.world.orgs["branch_a1"].id
    person = arena.post(
        "/members",
        {
            "org_id": a1,
            "name": "赵敏感",
            "id_number": ID_NUMBER,
            "phone": PHONE,
            "category": "rural",
            "probationary_on": "2005-07-01",
            "full_member_on": "2006-07-01",
        },
    )
    m = person["id"]
    arena.ids |= {"member_id": m, "org_id": a1, "user_id": w.users["member_a1"].id, "kind": "members"}
    arena.ids["post_id"] = arena.post(f"/members/{m}/posts", {"title": "宣传员", "duties": "宣讲"})["id"]
    arena.ids["pledge_id"] = arena.post(
        f"/members/{m}/pledges", {"content": "按时交纳党费", "due_on": "2026-12-31"}
    )["id"]
    arena.ids["activity_id"] = arena.post(
        "/study/activities",
        {
            "org_id": a1,
            "kind": "party_lecture",
            "starts_at": "2026-05-01T09:00:00+08:00",
            "topic": "党课",
            "hours": 1,
        },
    )["id"]
    household = arena.post(
        "/pairing/beneficiaries",
        {"kind": "household", "org_id": a1, "head_name": "钱户主", "contact_phone": PHONE},
    )
    arena.ids["beneficiary_id"] = household["id"]
    arena.ids["pair_id"] = arena.post(
        "/pairing/pairs", {"helper_member_id": m, "beneficiary_id": household["id"], "kind": "poverty"}
    )["id"]
    today = local_today()
    notice = arena.post(
        "/publications",
        {
            "org_id": a1,
            "kind": "meeting_resolution",
            "audience": "members",
            "title": "支部党员大会决议",
            "starts_on": str(today - timedelta(days=1)),
            "ends_on": str(today + timedelta(days=30)),
        },
    )
    arena.ids["publication_id"] = arena.post(f"/publications/{notice['id']}/publish", {})["id"]
    arena.ids["feedback_id"] = arena.post(
        f"/publications/{notice['id']}/feedback",
        {"kind": "objection", "text": "有异议", "name": "孙反映", "contact": PHONE},
    )["id"]
    complaint = arena.post(
        "/complaints",
        {
            "category": "roads",
            "title": "村口道路塌陷",
            "description": "村口主路塌陷",
            "channel": "hotline",
            "reporter_name": "孙报告",
            "reporter_phone": PHONE,
            "org_id": a1,
        },
    )
    arena.ids |= {"complaint_id": complaint["id"], "code": complaint["tracking_code"]}
    arena.ids["scheme_id"] = arena.post("/scoring/schemes", {"org_id": a1, "name": "年度积分", "year": 2026})[
        "id"
    ]
    account = arena.post(
        "/service-accounts", {"name": "oa-a1", "org_id": a1, "scopes": ["complaints:read"]}, by="town_a_admin"
    )
    arena.ids["account_id"] = account["id"]
    arena.ids["token_id"] = arena.post(
        f"/service-accounts/{account['id']}/tokens", {"name": "prod"}, by="town_a_admin"
    )["id"]
    arena.ids["webhook_id"] = arena.post(
        "/webhooks",
        {"org_id": a1, "url": "http://127.0.0.1:9/hook", "event_types": ["complaint.received"]},
        by="town_a_admin",
    )["id"]


# Who may reach what is decided by the same SQL on either database (a prefix match on org paths), so the
# sweeps, ~2,300 requests, run once: on PostgreSQL, the production database, unless it is switched off.
SWEEP_BACKENDS = ["postgresql"] if "postgresql" in BACKENDS else BACKENDS


@pytest.fixture(scope="module", params=SWEEP_BACKENDS)
def arena(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Arena]:
    hook.install()
    with fresh_database(request, request.param, tmp_path_factory.mktemp("arena")) as url:
        engine = build_engine(url)
        with make_sessionmaker(engine)() as session:
            session.info[hook.SYSTEM_ACTOR_KEY] = "tests"
            world = build_world(session)
            # an organisation department of another subtree: same rights as town_a_admin, elsewhere
            world.users["town_b_admin"] = add_user(
                session, "town_b_admin", Role.ORG_ADMIN, world.orgs["town_b"]
            )
            session.commit()
            app = create_app(Settings(VANGUARD_ENV="test"), engine=engine)
            # every public endpoint is called by every caller from one address
            app.state.rate_limiter = RateLimiter(
                "memory://", {"ip": "10000/minute", "code": "10000/minute"}, 16_384
            )
            with TestClient(app, raise_server_exceptions=False) as client:
                arena = Arena(client, world, session)
                _seed(arena)
                # member_a1's account is the person's own: the self-service reads
                world.users["member_a1"].member_id = arena.ids["member_id"]
                session.commit()
                yield arena
        engine.dispose()

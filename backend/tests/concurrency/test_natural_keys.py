"""Every natural key is backed by the database, not only checked by a service: a UNIQUE constraint, primary
key or unique index (partial where the key holds only for some rows) in the models and in the migrated
database. A duplicate through the API is a 409 with a stable code, never a 500 — also when two requests
race past the service's check and the constraint is what stops the second."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, Index, PrimaryKeyConstraint, Table, UniqueConstraint, inspect, text
from sqlalchemy.orm import Session

from tests.concurrency.conftest import race
from tests.members.helpers import id_number
from tests.problems import assert_problem
from tests.test_migrations import _insert
from tests.world import PASSWORD, World
from vanguard.core import migrate
from vanguard.core.db import Base
from vanguard.members.models import Gender, Member, Stage
from vanguard.models import load_all


@dataclass(frozen=True)
class Key:
    table: str
    columns: tuple[str, ...]
    meaning: str
    where: str | None = None  # the rows the key holds for (a partial unique index), as its SQL predicate
    optional: bool = False  # the columns may be NULL: rows without the value don't collide


NATURAL_KEYS = (
    Key("members", ("id_number_digest",), "one record per ID-card number", optional=True),
    Key("orgs", ("code",), "organisation code", optional=True),
    Key("users", ("username",), "username"),
    Key("users", ("member_id",), "one account per member", optional=True),
    Key("service_accounts", ("name",), "service account name"),
    Key("api_tokens", ("token_digest",), "API token"),
    Key("idempotency_keys", ("principal", "key"), "Idempotency-Key per caller"),
    Key("webhook_deliveries", ("message_id",), "webhook event id (webhook-id), stable across retries"),
    Key("complaints", ("tracking_code",), "public tracking code"),
    Key("complaint_categories", ("code",), "complaint category code"),
    Key(
        "alerts",
        ("kind", "key", "day"),
        "one alert per kind, subject and day: a repeated run fires nothing new",
    ),
    Key("transfers", ("member_id",), "one pending transfer per member", where="state = 'pending'"),
    Key("dues_bases", ("member_id", "effective_from"), "one dues base per member and start date"),
    Key(
        "dues_payments",
        ("member_id", "month"),
        "one regular payment per member and month",
        "kind = 'regular'",
    ),
    Key("study_activities", ("org_id", "kind", "starts_at"), "one activity of a kind per org and start"),
    Key("study_attendance", ("activity_id", "member_id"), "one attendance record per member and activity"),
    Key("study_exam_attempts", ("exam_id", "member_id", "attempt"), "numbered exam attempts"),
    Key("study_reports", ("member_id", "year", "half"), "one study report per member and half-year"),
    Key("pairing_beneficiaries", ("member_id",), "one beneficiary record per member", optional=True),
    Key(
        "pairing_pairs",
        ("helper_member_id", "beneficiary_id"),
        "one active pair per member helper and beneficiary",
        where="status = 'active'",
        optional=True,
    ),
    Key(
        "pairing_pairs",
        ("helper_user_id", "beneficiary_id"),
        "one active pair per cadre helper and beneficiary",
        where="status = 'active'",
        optional=True,
    ),
    Key("posts", ("member_id", "title"), "one held post of a title per member", where="ended_on IS NULL"),
    Key("scoring_schemes", ("org_id", "year", "quarter"), "one scheme per org and period (quarter 0: year)"),
    Key("scoring_rounds", ("scheme_id", "org_id"), "one evaluation round per org in a scheme"),
    Key(
        "scoring_ballots",
        ("round_id", "member_id", "rater_group", "rater_key"),
        "one ballot per voter, rated member and rater group in a round",
    ),
    Key("scoring_masses_tokens", ("token_digest",), "one-time masses token"),
    Key("scoring_results", ("scheme_id", "member_id"), "one score result per member per period"),
    Key("scoring_branch_results", ("scheme_id", "org_id"), "one star rating per branch per period"),
    Key("scoring_follow_up_cases", ("scheme_id", "member_id"), "one 不合格 follow-up per member per period"),
    Key("audit_events", ("seq",), "position in the audit hash chain", optional=True),
)


def _squash(predicate: object) -> str:
    """A predicate as PostgreSQL or SQLite reflects it, reduced to compare with the declared one."""
    sql = str(predicate).lower().replace("::text", "")
    return "".join(ch for ch in sql if ch not in '() "')


def _model_backings(table: Table) -> set[tuple[frozenset[str], str | None]]:
    found: set[tuple[frozenset[str], str | None]] = set()
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint):
            found.add((frozenset(c.name for c in constraint.columns), None))
    for index in table.indexes:
        if isinstance(index, Index) and index.unique:
            where = index.dialect_options["postgresql"].get("where")
            found.add((frozenset(c.name for c in index.columns), None if where is None else _squash(where)))
    return found


def _db_backings(engine: Engine, table: str) -> set[tuple[frozenset[str], str | None]]:
    inspector = inspect(engine)
    found = {(frozenset(inspector.get_pk_constraint(table)["constrained_columns"]), None)}
    found |= {(frozenset(u["column_names"]), None) for u in inspector.get_unique_constraints(table)}
    for index in inspector.get_indexes(table):
        if index["unique"]:
            options = index.get("dialect_options", {})
            where = options.get("postgresql_where", options.get("sqlite_where"))
            found.add(
                (frozenset(c for c in index["column_names"] if c), None if where is None else _squash(where))
            )
    return found


def _declared(key: Key) -> tuple[frozenset[str], str | None]:
    return frozenset(key.columns), None if key.where is None else _squash(key.where)


@pytest.mark.parametrize("key", NATURAL_KEYS, ids=lambda k: f"{k.table}({','.join(k.columns)})")
def test_each_natural_key_is_unique_in_the_models(key: Key) -> None:
    load_all()
    table = Base.metadata.tables[key.table]
    assert _declared(key) in _model_backings(table), f"nothing makes {key.meaning} unique"
    nullable = [c for c in key.columns if table.c[c].nullable]
    # A NULL never collides: a key over a nullable column lets rows without the value repeat. Say so.
    assert bool(nullable) == key.optional, f"{key.meaning}: nullable columns {nullable}"


def test_every_unique_rule_of_the_schema_is_a_declared_key() -> None:
    """The list above is the whole story: a new unique constraint is added to it, with what it means."""
    load_all()
    declared = {(key.table, _declared(key)) for key in NATURAL_KEYS}
    undeclared = [
        (table.name, sorted(columns), where)
        for table in Base.metadata.sorted_tables
        for columns, where in _model_backings(table)
        if (table.name, (columns, where)) not in declared
        and columns != frozenset(table.primary_key.columns.keys())
    ]
    assert undeclared == []


def test_each_natural_key_is_unique_in_the_migrated_database(engine: Engine) -> None:
    missing = [
        (key.table, key.columns, key.where)
        for key in NATURAL_KEYS
        if _declared(key) not in _db_backings(engine, key.table)
    ]
    assert missing == []


# --- duplicates through the API: 409 with a code ---------------------------------------------------


@dataclass(frozen=True)
class Ctx:
    world: World
    holder: int  # a member on branch_a1's roll, for the post and beneficiary cases


Create = Callable[[TestClient, Ctx, int], Response]  # the nth attempt at creating the same thing
ID_NUMBER = id_number("19800101", "123")


def _new_member(client: TestClient, ctx: Ctx, n: int) -> Response:
    org = ctx.world.orgs["branch_a1"].id
    body = {
        "org_id": org,
        "name": f"重复{n}",
        "id_number": ID_NUMBER,
        "category": "rural",
        "ethnicity": "汉族",
    }
    return client.post("/api/v1/members", json=body, headers=ctx.world.auth("sec_a1"))


def _new_org(client: TestClient, ctx: Ctx, n: int) -> Response:
    body = {
        "name": f"重复支部{n}",
        "kind": "branch",
        "parent_id": ctx.world.orgs["town_a"].id,
        "code": "C-DUP",
    }
    return client.post("/api/v1/orgs", json=body, headers=ctx.world.auth("admin"))


def _new_user(client: TestClient, ctx: Ctx, n: int) -> Response:
    body = {
        "username": "dup_user",
        "display_name": f"重复{n}",
        "password": PASSWORD,
        "role": "secretary",
        "org_id": ctx.world.orgs["branch_a1"].id,
    }
    return client.post("/api/v1/users", json=body, headers=ctx.world.auth("admin"))


def _new_service_account(client: TestClient, ctx: Ctx, n: int) -> Response:
    body = {"name": "oa-dup", "org_id": ctx.world.orgs["town_a"].id, "scopes": ["complaints:read"]}
    return client.post(
        "/api/v1/service-accounts", json=body | {"description": str(n)}, headers=ctx.world.auth("admin")
    )


def _new_scheme(client: TestClient, ctx: Ctx, n: int) -> Response:
    body = {"org_id": ctx.world.orgs["branch_a1"].id, "name": f"积分{n}", "year": 2026}
    return client.post("/api/v1/scoring/schemes", json=body, headers=ctx.world.auth("sec_a1"))


def _new_post(client: TestClient, ctx: Ctx, n: int) -> Response:
    body = {"title": "党员示范岗", "duties": f"带头示范{n}"}
    return client.post(f"/api/v1/members/{ctx.holder}/posts", json=body, headers=ctx.world.auth("sec_a1"))


def _new_beneficiary(client: TestClient, ctx: Ctx, n: int) -> Response:
    body = {"kind": "member", "member_id": ctx.holder, "situation": f"因病致困{n}"}
    return client.post("/api/v1/pairing/beneficiaries", json=body, headers=ctx.world.auth("sec_a1"))


DUPLICATES: list[tuple[Create, str]] = [
    (_new_member, "duplicate_id_number"),
    (_new_org, "duplicate_org_code"),
    (_new_user, "duplicate_username"),
    (_new_service_account, "conflict"),
    (_new_scheme, "scheme_exists"),
    (_new_post, "duplicate_active_post"),
    (_new_beneficiary, "duplicate_beneficiary"),
]


@pytest.fixture
def ctx(session: Session, world: World) -> Ctx:
    member = Member(
        org_id=world.orgs["branch_a1"].id,
        name="李岗位",
        gender=Gender.MALE,
        stage=Stage.FULL,
        birth_date=date(1975, 3, 1),
    )
    session.add(member)
    session.commit()
    return Ctx(world, member.id)


def test_a_duplicate_is_a_409_with_a_code(client: TestClient, ctx: Ctx) -> None:
    # One world for every key: each case creates different things, so they cannot disturb each other.
    for create, code in DUPLICATES:
        first = create(client, ctx, 0)
        assert first.status_code == 201, (create.__name__, first.text)
        assert_problem(create(client, ctx, 1), 409, code)


@pytest.mark.usefixtures("postgresql_only")
def test_racing_duplicates_one_is_created_the_others_are_409s(app: FastAPI, ctx: Ctx) -> None:
    """Both requests may pass the service's check before either commits: then the unique constraint stops
    the second, which is still a 409 (`integrity_conflict` when the constraint, not the check, caught it)."""
    racers = [TestClient(app, raise_server_exceptions=False) for _ in range(2)]
    for create, code in DUPLICATES:
        for attempt in range(3):  # a few goes, so both orders and a true overlap all get their chance
            responses = race(2, lambda i, c=create, a=attempt: c(racers[i], ctx, 2 * a + i))
            expected = [201, 409] if attempt == 0 else [409, 409]
            statuses = sorted(r.status_code for r in responses)
            assert statuses == expected, (create.__name__, [r.text for r in responses])
            for r in responses:
                if r.status_code == 409:
                    assert r.json()["code"] in {code, "integrity_conflict"}, (create.__name__, r.text)


def test_the_new_keys_migration_stops_on_duplicates_and_names_them(engine: Engine, db_url: str) -> None:
    """0021 adds keys the services only checked: existing duplicates stop it (nothing is deleted), and
    once a person has resolved them it applies."""
    migrate.downgrade(db_url, "0020")
    with engine.begin() as c:
        _insert(c, "orgs", id=1, path="/1/", kind="branch", status="active")
        _insert(c, "members", id=7, org_id=1, stage="full", status="normal", gender="male", category="rural")
        for post_id in (1, 2):
            _insert(c, "posts", id=post_id, member_id=7, title="党员示范岗", ended_on=None)
    with pytest.raises(RuntimeError, match=r"posts \(member_id, title\) still held: member ids \[7\]"):
        migrate.upgrade(db_url)
    with engine.begin() as c:
        c.execute(text("UPDATE posts SET ended_on = :day WHERE id = 1"), {"day": date(2026, 1, 1)})
    migrate.upgrade(db_url)
    assert (frozenset({"member_id", "title"}), _squash("ended_on IS NULL")) in _db_backings(engine, "posts")

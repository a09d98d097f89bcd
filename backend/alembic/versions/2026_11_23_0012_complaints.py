"""complaints: intake, workflow, SLA, satisfaction

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 18:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNELS = ("web", "hotline", "video", "agent", "letter", "visit", "oa")
URGENCIES = ("normal", "urgent", "critical")
STATUSES = ("received", "accepted", "rejected", "assigned", "in_progress", "resolved", "closed", "reopened")
CLOSURE_REASONS = ("fixed", "not_our_responsibility", "duplicate", "referred", "no_further_action")
EVENT_KINDS = (
    "received",
    "accepted",
    "rejected",
    "assigned",
    "started",
    "extended",
    "resolved",
    "rated",
    "closed",
    "reopened",
    "escalated",
    "overdue",
)
ACTOR_KINDS = ("user", "service", "public", "system")
OPEN = "status IN ('received', 'accepted', 'assigned', 'in_progress', 'reopened')"

# (code, 中文, English, children) — sensible defaults; admins add and rename through the API.
CATEGORIES: tuple[tuple[str, str, str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "land_housing",
        "土地与住房",
        "Land and housing",
        (
            ("land_acquisition", "征地拆迁", "Land acquisition and demolition"),
            ("homestead", "宅基地", "Rural homesteads"),
            ("housing_safety", "危房改造", "Unsafe housing renovation"),
        ),
    ),
    (
        "social_security",
        "社会保障",
        "Social security",
        (
            ("pension", "养老保险", "Pensions"),
            ("medical_insurance", "医疗保障", "Medical insurance"),
            ("subsistence", "低保与救助", "Minimum living allowance and relief"),
        ),
    ),
    (
        "infrastructure",
        "基础设施",
        "Infrastructure",
        (
            ("roads", "道路交通", "Roads and transport"),
            ("water_power", "水电供应", "Water and power supply"),
        ),
    ),
    (
        "environment",
        "生态环境",
        "Environment",
        (
            ("pollution", "环境污染", "Pollution"),
            ("sanitation", "环境卫生", "Sanitation and refuse"),
        ),
    ),
    (
        "public_order",
        "社会治安",
        "Public order",
        (
            ("disputes", "矛盾纠纷", "Neighbourhood and family disputes"),
            ("safety_hazards", "治安隐患", "Safety hazards"),
        ),
    ),
    (
        "cadre_conduct",
        "干部作风",
        "Cadre conduct",
        (
            ("work_style", "工作作风", "Work style"),
            ("integrity", "廉洁问题", "Integrity"),
        ),
    ),
    (
        "party_affairs",
        "党务工作",
        "Party affairs",
        (
            ("membership", "组织关系", "Membership and transfers"),
            ("party_dues", "党费", "Party dues"),
        ),
    ),
    ("other", "其他", "Other", ()),
)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def _fk(table: str, column: str, referred: str, ondelete: str = "RESTRICT") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{referred}.id"], name=op.f(f"fk_{table}_{column}_{referred}"), ondelete=ondelete
    )


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _seed_categories() -> None:
    now = datetime.now(UTC)
    insert = sa.text(
        "INSERT INTO complaint_categories (parent_id, code, name_zh, name_en, is_active, version, "
        "created_at, updated_at) SELECT (SELECT id FROM complaint_categories WHERE code = :parent), "
        ":code, :zh, :en, :active, 1, :now, :now"
    ).bindparams(sa.bindparam("now", type_=sa.DateTime(timezone=True)))
    bind = op.get_bind()
    for code, zh, en, children in CATEGORIES:
        bind.execute(insert, {"parent": None, "code": code, "zh": zh, "en": en, "active": True, "now": now})
        for child_code, child_zh, child_en in children:
            row = {"code": child_code, "zh": child_zh, "en": child_en, "active": True, "now": now}
            bind.execute(insert, {"parent": code, **row})


def upgrade() -> None:
    t = "complaint_categories"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_zh", sa.String(length=50), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("accept_days", sa.Integer(), nullable=True),
        sa.Column("handle_days", sa.Integer(), nullable=True),
        sa.Column("extension_days", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        *_stamps(),
        _fk(t, "parent_id", t),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("code", name=op.f(f"uq_{t}_code")),
    )
    op.create_index(op.f(f"ix_{t}_parent_id"), t, ["parent_id"], unique=False)
    _seed_categories()

    t = "complaints"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tracking_code", sa.String(length=16), nullable=False),
        sa.Column("channel", _enum("channel", *CHANNELS), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("responsible_user_id", sa.Integer(), nullable=True),
        sa.Column("urgency", _enum("urgency", *URGENCIES), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=4000), nullable=False),
        sa.Column("location_text", sa.String(length=200), nullable=True),
        sa.Column("latitude", sa.Numeric(precision=9, scale=6), nullable=True),
        sa.Column("longitude", sa.Numeric(precision=9, scale=6), nullable=True),
        sa.Column("village", sa.String(length=100), nullable=True),
        sa.Column("reporter_name", sa.String(length=50), nullable=True),
        sa.Column("reporter_phone", sa.String(length=20), nullable=True),
        sa.Column("reporter_email", sa.String(length=254), nullable=True),
        sa.Column("status", _enum("status", *STATUSES), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejection_reason", sa.String(length=500), nullable=True),
        sa.Column("extension_days", sa.Integer(), nullable=False),
        sa.Column("extension_reason", sa.String(length=500), nullable=True),
        sa.Column("promise", sa.String(length=1000), nullable=True),
        sa.Column("promised_by", sa.DateTime(timezone=True), nullable=True),
        sa.Column("promised_by_user_id", sa.Integer(), nullable=True),
        sa.Column("result", sa.String(length=2000), nullable=True),
        sa.Column("closure_reason", _enum("closurereason", *CLOSURE_REASONS), nullable=True),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("rating_comment", sa.String(length=500), nullable=True),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("overdue_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_to_org_id", sa.Integer(), nullable=True),
        *_stamps(),
        _fk(t, "category_id", "complaint_categories"),
        _fk(t, "org_id", "orgs"),
        _fk(t, "responsible_user_id", "users"),
        _fk(t, "promised_by_user_id", "users"),
        _fk(t, "duplicate_of_id", "complaints"),
        _fk(t, "escalated_to_org_id", "orgs"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
        sa.UniqueConstraint("tracking_code", name=op.f(f"uq_{t}_tracking_code")),
    )
    op.create_index("ix_complaints_org_id_id", t, ["org_id", "id"], unique=False)
    op.create_index("ix_complaints_responsible_user_id", t, ["responsible_user_id"], unique=False)
    op.create_index("ix_complaints_category_id", t, ["category_id"], unique=False)
    op.create_index("ix_complaints_resolved_at", t, ["resolved_at"], unique=False)
    op.create_index(
        "ix_complaints_open_due_at",
        t,
        ["due_at", "id"],
        unique=False,
        postgresql_where=sa.text(OPEN),
        sqlite_where=sa.text(OPEN),
    )

    t = "complaint_events"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("eventkind", *EVENT_KINDS), nullable=False),
        sa.Column("from_status", _enum("status", *STATUSES), nullable=True),
        sa.Column("to_status", _enum("status", *STATUSES), nullable=False),
        sa.Column("actor_kind", _enum("actorkind", *ACTOR_KINDS), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=128), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.Column("public_note", sa.String(length=2000), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        _fk(t, "complaint_id", "complaints", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index("ix_complaint_events_complaint_id_id", t, ["complaint_id", "id"], unique=False)
    op.create_index("ix_complaint_events_kind_at", t, ["kind", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_complaint_events_kind_at", table_name="complaint_events")
    op.drop_index("ix_complaint_events_complaint_id_id", table_name="complaint_events")
    op.drop_table("complaint_events")
    for name in (
        "ix_complaints_open_due_at",
        "ix_complaints_resolved_at",
        "ix_complaints_category_id",
        "ix_complaints_responsible_user_id",
        "ix_complaints_org_id_id",
    ):
        op.drop_index(name, table_name="complaints")
    op.drop_table("complaints")
    op.drop_index(op.f("ix_complaint_categories_parent_id"), table_name="complaint_categories")
    # SQLite empties a dropped table row by row with foreign keys on: children first.
    op.execute("DELETE FROM complaint_categories WHERE parent_id IS NOT NULL")
    op.drop_table("complaint_categories")

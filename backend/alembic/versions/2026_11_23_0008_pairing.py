"""pairing (结对帮扶): beneficiaries, pairs, visits and must-visit tasks

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def _fk(table: str, column: str, referred: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{referred}.id"], name=op.f(f"fk_{table}_{column}_{referred}"), ondelete="RESTRICT"
    )


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


VISIT_TYPES = ("routine", "hardship", "illness", "family_dispute", "wedding_funeral")
EVENT_TYPES = ("hardship", "illness", "family_dispute", "wedding_funeral")


def upgrade() -> None:
    t = "pairing_beneficiaries"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("beneficiarykind", "member", "household"), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("head_name", sa.String(length=50), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("village", sa.String(length=100), nullable=True),
        sa.Column("household_size", sa.Integer(), nullable=True),
        sa.Column("situation", sa.String(length=2000), nullable=True),
        sa.Column("needs", sa.String(length=2000), nullable=True),
        sa.Column("contact_phone", sa.String(length=20), nullable=True),
        *_stamps(),
        _fk(t, "org_id", "orgs"),
        _fk(t, "member_id", "members"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index("ix_pairing_beneficiaries_org_id_id", t, ["org_id", "id"], unique=False)
    op.create_index("ix_pairing_beneficiaries_member_id", t, ["member_id"], unique=False)

    t = "pairing_pairs"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("helper_member_id", sa.Integer(), nullable=False),
        sa.Column("beneficiary_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("pairkind", "cadre_member", "member_household", "poverty"), nullable=False),
        sa.Column("goals", sa.JSON(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("status", _enum("pairstatus", "active", "completed", "ended_early"), nullable=False),
        sa.Column("end_reason", sa.String(length=500), nullable=True),
        *_stamps(),
        _fk(t, "org_id", "orgs"),
        _fk(t, "helper_member_id", "members"),
        _fk(t, "beneficiary_id", "pairing_beneficiaries"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index("ix_pairing_pairs_org_id_id", t, ["org_id", "id"], unique=False)
    op.create_index(
        "ix_pairing_pairs_helper_member_id_status", t, ["helper_member_id", "status"], unique=False
    )
    op.create_index("ix_pairing_pairs_beneficiary_id_status", t, ["beneficiary_id", "status"], unique=False)

    t = "pairing_visits"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("type", _enum("visittype", *VISIT_TYPES), nullable=False),
        sa.Column("work_done", sa.String(length=2000), nullable=False),
        sa.Column("money_given", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("goods_value", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("jobs_found", sa.Integer(), nullable=False),
        sa.Column("skills", sa.String(length=500), nullable=True),
        sa.Column("follow_up", sa.String(length=500), nullable=True),
        sa.Column("follow_up_due_on", sa.Date(), nullable=True),
        *_stamps(),
        _fk(t, "pair_id", "pairing_pairs"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index("ix_pairing_visits_pair_id_visited_on", t, ["pair_id", "visited_on"], unique=False)

    t = "pairing_visit_tasks"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("event", _enum("eventtype", *EVENT_TYPES), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("helper_member_id", sa.Integer(), nullable=True),
        sa.Column("pair_id", sa.Integer(), nullable=True),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        *_stamps(),
        _fk(t, "org_id", "orgs"),
        _fk(t, "member_id", "members"),
        _fk(t, "helper_member_id", "members"),
        _fk(t, "pair_id", "pairing_pairs"),
        _fk(t, "visit_id", "pairing_visits"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index("ix_pairing_visit_tasks_org_id_due_on", t, ["org_id", "due_on"], unique=False)
    op.create_index("ix_pairing_visit_tasks_member_id", t, ["member_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_pairing_visit_tasks_member_id", table_name="pairing_visit_tasks")
    op.drop_index("ix_pairing_visit_tasks_org_id_due_on", table_name="pairing_visit_tasks")
    op.drop_table("pairing_visit_tasks")
    op.drop_index("ix_pairing_visits_pair_id_visited_on", table_name="pairing_visits")
    op.drop_table("pairing_visits")
    op.drop_index("ix_pairing_pairs_beneficiary_id_status", table_name="pairing_pairs")
    op.drop_index("ix_pairing_pairs_helper_member_id_status", table_name="pairing_pairs")
    op.drop_index("ix_pairing_pairs_org_id_id", table_name="pairing_pairs")
    op.drop_table("pairing_pairs")
    op.drop_index("ix_pairing_beneficiaries_member_id", table_name="pairing_beneficiaries")
    op.drop_index("ix_pairing_beneficiaries_org_id_id", table_name="pairing_beneficiaries")
    op.drop_table("pairing_beneficiaries")

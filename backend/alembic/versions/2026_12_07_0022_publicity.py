"""publicity (党务公开): published items and the feedback (objections, comments) they draw

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 23:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("meeting_resolution", "candidate_notice", "evaluation_results", "dues_report", "pledge_results")


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


def upgrade() -> None:
    t = "publicity_items"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("publicationkind", *KINDS), nullable=False),
        sa.Column("audience", _enum("audience", "members", "subtree", "public"), nullable=False),
        sa.Column("state", _enum("publicationstate", "draft", "published", "withdrawn"), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.String(length=5000), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdraw_reason", sa.String(length=500), nullable=True),
        *_stamps(),
        _fk(t, "org_id", "orgs"),
        _fk(t, "member_id", "members"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index("ix_publicity_items_org_id_id", t, ["org_id", "id"], unique=False)
    op.create_index("ix_publicity_items_member_id", t, ["member_id"], unique=False)

    t = "publicity_feedback"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("feedbackkind", "objection", "comment"), nullable=False),
        sa.Column("text", sa.String(length=2000), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=True),
        sa.Column("contact", sa.String(length=100), nullable=True),
        sa.Column("filed_by_user_id", sa.Integer(), nullable=True),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.String(length=2000), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by_user_id", sa.Integer(), nullable=True),
        *_stamps(),
        _fk(t, "publication_id", "publicity_items"),
        _fk(t, "filed_by_user_id", "users"),
        _fk(t, "answered_by_user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index("ix_publicity_feedback_publication_id_id", t, ["publication_id", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_publicity_feedback_publication_id_id", table_name="publicity_feedback")
    op.drop_table("publicity_feedback")
    op.drop_index("ix_publicity_items_member_id", table_name="publicity_items")
    op.drop_index("ix_publicity_items_org_id_id", table_name="publicity_items")
    op.drop_table("publicity_items")

"""petitions: members' appeals, reports and criticisms (申诉、检举、控告、批评建议)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("appeal", "report", "criticism")
SUBJECT_KINDS = ("evaluation_result", "development_step", "dues_reduction")
STATES = ("filed", "accepted", "rejected", "answered", "closed")
T = "petitions"


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def _fk(column: str, referred: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{referred}.id"], name=op.f(f"fk_{T}_{column}_{referred}"), ondelete="RESTRICT"
    )


def upgrade() -> None:
    op.create_table(
        T,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("petitionkind", *KINDS), nullable=False),
        sa.Column("state", _enum("petitionstate", *STATES), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content", sa.String(length=4000), nullable=False),
        sa.Column("filer_member_id", sa.Integer(), nullable=False),
        sa.Column("filer_user_id", sa.Integer(), nullable=False),
        sa.Column("contact_phone", sa.String(length=20), nullable=True),
        sa.Column("subject_kind", _enum("subjectkind", *SUBJECT_KINDS), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("concerned_member_id", sa.Integer(), nullable=True),
        sa.Column("concerned_org_id", sa.Integer(), nullable=False),
        sa.Column("handling_org_id", sa.Integer(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accept_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.String(length=4000), nullable=True),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejection_reason", sa.String(length=1000), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk("filer_member_id", "members"),
        _fk("filer_user_id", "users"),
        _fk("concerned_member_id", "members"),
        _fk("concerned_org_id", "orgs"),
        _fk("handling_org_id", "orgs"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{T}")),
    )
    op.create_index(op.f(f"ix_{T}_filer_member_id"), T, ["filer_member_id"], unique=False)
    op.create_index(op.f(f"ix_{T}_concerned_member_id"), T, ["concerned_member_id"], unique=False)
    op.create_index("ix_petitions_handling_org_id_id", T, ["handling_org_id", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_petitions_handling_org_id_id", table_name=T)
    op.drop_index(op.f(f"ix_{T}_concerned_member_id"), table_name=T)
    op.drop_index(op.f(f"ix_{T}_filer_member_id"), table_name=T)
    op.drop_table(T)

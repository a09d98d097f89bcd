"""dues: income bases, payments, reductions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORY = sa.Enum(
    "employed",
    "rural",
    "retired",
    "floating",
    "non_public",
    "student",
    "unemployed",
    "low_income",
    name="category",
    native_enum=False,
    length=32,
)


def upgrade() -> None:
    op.create_table(
        "dues_bases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("category", CATEGORY, nullable=False),
        sa.Column("monthly_income", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("fixed_amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_dues_bases_member_id_members"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_dues_bases_org_id_orgs"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dues_bases")),
        sa.UniqueConstraint(
            "member_id", "effective_from", name=op.f("uq_dues_bases_member_id_effective_from")
        ),
    )

    op.create_table(
        "dues_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("regular", "correction", name="paymentkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column(
            "method",
            sa.Enum(
                "cash",
                "transfer",
                "wechat",
                "alipay",
                "payroll",
                name="paymentmethod",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("collector", sa.String(length=128), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_dues_payments_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_dues_payments_org_id_orgs"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dues_payments")),
    )
    with op.batch_alter_table("dues_payments", schema=None) as batch_op:
        batch_op.create_index("ix_dues_payments_member_id_month", ["member_id", "month"], unique=False)
        batch_op.create_index(
            "uq_dues_payments_member_id_month_regular",
            ["member_id", "month"],
            unique=True,
            postgresql_where=sa.text("kind = 'regular'"),
            sqlite_where=sa.text("kind = 'regular'"),
        )

    op.create_table(
        "dues_reductions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("from_month", sa.Date(), nullable=False),
        sa.Column("to_month", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("waiver", "reduced", name="reductionkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("reduced_amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "requested",
                "branch_reviewed",
                "approved",
                "rejected",
                name="reductionstate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("requested_by", sa.String(length=128), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.String(length=500), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_dues_reductions_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_dues_reductions_org_id_orgs"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["users.id"],
            name=op.f("fk_dues_reductions_reviewed_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_dues_reductions_decided_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dues_reductions")),
    )
    with op.batch_alter_table("dues_reductions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dues_reductions_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dues_reductions_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dues_reductions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dues_reductions_state"))
        batch_op.drop_index(batch_op.f("ix_dues_reductions_member_id"))

    op.drop_table("dues_reductions")
    with op.batch_alter_table("dues_payments", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_dues_payments_member_id_month_regular",
            postgresql_where=sa.text("kind = 'regular'"),
            sqlite_where=sa.text("kind = 'regular'"),
        )
        batch_op.drop_index("ix_dues_payments_member_id_month")

    op.drop_table("dues_payments")
    op.drop_table("dues_bases")

"""alerts: early warning (社会风险早期预警) — complaint surges and near-duplicate groups, with why and what;
an index on complaints.received_at for the daily counts

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("surge", "duplicates", name="alertkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason_zh", sa.String(length=500), nullable=False),
        sa.Column("reason_en", sa.String(length=500), nullable=False),
        sa.Column("why", sa.JSON(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column(
            "state",
            sa.Enum("open", "acknowledged", name="alertstate", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=128), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_alerts_org_id_orgs"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["complaint_categories.id"],
            name=op.f("fk_alerts_category_id_complaint_categories"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("kind", "key", "day", name="uq_alerts_kind_key_day"),
    )
    op.create_index("ix_alerts_org_id_id", "alerts", ["org_id", "id"], unique=False)
    op.create_index("ix_alerts_state_id", "alerts", ["state", "id"], unique=False)
    # The surge analysis counts complaints received per day over a window.
    op.create_index("ix_complaints_received_at", "complaints", ["received_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_complaints_received_at", table_name="complaints")
    op.drop_index("ix_alerts_state_id", table_name="alerts")
    op.drop_index("ix_alerts_org_id_id", table_name="alerts")
    op.drop_table("alerts")

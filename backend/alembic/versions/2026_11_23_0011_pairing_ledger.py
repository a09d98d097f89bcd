"""pairing, second slice: cadre helpers, photos, active-pair uniqueness

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = sa.text("status = 'active'")
ONE_HELPER = (
    "(helper_member_id IS NOT NULL AND helper_user_id IS NULL)"
    " OR (helper_member_id IS NULL AND helper_user_id IS NOT NULL)"
)


def upgrade() -> None:
    t = "pairing_pairs"
    with op.batch_alter_table(t, schema=None) as batch_op:
        batch_op.add_column(sa.Column("helper_user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f(f"fk_{t}_helper_user_id_users"), "users", ["helper_user_id"], ["id"], ondelete="RESTRICT"
        )
        batch_op.alter_column("helper_member_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(op.f(f"ck_{t}_one_helper"), sa.text(ONE_HELPER))
    with op.batch_alter_table(t, schema=None) as batch_op:
        batch_op.create_index("ix_pairing_pairs_helper_user_id_status", ["helper_user_id", "status"])
        for name, column in (
            ("uq_pairing_pairs_active_member_helper", "helper_member_id"),
            ("uq_pairing_pairs_active_user_helper", "helper_user_id"),
        ):
            batch_op.create_index(
                name,
                [column, "beneficiary_id"],
                unique=True,
                postgresql_where=ACTIVE,
                sqlite_where=ACTIVE,
            )

    with op.batch_alter_table("pairing_visits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("follow_up_done_on", sa.Date(), nullable=True))

    t = "pairing_visit_tasks"
    with op.batch_alter_table(t, schema=None) as batch_op:
        batch_op.add_column(sa.Column("helper_user_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "closed_as",
                sa.Enum("closed", "cancelled", name="taskclosure", native_enum=False, length=32),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("close_reason", sa.String(length=500), nullable=True))
        batch_op.create_foreign_key(
            op.f(f"fk_{t}_helper_user_id_users"), "users", ["helper_user_id"], ["id"], ondelete="RESTRICT"
        )

    t = "pairing_visit_photos"
    op.create_table(
        t,
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["pairing_visits.id"],
            name=op.f(f"fk_{t}_visit_id_pairing_visits"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachments.id"],
            name=op.f(f"fk_{t}_attachment_id_attachments"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("visit_id", "attachment_id", name=op.f(f"pk_{t}")),
    )
    op.create_index(op.f(f"ix_{t}_attachment_id"), t, ["attachment_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_pairing_visit_photos_attachment_id"), table_name="pairing_visit_photos")
    op.drop_table("pairing_visit_photos")

    # Pairs with a cadre helper cannot be expressed before this revision: the NOT NULL below refuses
    # to drop them silently.
    t = "pairing_visit_tasks"
    with op.batch_alter_table(t, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(f"fk_{t}_helper_user_id_users"), type_="foreignkey")
        batch_op.drop_column("close_reason")
        batch_op.drop_column("closed_on")
        batch_op.drop_column("closed_as")
        batch_op.drop_column("helper_user_id")

    with op.batch_alter_table("pairing_visits", schema=None) as batch_op:
        batch_op.drop_column("follow_up_done_on")

    t = "pairing_pairs"
    with op.batch_alter_table(t, schema=None) as batch_op:
        batch_op.drop_index("uq_pairing_pairs_active_user_helper")
        batch_op.drop_index("uq_pairing_pairs_active_member_helper")
        batch_op.drop_index("ix_pairing_pairs_helper_user_id_status")
    with op.batch_alter_table(t, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{t}_one_helper"), type_="check")
        batch_op.drop_constraint(op.f(f"fk_{t}_helper_user_id_users"), type_="foreignkey")
        batch_op.drop_column("helper_user_id")
        batch_op.alter_column("helper_member_id", existing_type=sa.Integer(), nullable=False)

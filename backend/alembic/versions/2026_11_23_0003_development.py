"""development pipeline: steps and their evidence

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stage(column: str) -> sa.Column[str]:
    return sa.Column(
        column,
        sa.Enum(
            "applicant",
            "activist",
            "candidate",
            "probationary",
            "full",
            name="stage",
            native_enum=False,
            length=32,
        ),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "development_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "talk",
                "activist",
                "candidate",
                "admit",
                "confirm",
                "extend",
                "cancel",
                name="stepkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        _stage("from_stage"),
        _stage("to_stage"),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column(
            "decided_by",
            sa.Enum("branch_committee", "branch_meeting", name="decisionbody", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column(
            "approval_status",
            sa.Enum(
                "not_required",
                "pending",
                "approved",
                "rejected",
                "lapsed",
                name="approvalstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("approved_by", sa.String(length=100), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_development_steps_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_development_steps_org_id_orgs"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_development_steps")),
    )
    with op.batch_alter_table("development_steps", schema=None) as batch_op:
        batch_op.create_index("ix_development_steps_approval_status", ["approval_status"], unique=False)
        batch_op.create_index(
            "ix_development_steps_member_id_decided_on", ["member_id", "decided_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_development_steps_org_id"), ["org_id"], unique=False)

    op.create_table(
        "development_step_people",
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("mentor", "introducer", name="personrole", native_enum=False, length=32),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_development_step_people_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["step_id"],
            ["development_steps.id"],
            name=op.f("fk_development_step_people_step_id_development_steps"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("step_id", "member_id", name=op.f("pk_development_step_people")),
    )
    with op.batch_alter_table("development_step_people", schema=None) as batch_op:
        batch_op.create_index("ix_development_step_people_member_id", ["member_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("development_step_people", schema=None) as batch_op:
        batch_op.drop_index("ix_development_step_people_member_id")

    op.drop_table("development_step_people")
    with op.batch_alter_table("development_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_development_steps_org_id"))
        batch_op.drop_index("ix_development_steps_member_id_decided_on")
        batch_op.drop_index("ix_development_steps_approval_status")

    op.drop_table("development_steps")

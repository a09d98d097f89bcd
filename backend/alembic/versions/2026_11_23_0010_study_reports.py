"""study, second slice: reports (述学/评学), expected attendees, materials

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "study_activity_attendees",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["study_activities.id"],
            name=op.f("fk_study_activity_attendees_activity_id_study_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_study_activity_attendees_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("activity_id", "member_id", name=op.f("pk_study_activity_attendees")),
    )
    with op.batch_alter_table("study_activity_attendees", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_study_activity_attendees_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "study_activity_materials",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["study_activities.id"],
            name=op.f("fk_study_activity_materials_activity_id_study_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachments.id"],
            name=op.f("fk_study_activity_materials_attachment_id_attachments"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("activity_id", "attachment_id", name=op.f("pk_study_activity_materials")),
    )
    with op.batch_alter_table("study_activity_materials", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_study_activity_materials_attachment_id"), ["attachment_id"], unique=False
        )

    op.create_table(
        "study_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("half", sa.SmallInteger(), nullable=False),
        sa.Column("content", sa.String(length=5000), nullable=False),
        sa.Column("comment", sa.String(length=1000), nullable=True),
        sa.Column(
            "grade",
            sa.Enum("excellent", "good", "fair", "poor", name="reportgrade", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("reviewed_by", sa.String(length=100), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_study_reports_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_study_reports_org_id_orgs"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_reports")),
        sa.UniqueConstraint("member_id", "year", "half", name="uq_study_reports_member_period"),
    )
    with op.batch_alter_table("study_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_study_reports_org_id"), ["org_id"], unique=False)
        batch_op.create_index("ix_study_reports_year", ["year"], unique=False)

    op.create_table(
        "study_report_files",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["study_reports.id"],
            name=op.f("fk_study_report_files_report_id_study_reports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachments.id"],
            name=op.f("fk_study_report_files_attachment_id_attachments"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("report_id", "attachment_id", name=op.f("pk_study_report_files")),
    )
    with op.batch_alter_table("study_report_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_study_report_files_attachment_id"), ["attachment_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("study_report_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_report_files_attachment_id"))
    op.drop_table("study_report_files")

    with op.batch_alter_table("study_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_study_reports_year")
        batch_op.drop_index(batch_op.f("ix_study_reports_org_id"))
    op.drop_table("study_reports")

    with op.batch_alter_table("study_activity_materials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_activity_materials_attachment_id"))
    op.drop_table("study_activity_materials")

    with op.batch_alter_table("study_activity_attendees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_activity_attendees_member_id"))
    op.drop_table("study_activity_attendees")

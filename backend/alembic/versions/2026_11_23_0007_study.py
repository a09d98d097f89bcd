"""study records: activities, attendance, make-up study, exams and attempts

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _audit_columns() -> list[sa.Column[int]]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "study_activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "branch_meeting",
                "committee_meeting",
                "group_meeting",
                "party_lecture",
                "theme_day",
                "training_class",
                "self_study",
                "online_course",
                name="activitykind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("content", sa.String(length=4000), nullable=True),
        sa.Column("presenter", sa.String(length=100), nullable=True),
        sa.Column("hours", sa.Numeric(precision=5, scale=1), nullable=False),
        sa.Column("materials", sa.JSON(), nullable=False),
        *_audit_columns(),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_study_activities_org_id_orgs"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_activities")),
        sa.UniqueConstraint("org_id", "kind", "starts_at", name="uq_study_activities_org_kind_start"),
    )
    with op.batch_alter_table("study_activities", schema=None) as batch_op:
        batch_op.create_index("ix_study_activities_starts_at", ["starts_at"], unique=False)

    op.create_table(
        "study_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("present", "excused", "absent", name="attendancestatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("leave_reason", sa.String(length=200), nullable=True),
        *_audit_columns(),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["study_activities.id"],
            name=op.f("fk_study_attendance_activity_id_study_activities"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_study_attendance_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_attendance")),
        sa.UniqueConstraint("activity_id", "member_id", name="uq_study_attendance_activity_member"),
    )
    with op.batch_alter_table("study_attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_study_attendance_member_id"), ["member_id"], unique=False)

    op.create_table(
        "study_makeups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("studied_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=200), nullable=False),
        sa.Column("hours", sa.Numeric(precision=5, scale=1), nullable=False),
        *_audit_columns(),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["study_activities.id"],
            name=op.f("fk_study_makeups_activity_id_study_activities"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_study_makeups_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_makeups")),
    )
    with op.batch_alter_table("study_makeups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_study_makeups_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            "ix_study_makeups_activity_id_member_id", ["activity_id", "member_id"], unique=False
        )

    op.create_table(
        "study_exams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("max_score", sa.Integer(), nullable=False),
        sa.Column("pass_mark", sa.Integer(), nullable=False),
        *_audit_columns(),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["study_activities.id"],
            name=op.f("fk_study_exams_activity_id_study_activities"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_exams")),
    )
    with op.batch_alter_table("study_exams", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_study_exams_activity_id"), ["activity_id"], unique=False)

    op.create_table(
        "study_exam_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exam_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        *_audit_columns(),
        sa.ForeignKeyConstraint(
            ["exam_id"],
            ["study_exams.id"],
            name=op.f("fk_study_exam_attempts_exam_id_study_exams"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_study_exam_attempts_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_exam_attempts")),
        sa.UniqueConstraint(
            "exam_id", "member_id", "attempt", name="uq_study_exam_attempts_exam_member_attempt"
        ),
    )
    with op.batch_alter_table("study_exam_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_study_exam_attempts_member_id"), ["member_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("study_exam_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_exam_attempts_member_id"))
    op.drop_table("study_exam_attempts")

    with op.batch_alter_table("study_exams", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_exams_activity_id"))
    op.drop_table("study_exams")

    with op.batch_alter_table("study_makeups", schema=None) as batch_op:
        batch_op.drop_index("ix_study_makeups_activity_id_member_id")
        batch_op.drop_index(batch_op.f("ix_study_makeups_member_id"))
    op.drop_table("study_makeups")

    with op.batch_alter_table("study_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_attendance_member_id"))
    op.drop_table("study_attendance")

    with op.batch_alter_table("study_activities", schema=None) as batch_op:
        batch_op.drop_index("ix_study_activities_starts_at")
    op.drop_table("study_activities")

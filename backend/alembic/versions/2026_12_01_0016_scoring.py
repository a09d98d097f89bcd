"""scoring: schemes, manual items, evaluation rounds and ballots, results

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scoring_schemes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("draft", "published", name="schemestatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("component_weights", sa.JSON(), nullable=False),
        sa.Column("rater_weights", sa.JSON(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("full_points", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("grade_thresholds", sa.JSON(), nullable=False),
        sa.Column("excellent_cap", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.String(length=128), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_scoring_schemes_org_id_orgs"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_schemes")),
        sa.UniqueConstraint("org_id", "year", "quarter", name="uq_scoring_schemes_period"),
    )
    op.create_index(op.f("ix_scoring_schemes_org_id"), "scoring_schemes", ["org_id"], unique=False)
    op.create_table(
        "scoring_branch_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("graded", sa.Integer(), nullable=False),
        sa.Column("average_score", sa.Numeric(precision=7, scale=2), nullable=False),
        sa.Column("excellent", sa.Integer(), nullable=False),
        sa.Column("unqualified", sa.Integer(), nullable=False),
        sa.Column("complaints_overdue", sa.Integer(), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_scoring_branch_results_org_id_orgs"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["scoring_schemes.id"],
            name=op.f("fk_scoring_branch_results_scheme_id_scoring_schemes"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_branch_results")),
        sa.UniqueConstraint("scheme_id", "org_id", name="uq_scoring_branch_results_org"),
    )
    op.create_index(
        op.f("ix_scoring_branch_results_org_id"), "scoring_branch_results", ["org_id"], unique=False
    )
    op.create_table(
        "scoring_follow_up_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open", "improving", "decided", "closed", name="casestatus", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("talks", sa.JSON(), nullable=False),
        sa.Column("improvement_deadline", sa.Date(), nullable=True),
        sa.Column(
            "disposal",
            sa.Enum(
                "improved",
                "persuade_withdrawal",
                "removal",
                "other",
                name="disposal",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("decision_note", sa.String(length=1000), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_scoring_follow_up_cases_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_scoring_follow_up_cases_org_id_orgs"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["scoring_schemes.id"],
            name=op.f("fk_scoring_follow_up_cases_scheme_id_scoring_schemes"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_follow_up_cases")),
        sa.UniqueConstraint("scheme_id", "member_id", name="uq_scoring_follow_up_cases_member"),
    )
    op.create_index(
        op.f("ix_scoring_follow_up_cases_member_id"), "scoring_follow_up_cases", ["member_id"], unique=False
    )
    op.create_index(
        op.f("ix_scoring_follow_up_cases_org_id"), "scoring_follow_up_cases", ["org_id"], unique=False
    )
    op.create_table(
        "scoring_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("probationary", sa.Boolean(), nullable=False),
        sa.Column("points", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("points_component", sa.Numeric(precision=7, scale=2), nullable=False),
        sa.Column("evaluation_component", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("score", sa.Numeric(precision=7, scale=2), nullable=False),
        sa.Column(
            "grade",
            sa.Enum(
                "excellent", "qualified", "basic", "unqualified", name="grade", native_enum=False, length=32
            ),
            nullable=True,
        ),
        sa.Column("grade_note", sa.String(length=200), nullable=True),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_scoring_results_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_scoring_results_org_id_orgs"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["scoring_schemes.id"],
            name=op.f("fk_scoring_results_scheme_id_scoring_schemes"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_results")),
        sa.UniqueConstraint("scheme_id", "member_id", name="uq_scoring_results_member"),
    )
    op.create_index(op.f("ix_scoring_results_member_id"), "scoring_results", ["member_id"], unique=False)
    op.create_index(
        "ix_scoring_results_rank", "scoring_results", ["scheme_id", "org_id", "score"], unique=False
    )
    op.create_table(
        "scoring_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "closed", name="roundstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_scoring_rounds_org_id_orgs"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["scoring_schemes.id"],
            name=op.f("fk_scoring_rounds_scheme_id_scoring_schemes"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_rounds")),
        sa.UniqueConstraint("scheme_id", "org_id", name="uq_scoring_rounds_scheme_org"),
    )
    op.create_index(op.f("ix_scoring_rounds_org_id"), "scoring_rounds", ["org_id"], unique=False)
    op.create_table(
        "scoring_ballots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column(
            "rater_group",
            sa.Enum(
                "self",
                "fellow",
                "committee",
                "superior",
                "masses",
                name="ratergroup",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("rater_key", sa.String(length=80), nullable=False),
        sa.Column(
            "grade",
            sa.Enum(
                "excellent", "qualified", "basic", "unqualified", name="grade", native_enum=False, length=32
            ),
            nullable=True,
        ),
        sa.Column("score", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("comment", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_scoring_ballots_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_scoring_ballots_org_id_orgs"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["scoring_rounds.id"],
            name=op.f("fk_scoring_ballots_round_id_scoring_rounds"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_ballots")),
        sa.UniqueConstraint(
            "round_id", "member_id", "rater_group", "rater_key", name="uq_scoring_ballots_rater"
        ),
    )
    op.create_index(op.f("ix_scoring_ballots_member_id"), "scoring_ballots", ["member_id"], unique=False)
    op.create_table(
        "scoring_manual_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("bonus", "deduction", name="itemkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("points", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("evidence_text", sa.String(length=2000), nullable=True),
        sa.Column("evidence_attachment_id", sa.Integer(), nullable=True),
        sa.Column(
            "state",
            sa.Enum("requested", "approved", "rejected", name="itemstate", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("requested_by_kind", sa.String(length=16), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(length=128), nullable=False),
        sa.Column("decided_by", sa.String(length=128), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_attachment_id"],
            ["attachments.id"],
            name=op.f("fk_scoring_manual_items_evidence_attachment_id_attachments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_scoring_manual_items_member_id_members"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_scoring_manual_items_org_id_orgs"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["scoring_schemes.id"],
            name=op.f("fk_scoring_manual_items_scheme_id_scoring_schemes"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_manual_items")),
    )
    op.create_index(
        op.f("ix_scoring_manual_items_member_id"), "scoring_manual_items", ["member_id"], unique=False
    )
    op.create_index(
        op.f("ix_scoring_manual_items_scheme_id"), "scoring_manual_items", ["scheme_id"], unique=False
    )
    op.create_table(
        "scoring_masses_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_scoring_masses_tokens_org_id_orgs"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["scoring_rounds.id"],
            name=op.f("fk_scoring_masses_tokens_round_id_scoring_rounds"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_masses_tokens")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_scoring_masses_tokens_token_digest")),
    )
    op.create_index(
        op.f("ix_scoring_masses_tokens_round_id"), "scoring_masses_tokens", ["round_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_scoring_masses_tokens_round_id"), table_name="scoring_masses_tokens")
    op.drop_table("scoring_masses_tokens")
    op.drop_index(op.f("ix_scoring_manual_items_scheme_id"), table_name="scoring_manual_items")
    op.drop_index(op.f("ix_scoring_manual_items_member_id"), table_name="scoring_manual_items")
    op.drop_table("scoring_manual_items")
    op.drop_index(op.f("ix_scoring_ballots_member_id"), table_name="scoring_ballots")
    op.drop_table("scoring_ballots")
    op.drop_index(op.f("ix_scoring_rounds_org_id"), table_name="scoring_rounds")
    op.drop_table("scoring_rounds")
    op.drop_index("ix_scoring_results_rank", table_name="scoring_results")
    op.drop_index(op.f("ix_scoring_results_member_id"), table_name="scoring_results")
    op.drop_table("scoring_results")
    op.drop_index(op.f("ix_scoring_follow_up_cases_org_id"), table_name="scoring_follow_up_cases")
    op.drop_index(op.f("ix_scoring_follow_up_cases_member_id"), table_name="scoring_follow_up_cases")
    op.drop_table("scoring_follow_up_cases")
    op.drop_index(op.f("ix_scoring_branch_results_org_id"), table_name="scoring_branch_results")
    op.drop_table("scoring_branch_results")
    op.drop_index(op.f("ix_scoring_schemes_org_id"), table_name="scoring_schemes")
    op.drop_table("scoring_schemes")

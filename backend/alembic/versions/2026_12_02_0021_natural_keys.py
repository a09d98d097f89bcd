"""Unique indexes behind two natural keys the services only checked: one beneficiary record per member
(pairing_beneficiaries.member_id) and one active post of a title per member (posts.member_id, title while
ended_on IS NULL); two racing requests could otherwise both pass the check

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE_POST = sa.text("ended_on IS NULL")

# Rows that would break the new keys. Which duplicate to keep is a person's decision (pairs and visits
# refer to beneficiaries), so the upgrade stops and names them instead of deleting anything.
_DUPLICATES = {
    "pairing_beneficiaries (member_id)": "SELECT member_id FROM pairing_beneficiaries "
    "WHERE member_id IS NOT NULL GROUP BY member_id HAVING count(*) > 1",
    "posts (member_id, title) still held": "SELECT member_id FROM posts "
    "WHERE ended_on IS NULL GROUP BY member_id, title HAVING count(*) > 1",
}


def _refuse_duplicates() -> None:
    conn = op.get_bind()
    found = {key: [row[0] for row in conn.execute(sa.text(sql))] for key, sql in _DUPLICATES.items()}
    found = {key: members for key, members in found.items() if members}
    if found:
        listing = "; ".join(f"{key}: member ids {members[:20]}" for key, members in found.items())
        raise RuntimeError(f"0021: resolve these duplicates, then migrate again: {listing}")


def upgrade() -> None:
    _refuse_duplicates()
    with op.batch_alter_table("pairing_beneficiaries", schema=None) as batch_op:
        batch_op.drop_index("ix_pairing_beneficiaries_member_id")
        batch_op.create_index("ix_pairing_beneficiaries_member_id", ["member_id"], unique=True)
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.create_index(
            "uq_posts_member_id_title_active",
            ["member_id", "title"],
            unique=True,
            postgresql_where=ACTIVE_POST,
            sqlite_where=ACTIVE_POST,
        )


def downgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index("uq_posts_member_id_title_active")
    with op.batch_alter_table("pairing_beneficiaries", schema=None) as batch_op:
        batch_op.drop_index("ix_pairing_beneficiaries_member_id")
        batch_op.create_index("ix_pairing_beneficiaries_member_id", ["member_id"], unique=False)

"""audit_events.seq, prev_hash, hash: the tamper-evident hash chain; events already written are sealed

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from vanguard.audit import chain

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "audit_events"
UNSEALED = sa.text("seq IS NULL")


def upgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    # The existing events in id order, in pages (a million rows take seconds, not memory); the indexes
    # come after, so the pass does not maintain them row by row.
    chain.seal(op.get_bind(), batch=10_000)
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_seq"), ["seq"], unique=True)
        batch_op.create_index(
            "ix_audit_events_unsealed", ["id"], unique=False, postgresql_where=UNSEALED, sqlite_where=UNSEALED
        )


def downgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_unsealed")
        batch_op.drop_index(batch_op.f("ix_audit_events_seq"))
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")

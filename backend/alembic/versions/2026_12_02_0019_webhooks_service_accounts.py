"""webhook_subscriptions.service_account_id: subscriptions owned by a service account

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "webhook_subscriptions"
FK = "fk_webhook_subscriptions_service_account_id_service_accounts"
INDEX = "ix_webhook_subscriptions_service_account_id"


def upgrade() -> None:
    # On SQLite this rebuilds the table; env.py keeps foreign keys unenforced meanwhile, so the delivery
    # log (ON DELETE CASCADE) survives the drop of the old copy.
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.add_column(sa.Column("service_account_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            FK, "service_accounts", ["service_account_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_index(INDEX, ["service_account_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index(INDEX)
        batch_op.drop_constraint(FK, type_="foreignkey")
        batch_op.drop_column("service_account_id")

"""the change feed: `changes` (an outbox per client app) and each app's `last_change_seq`

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 22:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("client_apps", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("last_change_seq", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("client_apps", schema=None) as batch_op:
        batch_op.alter_column("last_change_seq", server_default=None)
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_app_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("athlete_id", sa.Uuid(), nullable=False),
        sa.Column("workout_id", sa.Uuid(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_app_id"],
            ["client_apps.id"],
            name=op.f("fk_changes_client_app_id_client_apps"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
        sa.UniqueConstraint("client_app_id", "seq", name=op.f("uq_changes_client_app_id")),
    )


def downgrade() -> None:
    op.drop_table("changes")
    with op.batch_alter_table("client_apps", schema=None) as batch_op:
        batch_op.drop_column("last_change_seq")

"""client apps gain a sandbox twin: `sandbox`, `live_app_id`; names unique per kind

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 21:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("client_apps", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sandbox", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("live_app_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_client_apps_live_app_id_client_apps"),
            "client_apps",
            ["live_app_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_unique_constraint(batch_op.f("uq_client_apps_live_app_id"), ["live_app_id"])
        batch_op.drop_constraint(batch_op.f("uq_client_apps_name"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_client_apps_name"), ["name", "sandbox"])
    with op.batch_alter_table("client_apps", schema=None) as batch_op:
        batch_op.alter_column("sandbox", server_default=None)


def downgrade() -> None:
    op.execute("DELETE FROM client_apps WHERE sandbox")
    with op.batch_alter_table("client_apps", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_client_apps_name"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_client_apps_name"), ["name"])
        batch_op.drop_constraint(batch_op.f("uq_client_apps_live_app_id"), type_="unique")
        batch_op.drop_constraint(
            batch_op.f("fk_client_apps_live_app_id_client_apps"), type_="foreignkey"
        )
        batch_op.drop_column("live_app_id")
        batch_op.drop_column("sandbox")

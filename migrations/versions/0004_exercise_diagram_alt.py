"""exercises gain `diagram_alt`: the text alternative of the exercise's diagram

Filled by the next catalog load (the start script runs it); empty until then.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 19:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("exercises", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("diagram_alt", sa.Text(), nullable=False, server_default=sa.text("''"))
        )
    with op.batch_alter_table("exercises", schema=None) as batch_op:
        batch_op.alter_column("diagram_alt", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("exercises", schema=None) as batch_op:
        batch_op.drop_column("diagram_alt")

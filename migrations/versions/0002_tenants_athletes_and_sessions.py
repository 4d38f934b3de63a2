"""tenants athletes and sessions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 23:45:47.878638
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "client_apps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_apps")),
        sa.UniqueConstraint("name", name=op.f("uq_client_apps_name")),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_app_id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=32), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_app_id"],
            ["client_apps.id"],
            name=op.f("fk_api_keys_client_app_id_client_apps"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("prefix", name=op.f("uq_api_keys_prefix")),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_keys_client_app_id"), ["client_app_id"], unique=False
        )

    op.create_table(
        "athletes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("client_app_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_app_id"],
            ["client_apps.id"],
            name=op.f("fk_athletes_client_app_id_client_apps"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_athletes")),
        sa.UniqueConstraint("client_app_id", "external_id", name=op.f("uq_athletes_client_app_id")),
    )
    with op.batch_alter_table("athletes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_athletes_client_app_id_created_at_id",
            ["client_app_id", "created_at", "id"],
            unique=False,
        )

    op.create_table(
        "idempotency_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_app_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_app_id"],
            ["client_apps.id"],
            name=op.f("fk_idempotency_records_client_app_id_client_apps"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_records")),
        sa.UniqueConstraint(
            "client_app_id", "key", name=op.f("uq_idempotency_records_client_app_id")
        ),
    )
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idempotency_records_expires_at"), ["expires_at"], unique=False
        )

    op.create_table(
        "exercise_progress",
        sa.Column("athlete_id", sa.Uuid(), nullable=False),
        sa.Column("exercise", sa.String(length=64), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("best_hold_seconds", sa.Float(), nullable=True),
        sa.Column("last_performed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("band_tension", sa.String(length=16), nullable=False),
        sa.Column("shoulder_flexion", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_exercise_progress_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("athlete_id", "exercise", name=op.f("pk_exercise_progress")),
    )
    op.create_table(
        "training_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("athlete_id", sa.Uuid(), nullable=False),
        sa.Column("performed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("exercise", sa.String(length=64), nullable=False),
        sa.Column("band_tension", sa.String(length=16), nullable=False),
        sa.Column("shoulder_flexion", sa.Boolean(), nullable=False),
        sa.Column("reps", sa.JSON(), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("best_hold_seconds", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["athlete_id"],
            ["athletes.id"],
            name=op.f("fk_training_sessions_athlete_id_athletes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_sessions")),
    )
    with op.batch_alter_table("training_sessions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_training_sessions_athlete_id_exercise_position",
            [
                "athlete_id",
                "exercise",
                "band_tension",
                "shoulder_flexion",
                "performed_at",
                "created_at",
                "id",
            ],
            unique=False,
        )
        batch_op.create_index(
            "ix_training_sessions_athlete_id_performed_at",
            ["athlete_id", "performed_at", "created_at", "id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("training_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_training_sessions_athlete_id_performed_at")
        batch_op.drop_index("ix_training_sessions_athlete_id_exercise_position")

    op.drop_table("training_sessions")
    op.drop_table("exercise_progress")
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_records_expires_at"))

    op.drop_table("idempotency_records")
    with op.batch_alter_table("athletes", schema=None) as batch_op:
        batch_op.drop_index("ix_athletes_client_app_id_created_at_id")

    op.drop_table("athletes")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_keys_client_app_id"))

    op.drop_table("api_keys")
    op.drop_table("client_apps")

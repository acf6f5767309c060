"""queues: indexes in submission order and for counting each tab

Revision ID: 3f9c2a7d1b64
Revises: 48541d881cb8
Create Date: 2026-12-06 07:40:00.000000
"""
from alembic import op

revision = '3f9c2a7d1b64'
down_revision = '48541d881cb8'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('licences', schema=None) as batch_op:
        batch_op.create_index('ix_licences_status_submitted_at_id',
                              ['status', 'submitted_at', 'id'], unique=False)
        batch_op.create_index('ix_licences_status_valid_until', ['status', 'valid_until'],
                              unique=False)

    with op.batch_alter_table('brokers', schema=None) as batch_op:
        batch_op.create_index('ix_brokers_status_submitted_at_id',
                              ['status', 'submitted_at', 'id'], unique=False)
        batch_op.create_index('ix_brokers_status_valid_until', ['status', 'valid_until'],
                              unique=False)
        batch_op.create_index('ix_brokers_status_renewal_requested_at',
                              ['status', 'renewal_requested_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('brokers', schema=None) as batch_op:
        batch_op.drop_index('ix_brokers_status_renewal_requested_at')
        batch_op.drop_index('ix_brokers_status_valid_until')
        batch_op.drop_index('ix_brokers_status_submitted_at_id')

    with op.batch_alter_table('licences', schema=None) as batch_op:
        batch_op.drop_index('ix_licences_status_valid_until')
        batch_op.drop_index('ix_licences_status_submitted_at_id')

"""form submissions: a page's form is acted on once

Revision ID: 3f1c2a9d7e55
Revises: da82041533a1
Create Date: 2026-11-30 02:00:00.000000
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

import broker_registry.db.columns

revision = '3f1c2a9d7e55'
down_revision = 'da82041533a1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'form_submissions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('nonce', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('location', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('created_at', broker_registry.db.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('account_id', 'nonce', name='uq_form_submissions_nonce'),
    )


def downgrade() -> None:
    op.drop_table('form_submissions')

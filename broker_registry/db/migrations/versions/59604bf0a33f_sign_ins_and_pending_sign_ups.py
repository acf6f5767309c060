"""sign-ins and pending sign-ups kept on the server; the session epoch they replace

Revision ID: 59604bf0a33f
Revises: ef4ff71d5555
Create Date: 2026-12-05 15:33:55.034508
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

import broker_registry.db.columns

revision = '59604bf0a33f'
down_revision = 'ef4ff71d5555'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pending_sign_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', broker_registry.db.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', broker_registry.db.columns.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pending_sign_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_sign_ups_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_sign_ups_token_hash'), ['token_hash'], unique=True)

    op.create_table('sign_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', broker_registry.db.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', broker_registry.db.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', broker_registry.db.columns.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sign_ins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_ins_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_ins_token_hash'), ['token_hash'], unique=True)

    # SQLite drops a column itself (3.35 and later): a batch would copy the accounts table,
    # which every other table refers to.
    op.drop_column('accounts', 'session_epoch')


def downgrade() -> None:
    op.add_column('accounts', sa.Column('session_epoch', sa.INTEGER(), nullable=False,
                                        server_default='0'))

    with op.batch_alter_table('sign_ins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_ins_token_hash'))
        batch_op.drop_index(batch_op.f('ix_sign_ins_account_id'))

    op.drop_table('sign_ins')
    with op.batch_alter_table('pending_sign_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_sign_ups_token_hash'))
        batch_op.drop_index(batch_op.f('ix_pending_sign_ups_email'))

    op.drop_table('pending_sign_ups')

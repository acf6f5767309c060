"""certificate status code: the revocation list's reason code kept on the certificate

Revision ID: 5b7e0c3d9a21
Revises: 3f1c2a9d7e55
Create Date: 2026-11-30 04:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '5b7e0c3d9a21'
down_revision = '3f1c2a9d7e55'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('certificates', sa.Column('status_code', sa.SmallInteger(), nullable=False,
                                            server_default='0'))
    # what the list says of each certificate that is not valid: its latest entry's code
    op.execute("""
        UPDATE certificates SET status_code = COALESCE((
            SELECT r.reason FROM revocation_entries r
            WHERE r.cti_hash = certificates.cti_hash ORDER BY r.seq DESC LIMIT 1), 0)
        WHERE status <> 'valid'
    """)


def downgrade() -> None:
    # both databases drop a column in place (SQLite since 3.35), without rebuilding the table
    op.execute("ALTER TABLE certificates DROP COLUMN status_code")

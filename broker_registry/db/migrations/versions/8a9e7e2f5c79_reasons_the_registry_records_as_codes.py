"""reasons the registry records as codes

Revision ID: 8a9e7e2f5c79
Revises: 59604bf0a33f
Create Date: 2026-12-05 19:00:37.037968
"""
import re

import sqlalchemy as sa
import sqlmodel
from alembic import op



revision = '8a9e7e2f5c79'
down_revision = '59604bf0a33f'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (SQLite has it): a batch copy of certificates would drop a table that
    # other tables' foreign keys name.
    op.add_column('audit_log', sa.Column('reason_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
    op.add_column('audit_log', sa.Column('reason_params', sa.JSON(), nullable=True))
    op.add_column('certificates', sa.Column('status_reason_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
    op.add_column('certificates', sa.Column('status_reason_params', sa.JSON(), nullable=True))
    # ### end Alembic commands ###
    connection = op.get_bind()
    _convert(connection, "audit_log", "reason", "reason_code", "reason_params")
    _convert(connection, "certificates", "status_reason", "status_reason_code",
             "status_reason_params")


# The reasons the registry wrote in English before it kept them as codes: each is read here
# once, and its code kept only when that code makes the very same English (audit/reasons.py),
# so the audit log's hash chain still verifies. A reason a person typed matches none.
_SANCTIONED = re.compile(r"Broker registration (?P<number>\S+) (?P<what>suspended|revoked): "
                         r"(?P<reason>.*)", re.S)
_SIGNER = re.compile(r"Signer key (?P<kid>[0-9a-f]+) revoked: (?P<reason>.*)", re.S)
_SHORT = re.compile(r"line (\d+): (\d+) received of (\d+) shipped")
_FIXED = {"first signer key": "first_signer", "rotated": "rotated", "rotation": "rotation",
          "replaces a revoked key": "replaces_revoked",
          "password changed; every session and token ended": "password_changed"}


def recorded(text: str) -> tuple[str, dict] | None:
    if text in _FIXED:
        return _FIXED[text], {}
    match = _SANCTIONED.fullmatch(text)
    if match:
        return "broker_sanctioned", match.groupdict()
    match = _SIGNER.fullmatch(text)
    if match:
        return "signer_revoked", match.groupdict()
    lines = [_SHORT.fullmatch(part) for part in text.split("; ")]
    if all(lines):
        return "delivery_short", {"lines": [
            {"line": int(m[1]), "received": int(m[2]), "shipped": int(m[3])} for m in lines]}
    return None


def _english(code: str, p: dict) -> str:
    """audit/reasons.py's English for these codes as it stood when this migration was written
    (a migration imports nothing of the application it migrates)."""
    if code in _FIXED.values():
        return next(text for text, fixed in _FIXED.items() if fixed == code)
    if code == "broker_sanctioned":
        text = f"Broker registration {p['number']} {p['what']}: {p['reason']}"
    elif code == "signer_revoked":
        text = f"Signer key {p['kid']} revoked: {p['reason']}"
    else:
        text = "; ".join(f"line {n['line']}: {n['received']} received of {n['shipped']} shipped"
                         for n in p["lines"])
    return text if len(text) <= 4000 else text[:3999] + "\u2026"


def _convert(connection, table_name: str, text: str, code: str, params: str) -> None:
    table = sa.table(table_name, sa.column("id", sa.Integer), sa.column(text, sa.String),
                     sa.column(code, sa.String), sa.column(params, sa.JSON))
    column = table.c[text]
    candidates = sa.or_(column.like("Broker registration %"), column.like("Signer key %"),
                        column.like("line %"), column.in_(list(_FIXED)))
    rows = connection.execute(sa.select(table.c.id, column).where(
        candidates, table.c[code].is_(None)).order_by(table.c.id)).all()
    for row_id, reason in rows:
        found = recorded(reason)
        if found is not None and _english(*found) == reason:
            connection.execute(sa.update(table).where(table.c.id == row_id).values(
                {code: found[0], params: found[1]}))


def downgrade() -> None:
    # both databases drop a column in place (SQLite since 3.35), without rebuilding the table
    for table, column in (("certificates", "status_reason_params"),
                          ("certificates", "status_reason_code"),
                          ("audit_log", "reason_params"), ("audit_log", "reason_code")):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")

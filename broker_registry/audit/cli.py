"""`broker-registry audit verify`: check the audit log's hash chain."""

from __future__ import annotations

import click

from .. import db
from ..cli import Group, fail

audit = Group("audit", help="Check the audit log.")


@audit.command("verify")
def verify_audit():
    """Check the hash chain; name every entry that was edited, deleted or reordered."""
    from .service import verify

    problems = verify(db.session())
    if not problems:
        click.echo("audit log intact")
        return
    for problem in problems:
        click.echo(str(problem), err=True)
    fail(f"audit log damaged: {len(problems)} problem(s)")

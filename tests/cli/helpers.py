"""What every CLI refusal must look like: a message on stderr, the exit code, no traceback."""

from __future__ import annotations


def refused(result, code: int, *fragments: str, usage: bool = False) -> None:
    """Assert the command failed as an operator should see it: one `error:` line, or, with
    `usage`, click's own usage message for a bad option."""
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    if usage:
        assert lines[0].startswith("Usage:") and lines[-1].startswith("Error:"), result.stderr
    else:
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr

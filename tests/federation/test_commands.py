"""`broker-registry federation ...`: a partner is trusted only with its root's fingerprint;
every refusal is one line and a non-zero exit, and changes nothing."""

from __future__ import annotations

import hashlib

from tests.cli.helpers import refused


def test_add_list_suspend_refresh_on_the_command_line(isolated_app, partner):
    runner = isolated_app.test_cli_runner()
    fingerprint = hashlib.sha256(partner.issuer.root_der).hexdigest()
    shown = runner.invoke(args=["federation", "add", partner.url])
    refused(shown, 1, "nothing added")
    assert fingerprint in shown.stdout
    refused(runner.invoke(args=["federation", "add", partner.url, "--fingerprint", "1" * 64]),
            1, "does not match")
    refused(runner.invoke(args=["federation", "add", "gopher://x"]), 1, "http")
    listed = runner.invoke(args=["federation", "list"])
    assert listed.exit_code == 0 and listed.stdout == ""
    added = runner.invoke(args=["federation", "add", partner.url, "--fingerprint", fingerprint])
    assert added.exit_code == 0 and "trusted PP-NCA" in added.stdout
    fresh = runner.invoke(args=["federation", "refresh"])
    assert fresh.exit_code == 0 and "PP-NCA: ok" in fresh.stdout
    listed = runner.invoke(args=["federation", "list"])
    assert "PP-NCA\tactive\t" + fingerprint in listed.stdout and "current" in listed.stdout
    partner.stop()
    stale = runner.invoke(args=["federation", "refresh"])
    assert stale.exit_code == 1 and "PP-NCA: refused: cannot reach" in stale.stdout
    assert "stale since" in runner.invoke(args=["federation", "list"]).stdout
    refused(runner.invoke(args=["federation", "suspend", "QQ-NCA", "--reason", "x"]), 1,
            "No trusted authority QQ-NCA")
    done = runner.invoke(args=["federation", "suspend", "PP-NCA", "--reason", "inquiry"])
    assert done.exit_code == 0 and "PP-NCA: suspended" in done.stdout
    refused(runner.invoke(args=["federation", "suspend", "PP-NCA", "--reason", "again"]), 1,
            "suspended")
    sent = runner.invoke(args=["federation", "send-notices"])
    assert sent.exit_code == 0 and "0 acknowledged, 0 to try again" in sent.stdout

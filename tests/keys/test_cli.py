"""`keys`: a revocation is made and published together or not at all; bad input changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from broker_registry.keys.models import SignerKey
from broker_registry.revocations import service as revocations
from broker_registry.revocations.models import RevocationSnapshot
from tests.cli.helpers import refused


def _state(db) -> tuple:
    db.expire_all()
    signers = sorted((s.kid, s.status) for s in db.exec(select(SignerKey)))
    snapshots = len(db.exec(select(RevocationSnapshot)).all())
    return signers, snapshots, revocations.sequence(db)


def test_revoke_with_an_unreadable_signer_key_revokes_nothing(app, db, keys):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["keys", "rotate"]).exit_code == 0
    db.expire_all()
    retired = db.exec(select(SignerKey).where(SignerKey.status == "retired")).first()
    active = db.exec(select(SignerKey).where(SignerKey.status == "active")).one()
    key_file = keys.directory / active.key_file
    before = _state(db)
    hidden = key_file.rename(key_file.with_name("hidden.pem"))
    try:
        result = runner.invoke(args=["keys", "revoke", retired.kid, "--reason", "compromise"])
    finally:
        hidden.rename(key_file)
    refused(result, 1, "cannot read private key file", active.key_file)
    assert _state(db) == before
    again = runner.invoke(args=["keys", "revoke", retired.kid, "--reason", "compromise"])
    assert again.exit_code == 0, again.output  # once the key is back, revoke and publish
    assert _state(db)[1:] == (before[1] + 1, before[2] + 1)


@pytest.mark.parametrize("reason", ["", "   ", "line\x07bell"])
def test_revoke_refuses_a_blank_or_unprintable_reason(app, db, keys, reason):
    active = db.exec(select(SignerKey)).one()
    before = _state(db)
    result = app.test_cli_runner().invoke(args=["keys", "revoke", active.kid, "--reason",
                                                reason])
    refused(result, 2, "--reason", usage=True)
    assert _state(db) == before


def test_export_root_to_a_missing_folder_is_one_line(app, keys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a short path: the message cuts one past 80 characters
    target = Path("no") / "root.pem"
    result = app.test_cli_runner().invoke(args=["keys", "export-root", str(target)])
    refused(result, 1, str(target), "No such file or directory")
    assert not target.parent.exists()


def test_a_wrong_passphrase_is_one_line_and_changes_nothing(make_app, db, keys):
    before = _state(db)
    result = make_app(key_passphrase="not the passphrase").test_cli_runner().invoke(
        args=["keys", "rotate"])
    refused(result, 1, "wrong passphrase")
    assert _state(db) == before


@pytest.mark.parametrize(("name", "extra", "encoding"), [
    ("root.der", [], "der"), ("root.cer", [], "der"), ("ROOT.PEM", [], "pem"),
    ("root.crt", ["--format", "der"], "der"), ("root.der", ["--format", "pem"], "pem"),
])
def test_export_root_writes_what_the_name_or_the_format_says(app, keys, tmp_path, name, extra,
                                                             encoding):
    from certs import pki

    target = tmp_path / name
    result = app.test_cli_runner().invoke(args=["keys", "export-root", str(target), *extra])
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    expected = keys.root_certificate()
    if encoding == "der":
        assert data == pki.certificate_der(expected)
    else:
        assert data.startswith(b"-----BEGIN CERTIFICATE-----")
        assert pki.load_certificate(data) == expected
    assert f"({encoding.upper()})" in result.output


@pytest.mark.parametrize("name", ["root.crt", "root", "root.der.txt"])
def test_export_root_to_a_name_of_no_known_format_is_refused_before_writing(app, keys,
                                                                            tmp_path, name):
    target = tmp_path / name
    result = app.test_cli_runner().invoke(args=["keys", "export-root", str(target)])
    refused(result, 2, "cannot tell the format", "--format")
    assert not target.exists()

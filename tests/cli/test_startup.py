"""Configuration and databases the commands cannot use: one line, no traceback, no files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from broker_registry import create_app
from broker_registry.main import command_line
from tests.cli.helpers import refused


def _run(tmp_path, *args, **env):
    base = {"BROKER_REGISTRY_DATA": str(tmp_path / "data"), "BROKER_REGISTRY_ENV": None,
            "DATABASE_URL": None, "SECRET_KEY": "s" * 40, "SECRET_KEY_FILE": None,
            "BROKER_REGISTRY_KEY_PASSPHRASE": "p" * 40,
            "BROKER_REGISTRY_KEY_PASSPHRASE_FILE": None}
    return CliRunner().invoke(command_line(), list(args), env={**base, **env})


@pytest.mark.parametrize(("url", "said"), [
    ("garbage", "Could not parse"),
    ("nonsense://somewhere/db", "Can't load plugin"),
])
def test_a_database_url_that_is_no_url_is_named(tmp_path, url, said):
    result = _run(tmp_path, "users", "list", DATABASE_URL=url)
    refused(result, 1, "DATABASE_URL is not a database URL", said)


def test_a_database_url_whose_port_is_no_number_is_one_line(tmp_path):
    result = _run(tmp_path, "users", "list",
                  DATABASE_URL="postgresql://u:s3cret@localhost:notaport/db")
    refused(result, 1, "check DATABASE_URL")
    assert "s3cret" not in result.output


def test_an_unreachable_database_is_one_line(tmp_path):
    result = _run(tmp_path, "users", "list", DATABASE_URL="postgresql://u@127.0.0.1:1/none")
    refused(result, 1, "cannot use the database", "127.0.0.1")


def test_a_secret_file_that_is_not_text_is_named(tmp_path):
    secret = tmp_path / "secret"
    secret.write_bytes(b"\xff\xfe\x00binary")
    result = _run(tmp_path, "users", "list", SECRET_KEY=None, SECRET_KEY_FILE=str(secret))
    refused(result, 1, "not UTF-8 text")
    missing = _run(tmp_path, "users", "list", SECRET_KEY=None,
                   SECRET_KEY_FILE=str(tmp_path / "none"))
    refused(missing, 1, "cannot start", "No such file or directory")


def test_commands_before_init_ask_for_init_and_make_no_database(isolated_url, settings,
                                                                  tmp_path):
    app = create_app(replace(settings, database_url=isolated_url))
    runner = app.test_cli_runner()
    try:
        for args in (["users", "list"], ["keys", "list"], ["audit", "verify"],
                     ["revocations", "publish"], ["backup", str(tmp_path / "unused.backup")]):
            result = runner.invoke(args=args)
            refused(result, 1, "broker-registry init")
        if app.extensions["db"].dialect == "sqlite":
            assert not Path(isolated_url.removeprefix("sqlite:///")).exists()
        assert not (tmp_path / "unused.backup").exists()
        help_ = runner.invoke(args=["keys", "revoke", "--help"])
        assert help_.exit_code == 0 and "--reason" in help_.output  # help needs no database
    finally:
        app.extensions["db"].dispose()


def test_the_help_lists_every_command_even_with_a_broken_configuration(tmp_path):
    result = _run(tmp_path, "--help", DATABASE_URL="postgresql://u@localhost:notaport/db")
    assert result.exit_code == 0, result.output
    listed = result.output.split("Commands:")[1].split()
    for name in ("init", "users", "audit", "demo", "keys", "revocations", "sync", "verify",
                 "backup", "restore", "screening", "outbox"):
        assert name in listed
    assert "error" not in result.output


def test_the_offline_verifier_needs_no_registry_configuration(tmp_path):
    result = _run(tmp_path, "verify", "EUC1:NOTHING", "--dir", str(tmp_path / "post"),
                  DATABASE_URL="postgresql://u@localhost:notaport/db")
    refused(result, 2, "run `broker-registry sync`")
    assert "DATABASE_URL" not in result.output
    grouped = _run(tmp_path, "keys", "list", DATABASE_URL="postgresql://u@localhost:notaport/db")
    refused(grouped, 1, "check DATABASE_URL")

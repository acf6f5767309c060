import pytest
from sqlmodel import select

from broker_registry.accounts.models import Account
from broker_registry.brokers.models import Broker
from tests.cli.helpers import refused


def test_users_create_makes_a_staff_account(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "Officer@Example.org", "--role", "customs",
                                 "--password", "a long enough password"])
    assert result.exit_code == 0, result.output
    account = db.exec(select(Account).where(Account.email == "officer@example.org")).one()
    assert account.role == "customs"
    assert "a long enough password" not in result.output


def test_users_create_prompts_for_the_password(app, db):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "r@example.org", "--role", "regulator"],
        input="a long enough password\na long enough password\n")
    assert result.exit_code == 0, result.output
    assert db.exec(select(Account).where(Account.email == "r@example.org")).one().role == \
        "regulator"


def test_users_create_refuses_bad_input_with_a_message(app, db):
    runner = app.test_cli_runner()
    short = runner.invoke(args=["users", "create", "s@example.org", "--role", "admin",
                                "--password", "short"])
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    role = runner.invoke(args=["users", "create", "t@example.org", "--role", "king",
                               "--password", "a long enough password"])
    assert role.exit_code == 2 and "king" in role.output
    assert db.exec(select(Account)).all() == []


@pytest.mark.slow  # seconds: make test runs it, make check does not
def test_demo_loads_once(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "regulator2@demo.broker-registry.example" in first.output
    statuses = sorted(b.status for b in db.exec(select(Broker)).all())
    assert statuses == ["registered", "submitted"]
    second = runner.invoke(args=["demo"])
    assert "already loaded" in second.output
    assert len(db.exec(select(Broker)).all()) == 2


def test_users_create_applies_the_sign_up_checks(app, db):
    runner = app.test_cli_runner()
    for args, said in ((["not an email"], "email: is not a valid email address"),
                       (["n@example.org", "--name", "Eve\u202eliam"], "bidirectional"),
                       (["n@example.org", "--name", "bell\x07"], "control character"),
                       (["n@example.org", "--name", "x" * 201], "at most 200")):
        result = runner.invoke(args=["users", "create", *args, "--role", "admin",
                                     "--password", "a long enough password"])
        refused(result, 1, said)
    assert db.exec(select(Account)).all() == []


def test_outbox_send_refuses_a_batch_below_one(app):
    runner = app.test_cli_runner()
    for batch in ("-1", "0"):
        result = runner.invoke(args=["outbox", "send", "--batch", batch])
        refused(result, 2, "x>=1", usage=True)

"""The worker as it runs in production: real processes on a real database, killed mid-work,
two at once, and behind gunicorn's web workers."""

from __future__ import annotations

import pytest
import requests

from certs import pki
from certs.revocation_list import parse_revocation_list
from certs.trust_list import parse_trust_list
from tests.notifications.test_outbox import smtpd  # noqa: F401 - a fixture
from tests.reliability.gunicorn import Gunicorn, app_env, cli
from tests.reliability.world import initialised
from tests.revocations.processes import (
    PUBLISHING,
    Worker,
    add_changes,
    published,
    sequence,
    until,
)
from tests.revocations.test_api import _hash

pytestmark = [pytest.mark.slow, pytest.mark.server]
LARGE = 100_000  # entries: a publication long enough to be cut in the middle


def _verified(env, url: str, data_dir) -> object:
    """The stored full list, verified with certs/ against the registry's trust list."""
    server_root = pki.load_certificate((data_dir / "keys" / "root.crt.pem").read_bytes())
    from dataclasses import replace

    from broker_registry import create_app
    from broker_registry.settings import settings_from_env

    app = create_app(replace(settings_from_env(env), testing=True))
    client = app.test_client()
    trust = parse_trust_list(client.get("/api/v1/trust-list").data, root_cert=server_root)
    listed = parse_revocation_list(client.get("/api/v1/revocations").data, trust=trust)
    app.extensions["db"].dispose()
    return listed


def test_a_worker_killed_mid_publication_loses_and_repeats_nothing(isolated_url, tmp_path):
    env = app_env(tmp_path / "data", isolated_url)
    cli(env, "init")  # the first list, at sequence 0
    target = add_changes(isolated_url, LARGE)
    cut = None
    for _attempt in range(5):
        worker = Worker(env, tmp_path / "worker.log")
        worker.start()  # a fresh worker: its log holds this attempt's lines only
        line = worker.wait_for(PUBLISHING.search, 60)
        worker.kill()  # in the middle: the list is read, not yet signed or stored
        assert int(PUBLISHING.search(line).group(1)) == target
        if max(s for s, _, _ in published(isolated_url)) < target:
            cut = target
            break
        target = add_changes(isolated_url, 1)  # it finished first: try again, one later
    assert cut is not None, "the worker always finished before the kill"

    with Worker(env, tmp_path / "worker.log") as again:
        until(lambda: max(s for s, _, _ in published(isolated_url)) == cut, 120,
              f"the list at sequence {cut} is published after the restart")
        assert again.stop() == 0
    rows = published(isolated_url)
    assert [(s, e) for s, e, _ in rows if s == cut] == [(cut, 1)]  # once, one edition
    assert [s for s, _, has_body in rows if has_body] == [cut]
    assert sequence(isolated_url) == cut
    listed = _verified(env, isolated_url, tmp_path / "data")
    assert listed.sequence == cut and len(listed.entries) >= LARGE


def test_two_workers_at_once_publish_each_sequence_once(isolated_url, tmp_path):
    env = app_env(tmp_path / "data", isolated_url)
    cli(env, "init")
    add_changes(isolated_url, 50_000)  # publications long enough to overlap
    with Worker(env, tmp_path / "a.log") as first, Worker(env, tmp_path / "b.log") as second:
        for _ in range(6):
            target = add_changes(isolated_url, 1)
            until(lambda t=target: max(s for s, _, _ in published(isolated_url)) >= t, 60,
                  f"sequence {target} published")
        assert first.stop() == 0 and second.stop() == 0
    logged = first.published() + second.published()
    sequences = [s for s, _ in logged]
    assert len(sequences) == len(set(sequences)), f"a sequence published twice: {logged}"
    assert sequence(isolated_url) in sequences
    rows = published(isolated_url)
    assert all(edition == 1 for _, edition, _ in rows), rows
    assert _verified(env, isolated_url, tmp_path / "data").sequence == sequence(isolated_url)


def _listed_hashes(server, trust):
    answer = requests.get(f"{server.url}/api/v1/revocations", timeout=30)
    assert answer.status_code == 200
    return parse_revocation_list(answer.content, trust=trust)


def test_a_revocation_reaches_the_full_list_within_the_lag_and_a_rotation_its_signer(
        engine, isolated_url, tmp_path):
    """On PostgreSQL and SQLite alike: gunicorn with two web workers, and the worker."""
    from dataclasses import replace

    from broker_registry import create_app, db
    from broker_registry.keys import service as signers
    from broker_registry.keys.authority import authority, key_store
    from broker_registry.settings import settings_from_env

    env, _, world = initialised(tmp_path / "data", isolated_url, certificates=2, quantity=10)
    lag = float(env.get("BROKER_REGISTRY_PUBLISH_LAG", "30"))
    root = pki.load_certificate((tmp_path / "data" / "keys" / "root.crt.pem").read_bytes())
    with Gunicorn(env, tmp_path / "gunicorn.log", workers=2) as server, \
            Worker(env, tmp_path / "worker.log") as worker:
        trust = parse_trust_list(requests.get(f"{server.url}/api/v1/trust-list",
                                              timeout=30).content, root_cert=root)
        number = world.numbers[0]
        revoked = requests.post(f"{server.url}/api/v1/certificates/{number}/revoke",
                                json={"reason": "Diverted"}, headers=world.headers("r1"),
                                timeout=30)
        assert revoked.status_code == 200, revoked.text
        h = _hash({"qr_payload": world.payloads[number]})
        listed = until(lambda: (lambda got: got if h in got.entries else None)(
            _listed_hashes(server, trust)), lag, "the revocation in the full list")
        active = [s for s in trust.candidates(listed.kid)]
        assert active and str(active[0].status) == "active"

        app = create_app(replace(settings_from_env(env), testing=True))
        with app.app_context():  # as `keys rotate` does, without its own publication
            session = db.session()
            new = signers.rotate(session, key_store(), authority())
            session.commit()
        app.extensions["db"].dispose()
        trust = parse_trust_list(requests.get(f"{server.url}/api/v1/trust-list",
                                              timeout=30).content, root_cert=root)
        resigned = until(lambda: (lambda got: got if got.kid.hex() == new.kid else None)(
            _listed_hashes(server, trust)), lag, "the full list signed by the new signer")
        assert h in resigned.entries and resigned.sequence == listed.sequence
        assert worker.stop() == 0
    assert any(s == listed.sequence and e == 2 for s, e in worker.published())


def test_the_worker_sends_the_outbox(isolated_url, tmp_path, smtpd):  # noqa: F811
    from sqlalchemy import text

    from broker_registry.db.engine import make_engine

    env = app_env(tmp_path / "data", isolated_url,
                  SMTP_URL=f"smtp://127.0.0.1:{smtpd.server_address[1]}")
    cli(env, "init")
    engine = make_engine(isolated_url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO outbox (to_address, subject, body, created_at, "
                                "attempts) VALUES ('broker@example.org', 'Licence issued', "
                                "'Reason: ok.', CURRENT_TIMESTAMP, 0)"))
    with Worker(env, tmp_path / "worker.log") as worker:
        until(lambda: smtpd.messages, 60, "the queued e-mail sent")
        worker.wait_for(lambda line: "outbox: sent 1, failed 0" in line, 30)
        assert worker.stop() == 0
    with engine.connect() as connection:
        assert connection.execute(text("SELECT sent_at IS NOT NULL FROM outbox")).scalar()
    engine.dispose()
    assert len(smtpd.messages) == 1 and "To: broker@example.org" in smtpd.messages[0]

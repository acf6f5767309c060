"""`sync` and `verify` with bad input: one line, and the verifier's folder stays as it was."""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager

import pytest

from broker_registry.keys import service
from broker_registry.keys.authority import authority, key_store
from certs import pki
from tests.cli.helpers import refused


@contextmanager
def answering(reply: bytes):
    """A loopback server that answers every connection with `reply`, whatever is asked."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    done = threading.Event()

    def serve():
        while not done.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.recv(65536)
                connection.sendall(reply)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        done.set()
        thread.join(timeout=5)
        listener.close()


def _snapshot(folder) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def folder(keys, tmp_path):
    """A verifier's folder with the root pinned, as a first sync leaves it."""
    path = tmp_path / "post"
    path.mkdir()
    (path / "root.pem").write_bytes(keys.root_cert_path.read_bytes())
    return path


def test_sync_validates_a_new_root_before_it_replaces_the_pinned_one(app, folder, tmp_path):
    before = _snapshot(folder)
    not_a_certificate = tmp_path / "bad.pem"
    not_a_certificate.write_bytes(b"-----BEGIN CERTIFICATE-----\nnonsense\n")
    root_key = pki.generate_key()
    root = pki.make_root(root_key, common_name="Other Root", country="XX")
    signer = tmp_path / "signer.pem"  # a certificate, but no root: it signs nothing
    signer.write_bytes(pki.certificate_pem(pki.make_dsc(
        root_key, root, pki.generate_key().public_key(), common_name="Signer")))
    runner = app.test_cli_runner()
    for bad, said in ((not_a_certificate, "not a PEM or DER certificate"),
                      (signer, "not a CA certificate")):
        result = runner.invoke(args=["sync", "--server", "http://127.0.0.1:9", "--dir",
                                     str(folder), "--root", str(bad)])
        refused(result, 1, said, "pinned root is unchanged")
        assert _snapshot(folder) == before


@pytest.mark.parametrize(("reply", "said"), [
    (b"SSH-2.0-OpenSSH_9.6\r\n", "does not answer as an HTTP server does"),
    # An unreadable Date leaves the clock check undone; the body is what fails.
    (b"HTTP/1.1 200 OK\r\nDate: yesterday-ish\r\nContent-Length: 2\r\n\r\n{}",
     "trust list"),
])
def test_sync_with_a_server_that_is_no_registry_is_one_line(app, folder, reply, said):
    before = _snapshot(folder)
    with answering(reply) as server:
        result = app.test_cli_runner().invoke(args=["sync", "--server", server, "--dir",
                                                    str(folder)])
    refused(result, 1, said)
    assert _snapshot(folder) == before


@pytest.mark.parametrize(("server", "said"), [
    ("http://[::1", "is not a URL"),
    ("http://127.0.0.1:99999", "is not a URL"),
    ("http://registry example", "must be an http:// or https:// address"),
    ("https://", "must be an http:// or https:// address"),
])
def test_sync_refuses_a_server_that_is_no_url_before_writing(app, tmp_path, server, said):
    target = tmp_path / "new"
    result = app.test_cli_runner().invoke(args=["sync", "--server", server, "--dir",
                                                str(target)])
    refused(result, 1, said)
    assert not target.exists()


@pytest.mark.parametrize("state", [b"{not json", b"[]", b'{"synced_at": "yesterday"}',
                                   b"\xff\xfe", b'{"clock_skew": 1e999}',
                                   b'{"synced_at": NaN}'])
def test_a_damaged_sync_state_is_named_by_sync_and_verify(app, db, folder, state):
    with app.app_context():
        body, _ = service.trust_list(db, key_store(), authority())
    (folder / "trust-list.json").write_bytes(body)  # as a sync leaves it
    (folder / "sync.json").write_bytes(state)
    before = _snapshot(folder)
    runner = app.test_cli_runner()
    synced = runner.invoke(args=["sync", "--server", "http://127.0.0.1:9", "--dir",
                                 str(folder)])
    refused(synced, 1, "sync.json is damaged")
    checked = runner.invoke(args=["verify", "EUC1:anything", "--dir", str(folder)])
    refused(checked, 2, "sync.json is damaged")  # lists unusable: 2, as when missing
    assert _snapshot(folder) == before


def test_verify_takes_a_long_argument_for_the_payload_it_is(app, db, keys, tmp_path):
    with app.app_context():
        body, _ = service.trust_list(db, key_store(), authority())
    (tmp_path / "trust.json").write_bytes(body)
    for argument in ("x" * 3000, "x/" * 1500, "a\x00b"):
        result = app.test_cli_runner().invoke(args=[
            "verify", argument, "--root", str(keys.root_cert_path),
            "--trust-list", str(tmp_path / "trust.json")])
        assert result.exit_code == 1, result.output
        assert result.output.startswith("MALFORMED:") and "Traceback" not in result.output

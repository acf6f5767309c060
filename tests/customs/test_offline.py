"""A border post syncs once, loses the network, and still gets the truth it last synced."""

import threading
import time
from contextlib import contextmanager
from email.utils import formatdate

from tests.customs.live import certificate_on, publish, revoke_another


def test_sync_then_verify_offline_then_catch_up_with_a_delta(isolated_app, live_server,
                                                             tmp_path):
    certificate, tokens, licence = certificate_on(isolated_app, quantity=50)
    revoke_another(isolated_app, tokens, licence)  # the published list is past sequence 0:
    assert publish(isolated_app).sequence == 1  # a verifier holding it can ask for a delta
    runner = isolated_app.test_cli_runner()
    root = tmp_path / "root.pem"
    assert runner.invoke(args=["keys", "export-root", str(root)]).exit_code == 0
    folder = tmp_path / "post"

    first = runner.invoke(args=["sync", "--server", live_server.url, "--dir", str(folder),
                                "--root", str(root)])
    assert first.exit_code == 0, first.output
    assert "full revocation list" in first.output
    valid = runner.invoke(args=["verify", certificate["qr_payload"], "--dir", str(folder)])
    assert valid.exit_code == 0, valid.output
    assert valid.output.startswith("VALID:")
    assert certificate["number"] in valid.output and "old (sequence" in valid.output

    revoked = isolated_app.test_client().post(
        f"/api/v1/licences/{licence['id']}/revoke", json={"reason": "Diversion"},
        headers={"Authorization": f"Bearer {tokens['r1']}"})
    assert revoked.status_code == 200
    stale = runner.invoke(args=["verify", certificate["qr_payload"], "--dir", str(folder)])
    assert stale.output.startswith("VALID:")  # offline knows only what it synced

    second = runner.invoke(args=["sync", "--server", live_server.url, "--dir", str(folder)])
    assert second.exit_code == 0, second.output
    assert "1 change(s)" in second.output and "full" not in second.output
    live_server.shutdown()  # from here on, no network
    after = runner.invoke(args=["verify", certificate["qr_payload"], "--dir", str(folder)])
    assert after.exit_code == 1
    assert after.output.startswith("REVOKED:")


def test_verify_refuses_a_forgery_and_reports_missing_lists(isolated_app, live_server,
                                                            tmp_path):
    certificate, _, _ = certificate_on(isolated_app)
    runner = isolated_app.test_cli_runner()
    missing = runner.invoke(args=["verify", certificate["qr_payload"], "--dir",
                                  str(tmp_path / "nothing")])
    assert missing.exit_code == 2 and "sync" in missing.output
    root = tmp_path / "root.pem"
    runner.invoke(args=["keys", "export-root", str(root)])
    runner.invoke(args=["sync", "--server", live_server.url, "--dir", str(tmp_path / "p"),
                        "--root", str(root)])
    payload = certificate["qr_payload"]
    forged = payload[:40] + ("A" if payload[40] != "A" else "B") + payload[41:]
    result = runner.invoke(args=["verify", forged, "--dir", str(tmp_path / "p")])
    assert result.exit_code == 1
    assert result.output.split(":")[0] in {"BAD_SIGNATURE", "MALFORMED"}
    garbage = runner.invoke(args=["verify", "not a certificate", "--dir", str(tmp_path / "p")])
    assert garbage.exit_code == 1 and garbage.output.startswith("MALFORMED:")


def test_sync_against_nothing_fails_clearly(isolated_app, tmp_path):
    runner = isolated_app.test_cli_runner()
    (tmp_path / "root.pem").write_bytes(b"-----BEGIN CERTIFICATE-----\n")
    result = runner.invoke(args=["sync", "--server", "http://127.0.0.1:9", "--dir",
                                 str(tmp_path)])
    assert result.exit_code == 1 and "error:" in result.output
    bad = runner.invoke(args=["sync", "--server", "file:///etc/passwd", "--dir", str(tmp_path)])
    assert bad.exit_code == 1 and "http" in bad.output


def test_a_first_sync_catches_up_past_the_published_list(isolated_app, live_server, tmp_path):
    certificate, tokens, licence = certificate_on(isolated_app, quantity=50)
    revoke_another(isolated_app, tokens, licence)
    assert publish(isolated_app).sequence == 1  # a full list past 0, then a change after it
    client = isolated_app.test_client()
    client.post(f"/api/v1/licences/{licence['id']}/revoke", json={"reason": "Diversion"},
                headers={"Authorization": f"Bearer {tokens['r1']}"})
    runner = isolated_app.test_cli_runner()
    root = tmp_path / "root.pem"
    runner.invoke(args=["keys", "export-root", str(root)])
    first = runner.invoke(args=["sync", "--server", live_server.url, "--dir",
                                str(tmp_path / "p"), "--root", str(root)])
    assert first.exit_code == 0, first.output
    result = runner.invoke(args=["verify", certificate["qr_payload"], "--dir",
                                 str(tmp_path / "p")])
    assert result.output.startswith("REVOKED:"), result.output


def test_a_post_behind_the_newest_full_list_is_given_that_list(isolated_app, live_server,
                                                              tmp_path):
    # It asks for the changes since the list it holds; the registry has published a newer
    # full list since, and answers with it rather than a delta (it builds none on request).
    certificate, tokens, licence = certificate_on(isolated_app, quantity=50)
    revoke_another(isolated_app, tokens, licence)
    assert publish(isolated_app).sequence == 1
    runner, folder = _first_sync(isolated_app, live_server, tmp_path)
    isolated_app.test_client().post(
        f"/api/v1/licences/{licence['id']}/revoke", json={"reason": "Diversion"},
        headers={"Authorization": f"Bearer {tokens['r1']}"})
    assert publish(isolated_app).sequence == 2  # the worker's step
    second = runner.invoke(args=["sync", "--server", live_server.url, "--dir", str(folder)])
    assert second.exit_code == 0, second.output
    assert "full revocation list, sequence 2" in second.output
    assert list((folder / "deltas").glob("*.cose")) == []  # the full list replaced them
    revoked = runner.invoke(args=["verify", certificate["qr_payload"], "--dir", str(folder)])
    assert revoked.output.startswith("REVOKED:"), revoked.output
    third = runner.invoke(args=["sync", "--server", live_server.url, "--dir", str(folder)])
    assert "0 change(s), sequence 2 -> 2" in third.output and "full" not in third.output


def _first_sync(app, server, tmp_path):
    """A border post's folder after its first sync, with the root pinned from the registry."""
    runner = app.test_cli_runner()
    root = tmp_path / "root.pem"
    runner.invoke(args=["keys", "export-root", str(root)])
    folder = tmp_path / "post"
    first = runner.invoke(args=["sync", "--server", server.url, "--dir", str(folder),
                                "--root", str(root)])
    assert first.exit_code == 0, first.output
    return runner, folder


def test_a_root_that_is_not_the_registrys_is_never_pinned(isolated_app, live_server, tmp_path):
    from certs import pki

    certificate_on(isolated_app)
    runner, folder = _first_sync(isolated_app, live_server, tmp_path)
    pinned = (folder / "root.pem").read_bytes()
    trust_list = (folder / "trust-list.json").read_bytes()
    stranger = tmp_path / "stranger.pem"  # a genuine CA certificate, of someone else
    stranger.write_bytes(pki.certificate_pem(pki.make_root(
        pki.generate_key(), common_name="Another Authority Root", country="YY")))
    refused = runner.invoke(args=["sync", "--server", live_server.url, "--dir", str(folder),
                                  "--root", str(stranger)])
    assert refused.exit_code == 1
    assert "the pinned root is unchanged" in refused.stderr
    assert (folder / "root.pem").read_bytes() == pinned
    assert (folder / "trust-list.json").read_bytes() == trust_list
    assert runner.invoke(args=["sync", "--server", live_server.url,
                               "--dir", str(folder)]).exit_code == 0


def test_lists_held_that_no_longer_verify_are_fetched_afresh(isolated_app, live_server,
                                                             tmp_path):
    # As after pinning a new root: the lists held were signed under the old one. The sync
    # starts again from a full list instead of failing on them with the folder half written.
    certificate, _, _ = certificate_on(isolated_app)
    runner, folder = _first_sync(isolated_app, live_server, tmp_path)
    (folder / "revocations-full.cose").write_bytes(b"signed under another root")
    again = runner.invoke(args=["sync", "--server", live_server.url, "--dir", str(folder)])
    assert again.exit_code == 0, again.output
    assert "full revocation list" in again.output
    valid = runner.invoke(args=["verify", certificate["qr_payload"], "--dir", str(folder)])
    assert valid.exit_code == 0 and valid.output.startswith("VALID:")


def test_a_failed_sync_leaves_the_folder_as_the_last_good_one(isolated_app, live_server,
                                                              tmp_path):
    certificate_on(isolated_app)
    runner, folder = _first_sync(isolated_app, live_server, tmp_path)
    before = {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    live_server.shutdown()  # the registry is gone: nothing fetched, so nothing may change
    failed = runner.invoke(args=["sync", "--server", live_server.url, "--dir", str(folder)])
    assert failed.exit_code == 1
    assert {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before



@contextmanager
def _served_with_date(app, date):
    """The app over real HTTP from a server whose Date header is date() (a broken clock)."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Handler(WSGIRequestHandler):
        def date_time_string(self, timestamp=None):
            return date()

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True,
                              kwargs={"poll_interval": 0.02})
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_a_sync_without_a_readable_server_date_says_the_clock_was_not_checked(
        isolated_app, tmp_path):
    certificate, _, _ = certificate_on(isolated_app)
    with _served_with_date(isolated_app, lambda: "the day after tomorrow") as server:
        runner, folder = _first_sync(isolated_app, server, tmp_path)
        synced = runner.invoke(args=["sync", "--server", server.url, "--dir", str(folder)])
    assert synced.exit_code == 0, synced.output
    assert "clock was not compared with the server's" in synced.output
    verified = runner.invoke(args=["verify", certificate["qr_payload"], "--dir", str(folder)])
    assert verified.output.startswith("VALID:")
    assert "clock was not compared with the server's" in verified.output


def test_a_server_clock_an_hour_away_is_reported_at_each_verify(isolated_app, tmp_path):
    certificate, _, _ = certificate_on(isolated_app)
    with _served_with_date(isolated_app,
                           lambda: formatdate(time.time() + 3600, usegmt=True)) as server:
        runner, folder = _first_sync(isolated_app, server, tmp_path)
    verified = runner.invoke(args=["verify", certificate["qr_payload"], "--dir", str(folder)])
    assert verified.output.startswith("VALID:")
    assert "clock differed from the server's by -3" in verified.output
    assert "not compared" not in verified.output


def test_sync_and_verify_read_a_der_root(isolated_app, live_server, tmp_path):
    certificate, _, _ = certificate_on(isolated_app)
    runner = isolated_app.test_cli_runner()
    root = tmp_path / "root.der"
    assert runner.invoke(args=["keys", "export-root", str(root)]).exit_code == 0
    assert root.read_bytes()[:1] == b"\x30"  # a DER SEQUENCE, not PEM text
    folder = tmp_path / "post"
    synced = runner.invoke(args=["sync", "--server", live_server.url, "--dir", str(folder),
                                 "--root", str(root)])
    assert synced.exit_code == 0, synced.output
    by_files = runner.invoke(args=["verify", certificate["qr_payload"], "--root", str(root),
                                   "--trust-list", str(folder / "trust-list.json"),
                                   "--revocations", str(folder / "revocations-full.cose")])
    assert by_files.exit_code == 0, by_files.output
    assert by_files.output.startswith("VALID:") and "code: valid" in by_files.output

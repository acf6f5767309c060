"""The outbox worker against a real SMTP server on a local port (a tiny one, written here)."""

from __future__ import annotations

import dataclasses
import socket
import socketserver
import threading
from email import message_from_string

import pytest
from sqlmodel import select

from broker_registry.notifications.models import OutboxMessage
from tests.records import issue

REFUSED = "refused@nowhere.example"


class SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: EHLO, MAIL, RCPT, DATA, RSET, QUIT."""

    def reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self):
        self.reply("220 test-smtpd ready")
        lines, in_data = [], False
        while line := self.rfile.readline():
            text = line.decode("utf-8", "replace").rstrip("\r\n")
            if in_data:
                if text == ".":
                    self.server.messages.append("\n".join(lines))
                    lines, in_data = [], False
                    self.reply("250 queued")
                else:
                    lines.append(text[1:] if text.startswith("..") else text)
                continue
            verb = text[:4].upper()
            if verb in {"EHLO", "HELO"}:
                self.reply("250 test-smtpd")
            elif verb == "RCPT" and REFUSED in text:
                self.reply("550 no such mailbox")
            elif verb in {"MAIL", "RCPT", "RSET", "NOOP"}:
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 end with .")
                in_data = True
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


@pytest.fixture
def smtpd():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SmtpHandler)
    server.daemon_threads = True
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True,
                              kwargs={"poll_interval": 0.02})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def use_smtp(app, url: str) -> None:
    app.config["SETTINGS"] = dataclasses.replace(app.config["SETTINGS"], smtp_url=url,
                                                 mail_sender="registry@authority.example")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_decisions_are_mailed_by_the_worker(app, db, smtpd, broker_api, regulators):
    use_smtp(app, f"smtp://127.0.0.1:{smtpd.server_address[1]}")
    licence = issue(broker_api, regulators)
    queued = list(db.exec(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert [m.to_address for m in queued] == [broker_api.broker.email] * 2
    assert all(m.sent_at is None for m in queued)
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 2, failed 0" in result.output
    mails = [message_from_string(raw) for raw in smtpd.messages]
    assert [m["To"] for m in mails] == [broker_api.broker.email] * 2
    assert mails[1]["From"] == "registry@authority.example"
    assert mails[1]["Subject"] == f"Licence {licence['licence_number']}: issued"
    assert "Reason: Countersigned." in mails[1].get_payload()
    db.expire_all()
    assert all(m.sent_at is not None for m in db.exec(select(OutboxMessage)))
    again = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert "sent 0, failed 0" in again.output and len(smtpd.messages) == 2


def test_a_down_mail_server_loses_nothing_and_blocks_nothing(app, db, broker_api, regulators,
                                                              smtpd):
    use_smtp(app, f"smtp://127.0.0.1:{free_port()}")
    licence = issue(broker_api, regulators)
    assert licence["status"] == "issued"
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 1 and "stay queued" in result.output
    db.expire_all()
    rows = list(db.exec(select(OutboxMessage)))
    assert len(rows) == 2
    assert all(r.sent_at is None and r.attempts == 1 and r.last_error for r in rows)
    use_smtp(app, f"smtp://127.0.0.1:{smtpd.server_address[1]}")
    assert app.test_cli_runner().invoke(args=["outbox", "send"]).exit_code == 0
    assert len(smtpd.messages) == 2


@pytest.mark.parametrize("url", ["smtps+tls://mailer:Sup3rS3cret@mail.example:465",
                                 "smtp://mailer:Sup3rS3cret@mail.example:port"])
def test_a_bad_smtp_url_never_puts_its_password_in_the_outbox(app, db, broker_api, regulators,
                                                              url):
    use_smtp(app, url)
    issue(broker_api, regulators)
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 1
    assert "Sup3rS3cret" not in result.output
    db.expire_all()
    errors = [row.last_error for row in db.exec(select(OutboxMessage))]
    assert errors and all(error and "Sup3rS3cret" not in error for error in errors)


def test_a_refused_recipient_stays_queued_and_the_rest_go(app, db, smtpd):
    db.add(OutboxMessage(to_address=REFUSED, subject="a", body="a"))
    db.add(OutboxMessage(to_address="ok@example.org", subject="b", body="b"))
    db.commit()
    use_smtp(app, f"smtp://127.0.0.1:{smtpd.server_address[1]}")
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert "sent 1, failed 1" in result.output and result.exit_code == 1
    db.expire_all()
    refused = db.exec(select(OutboxMessage).where(OutboxMessage.to_address == REFUSED)).one()
    assert refused.sent_at is None and refused.attempts == 1
    assert "550" in refused.last_error
    assert [message_from_string(m)["To"] for m in smtpd.messages] == ["ok@example.org"]


def test_development_without_smtp_writes_each_mail_to_the_data_folder(app, db, tmp_path):
    from email import message_from_bytes

    from broker_registry.notifications.outbox import send_pending
    from broker_registry.settings import settings_from_env

    development = settings_from_env({"BROKER_REGISTRY_DATA": str(tmp_path)})
    production = dataclasses.replace(development, environment="production")
    assert development.outgoing_mail == (tmp_path.resolve() / "mail").as_uri()
    assert production.outgoing_mail == ""  # production sends nothing without SMTP_URL
    db.add(OutboxMessage(to_address="new@broker.example", subject="Confirm your address",
                         body="Open https://registry.example/confirm/abc to confirm."))
    db.commit()
    result = send_pending(db, smtp_url=development.outgoing_mail, sender="registry@localhost")
    assert (result.sent, result.failed) == (1, 0)
    [written] = (tmp_path / "mail").iterdir()
    assert oct(written.stat().st_mode & 0o777) == "0o600"
    assert oct((tmp_path / "mail").stat().st_mode & 0o777) == "0o700"
    mail = message_from_bytes(written.read_bytes())
    assert mail["To"] == "new@broker.example" and mail["Subject"] == "Confirm your address"
    assert "https://registry.example/confirm/abc" in mail.get_payload()
    assert db.exec(select(OutboxMessage)).one().sent_at is not None

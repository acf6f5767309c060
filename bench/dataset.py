"""Benchmark databases: a real authority, accounts and signed certificates made through the
services, then bulk rows cloned from them with INSERT ... SELECT (never through the API).

Databases are SQLite files under /tmp or PostgreSQL databases named broker_registry_bench_*
(BENCH_DB_PREFIX names them otherwise, so that two runs on one server do not collide).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa
from flask import Flask
from sqlmodel import SQLModel

from broker_registry import create_app, db
from broker_registry.accounts import service as accounts
from broker_registry.brokers import service as brokers
from broker_registry.brokers.schemas import BrokerApplication
from broker_registry.certificates import service as certificates
from broker_registry.db.columns import utcnow
from broker_registry.db.engine import normalise_url
from broker_registry.db.migrate import upgrade
from broker_registry.demo.licences import DEAL
from broker_registry.demo.load import REGISTERED
from broker_registry.keys.authority import authority, key_store
from broker_registry.licences import service as licences
from broker_registry.licences import workflow
from broker_registry.licences.schemas import LicenceApplication
from broker_registry.permissions import Role
from broker_registry.revocations.models import ListedCertificate, RevocationEntry
from broker_registry.settings import settings_from_env

ROOT = Path(os.environ.get("BENCH_DIR", "/tmp/broker_registry_bench"))
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "broker_registry_bench_")
PASSWORD = "bench horse battery staple"
# Quantities large enough for every draw the shipments benchmark makes.
BIG_DEAL = {**DEAL, "goods": [{**line, "quantity": 10_000_000} for line in DEAL["goods"]]}


@dataclass
class Dataset:
    name: str
    url: str
    data_dir: Path
    app: Flask
    people: dict = field(default_factory=dict)  # role name -> account id
    tokens: dict = field(default_factory=dict)  # role name -> bearer token
    numbers: list[str] = field(default_factory=list)  # signed certificates
    payloads: list[str] = field(default_factory=list)
    licence_id: int = 0

    @property
    def dialect(self) -> str:
        return "postgresql" if self.url.startswith("postgresql") else "sqlite"

    def env(self) -> dict[str, str]:
        """The environment a gunicorn of this dataset runs with."""
        return {**os.environ, "DATABASE_URL": self.url, "BROKER_REGISTRY_DATA": str(self.data_dir),
                "RATELIMIT_ENABLED": "0"}


def fresh_url(kind: str, name: str) -> str:
    if kind == "sqlite":
        path = ROOT / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    database = f"{DB_PREFIX}{name}"
    engine = sa.create_engine(PG_SERVER.replace("postgresql://", "postgresql+psycopg://")
                              + "/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
    engine.dispose()
    return f"{PG_SERVER}/{database}"


def build(kind: str, name: str, *, signed: int = 4) -> Dataset:
    """A migrated database with keys, one account per role, and `signed` real certificates."""
    ROOT.mkdir(parents=True, exist_ok=True)
    data_dir = ROOT / f"data-{name}"
    shutil.rmtree(data_dir, ignore_errors=True)
    url = fresh_url(kind, name)
    settings = settings_from_env({"BROKER_REGISTRY_DATA": str(data_dir), "DATABASE_URL": url})
    app = create_app(replace(settings, ratelimit_enabled=False))
    dataset = Dataset(name, url, data_dir, app)
    with app.app_context():
        upgrade(db.get_db().engine)
        for hook in app.extensions.get("init_hooks", []):
            hook()
        _seed(dataset, signed)
    return dataset


def _seed(dataset: Dataset, signed: int) -> None:
    session = db.session()
    people = {name: accounts.create_account(session, email=f"{name}@bench.example",
                                            password=PASSWORD, display_name=name, role=role)
              for name, role in (("regulator1", Role.REGULATOR), ("regulator2", Role.REGULATOR),
                                 ("customs", Role.CUSTOMS), ("broker", Role.BROKER))}
    settings = dataset.app.config["SETTINGS"]
    broker = brokers.apply(session, owner=people["broker"],
                           application=BrokerApplication.model_validate(REGISTERED))
    brokers.decide(session, actor=people["regulator1"], broker_id=broker.id, decision="approve",
                   reason="complete", years=3, country=settings.authority_country)
    valid_until = (utcnow() + timedelta(days=365)).date().isoformat()
    licence = licences.apply(session, owner=people["broker"], threshold=88,
                             application=LicenceApplication.model_validate(
                                 {**BIG_DEAL, "broker_id": broker.id,
                                  "valid_until": valid_until}))
    for regulator in ("regulator1", "regulator2"):
        workflow.decide(session, actor=people[regulator], licence_id=licence.id,
                        decision="approve", reason="verified", acknowledge=False,
                        settings=settings)
    lines = [SimpleNamespace(line=1, quantity=1_000), SimpleNamespace(line=2, quantity=100_000)]
    for _ in range(signed):
        certificate = certificates.issue(session, actor=people["regulator1"],
                                         licence_id=licence.id, lines=lines, valid_until=None,
                                         authority=authority(), store=key_store())
        dataset.numbers.append(certificate.number)
        dataset.payloads.append(certificate.qr_payload)
    for name in ("customs", "regulator1"):
        dataset.tokens[name] = accounts.issue_token(session, people[name])[0]
    session.commit()
    dataset.people = {name: account.id for name, account in people.items()}
    dataset.licence_id = licence.id


def _series(dialect: str) -> tuple[str, str]:
    """(WITH prefix, FROM item) of the integers 0 .. :n - 1."""
    if dialect == "postgresql":
        return "", "generate_series(0, :n - 1) AS g(i)"
    return "WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i + 1 < :n) ", "g"


def _clone(connection, table: str, template_id: int, n: int, overrides: dict[str, str]) -> int:
    """Insert n copies of one row, with some columns computed from i; answer the first id."""
    first = connection.execute(sa.text(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")).scalar()
    columns = [c.name for c in SQLModel.metadata.tables[table].columns]
    exprs = {**{c: f"t.{c}" for c in columns}, "id": f"{first} + i", **overrides}
    prefix, series = _series(connection.dialect.name)
    connection.execute(sa.text(
        f"{prefix}INSERT INTO {table} ({', '.join(columns)}) "
        f"SELECT {', '.join(exprs[c] for c in columns)} FROM {table} t, {series} "
        f"WHERE t.id = :template"), {"n": n, "template": template_id})
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                   f"(SELECT max(id) FROM {table}))"))
    return first


def _bytes16(dialect: str, tag: int) -> str:
    """16 distinct bytes per row. On PostgreSQL they ascend with i, so a million of them
    append to their unique index instead of splitting random pages (minutes saved)."""
    if dialect == "postgresql":
        return f"decode('{tag:02x}' || lpad(to_hex(i), 30, '0'), 'hex')"
    return "randomblob(16)"


def bulk(dataset: Dataset, certificates_count: int, revocation_entries: int = 0) -> None:
    """Grow the registry to `certificates_count` certificates, with one licence per 10 and
    one broker per 100 (every status represented), and revocation-list entries."""
    engine = sa.create_engine(normalise_url(dataset.url))
    dialect = engine.dialect.name
    empty_json = "CAST('{}' AS JSON)" if dialect == "postgresql" else "'{}'"
    # At least a full queue page (50) of every status at the smallest size, so that both
    # sizes render the same pages.
    n_licences = max(520, -(-certificates_count // 10))
    n_brokers = max(260, -(-n_licences // 10))
    with engine.begin() as connection:
        ids = lambda sql: connection.execute(sa.text(sql)).scalar()  # noqa: E731
        broker_t = ids("SELECT min(id) FROM brokers")
        licence_t = ids("SELECT min(id) FROM licences")
        certificate_t = ids("SELECT min(id) FROM certificates")
        line_t = ids(f"SELECT min(id) FROM certificate_lines WHERE certificate_id = "
                     f"{certificate_t}")
        first_broker = _clone(connection, "brokers", broker_t, n_brokers, {
            "registration_number": "'BR-BULK-' || i",
            "status": "CASE i % 5 WHEN 0 THEN 'submitted' WHEN 1 THEN 'suspended' "
                      "ELSE 'registered' END"})
        first_licence = _clone(connection, "licences", licence_t, n_licences, {
            "broker_id": f"{first_broker} + i / 10",
            "licence_number": "'BL-BULK-' || i",
            "status": "CASE i % 10 WHEN 0 THEN 'submitted' WHEN 1 THEN "
                      "'awaiting_countersignature' WHEN 2 THEN 'denied' ELSE 'issued' END"})
        first_certificate = _clone(connection, "certificates", certificate_t,
                                   certificates_count, {
            "number": "'EUC-BULK-' || i", "licence_id": f"{first_licence} + i / 10",
            "cti": _bytes16(dialect, 1), "cti_hash": _bytes16(dialect, 2),
            "content": empty_json, "qr_payload": "'EUC1:'",
            "status": "CASE i % 50 WHEN 0 THEN 'revoked' WHEN 1 THEN 'suspended' "
                      "ELSE 'valid' END"})
        _clone(connection, "certificate_lines", line_t, certificates_count, {
            "certificate_id": f"{first_certificate} + i", "line_no": "1", "shipped": "0"})
        if revocation_entries:
            add_revocation_entries(connection, revocation_entries)
    with engine.connect() as connection:
        if dialect == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                sa.text("VACUUM ANALYZE"))
        else:
            connection.execute(sa.text("ANALYZE"))
    engine.dispose()


def add_revocation_entries(connection, n: int) -> None:
    """n revoked certificates on the list, numbered after the current sequence."""
    dialect = connection.dialect.name
    base = connection.execute(sa.text(
        "SELECT coalesce(max(value), 0) FROM counters WHERE name = 'revocations'")).scalar()
    now, later = ("now()", "now() + interval '300 days'") if dialect == "postgresql" else \
        ("strftime('%Y-%m-%d %H:%M:%f', 'now')", "datetime('now', '+300 days')")
    prefix, series = _series(dialect)
    connection.execute(sa.text(
        f"{prefix}INSERT INTO revocation_entries (seq, cti_hash, kid, status, reason, at, "
        f"expires_at) SELECT {base} + 1 + i, {_bytes16(dialect, 3)}, NULL, 'revoked', 1, {now}, "
        f"{later} FROM {series}"), {"n": n})
    connection.execute(sa.text(
        "INSERT INTO counters (name, value) VALUES ('revocations', :v) ON CONFLICT (name) "
        "DO UPDATE SET value = :v"), {"v": base + n})
    list_current(connection, base)


# Each bulk entry's map ({"h", "s": "revoked", "r", "at", "seq"}) as encode_entry writes it,
# made in PostgreSQL: a million in seconds. The smoke test compares them with encode_entry.
_UINT = ("CASE WHEN {v} < 24 THEN set_byte('\\x00'::bytea, 0, {v}::int) "
         "WHEN {v} < 256 THEN '\\x18'::bytea || set_byte('\\x00'::bytea, 0, {v}::int) "
         "WHEN {v} < 65536 THEN '\\x19'::bytea || decode(lpad(to_hex({v}), 4, '0'), 'hex') "
         "ELSE '\\x1a'::bytea || decode(lpad(to_hex({v}), 8, '0'), 'hex') END")
_ENTRY_SQL = ("'\\xa5616850'::bytea || cti_hash || '\\x6173'::bytea || "
              "set_byte('\\x00'::bytea, 0, 96 + length(status)) || "
              "convert_to(status, 'UTF8') || '\\x6172'::bytea || " + _UINT.format(v="reason")
              + " || '\\x626174'::bytea || "
              + _UINT.format(v="floor(extract(epoch FROM at))::bigint")
              + " || '\\x63736571'::bytea || " + _UINT.format(v="seq"))


def list_current(connection, after: int) -> None:
    """Each certificate's latest entry after sequence `after`, as record_certificate keeps it
    (entries added here are one per certificate and revoked)."""
    if connection.dialect.name != "postgresql":
        _list_current_in_python(connection, after)
        return
    connection.execute(sa.text(
        f"INSERT INTO revocation_current (cti_hash, status, seq, expires_at, entry) "
        f"SELECT cti_hash, status, seq, expires_at, {_ENTRY_SQL} FROM revocation_entries "
        f"WHERE seq > :after AND cti_hash IS NOT NULL ON CONFLICT (cti_hash) DO UPDATE SET "
        f"status = excluded.status, seq = excluded.seq, expires_at = excluded.expires_at, "
        f"entry = excluded.entry"), {"after": after})


def _list_current_in_python(connection, after: int) -> None:
    from certs.revocation_list import Entry, EntryStatus, encode_entry

    rows = connection.execute(sa.select(
        RevocationEntry.cti_hash, RevocationEntry.status, RevocationEntry.reason,
        RevocationEntry.at, RevocationEntry.seq, RevocationEntry.expires_at).where(
        RevocationEntry.seq > after, RevocationEntry.cti_hash.is_not(None))).all()
    if rows:
        connection.execute(sa.insert(ListedCertificate).prefix_with("OR REPLACE"), [
            {"cti_hash": h, "status": status, "seq": seq, "expires_at": expires_at,
             "entry": encode_entry(Entry(h, EntryStatus(status), reason,
                                         int(at.timestamp()), seq))}
            for h, status, reason, at, seq, expires_at in rows])


def drop(dataset: Dataset) -> None:
    dataset.app.extensions["db"].engine.dispose()
    if dataset.dialect == "postgresql":
        fresh_url_drop(dataset.url.rsplit("/", 1)[1])
    shutil.rmtree(dataset.data_dir, ignore_errors=True)


def fresh_url_drop(database: str) -> None:
    engine = sa.create_engine(PG_SERVER.replace("postgresql://", "postgresql+psycopg://")
                              + "/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    engine.dispose()


def attach(kind: str, name: str) -> Dataset:
    """A dataset built earlier (for re-running one benchmark by hand): fresh tokens."""
    from broker_registry.accounts.models import Account
    from broker_registry.certificates.models import Certificate

    data_dir = ROOT / f"data-{name}"
    url = f"sqlite:///{ROOT / name}.sqlite3" if kind == "sqlite" else \
        f"{PG_SERVER}/{DB_PREFIX}{name}"
    settings = settings_from_env({"BROKER_REGISTRY_DATA": str(data_dir), "DATABASE_URL": url})
    dataset = Dataset(name, url, data_dir, create_app(replace(settings, ratelimit_enabled=False)))
    with dataset.app.app_context():
        session = db.session()
        for account in session.exec(sa.select(Account)).scalars():
            dataset.people[account.email.split("@")[0]] = account.id
            if account.email.split("@")[0] in ("customs", "regulator1"):
                dataset.tokens[account.email.split("@")[0]] = \
                    accounts.issue_token(session, account)[0]
        for certificate in session.exec(sa.select(Certificate).where(
                Certificate.number.not_like("EUC-BULK-%")).order_by(Certificate.id)).scalars():
            dataset.numbers.append(certificate.number)
            dataset.payloads.append(certificate.qr_payload)
            dataset.licence_id = certificate.licence_id
        session.commit()
    return dataset

"""Fixtures: every database test runs on SQLite and, when TEST_DATABASE_URL is set, PostgreSQL.

Each test runs inside one outer transaction that is rolled back at the end; the app's own
commits only release savepoints inside it.
"""

from __future__ import annotations

import os
import shutil
from itertools import count
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask, templating
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session
from werkzeug.routing import Rule

from broker_registry import create_app
from broker_registry.accounts import service as accounts
from broker_registry.db.engine import make_engine
from broker_registry.db.migrate import upgrade
from broker_registry.permissions import Role
from broker_registry.settings import settings_from_env

PASSWORD = "correct horse battery staple"

# Brokers, licences, keys and certificates that most test folders stand on.
pytest_plugins = ["tests.records"]


class _LazyRule(Rule):
    """A URL rule whose builders (Python code werkzeug writes and compiles for url_for) are
    compiled when a URL is first built from it, not when the app is made: most tests build
    few of the app's hundred URLs, and compiling them all was three quarters of the cost of
    create_app, which nearly every test pays. Its parts (what werkzeug parses out of the rule
    for matching) are parsed once per process: every app has the same rules, and parsing
    them was half of what remained. Matching and building are werkzeug's own."""

    _parsed: dict[tuple, tuple] = {}

    def compile(self) -> None:
        key = (self.rule, self.subdomain, self.host, self.merge_slashes,
               self.map.host_matching, tuple(self.map.converters.items()))
        if key not in self._parsed:
            arguments = set(self.arguments)
            super().compile()
            self._parsed[key] = (self._parts, self._trace, self._converters,
                                 self.arguments - arguments)
            return
        parts, trace, converters, arguments = self._parsed[key]
        self._parts, self._trace, self._converters = parts, trace, converters
        self.arguments |= arguments
        self._build = self._compile_builder(False).__get__(self, None)
        self._build_unknown = self._compile_builder(True).__get__(self, None)

    def _compile_builder(self, append_unknown: bool = True):
        compiled = None

        def build(rule, *args, **kwargs):
            nonlocal compiled
            if compiled is None:
                compiled = Rule._compile_builder(rule, append_unknown)
            return compiled(rule, *args, **kwargs)

        return build


class _TemplatesOnce(BytecodeCache):
    """Each template compiled once per test process, not once per app: every test makes an
    app of its own, and compiling the templates afresh for each was a fifth of the suite's
    time. Jinja checks each template's source against what it compiled."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _TemplatesOnce()


class _Environment(templating.Environment):
    def __init__(self, app, **options):
        super().__init__(app, bytecode_cache=_TEMPLATES, **options)


def pytest_configure(config):
    """Under pytest-xdist (`make test`, `make check`) each worker runs on a database of its
    own: SQLite files are already per worker (tmp_path is); for PostgreSQL the worker makes
    one beside the run's, named after it and the worker (broker_registry_test_gw0), and
    every test, server and benchmark of that worker uses it through TEST_DATABASE_URL."""
    Flask.url_rule_class, Flask.jinja_environment = _LazyRule, _Environment
    worker, url = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("TEST_DATABASE_URL")
    if worker and url:
        os.environ["TEST_DATABASE_URL"] = _database_beside(url, f"{_database_name(url)}_{worker}")


def pytest_unconfigure(config):
    worker, url = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("TEST_DATABASE_URL")
    if worker and url:
        _on_server(url, f'DROP DATABASE IF EXISTS "{_database_name(url)}" WITH (FORCE)')


def _database_name(url: str) -> str:
    return sa.engine.make_url(url).database


def _database_beside(url: str, name: str) -> str:
    """A fresh, empty database called `name` on the server of `url`; its URL."""
    _on_server(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    return _database_url(url, name)


def _on_server(url: str, *statements: str) -> None:
    server = make_engine(sa.engine.make_url(url).set(database="postgres")
                         .render_as_string(hide_password=False), poolclass=sa.pool.NullPool)
    with server.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for statement in statements:
            connection.execute(sa.text(statement))
    server.dispose()


def pytest_collection_modifyitems(config, items):
    """A test on the live_server fixture serves the app over HTTP: a server test.

    A browser test, and a test marked one_database, runs on one database: PostgreSQL when
    the run has it (deployments run on it), else SQLite. What a browser test drives (pages,
    scripts, styles, the service worker) does not depend on the database engine, and the
    services and API beneath the pages run on both engines in their own tests; driving every
    page twice was a third of the suite's time. So with PostgreSQL, such a test's SQLite twin
    is deselected; `make test-sqlite` (no PostgreSQL) runs them on SQLite."""
    one_database = "postgresql" in backends()
    kept, twins = [], []
    for item in items:
        if "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.server)
        once = item.get_closest_marker("browser") or item.get_closest_marker("one_database")
        if one_database and once and _on_sqlite(item):
            twins.append(item)
        else:
            kept.append(item)
    if twins:
        config.hook.pytest_deselected(items=twins)
        items[:] = kept


def _on_sqlite(item) -> bool:
    callspec = getattr(item, "callspec", None)
    return callspec is not None and "sqlite" in callspec.params.values()


def backends() -> list[str]:
    found = ["sqlite"]
    if os.environ.get("TEST_DATABASE_URL"):
        found.append("postgresql")
    return found


def _fresh_postgres(url: str):
    engine = make_engine(url)
    # Fail, never skip: a PostgreSQL run that cannot reach its server is a failed run.
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    return engine


@pytest.fixture(scope="session", params=backends())
def engine(request, tmp_path_factory):
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
    else:
        engine = _fresh_postgres(os.environ["TEST_DATABASE_URL"])
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine):
    with engine.connect() as connection:
        outer = connection.begin()
        yield connection
        outer.rollback()


@pytest.fixture
def db(connection) -> Session:
    session = Session(bind=connection, join_transaction_mode="create_savepoint",
                      expire_on_commit=False)
    yield session
    session.close()


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory):
    """One data folder for the run: the root key is made once, not per test."""
    return tmp_path_factory.mktemp("data")


@pytest.fixture
def settings(data_dir):
    return settings_from_env({"BROKER_REGISTRY_DATA": str(data_dir)}, testing=True,
                             ratelimit_enabled=False, database_url="sqlite://")


@pytest.fixture
def make_app(settings, connection):
    """Build an app on the test's connection, with settings overridden as given."""
    from dataclasses import replace

    def make(**overrides):
        app = create_app(replace(settings, **overrides))
        database = app.extensions["db"]
        database.engine = connection.engine
        database.session_factory = sessionmaker(bind=connection, class_=Session,
                                                join_transaction_mode="create_savepoint",
                                                expire_on_commit=False)
        database.reader_source = lambda: (connection, None)  # sees the test's own rows
        return app

    return make


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


_emails = count(1)


@pytest.fixture
def make_account(db):
    def make(role: Role | str = Role.BROKER, *, email: str | None = None, name: str = "Test User"):
        email = email or f"user{next(_emails)}@example.org"
        account = accounts.create_account(db, email=email, password=PASSWORD,
                                          display_name=name, role=Role(role))
        db.commit()
        return account

    return make


class ApiClient:
    """The Flask test client with a bearer token for one account."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def __getattr__(self, method):
        def call(path, **kwargs):
            headers = {**self.headers, **kwargs.pop("headers", {})}
            return getattr(self.client, method)(path, headers=headers, **kwargs)

        return call


@pytest.fixture
def api_as(client, db, make_account):
    """`api_as("regulator")` or `api_as(account)`: an API client signed in as that account."""

    def as_(who):
        account = make_account(who) if isinstance(who, (str, Role)) else who
        token, _ = accounts.issue_token(db, account)
        db.commit()
        api = ApiClient(client, token)
        api.account = account
        return api

    return as_


@pytest.fixture
def anonymous(client):
    return ApiClient(client, None)


@pytest.fixture
def login(client):
    """Sign the test client in through the real login page."""

    def sign_in(account):
        response = client.get("/login")
        assert response.status_code == 200
        token = csrf_token(response.get_data(as_text=True))
        response = client.post("/login", data={"email": account.email, "password": PASSWORD,
                                               "csrf_token": token})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign_in


def csrf_token(html: str) -> str:
    import re

    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


ISOLATED_SCHEMA = "isolated"  # the schema an isolated PostgreSQL database is migrated in


@pytest.fixture
def isolated_url(engine, tmp_path, request):
    """A database of its own, committed to for real: for concurrency and server tests.

    SQLite: a new file. PostgreSQL: a new database whose tables go in the schema
    ISOLATED_SCHEMA that the URL names; empty, or, for a test on isolated_app, a copy of a
    migrated template (see postgres_template), as isolated_app copies a migrated SQLite file.
    """
    if engine.dialect.name == "sqlite":
        yield f"sqlite:///{tmp_path / 'isolated.sqlite3'}"
        return
    import uuid

    base = os.environ["TEST_DATABASE_URL"]
    templates, dropping = request.getfixturevalue("postgres_template")
    migrated = "isolated_app" in request.fixturenames
    name = f"{_database_name(base)}_{uuid.uuid4().hex[:12]}"
    _on_server(base, f'CREATE DATABASE "{name}" TEMPLATE "{templates[migrated]}"')
    yield _in_schema(_database_url(base, name), ISOLATED_SCHEMA)
    dropping.submit(_on_server, base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _database_url(url: str, name: str) -> str:
    return sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False)


def _in_schema(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def postgres_template():
    """Two PostgreSQL databases made once per process, each with the schema ISOLATED_SCHEMA:
    empty in one, migrated in the other. Each isolated database is a copy of one of them
    (CREATE DATABASE ... TEMPLATE, a fifth of a second) rather than a schema migrated afresh
    for each test (a second or more). Databases are dropped in a thread of their own (the
    server takes most of a second for each), all of them by the end of the run. Answers the
    templates' names (empty, migrated) and that thread."""
    from concurrent.futures import ThreadPoolExecutor

    base = os.environ["TEST_DATABASE_URL"]
    names = (f"{_database_name(base)}_empty", f"{_database_name(base)}_migrated")
    for name in names:
        server = make_engine(_database_beside(base, name), poolclass=sa.pool.NullPool)
        with server.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{ISOLATED_SCHEMA}"'))
        server.dispose()
    migrated = make_engine(_in_schema(_database_url(base, names[1]), ISOLATED_SCHEMA),
                           poolclass=sa.pool.NullPool)
    upgrade(migrated)
    migrated.dispose()  # a template has no connections
    dropping = ThreadPoolExecutor(1)
    yield names, dropping
    dropping.shutdown(wait=True)
    for name in names:
        _on_server(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A migrated SQLite file, made once per process: an isolated app on SQLite starts from a
    copy of it (migrating afresh costs a second of disk writes each time)."""
    path = tmp_path_factory.mktemp("template") / "migrated.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def isolated_app(isolated_url, settings, request):
    """An app on its own migrated database, with real commits and a real connection pool."""
    from dataclasses import replace

    if isolated_url.startswith("sqlite:///"):
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"),
                        isolated_url.removeprefix("sqlite:///"))
    app = create_app(replace(settings, database_url=isolated_url))
    database = app.extensions["db"]
    upgrade(database.engine)
    yield app
    database.dispose()


@pytest.fixture
def live_server(isolated_app):
    """The app served over real HTTP on a loopback port, in a thread."""
    import threading

    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        """No log line for each request answered (a browser test makes hundreds); errors are
        still logged."""

        def log_request(self, code="-", size="-") -> None:
            pass

    server = make_server("127.0.0.1", 0, isolated_app, threaded=True, request_handler=Quiet)
    # shutdown() waits for the loop to look again: every half second by default, half a
    # second lost by every server test
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    thread.join(timeout=5)

"""broker_registry: registration of arms brokers, brokering licences and end-user certificates.

`create_app` is the table of contents: the settings, what every request passes through, each
domain's blueprints, and the command line. The layers, from the bottom (tests/test_boundaries.py
holds every import to them):

    settings.py, errors.py, validation.py, permissions.py, states.py, reference/, db/, i18n/
    the domains, each a package of models, service, schemas (and its views, api, cli):
        audit/ notifications/ accounts/ screening/ brokers/ keys/ revocations/ licences/
        certificates/ customs/ reports/
    sanctions/: what a sanction reaches across the domains, in one transaction
    web/, cli.py: what views and commands share (who is asking, JSON bodies, problems)
    the views: each domain's views.py, api.py and cli.py, openapi/, web/'s own pages
    this file, commands.py, main.py, worker.py, demo/, metadata.py: the whole
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from .settings import Settings, settings_from_env

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or settings_from_env()
    app = Flask(__name__, template_folder=str(PROJECT_ROOT / "templates"),
                static_folder="static", instance_path=str(settings.data_dir))
    _configure(app, settings)
    _init_services(app, settings)
    _init_request_pipeline(app)
    _register_blueprints(app)
    _register_commands(app)
    _trust_proxies(app, settings.trusted_proxies)
    return app


def _configure(app: Flask, settings: Settings) -> None:
    from .accounts.sign_ins import LIFETIME as SIGN_IN_LIFETIME
    from .web.json_provider import FastJSONProvider

    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        TESTING=settings.testing,
        MAX_CONTENT_LENGTH=10 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.production,
        SESSION_COOKIE_NAME="broker_registry_session",
        PERMANENT_SESSION_LIFETIME=SIGN_IN_LIFETIME,
        # The cookie is written only when the session changes (a sign-in, a flash message), never
        # again with every answer: a page's background requests (the lane's fetches, its service
        # worker keeping files) answered after the page moved on would otherwise put back the
        # cookie as it was when they left, and a flash set meanwhile would be lost. Nothing is
        # lost by it: a sign-in ends LIFETIME after it began, on the server, however used.
        SESSION_REFRESH_EACH_REQUEST=False,
        WTF_CSRF_TIME_LIMIT=None,
        RATELIMIT_ENABLED=settings.ratelimit_enabled,
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_uri,
        RATELIMIT_HEADERS_ENABLED=True,
    )
    app.json = FastJSONProvider(app)
    logging.basicConfig(level=logging.INFO)
    # Alembic's INFO lines (its plugins as it loads, each migration step) are no news to an
    # operator: `init` and `restore` say what they did in one line of their own.
    logging.getLogger("alembic").setLevel(logging.WARNING)


def _init_services(app: Flask, settings: Settings) -> None:
    """The database, what each worker holds in memory, and the keys and revocation list."""
    from .accounts.passwords import use_fast_hashing
    from .certificates.fonts import check_cjk_font
    from .certificates.rendering import HeldRenderings
    from .customs.qr_reader import QrReader
    from .customs.verification import ServerTrust
    from .db.sessions import Database
    from .federation.trust import ForeignTrust
    from .keys.setup import init_app as init_keys
    from .revocations.setup import init_app as init_revocations

    check_cjk_font(settings)  # before anything is opened: production stops here without it
    Database(settings.database_url).init_app(app)
    app.extensions["server_trust"] = ServerTrust()
    app.extensions["foreign_trust"] = ForeignTrust()
    app.extensions["renderings"] = HeldRenderings()
    app.extensions["qr_reader"] = QrReader(settings.qr_decode_seconds)
    init_keys(app)
    init_revocations(app)  # after the keys: `init` makes them, then publishes the first list
    use_fast_hashing(settings.testing)


def _init_request_pipeline(app: Flask) -> None:
    """What every request passes through, in this order, before and after its view."""
    from .web import cors, languages, problems, request_checks, security, static_files, themes
    from .web.extensions import csrf, init_limiter
    from .web.submissions import form_nonce

    request_checks.init_app(app)  # first: nothing else reads a request it refuses
    app.jinja_env.globals["form_nonce"] = form_nonce
    csrf.init_app(app)
    init_limiter(app)
    problems.init_app(app)
    security.init_app(app)
    cors.init_app(app)
    languages.init_app(app)
    themes.init_app(app)
    static_files.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from .accounts import api as accounts_api
    from .accounts import views as accounts_views
    from .brokers import api as brokers_api
    from .brokers import views as brokers_views
    from .certificates import api as certificates_api
    from .certificates import views as certificates_views
    from .customs import api as customs_api
    from .customs import lane as customs_lane
    from .customs import views as customs_views
    from .federation import api as federation_api
    from .federation import views as federation_views
    from .history import api as audit_api
    from .history import views as audit_views
    from .keys import api as keys_api
    from .licences import api as licences_api
    from .licences import views as licences_views
    from .notifications import views as notifications_views
    from .openapi import bp as openapi_bp
    from .reports import views as reports_views
    from .revocations import api as revocations_api
    from .screening import api as screening_api
    from .screening import views as screening_views
    from .web.auth import current_account
    from .web.extensions import csrf
    from .web.health import bp as health_bp
    from .web.pages import bp as pages_bp
    from .web.specification import bp as spec_bp

    for blueprint in (accounts_api.bp, brokers_api.bp, licences_api.bp, certificates_api.bp,
                      customs_api.bp, keys_api.bp, revocations_api.bp, audit_api.bp,
                      federation_api.bp, screening_api.bp):
        csrf.exempt(blueprint)  # bearer tokens, not cookies: nothing for a forged form to ride
        app.register_blueprint(blueprint)
    for blueprint in (health_bp, pages_bp, openapi_bp, spec_bp, accounts_views.bp, brokers_views.bp,
                      licences_views.bp, notifications_views.bp, screening_views.bp,
                      certificates_views.bp, customs_views.bp, customs_lane.bp, reports_views.bp,
                      audit_views.bp, federation_views.bp):
        app.register_blueprint(blueprint)
    app.jinja_env.globals.update(current_account=current_account,
                                 nav_endpoints=app.view_functions)


def _register_commands(app: Flask) -> None:
    from .commands import register_commands

    register_commands(app)


def _trust_proxies(app: Flask, count: int) -> None:
    """Behind `count` reverse proxies, the client's address and scheme are the ones the
    proxies say (X-Forwarded-For, X-Forwarded-Proto), taken from the rightmost `count`
    entries, which only the proxies wrote; with none, those headers are anyone's to forge
    and are ignored."""
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)

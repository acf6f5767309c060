"""Every route, every role, and no login: the answers must match this one table.

A new route without a row here fails the test, so access is decided, never defaulted.
"""

import pytest

from broker_registry.permissions import Role
from tests.records import init_keys

PUBLIC = "public"
B, R, C, A = Role.BROKER, Role.REGULATOR, Role.CUSTOMS, Role.ADMIN
ALL = {B, R, C, A}

# endpoint -> who may reach it (PUBLIC, or the set of roles)
ACCESS = {
    "pages.home": PUBLIC,
    "pages.favicon": PUBLIC,
    "health.healthz": PUBLIC,
    "health.readyz": PUBLIC,
    "accounts.login": PUBLIC,
    "i18n.set_language": PUBLIC,
    "themes.set_theme": PUBLIC,
    "accounts.logout": PUBLIC,
    "accounts.signup": PUBLIC,
    "accounts.confirm": PUBLIC,
    "accounts.account": ALL,
    "accounts.revoke_token": ALL,
    "accounts.users": {A},
    "accounts.user": {A},
    "accounts.change_standing": {A},
    "accounts_api.sign_up": PUBLIC,
    "accounts_api.token": PUBLIC,
    "accounts_api.me": ALL,
    "accounts_api.change_password": ALL,
    "accounts_api.list_tokens": ALL,
    "accounts_api.revoke_token": ALL,
    "accounts_api.list_accounts": {A},
    "accounts_api.change_standing": {A},
    "brokers.apply": {B},
    "brokers.mine": {B},
    "brokers.detail": {B, R},
    "brokers.decide": {R},
    "brokers.sanction": {R},
    "brokers.renewal": {B},
    "brokers.queue": {R},
    "brokers.register": PUBLIC,
    "brokers_api.apply": {B},
    "brokers_api.get": {B, R},
    "brokers_api.list_brokers": {B, R},
    "brokers_api.decide": {R},
    "brokers_api.suspend": {R},
    "brokers_api.reinstate": {R},
    "brokers_api.revoke": {R},
    "brokers_api.renewal": {B},
    "brokers_api.public_register": PUBLIC,
    "licences.apply": {B},
    "licences.edit": {B},
    "licences.mine": {B},
    "licences.detail": {B, R},
    "licences.decide": {R},
    "licences.respond": {B},
    "licences.sanction": {R},
    "licences.queue": {R},
    "licences_api.categories": PUBLIC,
    "licences_api.apply": {B},
    "licences_api.get": {B, R},
    "licences_api.list_licences": {B, R},
    "licences_api.decide": {R},
    "licences_api.respond": {B},
    "licences_api.sanction": {R},
    "notifications.index": ALL,
    "notifications.mark_read": ALL,
    "screening.embargoes": {A},
    "screening.remove_embargo": {A},
    "screening.denied_parties": {A},
    "screening.import_un_list": {A},
    "screening.entry": {A},
    "screening.edit_entry": {A},
    "screening.remove_entry": {A},
    "screening_api.list_parties": {A},
    "screening_api.get_party": {A},
    "screening_api.edit_party": {A},
    "screening_api.remove_party": {A},
    "certificates.detail": {B, R, C},
    "certificates.download": {B, R},
    "certificates.issue": {R},
    "certificates.revoke": {R},
    "certificates_api.download": {B, R},
    "certificates_api.for_licence": {B, R, C},
    "certificates_api.get": {B, R, C},
    "certificates_api.issue": {R},
    "certificates_api.revoke": {R},
    "certificates_api.schema": PUBLIC,
    "customs.record_shipment": {C},
    "customs.confirm_delivery": {C},
    "customs.trace": {R, C},
    "customs.verify_page": {R, C},
    "customs.verify_submit": {R, C},
    "customs_lane.check": {R, C},
    "customs_lane.record": {R, C},
    "customs_lane.ship": {C},
    "customs_lane.worker": PUBLIC,
    "customs_api.delivery": {C},
    "customs_api.overdue": {R, C},
    "customs_api.shipments": {C},
    "customs_api.trace": {R, C},
    "customs_api.verify": {R, C},
    "customs_api.verify_image": {R, C},
    "reports.dashboard": {R, A},
    "audit.index": {R, A},
    "audit_api.list_entries": {R, A},
    "reports.index": {R, A},
    "reports.national": {R, A},
    "reports.national_csv": {R, A},
    "reports.national_pdf": {R, A},
    "keys_api.trust_list": PUBLIC,
    "federation_api.metadata": PUBLIC,
    "federation_api.partners": PUBLIC,
    "federation_api.receive_notice": PUBLIC,
    "federation_api.authorities": {A},
    "federation_api.add_authority": {A},
    "federation_api.change_authority": {A},
    "federation_api.trust_bundle": {R, C},
    "federation_api.ship_abroad": {C},
    "federation_api.reported_markings": {R, C},
    "federation.authorities": {A},
    "federation.trust_bundle": {R, C},
    "federation.preview": {A},
    "federation.add": {A},
    "federation.change": {A},
    "revocations_api.revocations": PUBLIC,
    "openapi.spec": PUBLIC,
    "openapi.docs": PUBLIC,
    "spec.document": PUBLIC,
    "spec.vectors": PUBLIC,
    "spec.vector_file": PUBLIC,
}


def _example_url(rule) -> str:
    values = {}
    for name, converter in rule._converters.items():
        from werkzeug.routing import AnyConverter, IntegerConverter

        if isinstance(converter, IntegerConverter):
            values[name] = 999999
        elif isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = "EUC-XX-2000-999999"
    return rule.build(values, append_unknown=False)[1]


def _routes(app):
    # Signing out ends the session the rest of the walk relies on: it goes last.
    rules = sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"),
                   key=lambda r: r.endpoint == "accounts.logout")
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule, _ in _routes(app)}
    assert endpoints - set(ACCESS) == set(), "routes without a row in ACCESS"
    assert set(ACCESS) - endpoints == set(), "rows in ACCESS for routes that do not exist"


def test_every_view_declares_its_permission(app):
    for rule, _ in _routes(app):
        view = app.view_functions[rule.endpoint]
        assert hasattr(view, "required_permission"), f"{rule.endpoint} has no access decision"


@pytest.mark.parametrize("role", [None, *Role])
def test_answers_match_the_table(app, db, api_as, login, make_account, role):
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        init_keys(db)
    account = make_account(role) if role else None
    api = api_as(account) if account else None
    if account:
        login(account)
    client = app.test_client() if role is None else None
    mismatches = []
    for rule, method in _routes(app):
        url = _example_url(rule)
        is_api = url.startswith("/api/")
        if is_api:
            caller, headers = (api.client, api.headers) if api else (client, {})
        else:
            caller, headers = client or _page_client(app, login, account), {}
        response = caller.open(url, method=method, headers=headers,
                               json={} if is_api and method != "GET" else None)
        allowed = ACCESS[rule.endpoint]
        expected_open = allowed == PUBLIC or (role is not None and role in allowed)
        status = response.status_code
        if allowed == PUBLIC:
            ok = status != 403 and not _to_login(response)  # a failed login may say 401
        elif expected_open:
            ok = status not in (401, 403) and not _to_login(response)
        elif role is None:
            ok = status == 401 if is_api or url.endswith(".json") else _to_login(response)
        else:
            ok = status == 403
        assert status < 500, f"{method} {url} as {role}: {status}"
        if not ok:
            mismatches.append(f"{method} {url} as {role}: {status}")
    assert mismatches == []


_page_clients = {}


def _page_client(app, login, account):
    key = (id(app), account.id)
    if key not in _page_clients:
        _page_clients[key] = login(account)
    return _page_clients[key]


def _to_login(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers.get("Location", "")

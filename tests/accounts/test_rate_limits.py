import pytest

from broker_registry import create_app
from broker_registry.settings import settings_from_env


@pytest.fixture
def limited_client(make_app):
    from broker_registry.web.extensions import limiter

    app = make_app(ratelimit_enabled=True)
    limiter.reset()
    yield app.test_client()
    limiter.reset()


def test_token_endpoint_is_rate_limited_per_account(limited_client, make_account):
    account = make_account("broker")
    answers = []
    for n in range(12):
        response = limited_client.post("/api/v1/auth/token", json={
            "email": account.email, "password": f"wrong {n}"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
        answers.append(response.status_code)
    assert answers[:10] == [401] * 10
    assert answers[10:] == [429, 429]
    assert response.content_type == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0


def test_another_spelling_of_the_address_shares_its_limit(limited_client, make_account):
    account = make_account("broker", email="admin@example.org")
    for n in range(10):
        limited_client.post("/api/v1/auth/token", json={
            "email": account.email, "password": f"wrong {n}"},
            environ_base={"REMOTE_ADDR": f"10.0.1.{n}"})
    for n, spelling in enumerate(["ａｄｍｉｎ@example.org", "ADMIN@example.org",
                                  " ａdmin@EXAMPLE.org "]):
        response = limited_client.post("/api/v1/auth/token", json={
            "email": spelling, "password": "correct horse battery staple"},
            environ_base={"REMOTE_ADDR": f"10.0.2.{n}"})
        assert response.status_code == 429, spelling


@pytest.mark.parametrize("path", ["/api/v1/auth/token", "/api/v1/accounts"])
def test_json_nested_past_the_parsers_depth_is_a_400_not_a_crash_of_the_limiter(
        limited_client, path):
    # The per-account limit reads the email from the body before the view does.
    response = limited_client.post(path, data="[" * 100_000 + "]" * 100_000,
                                   content_type="application/json")
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"


def test_create_app_reads_the_rate_limit_storage(tmp_path):
    settings = settings_from_env({"BROKER_REGISTRY_DATA": str(tmp_path),
                                  "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15"})
    app = create_app(settings)
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/15"

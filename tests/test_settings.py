import stat

import pytest

from broker_registry import create_app
from broker_registry.settings import ConfigurationError, settings_from_env

PROD = {"BROKER_REGISTRY_ENV": "production", "DATABASE_URL": "sqlite://",
        "SECRET_KEY": "s" * 40, "BROKER_REGISTRY_KEY_PASSPHRASE": "p" * 40}


@pytest.mark.parametrize("missing", ["DATABASE_URL", "SECRET_KEY",
                                     "BROKER_REGISTRY_KEY_PASSPHRASE"])
def test_production_refuses_to_start_without_a_secret_and_names_it(tmp_path, missing):
    env = {**PROD, "BROKER_REGISTRY_DATA": str(tmp_path)}
    del env[missing]
    with pytest.raises(ConfigurationError, match=missing):
        settings_from_env(env)
    assert list(tmp_path.iterdir()) == []  # nothing generated in production


@pytest.mark.parametrize("placeholder", ["changeme", "secret", ""])
def test_production_refuses_placeholder_secrets(tmp_path, placeholder):
    env = {**PROD, "BROKER_REGISTRY_DATA": str(tmp_path), "SECRET_KEY": placeholder}
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        settings_from_env(env)


def test_development_generates_secrets_once_readable_by_the_owner_only(tmp_path):
    first = settings_from_env({"BROKER_REGISTRY_DATA": str(tmp_path)})
    second = settings_from_env({"BROKER_REGISTRY_DATA": str(tmp_path)})
    assert first.secret_key == second.secret_key and len(first.secret_key) > 40
    assert first.key_passphrase == second.key_passphrase != first.secret_key
    for name in ("secret_key", "key_passphrase"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert first.database_url == f"sqlite:///{tmp_path / 'broker_registry.sqlite3'}"
    assert first.secret_key not in repr(first)


def test_secrets_can_come_from_files(tmp_path):
    (tmp_path / "sk").write_text("from-a-file-" + "x" * 30)
    settings = settings_from_env({**PROD, "SECRET_KEY": "", "SECRET_KEY_FILE": str(tmp_path / "sk"),
                                  "BROKER_REGISTRY_DATA": str(tmp_path)})
    assert settings.secret_key.startswith("from-a-file-")


def test_production_cookies_are_secure(tmp_path):
    app = create_app(settings_from_env({**PROD, "BROKER_REGISTRY_DATA": str(tmp_path)}))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/healthz")
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_the_publication_lag_is_seconds_within_reason(tmp_path):
    from broker_registry.settings import ConfigurationError, settings_from_env

    base = {"BROKER_REGISTRY_DATA": str(tmp_path)}
    assert settings_from_env(base).publish_lag == 30
    assert settings_from_env({**base, "BROKER_REGISTRY_PUBLISH_LAG": "5"}).publish_lag == 5
    for bad in ("0", "-3", "soon", "nan", "7200"):
        with pytest.raises(ConfigurationError, match="BROKER_REGISTRY_PUBLISH_LAG"):
            settings_from_env({**base, "BROKER_REGISTRY_PUBLISH_LAG": bad})

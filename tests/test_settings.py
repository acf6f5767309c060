import stat

import pytest

from broker_registry import create_app
from broker_registry.certificates import pdf
from broker_registry.settings import ConfigurationError, settings_from_env, verifier_folder

PROD = {"BROKER_REGISTRY_ENV": "production", "DATABASE_URL": "sqlite://",
        "SECRET_KEY": "s" * 40, "BROKER_REGISTRY_KEY_PASSPHRASE": "p" * 40,
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/13"}


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
def test_production_refuses_per_worker_rate_limits_and_names_the_setting(tmp_path):
    env = {**PROD, "BROKER_REGISTRY_DATA": str(tmp_path)}
    for storage in ({}, {"RATELIMIT_STORAGE_URI": "memory://"}):
        shared = {k: v for k, v in env.items() if k != "RATELIMIT_STORAGE_URI"}
        with pytest.raises(ConfigurationError, match="RATELIMIT_STORAGE_URI") as refused:
            settings_from_env({**shared, **storage})
        assert "memory://" in str(refused.value) and "redis://" in str(refused.value)
    assert settings_from_env(env).ratelimit_storage_uri.startswith("redis://")
    # A proxy that limits requests itself may take the app's limits off.
    off = settings_from_env({**env, "RATELIMIT_STORAGE_URI": "memory://",
                             "RATELIMIT_ENABLED": "false"})
    assert off.ratelimit_enabled is False


def test_development_counts_in_memory_and_says_so_once_as_it_serves(tmp_path, caplog):
    settings = settings_from_env({"BROKER_REGISTRY_DATA": str(tmp_path)})
    assert settings.ratelimit_storage_uri == "memory://" and settings.ratelimit_enabled

    def said(app) -> list[str]:
        caplog.clear()
        with caplog.at_level("WARNING", logger="broker_registry.web.extensions"):
            for _ in range(3):
                app.test_client().get("/healthz")
        return [r.getMessage() for r in caplog.records
                if "RATELIMIT_STORAGE_URI" in r.getMessage()]

    [note] = said(create_app(settings))
    assert "each worker counts apart" in note
    assert said(create_app(settings_from_env({
        "BROKER_REGISTRY_DATA": str(tmp_path),
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/13"}))) == []


@pytest.mark.parametrize("name,value", [
    ("BROKER_REGISTRY_TRUSTED_PROXIES", "-1"), ("BROKER_REGISTRY_TRUSTED_PROXIES", "one"),
    ("BROKER_REGISTRY_TRUSTED_PROXIES", "99"), ("BROKER_REGISTRY_QR_DECODE_SECONDS", "0"),
    ("BROKER_REGISTRY_QR_DECODE_SECONDS", "soon"), ("BROKER_REGISTRY_QR_DECODE_SECONDS", "nan"),
    ("BROKER_REGISTRY_QR_DECODE_SECONDS", "600")])
def test_a_bad_number_is_refused_with_its_name(tmp_path, name, value):
    with pytest.raises(ConfigurationError, match=name):
        settings_from_env({"BROKER_REGISTRY_DATA": str(tmp_path), name: value})


def test_the_numbers_default_and_are_read(tmp_path):
    default = settings_from_env({"BROKER_REGISTRY_DATA": str(tmp_path)})
    assert (default.trusted_proxies, default.qr_decode_seconds) == (0, 2.0)
    given = settings_from_env({"BROKER_REGISTRY_DATA": str(tmp_path),
                               "BROKER_REGISTRY_TRUSTED_PROXIES": "1",
                               "BROKER_REGISTRY_QR_DECODE_SECONDS": "1.5"})
    assert (given.trusted_proxies, given.qr_decode_seconds) == (1, 1.5)


def test_the_pdf_font_is_a_setting_read_with_the_others(tmp_path):
    env = {"BROKER_REGISTRY_DATA": str(tmp_path)}
    assert settings_from_env(env).cjk_font == ""
    chosen = settings_from_env({**env, "BROKER_REGISTRY_CJK_FONT": "/srv/fonts/cjk.ttf"})
    assert chosen.cjk_font == "/srv/fonts/cjk.ttf"


def test_the_pdf_embeds_the_font_it_is_given_before_any_installed_one(monkeypatch, tmp_path):
    given, installed = tmp_path / "given.ttc", tmp_path / "installed.ttc"
    given.write_bytes(b"a font"), installed.write_bytes(b"a font")
    monkeypatch.setattr(pdf, "FONT_CANDIDATES", (str(installed),))
    assert pdf.font_file(str(given)) == str(given)
    assert pdf.font_file(str(tmp_path / "missing.ttc")) == str(installed)
    assert pdf.font_file("") == str(installed)
    monkeypatch.setattr(pdf, "FONT_CANDIDATES", ())
    assert pdf.font_file(str(tmp_path / "missing.ttc")) is None  # then Adobe's STSong


def test_the_offline_verifier_keeps_its_lists_in_the_data_folder():
    assert verifier_folder({"BROKER_REGISTRY_DATA": "/srv/registry"}) == "/srv/registry/verifier"
    assert verifier_folder({}) == "instance/verifier"

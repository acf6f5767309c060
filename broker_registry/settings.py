"""Settings, read from the environment when the app is built, never at import time.

This module is the one reader of the environment: `settings_from_env` for the app, and
`verifier_folder` for the offline verifier's commands, which run without an app."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from .db.private_files import private_folder

DATA_FOLDER = "instance"  # BROKER_REGISTRY_DATA, when it is not set
PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "dev", "development", "placeholder"}


class ConfigurationError(RuntimeError):
    """The environment does not describe a runnable application."""


@dataclass(frozen=True)
class Settings:
    environment: str = "development"
    data_dir: Path = Path("instance")
    database_url: str = ""
    secret_key: str = field(default="", repr=False)
    key_passphrase: str = field(default="", repr=False)
    ratelimit_storage_uri: str = "memory://"
    ratelimit_enabled: bool = True
    trusted_proxies: int = 0
    registration_years: int = 3
    renewal_window_days: int = 90
    authority_code: str = "XX-NCA"
    authority_name: str = "National Control Authority (demonstration)"
    authority_country: str = "XX"
    # The number customs call when a verdict says to hold the goods (shown on the lane page).
    authority_phone: str = "+000 0000 0000"
    smtp_url: str = ""
    mail_sender: str = "registry@localhost"
    screening_threshold: int = 88
    delivery_overdue_days: int = 90
    publish_lag: float = 30.0  # seconds the full revocation list may be behind the registry
    federation_refresh: float = 60.0  # seconds between refreshes of partners' lists
    qr_decode_seconds: float = 2.0
    public_url: str = ""
    cjk_font: str = ""  # a font file for the Chinese in PDFs; empty: an installed one
    testing: bool = False

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def outgoing_mail(self) -> str:
        """Where the outbox goes: SMTP_URL; in development without it, a folder of .eml files
        in the data folder, so that a sign-up can be confirmed on a machine with no mail."""
        if self.smtp_url or self.production:
            return self.smtp_url
        return (self.data_dir / "mail").as_uri()


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _proxies(text: str) -> int:
    """How many reverse proxies in front of the app add X-Forwarded-For and -Proto."""
    text = text.strip() or "0"
    if not text.isdigit() or int(text) > 5:
        raise ConfigurationError("BROKER_REGISTRY_TRUSTED_PROXIES must be the number of "
                                 f"reverse proxies in front of the app, 0 to 5 (it is {text!r})")
    return int(text)


def _public_url(text: str) -> str:
    """The registry's address as people reach it, for links sent by email."""
    text = text.strip().rstrip("/")
    if text and (not text.startswith(("https://", "http://")) or " " in text
                 or "?" in text or "#" in text):
        raise ConfigurationError("BROKER_REGISTRY_PUBLIC_URL must be the registry's address, "
                                 f"like https://registry.example (it is {text!r})")
    return text


def _seconds(env: dict[str, str], name: str, default: float, *, low: float,
             high: float) -> float:
    """A number of seconds above 0, from `low` to `high` (NaN and text refused)."""
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not (value > 0 and low <= value <= high):  # NaN too
        raise ConfigurationError(f"{name} must be a number of seconds above 0, from {low:g} "
                                 f"to {high:g} (it is {text!r})")
    return value


def _read_or_generate(env: dict[str, str], name: str, path: Path, production: bool) -> str:
    """A secret comes from the environment, a NAME_FILE, or (development only) a generated file."""
    value = env.get(name)
    file_name = env.get(f"{name}_FILE")
    if not value and file_name:
        value = Path(file_name).read_text(encoding="utf-8").strip()
    if value:
        if production and value.strip().lower() in PLACEHOLDER_SECRETS:
            raise ConfigurationError(f"{name} is a placeholder; set a real secret in production")
        return value
    if production:
        raise ConfigurationError(
            f"{name} is required in production (set {name} or {name}_FILE)"
        )
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    private_folder(path.parent)
    generated = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(generated)
    return generated


def settings_from_env(env: dict[str, str] | None = None, **overrides) -> Settings:
    env = dict(os.environ if env is None else env)
    environment = env.get("BROKER_REGISTRY_ENV", "development").strip().lower()
    production = environment == "production"
    data_dir = Path(env.get("BROKER_REGISTRY_DATA", DATA_FOLDER)).resolve()
    if data_dir.is_dir():
        private_folder(data_dir)  # an older install's, made with the umask's 0755
    database_url = env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'broker_registry.sqlite3'}"
    if production and not env.get("DATABASE_URL"):
        raise ConfigurationError("DATABASE_URL is required in production")
    values = dict(
        environment=environment,
        data_dir=data_dir,
        database_url=database_url,
        secret_key=_read_or_generate(env, "SECRET_KEY", data_dir / "secret_key", production),
        key_passphrase=_read_or_generate(
            env, "BROKER_REGISTRY_KEY_PASSPHRASE", data_dir / "key_passphrase", production
        ),
        ratelimit_storage_uri=env.get("RATELIMIT_STORAGE_URI", "memory://"),
        ratelimit_enabled=_flag(env.get("RATELIMIT_ENABLED"), True),
        trusted_proxies=_proxies(env.get("BROKER_REGISTRY_TRUSTED_PROXIES", "")),
        registration_years=int(env.get("BROKER_REGISTRY_REGISTRATION_YEARS", "3")),
        authority_code=env.get("BROKER_REGISTRY_AUTHORITY_CODE", "XX-NCA"),
        authority_name=env.get(
            "BROKER_REGISTRY_AUTHORITY_NAME", "National Control Authority (demonstration)"
        ),
        authority_country=env.get("BROKER_REGISTRY_AUTHORITY_COUNTRY", "XX"),
        authority_phone=env.get("BROKER_REGISTRY_AUTHORITY_PHONE", "+000 0000 0000").strip()
        or "+000 0000 0000",
        smtp_url=env.get("SMTP_URL", ""),
        mail_sender=env.get("MAIL_SENDER", "registry@localhost"),
        publish_lag=_seconds(env, "BROKER_REGISTRY_PUBLISH_LAG", 30.0, low=1, high=3600),
        federation_refresh=_seconds(env, "BROKER_REGISTRY_FEDERATION_REFRESH", 60.0, low=1,
                                    high=86400),
        qr_decode_seconds=_seconds(env, "BROKER_REGISTRY_QR_DECODE_SECONDS", 2.0,
                                   low=0, high=60),
        public_url=_public_url(env.get("BROKER_REGISTRY_PUBLIC_URL", "")),
        cjk_font=env.get("BROKER_REGISTRY_CJK_FONT", ""),
    )
    values.update(overrides)
    if production and values["ratelimit_enabled"] \
            and values["ratelimit_storage_uri"].startswith("memory://"):
        # Each worker would count apart: 10 guesses a minute per account become 10 per worker.
        raise ConfigurationError(
            "RATELIMIT_STORAGE_URI must name a storage shared by every worker in production "
            "(e.g. redis://127.0.0.1:6379/0), not memory://; or set RATELIMIT_ENABLED=false "
            "when the reverse proxy limits requests itself")
    return Settings(**values)


def verifier_folder(env: dict[str, str] | None = None) -> str:
    """Where `sync` keeps the offline verifier's root and lists, and `verify` reads them: the
    data folder's verifier/. A border post runs these two without a registry to configure,
    so they take this one setting, not the app's."""
    env = os.environ if env is None else env
    return str(Path(env.get("BROKER_REGISTRY_DATA", DATA_FOLDER)) / "verifier")

"""Links sent out of the site, in emails: absolute, on the registry's public address.

Built from BROKER_REGISTRY_PUBLIC_URL when it is set; otherwise from the address the request
came to, which only a proxy that passes its own host name on can be trusted for.
"""

from __future__ import annotations

from flask import current_app, url_for


def absolute(endpoint: str, **values) -> str:
    base = current_app.config["SETTINGS"].public_url
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def sign_up() -> dict:
    """The links a sign-up's email carries (sign_ups.ask)."""
    return {"confirm_link": lambda token: absolute("accounts.confirm", token=token),
            "login_link": absolute("accounts.login")}

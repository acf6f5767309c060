"""The site's colour themes: which one a page is drawn in, and the header's switch.

The themes themselves are custom properties in static/app.css (docs/themes.md): `auto`
follows the device (prefers-color-scheme), the others are chosen. The choice is a cookie,
read when the page is made, so the page is drawn in it from its first paint, with or
without JavaScript.
"""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, request
from flask_babel import lazy_gettext as _l

from .auth import public
from .languages import back_to

THEMES = {"auto": _l("As the device"), "light": _l("Light"), "dark": _l("Dark"),
          "contrast": _l("High contrast")}
COOKIE = "theme"
COOKIE_MAX_AGE = 365 * 86400

bp = Blueprint("themes", __name__)


def current_theme() -> str:
    chosen = request.cookies.get(COOKIE)
    return chosen if chosen in THEMES else "auto"


@bp.post("/theme")
@public
def set_theme():
    chosen = request.form.get("theme", "")
    response = redirect(back_to(request.form.get("next") or request.referrer))
    if chosen in THEMES:  # anything else: the page as it was
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_MAX_AGE, samesite="Lax",
                            httponly=True, secure=request.is_secure)
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(lambda: {"themes": THEMES, "current_theme": current_theme()})

"""The session cookie: sent again with every signed-in answer (its lifetime runs from the last
request), except with the answer to a page's background fetch. That answer can arrive after
the page has moved on, and would put the cookie back as it was when the fetch left: a flash
message set meanwhile (a shipment recorded, a form sent) would be lost."""

from __future__ import annotations

from flask import g
from flask.sessions import SecureCookieSessionInterface


class SessionCookie(SecureCookieSessionInterface):
    def should_set_cookie(self, app, session) -> bool:
        if g.get("background_fetch") and not session.modified:
            return False
        return super().should_set_cookie(app, session)


def background_fetch() -> None:
    """This request leaves the cookie as it is, unless it changes the session itself."""
    g.background_fetch = True

"""The permission check a view makes itself (POST /api/v1/verify): the same answers as
requires, and no answer at all from a view that forgets it."""

from __future__ import annotations

import pytest
from flask import Flask

from broker_registry.permissions import Permission, Principal
from broker_registry.web.auth import authorize, checks_in_view


def _app(view) -> Flask:
    app = Flask(__name__)
    app.testing = True
    app.add_url_rule("/api/v1/probe", view_func=checks_in_view(Permission.VERIFY)(view),
                     methods=["POST"])
    return app


def test_a_view_that_checks_and_finds_the_permission_answers():
    def probe():
        authorize(Principal(1, "customs"), Permission.VERIFY)
        return "answered"

    app = _app(probe)
    assert app.view_functions["probe"].required_permission == Permission.VERIFY
    assert app.test_client().post("/api/v1/probe").get_data(as_text=True) == "answered"


@pytest.mark.parametrize("principal", [None, Principal(1, "broker")])
def test_authorize_refuses_as_requires_does(app, principal):
    from broker_registry.errors import Forbidden, Unauthenticated

    refusal = Unauthenticated if principal is None else Forbidden
    with app.test_request_context("/api/v1/verify"), pytest.raises(refusal):
        authorize(principal, Permission.VERIFY)


def test_a_view_marked_so_that_answers_without_the_check_is_a_fault():
    def forgetful():
        return "answered"

    with pytest.raises(RuntimeError, match="answered without authorize"):
        _app(forgetful).test_client().post("/api/v1/probe")

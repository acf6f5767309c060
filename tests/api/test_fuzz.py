"""Schemathesis against the app's own OpenAPI document, as each role that may call each
operation (and as a role that may not): never a 5xx, every answer as documented.

The budget is small (a few examples per operation and role) so CI stays fast; raise
FUZZ_EXAMPLES locally for a deeper run.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode, checks

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_schema_conformance,
          checks.response_headers_conformance]


def _callers(operation) -> list[tuple[str, int]]:
    """(role, examples): every role that may call it; one that may not and no token at all,
    briefly (those answers must still be documented problems)."""
    roles = operation.definition.raw.get("x-roles", [])
    if roles == ["anyone"]:
        return [("anonymous", EXAMPLES)]
    outsiders = [r for r in ("admin", "broker", "customs", "regulator") if r not in roles]
    brief = max(EXAMPLES // 5, 2)
    shared = max(EXAMPLES // len(roles), 5)  # the operation's budget, split between its roles
    return ([(r, shared) for r in roles] + [(r, brief) for r in outsiders[:1]]
            + [("anonymous", brief)])


def _fuzz(operation, call, known, examples):
    path_names = [p.name for p in operation.path_parameters]

    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                      operation.as_strategy(GenerationMode.NEGATIVE))

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=cases, use_known=st.booleans())
    def run(case, use_known):
        if use_known and path_names:
            case.path_parameters = {**(case.path_parameters or {}),
                                    **{n: known[n] for n in path_names if n in known}}
        call(case)

    run()


@pytest.mark.slow
def test_the_api_as_documented_for_every_role(app, world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    clients = world["clients"]
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for role, examples in _callers(operation):
            headers = clients[role].headers if role in clients else {}

            def call(case, headers=headers):
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS, headers=headers)

            try:  # collect every operation's failure, not just the first
                _fuzz(operation, call, world["known"], examples)
            except (Exception, BaseExceptionGroup) as error:
                failures.append(f"{operation.label} as {role}: {error}")
    assert failures == [], "\n\n".join(failures)

"""Generated requests against the live OpenAPI schema (schemathesis): no server error, and every
answer (status, media type, body) is one the schema declares.

Bounded to a few examples per operation so that the suite stays fast; `make fuzz` runs the same
checks with many more (`API_FUZZ_EXAMPLES`). The schema document itself is left out.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "8"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    return schema.exclude(path_regex=r"^/api/v1/schema/")


def test_generated_requests_get_answers_the_schema_declares(api_schema):
    # Each operation explored in turn (schemathesis' own pytest plugin does not run on this
    # pytest): a failure names the operation and the request that broke it.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 22
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def explore(case):
            case.call_and_validate(checks=CHECKS)

        explore()

"""Property-based testing of /api/v1/ with schemathesis, against a live server.

Every operation in /api/v1/openapi.json (the public routes and whatever else the API holds) gets
generated requests, valid and invalid, sent with a system's key (every scope) and a staff token.
The checks: no server error, every status code, content type, header and body as the document
declares, and invalid input refused. A bounded number of examples per operation keeps it quick.

The document is loaded when the module is collected (so each operation is its own test) and a
test proves it is the very document the live server serves; schemathesis's lazy fixture loader
does not run under pytest 9.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from minsheng.api import auth
from minsheng.api.main import api
from minsheng.api.tests.live import make_system
from minsheng.core.ratelimit import Limit

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
EXAMPLES_PER_OPERATION = 40


@pytest.fixture
def credentials(transactional_org: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    from conftest import petition_data
    from minsheng.api.auth import staff_token_create
    from minsheng.api.services import petition_submit
    from minsheng.core.actors import Actor

    # The generated traffic is far above any real intake limit; the limits have their own tests.
    monkeypatch.setattr(auth, "ADDRESS_LIMIT", Limit(scope="api:address", limit=10**9, window_seconds=60))
    system = make_system(transactional_org.units.a, "schemathesis", rate_limit=10**9)
    # The documented example ids exist, so reads and supplements also answer 200/201.
    for external_id in ("12345-20260301-0042", "0", "A"):
        petition_submit(client=system.client, external_id=external_id, data=petition_data(channel="hotline_12345"))
    _token, secret = staff_token_create(actor=Actor.system("test"), user=transactional_org.registrar_a, name="st")
    return {"X-API-Key": system.key, "Authorization": f"Bearer {secret}"}


DOCUMENT = api.get_openapi_schema()
schema = schemathesis.openapi.from_dict(DOCUMENT)
# We send real credentials with every request (generated ones would only ever get 401), and a
# query parameter the API does not know is ignored, as web APIs do, rather than refused.
schema.config.generation.update(with_security_parameters=False, allow_extra_parameters=False)


def test_the_tested_document_is_the_one_served(http: Any) -> None:
    served = http.get("/api/v1/openapi.json").json()

    assert served == DOCUMENT
    assert any(path.startswith("/api/v1/public/") for path in served["paths"])


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
def test_every_operation_answers_within_its_schema(case: Any, http: Any, credentials: dict[str, str]) -> None:
    case.call_and_validate(base_url=http.base_url, headers=credentials, checks=CHECKS)

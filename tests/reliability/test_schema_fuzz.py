"""Property-based fuzzing of the API with schemathesis, from the app's own OpenAPI schema: no server error, and
every response conforms to the schema. Bounded: a fixed number of examples per operation, derandomised."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance  # noqa: F401

from service.http.app import create_app
from service.bootstrap import open_factchecker
from service.settings import Settings
from tests.support.fakes import HashingEmbedder

MAX_EXAMPLES = 15


def _app(tmp_dir):
    s = Settings(data_dir=tmp_dir, _env_file=None, rate_limit_per_minute=0, max_text_bytes=20_000)
    app = create_app(s, open_factchecker(s, embedder=HashingEmbedder()))
    return app


import tempfile  # noqa: E402

_APP = _app(tempfile.mkdtemp(prefix="factcheck-schemathesis-"))
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)
# Valid and invalid inputs both: invalid ones must get a documented 4xx error body, never a 500.
schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

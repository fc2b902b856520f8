"""The OpenAPI contract, checked by schemathesis with all its checks against a real server holding the seed articles.

`schemathesis run --checks all` over every operation (its coverage, fuzzing and stateful phases): no server error,
every status and body the schema declares, schema-valid requests accepted, schema-invalid ones refused, 405 with
`Allow`, and, with API keys configured, 401/403 declared and enforced. Bounded and derandomised: a fixed seed and
a fixed number of examples per operation; a stream that stays open ends at the request timeout.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support import SEEDS
from tests.support.server_process import ServerProcess

pytestmark = pytest.mark.integration

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
SEED = 20261130


def run_schemathesis(base_url: str, workdir: Path, *extra: str, examples: int) -> subprocess.CompletedProcess:
    command = [str(SCHEMATHESIS), "run", f"{base_url}/openapi.json", "--checks", "all",
               "--max-examples", str(examples), "--seed", str(SEED), "--generation-database", "none",
               "--request-timeout", "1", "--no-color", *extra]
    return subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=900)


def summary(result: subprocess.CompletedProcess) -> str:
    out = result.stdout + result.stderr
    return out[out.find("=== FAILURES"):] if "=== FAILURES" in out else out[-6000:]


def serve_seeded(data_dir: Path, env: dict[str, str], headers: dict[str, str] | None = None) -> ServerProcess:
    server = ServerProcess(data_dir, env={"FACTCHECK_RATE_LIMIT_PER_MINUTE": "0", **env}).start()
    with httpx.Client(base_url=server.base_url, timeout=300, headers=headers) as http:
        for path in SEEDS:
            r = http.post("/v1/documents", json={"text": path.read_text("utf-8"), "source": f"seeds/{path.name}"})
            assert r.status_code == 201, r.text
    return server


def test_every_operation_keeps_the_contract(tmp_path):
    server = serve_seeded(tmp_path / "data", {})
    try:
        result = run_schemathesis(server.base_url, tmp_path, examples=25)
    finally:
        server.stop()
    assert result.returncode == 0, summary(result)
    assert "14 selected / 14 total" in result.stdout  # every operation, none skipped by a filter
    assert "No issues found" in result.stdout, summary(result)


def test_keys_are_part_of_the_contract(tmp_path):
    keys = {"FACTCHECK_API_KEYS": "editor-key:write,viewer-key:read"}
    auth = {"Authorization": "Bearer editor-key"}
    server = serve_seeded(tmp_path / "data", keys, auth)
    try:
        schema = httpx.get(f"{server.base_url}/openapi.json").json()
        post = schema["paths"]["/v1/documents"]["post"]
        assert {"401", "403"} <= set(post["responses"]) and post["security"]
        assert "403" not in schema["paths"]["/v1/claims"]["get"]["responses"]  # reading needs only read scope
        result = run_schemathesis(server.base_url, tmp_path, "-H", "Authorization: Bearer editor-key", examples=5)
    finally:
        server.stop()
    assert result.returncode == 0, summary(result)
    assert "No issues found" in result.stdout, summary(result)

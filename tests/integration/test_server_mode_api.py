"""The API on a real Chroma server (FACTCHECK_CHROMA_URL), in-process and as several uvicorn workers."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from evals.bench.synthetic import corpus_for_claims
from retrieval.vector_store import ChromaVectorStore
from service.http.app import create_app
from service.settings import Settings
from tests.integration import test_api as _api_tests
from tests.support.chroma_server import chroma_server, free_port, unavailable  # noqa: F401  (fixture)
from tests.support import ROOT, SEEDS, open_checker

pytestmark = pytest.mark.integration

# Every test of the in-process API suite runs again here, against the Chroma server (module fixture `client`).
globals().update({name: fn for name, fn in vars(_api_tests).items() if name.startswith("test_") and callable(fn)})


@pytest.fixture(scope="module")
def client(tmp_path_factory, embedder, chroma_server):  # noqa: F811
    path = tmp_path_factory.mktemp("api-server-mode")
    settings = dict(max_text_bytes=20_000, chroma_url=chroma_server.url, collection=f"api{uuid.uuid4().hex[:8]}")
    checker = open_checker(path, embedder, **settings)
    assert isinstance(checker.vectors, ChromaVectorStore) and checker.vectors.is_http
    app = create_app(Settings(data_dir=path, _env_file=None, **settings), checker=checker)
    with TestClient(app) as c:
        for seed in SEEDS:
            r = c.post("/v1/documents", json={"text": seed.read_text(encoding="utf-8"), "source": seed.name})
            assert r.status_code == 201, r.text
        yield c


def _serve(data_dir: Path, chroma_url: str, collection: str, workers: int) -> tuple[subprocess.Popen, str, Path]:
    port = free_port()
    log = data_dir.parent / f"uvicorn-{workers}.log"
    env = {**os.environ, "FACTCHECK_DATA_DIR": str(data_dir), "FACTCHECK_CHROMA_URL": chroma_url,
           "FACTCHECK_COLLECTION": collection}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "service.http.app:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(port), "--workers", str(workers), "--timeout-worker-healthcheck", "120"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    return proc, f"http://127.0.0.1:{port}", log


def _wait_ready(proc: subprocess.Popen, url: str, log: Path, timeout_s: float = 240) -> None:
    import time

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"uvicorn exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    unavailable(f"uvicorn did not become ready in {timeout_s:.0f} s:\n{log.read_text(errors='replace')[-2000:]}")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _run_corpus(tmp: Path, chroma_url: str, workers: int, texts: list[str]) -> dict:
    """Post `texts` one by one (a new connection each, so they spread over the workers); final state per claim."""
    proc, url, log = _serve(tmp / f"data-{workers}", chroma_url, f"w{workers}{uuid.uuid4().hex[:8]}", workers)
    try:
        _wait_ready(proc, url, log)
        ids = []
        for text in texts:
            r = httpx.post(f"{url}/v1/documents", json={"text": text}, timeout=300)
            assert r.status_code == 201, r.text
            ids.append(r.json()["id"])
        state = {}
        for doc_id in ids:
            report = httpx.get(f"{url}/v1/documents/{doc_id}", timeout=60).json()
            for c in report["claims"]:
                state[c["id"]] = (c["verdict"], sorted((e["claim_id"] or "", e["stance"]) for e in c["evidence"]))
        return state
    finally:
        _stop(proc)


def test_two_workers_give_the_same_results_as_one(tmp_path, chroma_server):  # noqa: F811
    _, articles = corpus_for_claims(60, seed=11)
    texts = [p.read_text(encoding="utf-8") for p in SEEDS] + [a.text for a in articles]
    one = _run_corpus(tmp_path, chroma_server.url, 1, texts)
    two = _run_corpus(tmp_path, chroma_server.url, 2, texts)
    assert one and one == two
    assert any(v != "unverified" for v, _ in one.values())

"""Several hosts, one corpus: real `factcheck serve` processes with their own data folders and ports, sharing one
Postgres database and one Chroma server, behave as one service; and they survive a killed host, a Postgres
restart and a lost Chroma server."""

from __future__ import annotations

import re
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from service.db.engine import normalise_url
from service.pipeline.prepare import document_id_for
from tests.support import FIXTURES, SEEDS, parse_sse
from tests.support.chroma_server import ChromaServer, chroma_binary, chroma_server  # noqa: F401  (fixture)
from tests.support.corpus import articles
from tests.support.postgres import PostgresCluster, postgres_cluster  # noqa: F401  (fixture)
from tests.support.server_process import ServerProcess, post_until_killed

pytestmark = pytest.mark.integration

FR_VI_SEED, FR_SEED = SEEDS


@dataclass
class Stack:
    """One shared corpus: its Postgres database, its Chroma collection, and the environment of a host."""

    cluster: PostgresCluster
    database_url: str
    chroma_url: str
    collection: str
    root: Path

    def env(self) -> dict[str, str]:
        return {"FACTCHECK_DATABASE_URL": self.database_url, "FACTCHECK_CHROMA_URL": self.chroma_url,
                "FACTCHECK_COLLECTION": self.collection, "FACTCHECK_RATE_LIMIT_PER_MINUTE": "0"}

    def host(self, name: str) -> ServerProcess:
        """A new host: its own data folder and port, the shared stores."""
        return ServerProcess(self.root / name, env=self.env(), log_path=self.root / f"{name}.log")

    def rows(self, query: str) -> list:
        engine = create_engine(normalise_url(self.database_url))
        try:
            with engine.connect() as connection:
                return list(connection.execute(text(query)))
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def stack(postgres_cluster, chroma_server, tmp_path_factory) -> Stack:  # noqa: F811
    return Stack(postgres_cluster, postgres_cluster.create_database(), chroma_server.url,
                 f"multihost-{uuid.uuid4().hex[:8]}", tmp_path_factory.mktemp("multihost"))


@pytest.fixture(scope="module")
def hosts(stack) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    a = stack.host("host-a").start()
    try:
        b = stack.host("host-b").start()
    except BaseException:
        a.stop()
        raise
    try:
        yield a, b
    finally:
        a.stop()
        b.stop()


def cursor_of(base_url: str) -> int:
    """The newest event id, as a client that connects now sees it."""
    body = httpx.get(f"{base_url}/v1/events", params={"follow": "false"}, timeout=30).text
    return int(re.search(r": cursor (\d+)", body).group(1))


def claim_quoting(report: dict, fragment: str) -> dict:
    return next(c for c in report["claims"] if fragment in c["quote"])


def test_a_document_posted_to_one_host_is_read_verified_and_streamed_by_the_other(hosts):
    a, b = hosts
    on_b = httpx.post(f"{b.base_url}/v1/documents", timeout=300,
                      json={"text": FR_VI_SEED.read_text(encoding="utf-8"), "source": FR_VI_SEED.name})
    assert on_b.status_code == 201, on_b.text
    fr_143 = claim_quoting(on_b.json(), "14,3 milliards de dollars")
    assert fr_143["verdict"] == "unverified"  # only the other half of its own article agrees so far
    cursor = cursor_of(b.base_url)

    on_a = httpx.post(f"{a.base_url}/v1/documents", timeout=300,
                      json={"text": FR_SEED.read_text(encoding="utf-8"), "source": FR_SEED.name})
    assert on_a.status_code == 201, on_a.text
    a_doc = on_a.json()["id"]

    # Readable from the other host, byte for byte.
    from_b = httpx.get(f"{b.base_url}/v1/documents/{a_doc}", timeout=30)
    assert from_b.status_code == 200 and from_b.json()["claims"] == on_a.json()["claims"]
    # Verified against the document posted to the other host ...
    fr_14 = claim_quoting(on_a.json(), "14 milliards de dollars")
    assert fr_14["verdict"] == "corroborated"
    assert any(e["document_id"] == on_b.json()["id"] and e["stance"] == "supports" for e in fr_14["evidence"])
    # ... and re-verifying that host's claims it touches, with the cause recorded ...
    detail = httpx.get(f"{b.base_url}/v1/claims/{fr_143['id']}", timeout=30).json()
    assert detail["verdict"] == "corroborated"
    assert detail["history"][-1]["cause_document_id"] == a_doc
    # ... which the other host's event stream reports.
    body = httpx.get(f"{b.base_url}/v1/events", params={"since": cursor, "follow": "false"}, timeout=30).text
    changes = [e["data"] for e in parse_sse(body) if e["event"] == "verdict_changed"]
    assert any(c["claim_id"] == fr_143["id"] and c["verdict"] == "corroborated" and c["cause_document_id"] == a_doc
               for c in changes)
    assert all(c["cause_document_id"] == a_doc for c in changes)


def follow(base_url: str, since: int, until: threading.Event, seen: list[dict]) -> None:
    """Read a live /v1/events stream into `seen` until `until` is set (the stream ends at the next event)."""
    with httpx.stream("GET", f"{base_url}/v1/events", params={"since": since}, timeout=120) as r:
        buffer = ""
        for chunk in r.iter_text():
            buffer += chunk
            *blocks, buffer = buffer.split("\n\n")
            seen += parse_sse("\n\n".join(blocks) + "\n\n")
            if until.is_set():
                return


def test_the_same_text_posted_to_both_hosts_at_once_gets_one_id_and_streams_on_both(hosts):
    a, b = hosts
    text_ = (FIXTURES / "en_scale_ai_confirm.txt").read_text(encoding="utf-8") + f"\n\nRun {uuid.uuid4().hex}."
    streams: dict[str, list[dict]] = {a.base_url: [], b.base_url: []}
    stop = threading.Event()
    listeners = [threading.Thread(target=follow, args=(h.base_url, cursor_of(h.base_url), stop, streams[h.base_url]),
                                  daemon=True) for h in (a, b)]
    for t in listeners:
        t.start()
    start = threading.Barrier(2)
    answers: dict[str, httpx.Response] = {}

    def post(host: ServerProcess) -> None:
        start.wait(30)
        answers[host.base_url] = httpx.post(f"{host.base_url}/v1/documents", json={"text": text_}, timeout=300)

    threads = [threading.Thread(target=post, args=(h,)) for h in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert sorted(r.status_code for r in answers.values()) == [200, 201]
    ids = {r.json()["id"] for r in answers.values()}
    assert len(ids) == 1
    doc_id = ids.pop()
    listed = httpx.get(f"{a.base_url}/v1/documents", params={"limit": 200}, timeout=30).json()["items"]
    assert [d["id"] for d in listed].count(doc_id) == 1
    # Both hosts' live streams carry the new claims' verdicts, whichever host stored them (bounded wait).
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(
            any(e["data"].get("document_id") == doc_id for e in seen) for seen in streams.values()):
        time.sleep(0.1)
    stop.set()
    httpx.post(f"{a.base_url}/v1/claims/{answers[a.base_url].json()['claims'][0]['id']}/reviews", timeout=30,
               json={"verdict": "corroborated", "reviewer": "desk"})  # one more event ends both streams
    for t in listeners:
        t.join(30)
    for seen in streams.values():
        assert any(e["event"] == "verdict_changed" and e["data"]["document_id"] == doc_id for e in seen)
        assert [int(e["id"]) for e in seen] == sorted(int(e["id"]) for e in seen)


def test_sigkill_of_one_host_mid_ingest_loses_nothing_acknowledged_and_leaves_nothing_half_written(hosts, stack):
    _, b = hosts
    docs = [{**a_, "text": ". ".join(a_["text"].split(". ")[:2]) + "."} for a_ in articles(24)]
    victim = stack.host("host-killed").start()
    acked, _ = post_until_killed(victim, docs, clients=3, kill_after=6)  # SIGKILL with posts in flight
    assert 6 <= len(acked) < len(docs), f"{len(acked)} acknowledged: the kill did not land mid-ingest"

    # The other host serves every acknowledged document whole ...
    with httpx.Client(base_url=b.base_url, timeout=300) as http:
        for report in acked.values():
            got = http.get(f"/v1/documents/{report['id']}")
            assert got.status_code == 200
            assert [c["id"] for c in got.json()["claims"]] == [c["id"] for c in report["claims"]]
        # ... and whatever the dead host committed, it committed whole: a document with all of its claims.
        for doc_id, claims in stack.rows("SELECT d.id, count(c.id) FROM documents d LEFT JOIN claims c"
                                         " ON c.document_id = d.id GROUP BY d.id"):
            report = http.get(f"/v1/documents/{doc_id}").json()
            assert len(report["claims"]) == claims and claims > 0
            assert all(report["text"][c["start"]:c["end"]] == c["quote"] for c in report["claims"])
        # The next write on the surviving host finishes what the dead one left pending; re-posting everything
        # gives every document exactly once.
        for i, d in enumerate(docs):
            r = http.post("/v1/documents", json=d)
            assert r.status_code in (200, 201), r.text[:200]
            if i in acked:
                assert r.status_code == 200 and r.json()["id"] == acked[i]["id"]
    assert stack.rows("SELECT count(*) FROM pending_documents")[0][0] == 0
    assert stack.rows("SELECT count(*) FROM claims c WHERE NOT EXISTS"
                      " (SELECT 1 FROM verdict_history h WHERE h.claim_id = c.id)")[0][0] == 0
    stored = {r[0] for r in stack.rows("SELECT id FROM documents")}
    assert {document_id_for(d["text"]) for d in docs} <= stored
    # The shared vector store holds a vector for every claim, also those of the documents the dead host left.
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    port = int(stack.chroma_url.rsplit(":", 1)[1])
    collection = chromadb.HttpClient(host="127.0.0.1", port=port, settings=ChromaSettings(
        anonymized_telemetry=False)).get_collection(stack.collection)
    claim_ids = {r[0] for r in stack.rows("SELECT id FROM claims")}
    assert set(collection.get(include=[], limit=100_000)["ids"]) == claim_ids


def test_a_postgres_restart_gives_503_with_retry_after_then_full_service(hosts, stack):
    a, b = hosts
    tag = uuid.uuid4().hex
    before = httpx.post(f"{a.base_url}/v1/documents", timeout=300,
                        json={"text": f"Orion Labs hired 40 engineers in Hanoi in 2025, its chief said. {tag}"})
    assert before.status_code == 201
    requests = (("GET", "/v1/documents", None), ("GET", f"/v1/documents/{before.json()['id']}", None),
                ("POST", "/v1/documents", {"text": "Kestrel Motors cut 300 jobs in 2024."}), ("GET", "/readyz", None))
    stack.cluster.stop("fast")
    try:
        for host in (a, b):
            for method, path, body in requests:
                r = httpx.request(method, f"{host.base_url}{path}", json=body, timeout=60)
                assert r.status_code == 503, (host.base_url, method, path, r.status_code, r.text[:300])
                assert int(r.headers["retry-after"]) > 0
                assert "error" in r.json()
    finally:
        stack.cluster.start()
    # Full service on the first request after the restart (pooled connections from before it are replaced).
    for host in (a, b):
        assert httpx.get(f"{host.base_url}/v1/documents/{before.json()['id']}", timeout=60).status_code == 200
    after = httpx.post(f"{b.base_url}/v1/documents", timeout=300,
                       json={"text": f"Kestrel Motors cut 300 jobs in 2024, a spokesperson said. {tag}"})
    assert after.status_code == 201, after.text
    assert httpx.get(f"{a.base_url}/v1/documents/{after.json()['id']}", timeout=60).status_code == 200
    assert httpx.get(f"{a.base_url}/readyz", timeout=60).status_code == 200


def test_a_lost_chroma_server_is_rebuilt_from_postgres(postgres_cluster, tmp_path):  # noqa: F811
    binary = chroma_binary()
    chroma = ChromaServer(tmp_path / "chroma", tmp_path / "chroma.log")
    assert chroma.start(binary)
    stack = Stack(postgres_cluster, postgres_cluster.create_database(), chroma.url, "claims", tmp_path)
    try:
        with stack.host("host-1") as host:
            for seed in SEEDS:
                r = httpx.post(f"{host.base_url}/v1/documents", timeout=300,
                               json={"text": seed.read_text(encoding="utf-8"), "source": seed.name})
                assert r.status_code == 201
        claims = {r[0] for r in stack.rows("SELECT id FROM claims")}
        assert claims

        chroma.stop()  # the Chroma server and its disk are lost; an empty one comes back at the same address
        shutil.rmtree(tmp_path / "chroma")
        replacement = ChromaServer(tmp_path / "chroma-new", tmp_path / "chroma-new.log")
        replacement.port, replacement.url = chroma.port, chroma.url
        assert replacement.start(binary)
        chroma = replacement

        with stack.host("host-2") as host:  # a host starting on the empty server rebuilds it from Postgres
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            client = chromadb.HttpClient(host="127.0.0.1", port=chroma.port,
                                         settings=ChromaSettings(anonymized_telemetry=False))
            assert set(client.get_collection("claims").get(include=[], limit=100_000)["ids"]) == claims
            checked = httpx.post(f"{host.base_url}/v1/check", timeout=300,
                                 json={"text": (FIXTURES / "en_scale_ai_4bn.txt").read_text(encoding="utf-8")})
            claim = next(c for d in checked.json()["documents"] for c in d["claims"] if "$4 billion" in c["quote"])
            assert claim["verdict"] == "contradicted"  # dense search finds the seeds' figures again
    finally:
        chroma.stop()

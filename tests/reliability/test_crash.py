"""SIGKILL the real server in the middle of ingesting 100 documents, restart it, and lose nothing.

Every document that got a 2xx is there with all its claims; the record store and Chroma agree (start-up repair,
also after vectors are deliberately lost and strays added while the server is down); re-posting everything
works and ends with exactly 100 documents.
"""

from __future__ import annotations

import sqlite3

import httpx
import pytest

from service.pipeline.prepare import document_id_for
from tests.support.corpus import articles
from tests.support.server_process import ServerProcess, post_until_killed

N_DOCUMENTS = 100
KILL_AFTER = 30  # 2xx answers before the kill, with more requests in flight
CLIENTS = 4

pytestmark = pytest.mark.integration  # a real `factcheck serve` process on loopback


def short(a: dict) -> dict:
    return {**a, "text": ". ".join(a["text"].split(". ")[:2]) + "."}


def all_documents(client: httpx.Client) -> list[str]:
    ids, cursor = [], None
    while True:
        params = {"limit": 200, **({"cursor": cursor} if cursor else {})}
        page = client.get("/v1/documents", params=params).json()
        ids += [d["id"] for d in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            return ids


def store_ids(data_dir) -> tuple[set[str], set[str]]:
    """Claim ids in SQLite and in Chroma, read directly from disk while the server is down."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    db = sqlite3.connect(data_dir / "factcheck.sqlite3")
    sqlite_ids = {r[0] for r in db.execute("SELECT id FROM claims")}
    db.close()
    client = chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    got = client.get_or_create_collection("claims", embedding_function=None).get(include=[])
    return sqlite_ids, set(got["ids"])


def tamper_chroma(data_dir, lose: list[str]) -> None:
    """While the server is down: drop some claims' vectors (a kill between commit and upsert) and add strays."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    col = client.get_or_create_collection("claims", embedding_function=None)
    col.delete(ids=lose)
    col.upsert(ids=["stray-a", "stray-b"], embeddings=[[0.05] * 384, [0.05] * 384],
               metadatas=[{"document_id": "ghost"}, {"document_id": "ghost"}])


def test_sigkill_mid_ingest_loses_nothing(tmp_path):
    docs = [short(a) for a in articles(N_DOCUMENTS)]
    data_dir = tmp_path / "data"
    env = {"FACTCHECK_RATE_LIMIT_PER_MINUTE": "0"}
    server = ServerProcess(data_dir, env=env, log_path=tmp_path / "server.log").start()

    acked, failed = post_until_killed(server, docs, CLIENTS, KILL_AFTER)  # SIGKILL, requests in flight
    assert KILL_AFTER <= len(acked) < N_DOCUMENTS, f"{len(acked)} acknowledged: the kill did not land mid-ingest"
    in_flight_or_refused = len(failed)

    # While it is down: lose the vectors of three acknowledged documents' claims and add strays.
    victims = [c["id"] for i in list(acked)[:3] for c in acked[i]["claims"]]
    assert victims
    tamper_chroma(data_dir, victims)

    server = ServerProcess(data_dir, env=env, log_path=tmp_path / "server.log").start()
    try:
        with httpx.Client(base_url=server.base_url, timeout=120) as client:
            for i, report in acked.items():
                r = client.get(f"/v1/documents/{report['id']}")
                assert r.status_code == 200, (i, r.text[:200])
                got = r.json()
                assert [c["id"] for c in got["claims"]] == [c["id"] for c in report["claims"]]
                assert all(got["text"][c["start"] : c["end"]] == c["quote"] for c in got["claims"])
            before_repost = all_documents(client)
            assert len(before_repost) == len(set(before_repost))
            assert {r["id"] for r in acked.values()} <= set(before_repost)

            statuses = {}
            for i, doc in enumerate(docs):
                r = client.post("/v1/documents", json=doc)
                assert r.status_code in (200, 201), (i, r.status_code, r.text[:200])
                assert r.json()["id"] == document_id_for(doc["text"])
                statuses[i] = r.status_code
                if i in acked:
                    assert r.status_code == 200 and r.json()["claims"] == client.get(
                        f"/v1/documents/{acked[i]['id']}").json()["claims"]
            final = all_documents(client)
            assert len(final) == len(set(final)) == N_DOCUMENTS
            claims = client.get("/v1/claims", params={"limit": 1}).status_code
            assert claims == 200
    finally:
        server.stop()

    sqlite_ids, chroma_ids = store_ids(data_dir)
    assert sqlite_ids == chroma_ids, (len(sqlite_ids - chroma_ids), len(chroma_ids - sqlite_ids))
    db = sqlite3.connect(data_dir / "factcheck.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM pending_documents").fetchone()[0] == 0
    unverified = db.execute("SELECT COUNT(*) FROM claims c WHERE NOT EXISTS"
                            " (SELECT 1 FROM verdict_history h WHERE h.claim_id = c.id)").fetchone()[0]
    assert unverified == 0
    db.close()
    print(f"\ncrash test: {N_DOCUMENTS} documents, {len(acked)} acknowledged before SIGKILL, "
          f"{in_flight_or_refused} not acknowledged (in flight or unsent), {sum(s == 201 for s in statuses.values())} created on re-post, "
          f"{len(sqlite_ids)} claims, lost: 0")

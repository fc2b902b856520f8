"""The hostile-input catalogue against a real server (`factcheck serve`, uvicorn, the real embedder): every shape is
either refused early with a clear 413/422 and nothing stored, or gets a correct report whose work was bounded
during extraction (sentences analysed, claims kept). Each case reports its time in the test summary; the cost
figures themselves (CPU seconds per MB by shape) are a benchmark, not a test: `python -m evals.bench cost --big`.

Also here: /healthz and reads answer while the heaviest accepted request runs, and SIGTERM stops the server
within seconds in the middle of one, with the interrupted ingest repaired at the next start.
"""

from __future__ import annotations

import signal
import sqlite3
import threading
import time

import httpx
import pytest

from tests.support.server_process import ServerProcess

MAX_CLAIMS = 60
MAX_SENTENCES = 200
MAX_SENTENCE_CHARS = 20_000
ENV = {"FACTCHECK_MAX_CLAIMS_PER_DOCUMENT": str(MAX_CLAIMS), "FACTCHECK_MAX_SENTENCES": str(MAX_SENTENCES),
       "FACTCHECK_MAX_SENTENCE_CHARS": str(MAX_SENTENCE_CHARS), "FACTCHECK_RATE_LIMIT_PER_MINUTE": "0"}


def figures(n: int) -> str:
    return "".join(f"Revenue rose {i % 90}.5% to ${i % 97}.4 billion in {1990 + i % 35}, up from 2,{i % 1000:03d} "
                   "units. " for i in range(n // 70 + 1))[:n]


# (name, text, expected status, expected error code or None)
CATALOGUE = [
    ("one endless sentence, 1 MB", "Meta " * 200_000, 413, "text_too_complex"),
    ("no spaces, 1 MB", "x" * 1_000_000, 413, "text_too_complex"),
    ("no punctuation, just over the sentence limit", "word " * (MAX_SENTENCE_CHARS // 5 + 1), 413, "text_too_complex"),
    ("over the size limit", "Meta invested $1 billion. " * 80_000, 413, "text_too_large"),
    ("whitespace and zero-width only", " \u200b\n\t\ufeff " * 1000, 422, "empty_text"),
    ("50,000 sentences, 1.9 MB", "".join(f"Firm {i % 97} hired {i} workers in Lyon. " for i in range(50_000)), 201,
     None),
    ("many figures, 200 KB", figures(200_000), 201, None),
    ("10,000 one-word lines", "".join(f"Word{i}\n" for i in range(10_000)), 201, None),
    ("100,000 empty paragraphs around one sentence", "\n\n" * 100_000 + "Meta invested $1 billion." + "\n\n" * 10, 201,
     None),
    ("one sentence just under the sentence limit", "Meta, Google, Apple, " * (MAX_SENTENCE_CHARS // 21 - 1) + "grew.",
     201, None),
    ("long lines without end punctuation (one sentence to the extractor)", ("word " * 3000 + "\n") * 60, 413,
     "text_too_complex"),
    ("initials and abbreviations, no sentence end", "J. K. Meta Inc. " * 20_000, 413, "text_too_complex"),
    ("quoted fragments, no punctuation", '"Meta said" ' * 50_000, 413, "text_too_complex"),
    ("short lines without punctuation", "".join(f"item {i} of the list\n" for i in range(20_000)), 201, None),
    ("mixed scripts, emoji and RTL", "Meta đã đầu tư 14,3 tỷ USD 🚀 في شركة Scale AI hôm qua. Доля составляет 49 процентов. " * 1500, 201, None),
]

TIMES: list[tuple[str, int, float]] = []


@pytest.fixture(scope="module")
def server(tmp_path_factory, request):
    with ServerProcess(tmp_path_factory.mktemp("hostile") / "data", env=ENV) as s:
        yield s
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter and TIMES:
        reporter.write_line("")
        reporter.write_line("hostile-input catalogue against a real server (wall seconds, this machine, this load):")
        for name, status, seconds in TIMES:
            reporter.write_line(f"  {seconds:7.2f} s  {status}  {name}")


def documents(base_url: str) -> list[dict]:
    out, cursor = [], None
    while True:
        page = httpx.get(f"{base_url}/v1/documents", params={"limit": 200, **({"cursor": cursor} if cursor else {})},
                         timeout=30).json()
        out += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return out


@pytest.mark.parametrize("name,text,status,code", CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_hostile_shape_is_refused_early_or_bounded(server, record_property, name, text, status, code):
    before = documents(server.base_url)
    started = time.perf_counter()
    r = httpx.post(f"{server.base_url}/v1/documents", json={"text": text}, timeout=600)
    seconds = time.perf_counter() - started
    TIMES.append((name, r.status_code, seconds))
    record_property("seconds", round(seconds, 3))
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"].startswith("application/json")
    if code:
        error = r.json()["error"]
        assert error["code"] == code and error["message"]
        assert documents(server.base_url) == before  # refused: nothing stored
        return
    report = r.json()
    assert len(report["claims"]) <= MAX_CLAIMS
    assert all(report["text"][c["start"] : c["end"]] == c["quote"] for c in report["claims"])
    stored = httpx.get(f"{server.base_url}/v1/documents/{report['id']}", timeout=30).json()
    assert [c["id"] for c in stored["claims"]] == [c["id"] for c in report["claims"]]


def test_refusal_names_the_offending_run(server):
    text = "A normal first sentence. " * 10 + "x" * (MAX_SENTENCE_CHARS + 10)
    r = httpx.post(f"{server.base_url}/v1/check", json={"text": text}, timeout=60)
    assert r.status_code == 413 and r.json()["error"]["code"] == "text_too_complex"
    assert "at offset 225" in r.json()["error"]["message"]  # where the run the extractor would read begins


def test_probes_and_reads_answer_while_the_heaviest_accepted_request_runs(tmp_path):
    env = {**ENV, "FACTCHECK_MAX_CLAIMS_PER_DOCUMENT": "5000", "FACTCHECK_MAX_SENTENCES": "10000"}
    heavy = "".join(f"Firm {i % 97} hired {i} workers in Lyon. " for i in range(20_000))
    with ServerProcess(tmp_path / "data", env=env) as s:
        result: dict = {}

        def post_heavy() -> None:
            try:
                result["r"] = httpx.post(f"{s.base_url}/v1/documents", json={"text": heavy}, timeout=900)
            except httpx.TransportError as error:  # the server may close the cut connection without an answer
                result["error"] = error

        thread = threading.Thread(target=post_heavy, daemon=True)
        thread.start()
        time.sleep(2)  # the heavy request is being analysed (it takes far longer than this)
        answered: dict[str, list[float]] = {"healthz": [], "list": [], "small check": []}
        for _ in range(5):
            for name, call in (("healthz", lambda: httpx.get(f"{s.base_url}/healthz", timeout=30)),
                               ("list", lambda: httpx.get(f"{s.base_url}/v1/documents", timeout=30)),
                               ("small check", lambda: httpx.post(f"{s.base_url}/v1/check", timeout=60,
                                                                  json={"text": "Meta invested $1 billion."}))):
                started = time.perf_counter()
                assert call().status_code == 200  # a small check gets the second heavy slot
                answered[name].append(round(time.perf_counter() - started, 3))
        assert thread.is_alive(), "the heavy request ended before the probes: the test proved nothing"
        print(f"seconds while a 20,000-sentence text is analysed: {answered}")

        s.proc.send_signal(signal.SIGTERM)  # in the middle of the heavy request
        s.proc.wait(60)  # bounded: without the shutdown bound this waited for the whole analysis
        thread.join(60)
        assert "r" not in result or result["r"].status_code == 503  # cut: 503 shutting_down, or the connection closed
        # The next start repairs whatever the interruption left: nothing stays pending, every claim has a verdict.
        with ServerProcess(tmp_path / "data", env=env) as again:
            assert httpx.get(f"{again.base_url}/readyz", timeout=30).status_code == 200
        db = sqlite3.connect(tmp_path / "data" / "factcheck.sqlite3")
        assert db.execute("SELECT COUNT(*) FROM pending_documents").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM claims c WHERE NOT EXISTS "
                          "(SELECT 1 FROM verdict_history h WHERE h.claim_id = c.id)").fetchone()[0] == 0

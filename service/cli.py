"""The `factcheck` command: serve, ingest, check (the eval suite is `python -m evals`, from a source checkout)."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections import Counter
from pathlib import Path

from service.errors import FactCheckError, InputError
from service.settings import Settings

log = logging.getLogger("factcheck")


def _files(paths: list[str]) -> list[Path]:
    """Files named, and the regular files of folders named (sorted, hidden ones skipped)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and not any(s.startswith(".") for s in p.parts))
        elif path.is_file():
            out.append(path)
        else:
            raise FactCheckError(f"{raw}: no such file or folder")
    return out


def read_text_file(path: Path) -> str:
    """A UTF-8 text file, or an InputError naming the file and the byte that is not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r})") from exc


def _read_documents(paths: list[str]):
    """Every file decoded before anything is stored: one bad file changes nothing."""
    from service.models import DocumentIn

    # No title: the document's headline becomes one (prepare.headline); the list shows the source otherwise.
    return [DocumentIn(text=read_text_file(p), source=str(p)) for p in _files(paths)]


class ProgressBars:
    """Two bars on stderr, documents analysed then verified, with documents/s and ETA (tqdm).

    Shown only on a terminal: with --quiet, or when stderr is a pipe or a file (CI, cron, `2> log`), nothing.
    """

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled and total > 0
        self.bars: dict = {}

    def __call__(self, stage: str, n: int) -> None:
        if not self.enabled or n <= 0:
            return
        from tqdm import tqdm

        if stage not in self.bars:
            for bar in self.bars.values():
                bar.close()  # the previous stage is done
            label = {"analysed": "analysing", "verified": "verifying"}.get(stage, stage)
            self.bars[stage] = tqdm(total=self.total, desc=f"{label:9}", unit=" doc", file=sys.stderr,
                                    dynamic_ncols=True, mininterval=0.2)
        self.bars[stage].update(n)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


def show_progress(args) -> bool:
    return not getattr(args, "quiet", False) and sys.stderr.isatty()


def summary(results, seconds: float) -> str:
    """One line: documents (stored / already there), claims, verdicts by count, time and rate."""
    created = sum(1 for _, is_new in results if is_new)
    verdicts = Counter(c.verdict for report, _ in results for c in report.claims)
    claims = sum(verdicts.values())
    fallbacks = sum(1 for report, _ in results for c in report.claims if c.backend == "offline-fallback")
    parts = [f"{len(results)} documents ({created} stored, {len(results) - created} already there)",
             f"{claims} claims"]
    if verdicts:
        parts.append(", ".join(f"{n} {v}" for v, n in sorted(verdicts.items(), key=lambda kv: (-kv[1], kv[0]))))
    if fallbacks:
        parts.append(f"{fallbacks} claims from the offline fallback (the LLM failed)")
    rate = len(results) / seconds if seconds > 0 else 0.0
    parts.append(f"{seconds:.1f} s ({rate:.2f} documents/s)")
    return "; ".join(parts)


def _ingest(settings: Settings, paths: list[str], args=None):
    from service.bootstrap import open_factchecker

    docs = _read_documents(paths)
    started = time.perf_counter()
    with open_factchecker(settings) as checker:
        for doc in docs:  # validate all first: nothing is stored if one is empty, too large or too complex
            checker.preparer.check_shape(checker.validate_text(doc.text))
        bars = ProgressBars(len(docs), show_progress(args))
        try:
            results = checker.ingest_many(docs, progress=bars)
        finally:
            bars.close()
    if args is not None and not getattr(args, "quiet", False):
        print(f"factcheck: {summary(results, time.perf_counter() - started)}", file=sys.stderr)
    return results


def cmd_ingest(args, settings: Settings) -> int:
    for report, created in _ingest(settings, args.paths, args):
        print(f"{'stored ' if created else 'exists '} {report.id}  {len(report.claims):4d} claims  {report.source}")
    return 0


def cmd_check(args, settings: Settings) -> int:
    from service.models import LLMUsage, Report

    results = _ingest(settings, args.paths, args)
    report = Report(documents=[r for r, _ in results], llm=LLMUsage.total([r.llm for r, _ in results]))
    if args.json:
        print(report.model_dump_json(indent=2, exclude={"documents": {"__all__": {"text"}}}))
        return 0
    for doc in report.documents:
        print(f"\n{doc.source}  [{doc.id}]  language {doc.language}  source group {doc.source_group}")
        for claim in doc.claims:
            if not claim.checkworthy and not args.all:
                continue
            top = next((e for e in claim.evidence if not e.same_source), claim.evidence[0] if claim.evidence else None)
            why = f"  <- {top.rationale}" if top else ""
            print(f"  {claim.verdict:<12} {claim.confidence:4.2f}  {claim.text[:90]}{why}")
    return 0


def cmd_serve(args, settings: Settings) -> int:
    from service.http.app import create_app
    from service.http.auth import bind_host
    from service.http.server import run_uvicorn

    if args.seed:
        for report, created in _ingest(settings, args.seed, args):
            log.info("%s %s (%d claims)", "seeded" if created else "already stored", report.source, len(report.claims))
    host = bind_host(args.host or settings.host, settings.keys)  # no keys: localhost only
    # Like uvicorn.run, but a shutdown signal also ends /v1/events streams (clients resume with their cursor).
    run_uvicorn(create_app(settings), host=host, port=args.port or settings.port,
                log_level=settings.log_level.lower())
    return 0


def _log_level(args, settings: Settings) -> str:
    """--quiet: errors only (no library INFO such as Alembic's on a fresh data folder); --verbose: INFO at least."""
    level = settings.log_level.upper()
    if getattr(args, "quiet", False):
        return "ERROR"
    if getattr(args, "verbose", False) and logging.getLevelName(level) > logging.INFO:
        return "INFO"
    return level


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="factcheck", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--seed", nargs="*", default=None, help="files or folders to ingest before serving")
    ingest = sub.add_parser("ingest", help="add files (UTF-8 text, one document each) to the corpus")
    ingest.add_argument("paths", nargs="+")
    check = sub.add_parser("check", help="ingest files and print their report")
    check.add_argument("paths", nargs="+")
    for command in (ingest, check):
        loudness = command.add_mutually_exclusive_group()
        loudness.add_argument("-q", "--quiet", action="store_true",
                              help="no progress bar, no summary and no log lines below ERROR (the bar shows only on a "
                                   "terminal anyway)")
        loudness.add_argument("-v", "--verbose", action="store_true",
                              help="log lines from INFO up, whatever FACTCHECK_LOG_LEVEL says")
    check.add_argument("--json", action="store_true", help="the report contract as JSON")
    check.add_argument("--all", action="store_true", help="also list claims that are not checkworthy")
    args = parser.parse_args(argv)
    settings = Settings()
    logging.basicConfig(level=_log_level(args, settings), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    handler = {"serve": cmd_serve, "ingest": cmd_ingest, "check": cmd_check}[args.command]
    try:
        return handler(args, settings)
    except FactCheckError as exc:
        print(f"factcheck: error: {exc.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

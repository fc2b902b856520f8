"""The `factcheck` command: serve, ingest, check (the eval suite is `python -m evals`, from a source checkout)."""

from __future__ import annotations

import argparse
import logging
import sys
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


def _ingest(settings: Settings, paths: list[str]):
    from service.bootstrap import open_factchecker

    docs = _read_documents(paths)
    with open_factchecker(settings) as checker:
        for doc in docs:  # validate all first: nothing is stored if one is empty or too large
            checker.validate_text(doc.text)
        return checker.ingest_many(docs)


def cmd_ingest(args, settings: Settings) -> int:
    for report, created in _ingest(settings, args.paths):
        print(f"{'stored ' if created else 'exists '} {report.id}  {len(report.claims):4d} claims  {report.source}")
    return 0


def cmd_check(args, settings: Settings) -> int:
    from service.models import LLMUsage, Report

    results = _ingest(settings, args.paths)
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
        for report, created in _ingest(settings, args.seed):
            log.info("%s %s (%d claims)", "seeded" if created else "already stored", report.source, len(report.claims))
    host = bind_host(args.host or settings.host, settings.keys)  # no keys: localhost only
    # Like uvicorn.run, but a shutdown signal also ends /v1/events streams (clients resume with their cursor).
    run_uvicorn(create_app(settings), host=host, port=args.port or settings.port,
                log_level=settings.log_level.lower())
    return 0


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
    check.add_argument("--json", action="store_true", help="the report contract as JSON")
    check.add_argument("--all", action="store_true", help="also list claims that are not checkworthy")
    args = parser.parse_args(argv)
    settings = Settings()
    logging.basicConfig(level=settings.log_level.upper(), stream=sys.stderr,
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

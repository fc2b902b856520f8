"""What the tests share: paths, corpus builders, and small readers of reports and of the record store."""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from service.bootstrap import open_factchecker
from service.checker import FactChecker
from service.models import DocumentIn
from service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
FIXTURES = ROOT / "tests" / "fixtures"


def open_checker(path: Path, embedder, **overrides) -> FactChecker:
    """A FactChecker on the data folder `path` (a fresh folder is a fresh corpus), ignoring any .env."""
    return open_factchecker(Settings(data_dir=path, _env_file=None, **overrides), embedder=embedder)


def doc(path: Path) -> DocumentIn:
    """A file of the repository as a posted document."""
    return DocumentIn(text=path.read_text(encoding="utf-8"), source=str(path.relative_to(ROOT)), title=path.stem)


def find_claim(report, *fragments: str, document: str | None = None):
    """The claim of a report (or list of reports) whose quote contains every fragment."""
    reports = report if isinstance(report, list) else [report]
    for r in reports:
        if document and document not in (r.source or ""):
            continue
        for claim in r.claims:
            if all(f in claim.quote for f in fragments):
                return claim
    raise AssertionError(f"no claim quoting {fragments!r}")


def sql(checker: FactChecker, query: str, **params) -> list:
    """Rows of a read-only SQL query on a checker's record store (for assertions about what is stored)."""
    with checker.db.session.read() as connection:
        return list(connection.execute(text(query), params))


def parse_sse(body: str) -> list[dict]:
    """Events of an SSE body as dicts {id, event, data}; comments and retry lines are skipped."""
    out = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        ev: dict = {}
        for line in block.split("\n"):
            if not line or line.startswith(":"):
                continue
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "data":
                ev["data"] = json.loads(value)
            elif field in ("id", "event"):
                ev[field] = value
        if "event" in ev:
            out.append(ev)
    return out


def assert_writers_never_interleave(writer: Callable[[str, str, str], None], target: str, log: Path,
                                    timeout_s: float) -> None:
    """Run `writer(target, log, name)` in two spawned processes ('a' and 'b'), each logging "name+" on entering its
    locked section and "name-" on leaving it three times; every entry must be followed by its own exit."""
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=writer, args=(target, str(log), n)) for n in "ab"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout_s)
        assert p.exitcode == 0
    lines = log.read_text().split()
    assert len(lines) == 12
    for enter, leave in zip(lines[::2], lines[1::2]):
        assert enter.endswith("+") and leave == enter[:-1] + "-"

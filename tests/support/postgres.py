"""A real, throw-away Postgres cluster for tests: initdb + pg_ctl on 127.0.0.1 at a free port.

Debian's server refuses to run as root, so as root the cluster is made and run as the `postgres` user
(`runuser -u postgres --`) in a folder it owns. The `postgres_cluster` fixture starts one per test session when
the server binaries are installed (Debian's `postgresql` package, or any `initdb`/`pg_ctl` on PATH) and skips
with the reason otherwise, unless FACTCHECK_REQUIRE_INTEGRATION=1, which turns the skip into a failure (CI).
`database_url` gives each test a fresh database of that cluster.

    python -m tests.support.postgres start DIR   # prints postgresql://... ; `stop DIR` ends it (used by .ci/run)
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

USER = "factcheck"
STARTUP_TIMEOUT_S = 60


def server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl (the newest Debian version first), or None."""
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name),
                         reverse=True):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    return None


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresCluster:
    """One cluster: its folder, port and superuser; start, stop and restart it like an operator would."""

    def __init__(self, root: Path, bindir: Path, port: int | None = None) -> None:
        self.root = root
        self.data = root / "data"
        self.log = root / "postgres.log"
        self.bindir = bindir
        self.port = port or _free_port()
        self.as_root = os.geteuid() == 0

    @property
    def url(self) -> str:
        """URL of the cluster's maintenance database `postgres`."""
        return f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"

    def url_for(self, database: str) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, stdin=subprocess.DEVNULL)

    def init(self) -> PostgresCluster:
        self.root.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
            self.root.chmod(0o700)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", USER, "--locale=C.UTF-8", "-E", "UTF8",
                  "--no-sync")
        return self

    def start(self) -> PostgresCluster:
        # Durability settings stay at their defaults (fsync on): the fault tests restart this server and count
        # on committed rows surviving, as they would in production.
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=200"
                   " -c shared_buffers=64MB")
        done = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
                         "-t", str(STARTUP_TIMEOUT_S), "start", check=False)
        if done.returncode != 0:
            raise RuntimeError(f"pg_ctl start failed: {done.stderr}\n{self.tail()}")
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def create_database(self, name: str | None = None) -> str:
        """A new, empty database; returns its URL."""
        import psycopg

        name = name or f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={USER} dbname=postgres",
                             autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    def tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def destroy(self) -> None:
        if self.data.exists() and self.running():
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def new_cluster(prefix: str = "factcheck-pg-") -> PostgresCluster:
    """Initialise and start a cluster in a fresh folder under the system temp dir (pytest's own temp folders are
    private to root, which the postgres user cannot enter)."""
    bindir = server_binaries()
    if bindir is None:
        raise FileNotFoundError("no Postgres server binaries (initdb, pg_ctl): apt-get install postgresql")
    cluster = PostgresCluster(Path(tempfile.mkdtemp(prefix=prefix)), bindir)
    try:
        return cluster.init().start()
    except BaseException:
        cluster.destroy()
        raise


def unavailable(reason: str) -> None:
    """Skip, or fail when integration tests are required."""
    if os.environ.get("FACTCHECK_REQUIRE_INTEGRATION") == "1":
        pytest.fail(f"integration required but unavailable: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """One real Postgres cluster for the test session, on a free loopback port."""
    if server_binaries() is None:
        unavailable("Postgres is not installed (initdb and pg_ctl not found; Debian: apt-get install postgresql)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("the psycopg driver is not installed")
    started = time.monotonic()
    try:
        cluster = new_cluster()
    except (RuntimeError, subprocess.CalledProcessError, OSError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        unavailable(f"could not start a Postgres cluster: {detail[-2000:]}")
    print(f"\npostgres cluster on port {cluster.port} ready in {time.monotonic() - started:.1f}s")
    try:
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def database_url(postgres_cluster: PostgresCluster) -> str:
    """A fresh, empty database on the session's cluster."""
    return postgres_cluster.create_database()


def main(argv: list[str]) -> int:
    """`start DIR` initialises and starts a cluster in DIR and prints its URL; `stop DIR` stops and removes it."""
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print("usage: python -m tests.support.postgres start|stop DIR", file=sys.stderr)
        return 2
    root = Path(argv[1])
    bindir = server_binaries()
    if bindir is None:
        print("no Postgres server binaries: apt-get install postgresql", file=sys.stderr)
        return 1
    if argv[0] == "stop":
        PostgresCluster(root, bindir, port=0).destroy()
        return 0
    cluster = PostgresCluster(root, bindir).init().start()
    print(cluster.create_database("factcheck"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

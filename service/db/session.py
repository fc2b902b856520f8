"""Reads and write transactions over the engine, with store failures turned into StoreError (503)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, exc
from sqlalchemy.sql import Executable

from service.db.engine import WRITE, unavailable
from service.errors import StoreError


def store_error(error: exc.SQLAlchemyError) -> StoreError:
    """The StoreError (503, Retry-After) that stands for a store that cannot answer."""
    reason = getattr(error, "orig", None) or error
    first_line = str(reason).strip().splitlines()[0] if str(reason).strip() else type(reason).__name__
    return StoreError(f"record store unavailable: {first_line}")


def storable(value: str | None) -> str | None:
    """`value` without NUL characters, which Postgres text cannot hold (the document text loses them at
    validation; metadata and review notes lose them here, on both backends alike)."""
    return value.replace("\x00", "") if isinstance(value, str) else value


def _looked_up_nul(error: exc.SQLAlchemyError) -> bool:
    """Postgres refusing a NUL in a bound value: a lookup by such a value (an id or a search string from a
    request) can match nothing stored, since nothing stored contains NUL."""
    return isinstance(error, exc.DataError) and "NUL" in str(getattr(error, "orig", ""))


class Session:
    """Short reads on pooled connections (each its own snapshot) and explicit write transactions.

    `before_write`, when set, runs before every write transaction: on Postgres it checks that a writer holding
    the corpus lock still holds it (its session in the database is alive), so a writer cut off from the
    database cannot go on writing once another host may have taken the lock.
    """

    def __init__(self, engine: Engine, before_write: Callable[[], None] | None = None) -> None:
        self.engine = engine
        self.before_write = before_write
        # Postgres reads run in autocommit: under READ COMMITTED each statement sees its own snapshot inside a
        # transaction too, so a BEGIN before and a ROLLBACK after every short read were two wasted round trips
        # (3 per read, 962 of them in 15 checks at 10k claims). SQLite keeps its explicit BEGIN (engine.py).
        self._read_options = {"isolation_level": "AUTOCOMMIT"} if engine.dialect.name == "postgresql" else {}

    def _connect(self) -> Connection:
        connection = self.engine.connect()
        return connection.execution_options(**self._read_options) if self._read_options else connection

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for several reads (on SQLite one snapshot; on Postgres each statement its own)."""
        try:
            with self._connect() as connection:
                yield connection
        except exc.SQLAlchemyError as error:
            if unavailable(error):
                raise store_error(error) from error
            raise

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction; writers queue for each other (SQLite: BEGIN IMMEDIATE)."""
        if self.before_write is not None:
            self.before_write()
        try:
            with self.engine.connect() as connection:
                connection = connection.execution_options(**{WRITE: True})
                with connection.begin():
                    yield connection
        except exc.SQLAlchemyError as error:
            if unavailable(error):
                raise store_error(error) from error
            raise

    def _read(self, statement: Executable, take: Callable[[Any], Any], nothing: Any) -> Any:
        for attempt in (1, 2):
            try:
                with self._connect() as connection:
                    return take(connection.execute(statement))
            except exc.SQLAlchemyError as error:
                if attempt == 1 and isinstance(error, exc.DBAPIError) and error.connection_invalidated:
                    continue  # a pooled connection from before a server restart: once more, on a fresh one
                if _looked_up_nul(error):
                    return nothing
                if unavailable(error):
                    raise store_error(error) from error
                raise
        raise AssertionError("unreachable")

    def all(self, statement: Executable) -> list[Any]:
        return self._read(statement, list, [])

    def one(self, statement: Executable) -> Any | None:
        return self._read(statement, lambda result: result.first(), None)

    def scalar(self, statement: Executable) -> Any:
        return self._read(statement, lambda result: result.scalar(), None)

    def scalars(self, statement: Executable) -> list[Any]:
        return self._read(statement, lambda result: list(result.scalars()), [])


def chunks(items: list, size: int = 500) -> Iterator[list]:
    """`items` in slices of `size`: keeps IN (...) lists within every backend's parameter limit."""
    for i in range(0, len(items), size):
        yield items[i : i + size]

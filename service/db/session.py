"""Reads and write transactions over the engine, with store failures turned into StoreError (503)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, exc
from sqlalchemy.sql import Executable

from service.db.engine import WRITE
from service.errors import StoreError


class Session:
    """Short reads on pooled connections (each its own snapshot) and explicit write transactions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for several reads that must see one snapshot."""
        try:
            with self.engine.connect() as connection:
                yield connection
        except exc.OperationalError as error:
            raise StoreError(f"record store unavailable: {error.orig}") from error

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction; writers queue for each other (SQLite: BEGIN IMMEDIATE)."""
        try:
            with self.engine.connect() as connection:
                connection = connection.execution_options(**{WRITE: True})
                with connection.begin():
                    yield connection
        except exc.OperationalError as error:
            raise StoreError(f"record store unavailable: {error.orig}") from error

    def all(self, statement: Executable) -> list[Any]:
        with self.read() as connection:
            return list(connection.execute(statement))

    def one(self, statement: Executable) -> Any | None:
        with self.read() as connection:
            return connection.execute(statement).first()

    def scalar(self, statement: Executable) -> Any:
        with self.read() as connection:
            return connection.execute(statement).scalar()

    def scalars(self, statement: Executable) -> list[Any]:
        with self.read() as connection:
            return list(connection.execute(statement).scalars())


def chunks(items: list, size: int = 500) -> Iterator[list]:
    """`items` in slices of `size`: keeps IN (...) lists within every backend's parameter limit."""
    for i in range(0, len(items), size):
        yield items[i : i + size]

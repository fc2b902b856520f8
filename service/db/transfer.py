"""Copy a whole record store from one backend to another: the embedded SQLite file into Postgres when a newsroom
moves to several hosts (or back, for a local copy of a shared corpus).

    python -m service.db.transfer sqlite:///data/factcheck.sqlite3 postgresql://factcheck@db:5432/factcheck

The target is migrated first and must be empty. Every table of the schema is copied in batches, parents before
children, ids and sequence numbers kept (cursors, event ids and history stay valid); Postgres sequences are then
moved past the copied ids. Vectors live in the record store too, so the vector store needs no copy: a host
started on the new store with an empty Chroma collection rebuilds it (start-up repair).
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy import delete, func, insert, select, text

from service.db import Database
from service.db.engine import describe
from service.db.schema import metadata

BATCH = 2000
SEEDED = ("corpus_state",)  # tables a fresh store's migrations fill (counters): the source's rows replace them


def copy_store(source: Database, target: Database, batch: int = BATCH, log=print) -> dict[str, int]:
    """Copy every row of `source` into the empty `target`; returns rows copied per table."""
    for table in metadata.sorted_tables:
        if table.name not in SEEDED and target.session.scalar(select(func.count()).select_from(table)):
            raise ValueError(f"target table {table.name} is not empty: copy into a fresh database")
    copied: dict[str, int] = {}
    with target.transaction() as tx:  # all or nothing: a failed copy leaves the target empty
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            copied[table.name] = 0
            if table.name in SEEDED:
                tx.execute(delete(table))
            with source.engine.connect() as reader:  # a transaction: Postgres streams rows through a named cursor
                result = reader.execution_options(stream_results=True).execute(select(table).order_by(*order))
                while rows := result.fetchmany(batch):
                    tx.execute(insert(table), [dict(r._mapping) for r in rows])
                    copied[table.name] += len(rows)
            log(f"{table.name}: {copied[table.name]} rows")
        if tx.dialect.name == "postgresql":
            for table in metadata.sorted_tables:
                for column in table.primary_key.columns:
                    sequence = tx.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                          {"t": table.name, "c": column.name}).scalar()
                    if sequence:  # the next id drawn follows the copied ones
                        top = tx.execute(select(func.max(column))).scalar() or 0
                        tx.execute(text("SELECT setval(:s, :v, false)"), {"s": sequence, "v": top + 1})
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.db.transfer", description=__doc__.split("\n\n")[0])
    parser.add_argument("source", help="URL of the store to copy (sqlite:///path or postgresql://...)")
    parser.add_argument("target", help="URL of an empty store (created and migrated if needed)")
    args = parser.parse_args(argv)
    source, target = Database.open(args.source, "."), Database.open(args.target, ".")
    try:
        copied = copy_store(source, target)
    except ValueError as exc:
        print(f"copy: {exc}", file=sys.stderr)
        return 2
    finally:
        source.close()
        target.close()
    print(f"copied {sum(copied.values())} rows from {describe(source.url)} to {describe(target.url)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

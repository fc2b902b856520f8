"""Alembic environment: migrations run on the connection `service.db.migrate.upgrade` hands over, never from a URL."""

from __future__ import annotations

from alembic import context

from service.db.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()

"""Alembic environment: the app runs `upgrade head` on open (pipeline/store/db.py) with a
connection in `config.attributes["connection"]`; the `alembic` command (alembic.ini at the repo
root) uses CONGVAN_DATABASE_URL or the default SQLite file."""
from __future__ import annotations

from alembic import context

from pipeline.store.tables import metadata

config = context.config


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
elif context.is_offline_mode():
    from pipeline.store.db import database_url

    context.configure(url=config.get_main_option("sqlalchemy.url") or database_url(None),
                      target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    from pipeline.store.db import create_engine_for, database_url

    engine = create_engine_for(config.get_main_option("sqlalchemy.url") or database_url(None))
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()

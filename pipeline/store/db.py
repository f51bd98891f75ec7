"""Which database, opening it, and bringing its schema up to date with Alembic."""
from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url

ENV_VAR = "CONGVAN_DATABASE_URL"
MIGRATIONS = Path(__file__).parent / "migrations"


def default_sqlite_path() -> Path:
    """var/congvan.db in the repository (the folder above the `pipeline` package)."""
    return Path(__file__).resolve().parents[2] / "var" / "congvan.db"


def database_url(url: str | None) -> str:
    """`url` as given; else $CONGVAN_DATABASE_URL; else the SQLite file in the repo's var/.

    A bare path (no "://") means an SQLite file; `postgresql://` means psycopg 3.
    """
    url = url or os.environ.get(ENV_VAR) or ""
    if not url:
        return f"sqlite:///{default_sqlite_path()}"
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None: another database, or SQLite in memory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def display_url(url: str) -> str:
    """The URL as messages show it: no password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not even a URL: shown as given
        return url


def create_engine_for(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout=30000")  # first: two processes opening a new store wait, not fail
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    if head is None:  # pragma: no cover - the migrations ship with the package
        raise RuntimeError(f"no Alembic migrations in {MIGRATIONS}")
    return head


def upgrade(engine: Engine) -> None:
    """`alembic upgrade head` on this engine, skipped (one query) when already there."""
    from alembic import command
    from alembic.config import Config

    head = head_revision()
    if _revision(engine) == head:
        return
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # One migration at a time: two commands opening a new store at once would both create its
    # tables ("table already exists"). The second waits for the first, then finds the store at head.
    with _migration_lock(engine), engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
        if _revision(connection) == head:
            return
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


_MIGRATION_LOCK_KEY = 0x636F6E67  # "cong": the advisory lock congvan's migrations take on PostgreSQL


def _revision(bind: Engine | Connection) -> str | None:
    with bind.connect() if isinstance(bind, Engine) else nullcontext(bind) as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """An SQLite store's migrations take an flock on its file (SQLite's own locks are fcntl locks,
    which flock does not touch); other databases lock inside the migration's transaction."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    fd = os.open(database, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)

"""The store: every letter ever ingested, linked to the letters it carries out and cites.

    from pipeline.store import Store
    with Store("sqlite:///var/congvan.db") as store:   # or postgresql+psycopg://..., or None
        store.ingest_result(extract_file(Path("letter.pdf")))   # files are run by pipeline/runner.py

See store.py (ingest, identity), linking.py (resolution, placeholders, clause matching),
queries.py (show, tree, obligations, export) and tables.py (the schema).
"""
from pipeline.store.db import ENV_VAR, database_url, default_sqlite_path
from pipeline.store.store import Store, StoreOutcome

__all__ = ["ENV_VAR", "Store", "StoreOutcome", "database_url", "default_sqlite_path"]

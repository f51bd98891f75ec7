"""Prefect flows over the pipeline (bulk ingestion, nightly inbox) — see issue 6."""

"""Prefect flows over the pipeline: bulk ingestion of archives (bulk.py), the nightly inbox pass
(inbox.py) and its schedule (serve.py).

Prefect reads its settings when it is first imported: they are set here, before any flow module
imports it (prefect_env.py says which and why).
"""
from flows.prefect_env import configure

configure()

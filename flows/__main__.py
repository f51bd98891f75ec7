"""`python -m flows prepare`: create or upgrade the temporary Prefect server's database under
PREFECT_HOME before the first flow run (scripts/setup.sh runs it; see flows/prefect_env.py)."""
from __future__ import annotations

import os
import sys

from flows.prefect_env import prepare_database

if __name__ == "__main__":
    if sys.argv[1:] != ["prepare"]:
        sys.exit("usage: python -m flows prepare")
    try:
        prepare_database()
    except RuntimeError as failure:
        sys.exit(f"setup: {failure}")
    print(f"setup: Prefect database ready under {os.environ['PREFECT_HOME']}")

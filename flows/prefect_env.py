"""Prefect's settings for congvan, in one place: the main job, the flows' command line and the tests.

Prefect reads its settings from the environment when it is first imported, so `configure()` runs
from `flows/__init__.py`, before any flow module imports prefect. It only fills in what the user
has not set:

- PREFECT_HOME: the repository's var/prefect (beside the store's var/congvan.db), so a temporary
  server's database lives with the project's other state, not in ~/.prefect.
- PREFECT_SERVER_ANALYTICS_ENABLED=false: no telemetry calls on a closed network.
- PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS: Prefect waits 20 s by default for the temporary
  server it starts when no PREFECT_API_URL is set. On a cold 2-core machine, right after the installs,
  its first start (which also migrates an empty database) took longer than that, and the user's first
  `make run` ended in a traceback. `prepare_database()` (run by scripts/setup.sh) does the migrations
  ahead of time, and the limit here fits a cold machine.

`start_failure(error)` recognizes the errors Prefect raises when no API can be reached, so the
command line can say so in one line with what to do (`server_unavailable_message`).

    python -m flows prepare     # create or upgrade the database under PREFECT_HOME (flows/__main__.py)
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Where the temporary server keeps its SQLite database when PREFECT_HOME is not set.
DEFAULT_HOME = Path(__file__).resolve().parents[1] / "var" / "prefect"

# Seconds to wait for the temporary API server. Its first start on an empty home was measured at
# 17-23 s on a cold 2-core machine (migrations included); with the database prepared, about 10 s.
# A loaded machine can take several times that, and waiting costs nothing when it starts sooner.
STARTUP_TIMEOUT_SECONDS = 180

# Exit code when no Prefect API can be reached (sysexits' EX_UNAVAILABLE: a service is unavailable).
SERVER_UNAVAILABLE_EXIT = 69

# How Prefect 3.8 says it reached no API, as the start of a RuntimeError's message: its temporary
# server did not answer in time (prefect.server.api.server), or PREFECT_API_URL did not answer
# (prefect.client.orchestration).
_NO_API_MESSAGES = ("Timed out while attempting to connect to ephemeral Prefect API server",
                    "Failed to reach API at")


def configure() -> Path:
    """Fill in congvan's Prefect settings the environment does not set; return PREFECT_HOME."""
    os.environ.setdefault("PREFECT_HOME", str(DEFAULT_HOME))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(STARTUP_TIMEOUT_SECONDS))
    home = Path(os.environ["PREFECT_HOME"]).expanduser()
    # Prefect does not create the parents of its home, and its SQLite file cannot be opened without them.
    home.mkdir(parents=True, exist_ok=True)
    return home


def prepare_database() -> None:
    """Create or upgrade the Prefect database under PREFECT_HOME (idempotent; a few seconds when done).

    Runs Prefect's own command in a child process, so the settings above reach it the same way
    they reach a flow run."""
    home = configure()
    command = [sys.executable, "-m", "prefect", "server", "database", "upgrade", "-y"]
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy(), check=False)
    if done.returncode != 0:
        raise RuntimeError(f"prefect server database upgrade failed under {home}: "
                           f"{(done.stderr or done.stdout).strip()[-2000:]}")


def start_failure(error: BaseException) -> bool:
    """Is `error` Prefect failing to reach an API (its temporary server or PREFECT_API_URL)?"""
    import httpx

    if isinstance(error, RuntimeError) and str(error).startswith(_NO_API_MESSAGES):
        return True
    return isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)


def server_unavailable_message(error: BaseException) -> str:
    """One line for the user: what failed and what to do."""
    url = os.environ.get("PREFECT_API_URL")
    if url:
        return (f"cannot reach the Prefect server at {url}: start it "
                f"(prefect server start) or unset PREFECT_API_URL to use a temporary one")
    timeout = os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", STARTUP_TIMEOUT_SECONDS)
    return (f"the temporary Prefect server did not start within {timeout} s "
            f"(PREFECT_HOME={os.environ.get('PREFECT_HOME')}): run the command again, raise "
            f"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, or start a server (prefect server start) "
            f"and set PREFECT_API_URL=http://127.0.0.1:4200/api")


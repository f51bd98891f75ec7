"""Prefect's settings in one place (flows/prefect_env.py), and a flow command that cannot reach a
Prefect API ending in one line that says what to do, not in a traceback (issue 9)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.prefect_env import SERVER_UNAVAILABLE_EXIT, STARTUP_TIMEOUT_SECONDS

REPO = Path(__file__).resolve().parents[1]

# Prints the settings Prefect itself ends up with once congvan's flows package is imported.
_SHOW_SETTINGS = (
    "import flows\n"
    "from prefect.settings import get_current_settings\n"
    "s = get_current_settings()\n"
    "print(s.home, s.server.ephemeral.startup_timeout_seconds, s.server.analytics_enabled)\n"
)


def _clean_env(**values: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("PREFECT_")}
    env.update(values)
    return env


def test_congvan_settings_reach_prefect(tmp_path):
    home = tmp_path / "new" / "prefect"  # parents missing: configure() creates them
    shown = subprocess.run([sys.executable, "-c", _SHOW_SETTINGS], cwd=REPO, capture_output=True, text=True,
                           env=_clean_env(PREFECT_HOME=str(home)), check=True).stdout.split()
    assert shown == [str(home), str(STARTUP_TIMEOUT_SECONDS), "False"]
    assert home.is_dir()


def test_what_the_user_sets_wins(tmp_path):
    env = _clean_env(PREFECT_HOME=str(tmp_path), PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="33",
                     PREFECT_SERVER_ANALYTICS_ENABLED="true")
    shown = subprocess.run([sys.executable, "-c", _SHOW_SETTINGS], cwd=REPO, capture_output=True, text=True,
                           env=env, check=True).stdout.split()
    assert shown == [str(tmp_path), "33", "True"]


@pytest.mark.parametrize(("settings", "says"), [
    # the temporary server cannot answer within 1 s (its start takes several)
    ({"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "1"}, "the temporary Prefect server did not start within 1 s"),
    # a configured server that is not running (port 9 is discard; nothing listens there)
    ({"PREFECT_API_URL": "http://127.0.0.1:9/api"}, "cannot reach the Prefect server at http://127.0.0.1:9/api"),
], ids=["temporary-server-too-slow", "configured-server-down"])
def test_no_prefect_api_is_one_line_with_what_to_do(tmp_path, letter_text, settings, says):
    letter = tmp_path / "letter.txt"
    letter.write_text(letter_text, encoding="utf-8")
    env = _clean_env(PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_LOGGING_LEVEL="WARNING", **settings)
    done = subprocess.run([sys.executable, "-m", "cli.main", "bulk", str(letter), "--out", str(tmp_path / "out"),
                           "--db", str(tmp_path / "store.db")],
                          cwd=REPO, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == SERVER_UNAVAILABLE_EXIT, done.stderr
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("congvan: error:")]
    assert len(errors) == 1 and says in errors[0], done.stderr
    assert "PREFECT_API_URL" in errors[0]  # what to do
    assert not list((tmp_path / "out").glob("*.json"))

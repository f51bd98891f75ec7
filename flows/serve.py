"""Serving the nightly inbox pass on a schedule (needs a Prefect server: `prefect server start`).

`flow.serve` must run in the main process of the program that defines the flow (runs are
started by re-importing it): `congvan serve ...` calls serve_inbox from its main(), and
`python -m flows.serve INBOX --out DIR` does the same under `if __name__ == "__main__"`.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.extract import DEFAULT_MAX_BYTES
from pipeline.inbox import DEFAULT_TIMEZONE

DEFAULT_CRON = "0 2 * * *"


def deployment_parameters(inbox: Path, out: Path, *, db: str | None = None, min_age: float = 60.0,
                          workers: int | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> dict:
    return {"inbox": str(Path(inbox).resolve()), "out": str(Path(out).resolve()), "db": db,
            "min_age": min_age, "workers": workers, "max_bytes": max_bytes}


def serve_inbox(inbox: Path, out: Path, *, db: str | None = None, cron: str = DEFAULT_CRON,
                timezone: str = DEFAULT_TIMEZONE, name: str = "nightly-inbox", min_age: float = 60.0,
                workers: int | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Serve nightly_inbox as deployment `name` on `cron` in `timezone`, until interrupted."""
    from prefect.schedules import Cron

    from flows.inbox import nightly_inbox

    parameters = deployment_parameters(inbox, out, db=db, min_age=min_age, workers=workers, max_bytes=max_bytes)
    nightly_inbox.serve(name=name, schedules=[Cron(cron, timezone=timezone)], parameters=parameters,
                        description="congvan: one pass over the inbox folder, every night")


if __name__ == "__main__":
    import sys

    from pipeline.cli import main

    sys.exit(main(["serve", *sys.argv[1:]]))

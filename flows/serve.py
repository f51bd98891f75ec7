"""Serving the nightly inbox pass on a schedule (needs a Prefect server: `prefect server start`).

`flow.serve` must run in the main process of the program that defines the flow (runs are
started by re-importing it): `congvan serve ...` calls serve_inbox from its main().
"""
from __future__ import annotations

from pathlib import Path

from pipeline.extract import DEFAULT_MAX_BYTES
from pipeline.inbox import DEFAULT_TIMEZONE
from pipeline.limits import Limits

DEFAULT_CRON = "0 2 * * *"


def deployment_parameters(inbox: Path, out: Path, *, db: str | None = None, min_age: float = 60.0,
                          workers: int | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                          time_limit: float = Limits.seconds, memory_limit: int | None = Limits.memory) -> dict:
    return {"inbox": str(Path(inbox).resolve()), "out": str(Path(out).resolve()), "db": db,
            "min_age": min_age, "workers": workers, "max_bytes": max_bytes, "time_limit": time_limit,
            "memory_limit": memory_limit}


def check_schedule(cron: str, timezone: str) -> str | None:
    """Why this schedule cannot be served (None: it can), said before anything starts. Prefect's
    own schedule model judges, so what passes here is what the server takes."""
    from pydantic import ValidationError

    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron, timezone=timezone)
    except ValidationError as error:
        field = str(error.errors()[0]["loc"][0])
        if field == "timezone":
            return f"--timezone {timezone!r} is not a time zone (an IANA name, e.g. Asia/Ho_Chi_Minh)"
        return f"--cron {cron!r} is not a cron schedule (minute hour day month weekday, e.g. '0 2 * * *')"
    return None


def serve_inbox(inbox: Path, out: Path, *, db: str | None = None, cron: str = DEFAULT_CRON,
                timezone: str = DEFAULT_TIMEZONE, name: str = "nightly-inbox", min_age: float = 60.0,
                workers: int | None = None, max_bytes: int = DEFAULT_MAX_BYTES, time_limit: float = Limits.seconds,
                memory_limit: int | None = Limits.memory) -> None:
    """Serve nightly_inbox as deployment `name` on `cron` in `timezone`, until interrupted."""
    from prefect.schedules import Cron

    from flows.inbox import nightly_inbox

    parameters = deployment_parameters(inbox, out, db=db, min_age=min_age, workers=workers, max_bytes=max_bytes,
                                       time_limit=time_limit, memory_limit=memory_limit)
    nightly_inbox.serve(name=name, schedules=[Cron(cron, timezone=timezone)], parameters=parameters,
                        description="congvan: one pass over the inbox folder, every night")

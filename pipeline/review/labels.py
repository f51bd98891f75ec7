"""The site's Vietnamese wording, read once from labels.toml beside this module."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

_FILE = Path(__file__).with_name("labels.toml")


@cache
def labels() -> dict[str, Any]:
    with _FILE.open("rb") as file:
        return tomllib.load(file)


def label(table: str, code: str | None) -> str:
    """The Vietnamese label of `code` in `table`; the code itself when the table has none."""
    if code is None:
        return ""
    entry = labels()[table].get(code, code)
    return entry["label"] if isinstance(entry, dict) else entry


def kinds() -> dict[str, dict[str, str]]:
    """The kinds of evidence, in legend order, each with its label and help text."""
    return labels()["kinds"]


def reason(text: str) -> str:
    """A review reason in Vietnamese: its known beginning translated, the rest (names, dates) kept."""
    for entry in labels()["reasons"]:
        if text.startswith(entry["prefix"]):
            rest = text[len(entry["prefix"]):].strip() if entry.get("keep_rest") else ""
            return f"{entry['label']} {rest}".strip()
    return text

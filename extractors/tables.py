"""Language data lives in TOML files under extractors/data/, not in code.

Each file is a list of entries under one table name (`[[type]]`, `[[abbreviation]]` ...);
every entry carries `examples` (real snippets) that tests/test_tables.py runs through the
extractor that uses the entry, the way eyecite checks its patterns against their examples.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).with_name("data")


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed contents of extractors/data/<name>.toml."""
    with (DATA_DIR / f"{name}.toml").open("rb") as f:
        return tomllib.load(f)


def entries(name: str, table: str) -> list[dict[str, Any]]:
    return load(name)[table]


def alternation(words: Iterable[str]) -> str:
    """One regex alternation of data words, longest first (so "đến hết" wins over "đến"),
    each space matching any run of white space (a word may be wrapped across lines)."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))

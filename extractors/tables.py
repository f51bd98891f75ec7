"""Language data lives in TOML files under extractors/data/, not in code: one loader, one schema, one builder.

Each file is a few tables of entries (`[[type]]`, `[[abbreviation]]` ...) and perhaps a few settings
tables (`[sequence]`). `SCHEMA` below says, for every file, which tables it has and which keys each
entry must and may carry; `load` checks a file against it the first time it is read and raises
`DataError` naming the file, table, entry and key, so a typo in a data file fails at once, not as a
silent miss. Every entry carries `examples` (real snippets) that tests/test_data_examples.py runs
through the code that uses the entry, the way eyecite checks its patterns against their examples.
Patterns (`pattern` keys) are compiled when loaded.

`phrase_pattern` is the one way a list of words or phrases from these files becomes a regex.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).with_name("data")


class DataError(ValueError):
    """A data file that does not follow its schema."""


def _entries(required: str, optional: str = "") -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(required.split()) | {"examples"}, frozenset(optional.split())


# file -> table -> (required keys, optional keys) of its entries; None: a settings table, free form.
SCHEMA: dict[str, dict[str, tuple[frozenset[str], frozenset[str]] | None]] = {
    "abbreviations": {"abbreviation": _entries("short full"), "symbol_issuer": _entries("code name", "ocr")},
    "assignees": {
        "head": _entries("words", "case split title whole collective of_place listed named action_named"), "field": _entries("name"),
        "action": _entries("words", "noun"), "boundary": _entries("words", "finding"), "compound": _entries("words"),
        "qualifier": _entries("pattern starts"), "relative_clause": _entries("pattern until"), "opener": _entries("words", "condition"),
        "honorific": _entries("words"), "cue": _entries("role pattern starts"), "task_field": _entries("role pattern"),
        "findings": _entries("pattern", "not_examples"), "background_heading": _entries("pattern", "not_examples"),
        "closing": _entries("pattern"), "opinion": _entries("pattern", "not_examples"),
        "quoted_list": _entries("pattern", "not_examples"), "directive_intro": _entries("pattern", "not_examples"),
        "explains": _entries("pattern", "not_examples"), "modal": _entries("pattern", "not_examples"),
    },
    "attachments": {"caption": None, "issued_with": _entries("title"), "appendix": _entries("title")},
    "bodies": {"kind": _entries("name", "ocr then"), "locality": _entries("name", "abbreviations"),
               "title": _entries("name"), "field": _entries("names"), "province": _entries("names", "central")},
    "clause_labels": {
        "ranks": None, "roman": None, "letters": None, "sequence": None, "skip": None,
        "label": _entries("name kind rank sequence pattern id"), "not_label": _entries(""),
    },
    "deadline_phrases": {
        "letter_date": None, "received": None,
        "period_word": _entries("word period"), "months_period": _entries("months period"),
        "recurrence_word": _entries("word"), "periodic_word": _entries("word"),
        "attribute_noun": _entries("word", "period_only"), "date_cue": _entries("word", "weak"),
        "date_exclusion": _entries("word"), "period_cue": _entries("word point"), "half_year": _entries("word half"),
        "year_action": _entries("word", "anywhere"), "finding_word": _entries("word"),
        "relative_cue": _entries("word", "needs_start"), "duration_word": _entries("word"),
        "day_prefix": _entries("word"), "period_label": _entries("word"), "task_label": _entries("word"),
        "counted_from": _entries("word start"), "event_object": _entries("word"), "number_word": _entries("word value"),
        "urgent": _entries("word", "not_followed_by"), "ongoing": _entries("word"), "negation": _entries("word"),
    },
    "doc_types": {"type": _entries("code label", "abbr aliases labels ocr party")},
    "esign": {"label": _entries("field pattern")},
    "implements": {
        "opening": _entries("word"), "basis": _entries("word"), "basis_subject": _entries("word"),
        "directive_type": _entries("code"), "subject_opening": _entries("word"), "item_cue": _entries("word kind"),
    },
    "holidays": {"fixed": _entries("name month day", "extra_day since_extra"),
                 "lunar": _entries("name month day offsets"), "year": _entries("year days_off work_days")},
    "ocr_confusions": {"digit": _entries("digit read_as"), "repair": _entries("name pattern replace", "digits upper mixed")},
    "letter_signals": {"signal": _entries("name kind pattern", "not_examples"), "opening": _entries("words")},
    "person_names": {"surname": _entries("name")},
    "recipients": {"addressing": _entries("word"), "purpose": _entries("word"), "detail": _entries("word")},
    "syllables": {"onset": _entries("letters", "not_examples"), "rhyme": _entries("open stopped", "not_examples")},
    "signature": {"authority": _entries("prefix meaning", "printed"), "mark": _entries("text field value")},
    "targets": {"bound": _entries("kind words"), "unit": _entries("words"), "finding": _entries("words"),
                "subject_stop": _entries("words"), "no_subject_start": _entries("words")},
    "web_chrome": {"marker": _entries("starts")},
}


def check(name: str, data: dict[str, Any]) -> None:
    """Raise DataError unless `data` (the parsed extractors/data/<name>.toml) follows SCHEMA."""
    if name not in SCHEMA:
        raise DataError(f"{name}.toml: no schema in extractors/tables.py SCHEMA")
    tables = SCHEMA[name]
    if unknown := set(data) - set(tables):
        raise DataError(f"{name}.toml: tables {sorted(unknown)} are not in its schema")
    for table, keys in tables.items():
        if table not in data:
            raise DataError(f"{name}.toml: table [{table}] is missing")
        if keys is None:
            continue
        rows = data[table]
        if not isinstance(rows, list) or not rows:
            raise DataError(f"{name}.toml: [[{table}]] must be a non-empty list of entries")
        required, optional = keys
        for i, entry in enumerate(rows):
            where = f"{name}.toml [[{table}]] entry {i + 1}"
            if missing := required - set(entry):
                raise DataError(f"{where}: missing {sorted(missing)}")
            if extra := set(entry) - required - optional:
                raise DataError(f"{where}: unknown keys {sorted(extra)}")
            if not entry["examples"]:
                raise DataError(f"{where}: no examples")
            if "pattern" in entry:
                try:
                    re.compile(entry["pattern"])
                except re.error as error:
                    raise DataError(f"{where}: pattern does not compile: {error}") from None


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed contents of extractors/data/<name>.toml, checked against SCHEMA."""
    with (DATA_DIR / f"{name}.toml").open("rb") as f:
        data = tomllib.load(f)
    check(name, data)
    return data


def entries(name: str, table: str) -> list[dict[str, Any]]:
    return load(name)[table]


def phrase_pattern(phrases: Iterable[str], *, ignore_case: bool = False) -> str:
    """A regex alternation of `phrases`: longest first (so "Phó Chủ tịch" wins over "Chủ tịch"), each
    escaped, its spaces matching any run of whitespace (a phrase may be wrapped over lines)."""
    alternatives = [r"\s+".join(re.escape(w) for w in p.split()) for p in sorted(set(phrases), key=len, reverse=True)]
    body = "|".join(alternatives)
    return f"(?i:{body})" if ignore_case else f"(?:{body})"

"""The one JSON contract of congvan (pydantic v2). `schema.json` beside it is generated."""
import json
from pathlib import Path

from schemas.models import (
    SCHEMA_VERSION,
    Assignee,
    Authority,
    Body,
    CcEntry,
    Clause,
    Deadline,
    DigitalSignature,
    Document,
    DocumentLink,
    ExtractionResult,
    ExtractionWarning,
    IncomingStamp,
    Issuer,
    Obligation,
    Page,
    Reference,
    Signer,
    Source,
    Span,
    Target,
    Word,
)

SCHEMA_PATH = Path(__file__).with_name("schema.json")


def json_schema() -> str:
    """The JSON Schema of ExtractionResult, as committed in schema.json."""
    return json.dumps(ExtractionResult.model_json_schema(), ensure_ascii=False, indent=2) + "\n"


__all__ = [
    "SCHEMA_PATH", "SCHEMA_VERSION", "Assignee", "Authority", "Body", "CcEntry", "Clause", "Deadline",
    "DigitalSignature", "Document", "DocumentLink", "ExtractionResult", "ExtractionWarning", "IncomingStamp", "Issuer",
    "Obligation", "Page", "Reference", "Signer", "Source", "Span", "Target", "Word", "json_schema",
]

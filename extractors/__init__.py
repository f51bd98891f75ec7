"""Pure functions from a letter's text to typed records: no I/O, no Prefect.

One module per stage (normalize -> split -> header -> clauses -> references ->
implements), composed by `letters.extract_documents`.
"""
from extractors.letters import extract_documents

__all__ = ["extract_documents"]

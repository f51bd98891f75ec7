"""The review site (`congvan review`): each letter with what was read from it, where, and what
needs a look; static HTML from the output JSON (pipeline/review/site.py)."""
from pipeline.review.site import ReviewReport, write_review_site

__all__ = ["ReviewReport", "write_review_site"]

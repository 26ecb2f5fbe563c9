"""Reviewing suggestions: the queue, decisions, undo, status, and the two front ends.

The library part (:mod:`queue`, :mod:`items`, :mod:`decisions`, :mod:`session`,
:mod:`status`, :mod:`plain`) has no UI dependency; :mod:`app` and :mod:`screens` hold the
Textual app and are imported only when the full-screen review starts.
"""

from codeer.review.decisions import bulk_decide, decide, undo_last
from codeer.review.queue import ReviewFilter, ReviewQueue
from codeer.review.session import ReviewSession
from codeer.review.status import review_status

__all__ = [
    "ReviewFilter",
    "ReviewQueue",
    "ReviewSession",
    "bulk_decide",
    "decide",
    "review_status",
    "undo_last",
]

"""Limits on the work one input may cause, enforced while it is read (before any work is done).

Crawls and uploads come from nobody we control: a 1 MB gzip file can hold a billion blank lines
or millions of bad records, a 2 KB JSON line can nest deep enough to overflow the parser's
stack. Each limit has a default safe for a laptop and generous for real news.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..errors import InputError
from ..model import RawDocument
from .decode import MAX_BYTES

__all__ = ["MAX_DEPTH", "Limits", "bounded"]

MAX_DEPTH = 64  # JSON nesting of one record (news records nest 2 or 3 levels)


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-input limits (an input: a file, stdin, an upload)."""

    max_bytes: int = MAX_BYTES  # one record: a file, a JSON line, a WARC record, a stdin document
    max_records: int = 10_000_000  # lines (blank ones too) or records read from one input
    max_errors: int = 100  # problems reported one by one per input; the rest are counted in one line
    max_depth: int = MAX_DEPTH


def bounded(
    items: Iterable[RawDocument | InputError], source: str, limits: Limits
) -> Iterator[RawDocument | InputError]:
    """The items of one input with at most `max_errors` errors, then one summary error; an input that
    gives neither a record nor an error is reported as empty."""
    errors = records = 0
    for item in items:
        if isinstance(item, InputError):
            errors += 1
            if errors > limits.max_errors:
                continue
        else:
            records += 1
        yield item
    if errors > limits.max_errors:
        hidden = errors - limits.max_errors
        yield InputError(source, f"{hidden} more problems not shown (at most {limits.max_errors} per input)")
    elif not errors and not records:
        yield InputError(source, "empty input: no records")

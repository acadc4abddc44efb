"""Exceptions raised across newsdesk's public boundary.

NewsdeskError                 anything newsdesk raises on purpose
├── InputError                one input (file, line, record) cannot be read; names it
├── StoreError                the database cannot be opened or written
└── EvaluationError           a gold set is missing or malformed
"""

from __future__ import annotations

from .unicode import valid_unicode

__all__ = ["EvaluationError", "InputError", "NewsdeskError", "StoreError"]


class NewsdeskError(Exception):
    """Base class: catch this to handle every expected newsdesk failure."""


class InputError(NewsdeskError):
    """An input could not be read; `source` names the file (and line) at fault."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{_printable(source)}: {problem}")
        self.source = source
        self.problem = problem

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        # Worker processes send these back to the parent: rebuild from both fields, not the message.
        return type(self), (self.source, self.problem)


_CONTROL = {c: f"\\x{c:02x}" for c in range(32)} | {10: "\\n", 13: "\\r", 9: "\\t"}


def _printable(source: str) -> str:
    """A file name on one line, as valid Unicode: a newline in a name must not split its error line."""
    return valid_unicode(source).translate(_CONTROL)


class StoreError(NewsdeskError):
    """The article store could not be opened, migrated or written."""


class EvaluationError(NewsdeskError):
    """An evaluation set is missing or not in the expected format."""

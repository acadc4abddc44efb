"""Undo mojibake: UTF-8 text that was decoded as Latin-1 or cp1252 upstream ("gÃ¼nlÃ¼k").

Crawls and datasets often hold text mis-decoded before it reaches us, once or twice
over; byte-level decoding (`sources.decode`) cannot see it because the bytes are valid.
ftfy recognises these sequences by their statistics and reverses them. Only its
encoding repair is switched on: its other fixes (straight quotes, full-width forms,
ligatures, NFC) would change clean text, and clean text must pass through untouched.
"""

from __future__ import annotations

from ftfy import TextFixerConfig, fix_and_explain

__all__ = ["repair_mojibake"]

_OTHER_FIXES = (
    "unescape_html",
    "remove_terminal_escapes",
    "fix_latin_ligatures",
    "fix_character_width",
    "uncurl_quotes",
    "fix_line_breaks",
    "fix_surrogates",
    "remove_control_chars",
)
_CONFIG = TextFixerConfig(**dict.fromkeys(_OTHER_FIXES, False), normalization=None, explain=True)


def repair_mojibake(text: str) -> tuple[str, list[str]]:
    """The text with mis-decoded sequences repaired, and the steps taken (empty when untouched)."""
    if text.isascii():  # nothing to repair, and ftfy's scan is the cost of this stage
        return text, []
    fixed = fix_and_explain(text, config=_CONFIG)
    if fixed.text == text:
        return text, []
    return fixed.text, [f"{action} {detail}" for action, detail in fixed.explanation or []]

"""Snippets of a hit: a window of its text around the first matching word, and the matching
words marked. Done in Python, the same on PostgreSQL and SQLite, for the few hits shown."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kam.top.search.normalize import Terms, fold

WIDTH = 180
_WORD = re.compile(r"[^\W_]+")
# A word in the text also matches a query word of another form of the same stem
# (Verhandlung / Verhandlungen): when they share this many leading letters, or all of the shorter.
STEM = 5


def _matches(token: str, terms: Terms) -> bool:
    folded = fold(token)
    for word in terms.words:
        for variant in word.variants:
            if folded.startswith(variant):
                return True
            shared = len(_common_prefix(folded, variant))
            if shared >= STEM and shared >= min(len(folded), len(variant)) - 3:
                return True
    return False


def _common_prefix(a: str, b: str) -> str:
    size = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        size += 1
    return a[:size]


def excerpt(text: str, terms: Terms, width: int = WIDTH) -> str:
    """At most `width` characters of `text`, starting shortly before its first matching word."""
    text = " ".join((text or "").split())
    if len(text) <= width:
        return text
    first = next((m.start() for m in _WORD.finditer(text) if _matches(m.group(), terms)), 0)
    start = max(0, first - width // 4)
    if start:
        start = text.find(" ", start) + 1 or start
    end = start + width
    cut = text[start:end].rsplit(" ", 1)[0] if end < len(text) else text[start:]
    return ("…" if start else "") + cut + ("…" if end < len(text) else "")


def highlight(text: str, terms: Terms) -> SafeString:
    """`text` escaped, each matching word in <mark>."""
    parts, last = [], 0
    for match in _WORD.finditer(text):
        if _matches(match.group(), terms):
            parts += [escape(text[last : match.start()]), f"<mark>{escape(match.group())}</mark>"]
            last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above

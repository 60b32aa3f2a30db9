"""How search reads text: folded to lowercase ASCII-ish words (accents and umlauts dropped,
ß → ss), the same in Python, in SQLite (a Python function registered on each connection) and
in PostgreSQL (`kam_norm`, created by this app's migration on top of `unaccent`).

A query is cut into words; each word may come in variants so that Müller, Muller and Mueller
find each other: a typed umlaut also tries its transliteration (ü → ue), a typed ae/oe/ue also
tries the plain vowel (Mueller → muller, which is how Müller reads once folded).
"""

import re
import unicodedata
from dataclasses import dataclass

MAX_WORDS = 8
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "þ": "th", "ı": "i"})
_TRANSLITERATE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_NOT_WORD = re.compile(r"[\W_]+")
_COLLAPSE = re.compile(r"(?<=[aou])e")


def fold(text: str) -> str:
    """Lowercase without accents: "Jürgen Groß" → "jurgen gross"."""
    text = text.lower().translate(_SPECIAL)
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))


def norm(*parts: str | None) -> str:
    """What `kam_norm` makes of some fields: folded words between single spaces, with a space
    before and after, so that " word" finds a word's start and " word " the whole word."""
    words = _NOT_WORD.sub(" ", fold(" ".join(part for part in parts if part))).strip()
    return f" {words} "


@dataclass(frozen=True)
class Word:
    variants: tuple[str, ...]  # folded spellings, the typed one first


@dataclass(frozen=True)
class Terms:
    text: str  # the query as typed, trimmed
    folded: str  # its words folded, one space between
    words: tuple[Word, ...]

    def __bool__(self) -> bool:
        return bool(self.words)


def parse(query: str) -> Terms:
    text = " ".join(query.split())
    words = []
    for raw in _NOT_WORD.split(text.lower())[: MAX_WORDS * 2]:
        if not raw:
            continue
        folded = fold(raw)
        variants = [folded]
        if any(char in raw for char in "äöü"):
            variants.append(raw.translate(_TRANSLITERATE))
        collapsed = _COLLAPSE.sub("", folded) if re.search(r"[aou]e", folded) else folded
        if collapsed != folded and len(collapsed) >= 2:
            variants.append(collapsed)
        words.append(Word(tuple(dict.fromkeys(fold(variant) for variant in variants))))
    words = words[:MAX_WORDS]
    return Terms(text=text, folded=" ".join(word.variants[0] for word in words), words=tuple(words))


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """SQLite has no unaccent: give it `kam_norm` in Python, the same function as `norm`."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("kam_norm", -1, norm, deterministic=True)

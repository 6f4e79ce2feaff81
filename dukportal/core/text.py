"""Vietnamese text helpers: NFC normalisation, a diacritic-free search key and an alphabetical sort key.

Both keys are computed in Python and stored, so search and ordering behave the same on SQLite and
PostgreSQL (no ICU collation or unaccent extension needed).
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Characters XML 1.0 forbids (C0 controls but tab, newline and carriage return; lone surrogates; U+FFFE/U+FFFF):
# pasted from a PDF or another program, they made python-docx and WeasyPrint fail. DEL and C1 controls are
# invisible garbage as well.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def strip_control(value: str | None) -> str:
    """Text without control characters; newlines and tabs are kept (a carriage return becomes a newline)."""
    if value is None:
        return ""
    return _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))


def without_control(data, names):
    """A copy of submitted form data (a QueryDict or a dict) whose `names` fields lost their control
    characters, before the form validates them (Django's CharField refuses a NUL outright)."""
    if data is None:
        return None
    data = data.copy()
    for name in names:
        if name not in data:
            continue
        if hasattr(data, "setlist"):
            data.setlist(name, [strip_control(value) for value in data.getlist(name)])
        elif isinstance(data[name], str):
            data[name] = strip_control(data[name])
    return data


# Combining marks that change the base letter (primary level of Vietnamese order).
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
# Tone marks (secondary level), in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

_ALPHABET = [
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
# Two-digit codes from 10 upwards; "01" separates words, "00" ends the primary part. Digit-only keys
# compare the same under every database collation.
_CODE = {letter: f"{10 + i:02d}" for i, letter in enumerate(_ALPHABET)}
_WORD_BREAK = "01"
SORT_KEY_LENGTH = 400


def normalize_text(value: str | None) -> str:
    """NFC, trimmed, inner whitespace collapsed: a name typed with decomposed accents is the same name."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", strip_control(value))).strip()


def fold(value: str | None) -> str:
    """Lower-case, diacritics removed, đ → d: "Nguyễn Đức Phương" → "nguyen duc phuong"."""
    decomposed = unicodedata.normalize("NFD", normalize_text(value).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


# A search box holds a name or two, not a page: each term is one more LIKE in the query, and thousands of them
# (a pasted page, a fuzzer) overflowed SQLite's expression depth (HTTP 500).
MAX_SEARCH_TERMS = 10
MAX_SEARCH_TERM_LENGTH = 100


def search_terms(query: str | None) -> list[str]:
    """The distinct folded words of a search, at most MAX_SEARCH_TERMS of them, each cut to a sane length."""
    terms = dict.fromkeys(term[:MAX_SEARCH_TERM_LENGTH] for term in fold(query).split(" ") if term)
    return list(terms)[:MAX_SEARCH_TERMS]


def _letters(value: str):
    """Yield (primary letter, tone) for each character of a lower-cased NFD string."""
    decomposed = unicodedata.normalize("NFD", value.lower())
    current, tone = None, 0
    for ch in decomposed:
        if unicodedata.combining(ch):
            if current is None:
                continue
            if ch == _BREVE and current == "a":
                current = "ă"
            elif ch == _CIRCUMFLEX and current in "aeo":
                current = {"a": "â", "e": "ê", "o": "ô"}[current]
            elif ch == _HORN and current in "ou":
                current = {"o": "ơ", "u": "ư"}[current]
            elif ch in _TONES:
                tone = _TONES[ch]
            continue
        if current is not None:
            yield current, tone
        current, tone = ch, 0
    if current is not None:
        yield current, tone


def sort_key(value: str | None) -> str:
    """Key that orders strings in Vietnamese alphabetical order (a < ă < â, d < đ, o < ô < ơ, u < ư,
    then by tone: ngang < huyền < hỏi < ngã < sắc < nặng)."""
    primary, secondary = [], []
    pending_break = False
    for letter, tone in _letters(normalize_text(value)):
        code = _CODE.get(letter)
        if code is None:  # space, punctuation: one word break
            pending_break = bool(primary)
            continue
        if pending_break:
            primary.append(_WORD_BREAK)
            pending_break = False
        primary.append(code)
        secondary.append(str(tone))
    return ("".join(primary) + "00" + "".join(secondary))[:SORT_KEY_LENGTH]


def person_sort_key(full_name: str | None) -> str:
    """Vietnamese lists order people by given name (the last word) first, then family and middle names."""
    words = normalize_text(full_name).split(" ")
    return sort_key(" ".join(words[-1:] + words[:-1]))

"""Finds English words in text meant for a Brazilian reader (the `bemtevi` command).

A word is English when it is far more frequent in English than in Portuguese and rare in
Portuguese, by the word-frequency lists pyspellchecker ships for both languages (built
from subtitles): so any English word is caught, not only the ones someone thought to
list. Portuguese subtitles hold a few English words too ("status", "for"): those are
listed. Left out: what a
person types as is (option names, code in backticks), identifiers with a digit (keys,
ids), and the loanwords and names below. An error code such as `tenant_not_found` is
read word by word: a person should get the message, not the code.
"""

from __future__ import annotations

import re
from functools import cache

# loanwords and names a Brazilian reads as they are; "mes" is the CSV's column, unaccented
LOANWORDS = {"sms", "whatsapp", "mail", "ticket", "meta", "ses", "kms", "csv", "json", "html"}
LOANWORDS |= {"id", "mes", "america"}
# English words that Portuguese subtitles hold often enough to pass for Portuguese
ENGLISH = {"status", "to", "is", "are", "be", "true", "false", "none", "null", "error"}
PROPER_NAMES = ("End User Messaging",)
# typed as is: `--retire-old`, `bemtevi jobs run metrics`, a WhatsApp model's `name`
TYPED = re.compile(r"`[^`]*`|(?<!\w)--?[\w-]+")
RATIO = 5  # English when this many times more frequent in English than in Portuguese
RARE = 0.1  # per million words: below it, not a word of the language


@cache
def _frequencies(language: str):  # type: ignore[no-untyped-def]
    from spellchecker import SpellChecker

    frequency = SpellChecker(language=language, distance=1).word_frequency
    total = frequency.total_words
    return lambda word: frequency[word] / total * 1_000_000


def english_words(text: str, typed: set[str] = frozenset()) -> set[str]:
    """The English words of `text`; the words in `typed` (command names, choices) are
    taken as typed by the person, not read."""
    for name in PROPER_NAMES:
        text = text.replace(name, " ")
    text = TYPED.sub(" ", text)
    english, portuguese = _frequencies("en"), _frequencies("pt")
    found = set()
    for chunk in re.findall(r"[\w-]+", text):
        if re.search(r"\d", chunk) or chunk in typed:
            continue
        for word in re.split(r"[-_]", chunk.lower()):
            if len(word) < 2 or word in LOANWORDS or word in typed:
                continue
            if word in ENGLISH or (
                portuguese(word) < RARE * 3 and english(word) > max(RARE, RATIO * portuguese(word))
            ):
                found.add(word)
    return found

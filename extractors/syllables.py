"""Whether a word is a syllable Vietnamese can be written with, by the spelling rules of
extractors/data/syllables.toml: an onset, a rhyme, at most one tone mark, and a stopped rhyme
(ending in c, ch, p, t) only with the sắc or nặng tone.

OCR of a signature block turns a seal, a signature and a misread title into words that look like a
name ("Phó Chủ Tịc N", "TÔ MHớo"); the syllables of a real name are real syllables. The check is
on spelling alone, not on a dictionary, so an unseen name passes.
"""
from __future__ import annotations

import unicodedata
from functools import cache

from extractors.tables import entries

# the five tone marks as combining characters: huyền, sắc, hỏi, ngã, nặng
_TONES = {"\u0300": "huyen", "\u0301": "sac", "\u0309": "hoi", "\u0303": "nga", "\u0323": "nang"}
_STOPPED_TONES = {"sac", "nang"}


@cache
def _onsets() -> tuple[str, ...]:
    # longest first: "ngh" before "ng" before "n"
    return tuple(sorted({o for e in entries("syllables", "onset") for o in e["letters"]}, key=len, reverse=True))


@cache
def _rhymes() -> tuple[frozenset[str], frozenset[str]]:
    table = entries("syllables", "rhyme")
    return (frozenset(r for e in table for r in e["open"]), frozenset(r for e in table for r in e["stopped"]))


def _toneless(word: str) -> tuple[str, list[str]]:
    """The word in lower case without its tone marks, and the tones it had."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    tones = [_TONES[c] for c in decomposed if c in _TONES]
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES)), tones


def is_syllable(word: str) -> bool:
    """'Dũng', 'Thưởng', 'Quyết', 'Giữ': yes; 'Tịc', 'N', 'MHớo': no."""
    if not word.isalpha():
        return False
    plain, tones = _toneless(word)
    if len(tones) > 1:
        return False
    open_rhymes, stopped = _rhymes()
    for onset in _onsets():
        if not plain.startswith(onset):
            continue
        rest = plain[len(onset):]
        # "gi" and "qu" hold the glide of their rhyme: "giữ" is gi + ư, "giếng" gi + (i)êng, "quỳnh" qu + (u)ynh
        candidates = [rest, "i" + rest] if onset == "gi" else [rest, "u" + rest] if onset == "qu" else [rest]
        for rhyme in candidates:
            if rhyme in open_rhymes or (rhyme in stopped and bool(tones) and tones[0] in _STOPPED_TONES):
                return True
    return False

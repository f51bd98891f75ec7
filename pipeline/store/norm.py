"""Normal forms the store matches on: document keys, issuer names, words of a clause."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from extractors.bodies import titles

_WORD = re.compile(r"\w+")
_LEADING_ZEROS = re.compile(r"^0+(?=\d)")


def fold(text: str) -> str:
    """Casefolded NFC, đ kept: 'Ủy ban' -> 'ủy ban'."""
    return unicodedata.normalize("NFC", text).casefold()


def strip_marks(text: str) -> str:
    """Casefolded, without tone or vowel marks, đ as d: what a search box matches against."""
    decomposed = unicodedata.normalize("NFD", fold(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")


def key_norm(key: str) -> str:
    """The key as matched: no spaces, casefolded, no leading zeros in the number ('03/CT-UBND' = '3/ct-ubnd')."""
    return _LEADING_ZEROS.sub("", fold(re.sub(r"\s+", "", key)))


@lru_cache(maxsize=1)
def _titles() -> tuple[str, ...]:
    """Titles that head a cited issuer without changing which body it is ('Chủ tịch Ủy ban nhân
    dân tỉnh' issues as the provincial People's Committee): the gazetteer's, longest first."""
    return tuple(fold(t) for t in titles())


def issuer_norm(name: str | None) -> str | None:
    if not name:
        return None
    words = " ".join(_WORD.findall(fold(name)))
    for title in _titles():
        if words.startswith(title + " "):
            words = words[len(title) + 1:]
            break
    return words or None


def issuers_compatible(a: str | None, b: str | None) -> bool:
    """Two normalized issuer names could name one body: one's words are all in the other's
    ('ủy ban nhân dân tỉnh' and 'ủy ban nhân dân tỉnh tây ninh'); missing fits anything."""
    if not a or not b:
        return True
    wa, wb = set(a.split()), set(b.split())
    return wa <= wb or wb <= wa


# Words too common in directives to say which clause an obligation carries out.
_STOPWORDS = frozenset(
    "và các của trong có được cho với theo để những tại về là này đó thì từ trên đến khi "
    "một số như đã sẽ phải đối cũng nhằm bảo đảm đảm tiếp tục thực hiện nghiêm túc "
    "chỉ đạo đơn vị cơ quan việc nội dung yêu cầu".split()
)


@lru_cache(maxsize=50_000)
def words(text: str) -> frozenset[str]:
    """Syllables and syllable pairs of a clause, casefolded, common words left out of the singles."""
    syllables = _WORD.findall(fold(text))
    singles = {s for s in syllables if s not in _STOPWORDS and not s.isdigit()}
    pairs = {f"{a} {b}" for a, b in zip(syllables, syllables[1:])
             if not (a in _STOPWORDS and b in _STOPWORDS)}
    return frozenset(singles | pairs)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def search_text(*parts: str | None) -> str:
    """What `congvan search` matches a letter by: its key, issuer (and parent), subject, signer, without marks."""
    return strip_marks(" ".join(p for p in parts if p))


def track_key(identity: str, clause: str, n: int) -> str:
    """An obligation's key for the tracker: its letter's identity, its clause, and which of the
    letter's obligations of that clause it is. The same when the letter is read again."""
    return f"{identity}#{clause}#{n}"


def lookup_key(key: str) -> str:
    """A key as typed, normalized the way extraction normalizes keys ('968/CD-TTg' finds
    968/CĐ-TTg, '3852/syt-vp' finds 3852/SYT-VP), then as the store matches them."""
    from extractors.keys import normalize_key

    return key_norm(normalize_key(key) or key)

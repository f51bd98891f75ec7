"""Normalization: one spelling of the text before any pattern runs.

Input comes from earlier OCR runs, web pages, PDFs and Word exports, so the same letter
arrives with NFD or NFC diacritics, old or new tone-mark placement (uỷ/ủy, hoà/hòa),
five kinds of dash, markdown emphasis, table pipes, and paragraphs cut by page breaks.
Each step below is a pure function over a TrackedText, so offsets still map back to the
input. Steps never drop words, only layout; stray handwritten lines are recognised later,
by `lines`, where their position in the letter is known.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache

from extractors.closing import authority_prefix
from extractors.split import opening_words
from extractors.lines import LIST_ITEM, is_upper
from extractors.tracked import TrackedText

# One character for one character, so offsets do not move.
_CHAR_MAP = str.maketrans(
    {
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
        "\u2212": "-", "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
        "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
        "\t": " ", "\r": "\n", "\f": "\n", "\u2028": "\n", "\u2029": "\n",
        # Tesseract and some PDF fonts give the Icelandic eth for the Vietnamese Đ.
        "\u00d0": "Đ", "\u00f0": "đ",
    }
)

_COMBINING = re.compile(r".[\u0300-\u036f]+", re.DOTALL)
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")

# Old-style tone placement on the glide of oa/oe/uy when the syllable ends there
# (hoà -> hòa, uỷ -> ủy); 'qu' keeps its mark on y (quý is the same in both styles).
_TONES = {"\u0300": "grave", "\u0301": "acute", "\u0309": "hook", "\u0303": "tilde", "\u0323": "dot"}


def _marked(base: str, mark: str) -> str:
    return unicodedata.normalize("NFC", base + mark)


def _old_to_new_table() -> dict[str, str]:
    table = {}
    for mark in _TONES:
        for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
            for f, s in ((first, second), (first.upper(), second.upper()), (first.upper(), second)):
                table[f + _marked(s, mark)] = _marked(f, mark) + s
    return table


_OLD_TONES = _old_to_new_table()
_OLD_TONE_RE = re.compile(r"[oOuU][àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ](?![^\W\d_])")

_CRLF = re.compile(r"\r\n")
# Markdown emphasis, wherever a web copy puts it: "**bold**", "*italic*", "***…*", in a word
# ("ngày **21** tháng"), or closing after a space ("... năm 2025 *"). Every run of "*" goes, but the
# footnote mark "(*)" and a "* " bullet at the start of a line. Each pattern here starts with its
# literal, so the scan rejects every other character at once.
_MD_STARS = re.compile(r"\*+")
_MD_UNDERLINE = re.compile(r"__")


def _drop_emphasis(m: re.Match[str]) -> str:
    s, start, end = m.string, m.start(), m.end()
    if start and s[start - 1] == "(" and s[end : end + 1] == ")":
        return m.group(0)  # "(*)"
    if (start == 0 or s[start - 1] == "\n") and end - start == 1 and s[end : end + 1] == " ":
        return m.group(0)  # a bullet
    return ""


_MD_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ ]+", re.MULTILINE)
_RULE_LINE = re.compile(r"^[ ]*(?:[-*_=]{3,}|\|?(?:[ ]*:?-{3,}:?[ ]*\|)+[ ]*:?-*:?[ ]*)[ ]*$", re.MULTILINE)
_TABLE_PIPE = re.compile(r"[ ]*\|[ ]*")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.I)
_HTML_TAG = re.compile(r"</?(?:p|b|strong|i|em|u|span|div|font|sup|sub)(?:\s[^>]*)?>", re.I)
_TRAILING_SPACE = re.compile(r"[ ]+$", re.MULTILINE)
_LEADING_SPACE = re.compile(r"^[ ]+", re.MULTILINE)
_INNER_SPACES = re.compile(r"[ ]{2,}")  # runs after lines lost their leading and trailing spaces
_MANY_BLANKS = re.compile(r"\n\n\n+")  # from its literal: the fastest scan

_LOWER_START = r"[a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]"
_LABEL_START = r"(?:[a-zđ][).]\s|[ivx]+[.)]\s)"
# A paragraph that stops without closing punctuation and goes on, in lower case, after a
# line or page break is one paragraph: join it with a space.
# (Runs after tidy_spaces, so no line ends or starts with a space.) The character before the
# break is checked by _join_broken: a regex that starts at "\n" scans fastest.
_BROKEN_PARAGRAPH = re.compile(
    r"\n\n*(?:-[ ]+(?=" + _LOWER_START + r")(?!" + _LABEL_START + r")|-(?=[^\W\d_])|(?=" + _LOWER_START + r")(?!"
    + _LABEL_START + r"))"
)
_CLOSING_MARKS = frozenset(" \n.;:!?")


def _join_broken(m: re.Match[str]) -> str:
    if m.start() == 0 or m.string[m.start() - 1] in _CLOSING_MARKS:
        return m.group(0)
    return " "


# A web copy's hard wrap before a capital or a digit: "... của Thủ tướng\nChính phủ và dự thảo ...".
# Joined when the line before is long enough to be a wrapped paragraph line, ends mid-sentence, and
# the line after starts no paragraph of its own: no label, no heading in capitals, no word a
# paragraph or a header field opens with.
_NEWLINE_BEFORE_CAPITAL = re.compile(r"\n(?=[^\W_a-zđ])")
_WRAPPED_LINE_MIN = 50
_ENDS_MID_SENTENCE = re.compile(r"[^\W_]$|[,(\-]$")


@cache
def _opens_paragraph() -> re.Pattern[str]:
    return re.compile(
        r"(?:[IVX]{1,6}|\d{1,2}(?:\.\d{1,2}){0,2})[./)](?:\s|$)|[a-zđ][)./]\s|\(\w{1,4}\)\s|"
        r"(?:Điều|Chương|Mục|Phần|Ngày|Kính\s+gửi|Đồng\s+kính\s+gửi|Nơi\s+nhận|Số|V/v|Về\s+việc|Xét|"
        + authority_prefix() + r")\b|" + opening_words()
    )


def _join_capital_wrap(m: re.Match[str]) -> str:
    s, pos = m.string, m.start()
    line_start = s.rfind("\n", 0, pos) + 1
    before = s[line_start:pos]
    if len(before) < _WRAPPED_LINE_MIN or not _ENDS_MID_SENTENCE.search(before) or is_upper(before):
        return "\n"
    next_end = s.find("\n", pos + 1)
    after = s[pos + 1 : len(s) if next_end < 0 else next_end]
    if _opens_paragraph().match(after) or is_upper(after):
        return "\n"
    return " "


# A label and the first word of its item, then a wrap: "Điều 3. Chánh\nVăn phòng Bộ, ...", "1. Sở\nTài chính
# chủ trì ...", "1. Nhóm\n07 TTHC". One word is never a whole item or article title.
_LABEL_AND_ONE_WORD = re.compile(r"^(?:Điều[ ]\d{1,3}[.:]|\d{1,2}[.)]|[a-zđ][.)])[ ]+[^\W\d_]+\n(?=\S)", re.MULTILINE)


def _join_after_one_word(m: re.Match[str]) -> str:
    next_end = m.string.find("\n", m.end())
    after = m.string[m.end() : len(m.string) if next_end < 0 else next_end]
    if _opens_paragraph().match(after) or LIST_ITEM.match(after) or is_upper(after):
        return m.group(0)
    return m.group(0)[:-1] + " "


# A web copy's wrap just before the hyphen of a name or a range ("... cao tốc Ninh Bình\n- Hải Phòng, đoạn
# qua ...", "... về trật tự xã hội\n\n- Cơ quan thường trực ...", "giai đoạn 2021\n- 2025"): the rest of
# the sentence reads as a dash item. A dash opens an item after a lead-in (":") or an item that ended
# (";", "."), or beside dash items of its own; one that follows a word ending no sentence, in a
# paragraph that is no dash item, and has no dash item after it, is the sentence going on.
# (Lower-case continuations, "chính trị\n- xã hội", are _BROKEN_PARAGRAPH's.)
_NEWLINE_BEFORE_HYPHEN = re.compile(r"\n(?:\n)?(?=[-–][ ][^\W_])")
# the last character of a line that ends a sentence, or of a blank line (checked in place: a pattern
# searched up to the line's end would scan from the text's start for every line walked)
_SENTENCE_ENDS_AND_BLANK = frozenset(".;!?\n")
_BULLETS = ("- ", "– ", "+ ", "• ")
# how far back, in lines, the paragraph before is looked at for its start, and how far on for a label
_PARAGRAPH_LINES = 12
_FOLLOWING_LINES = 60
# a line that starts the next item of the outline, or the closing: "2.", "b)", "III.", "(3)", "Điều 4.",
# "Nơi nhận:" (Kính gửi and Nơi nhận items are dashes of their own lists)
_OUTLINE_LABEL = re.compile(
    r"(?:[IVX]{1,6}|\d{1,2}(?:\.\d{1,2}){0,2})[./)](?:[ \n])|[a-zđ][)./][ ]|\(\w{1,4}\)[ ]|(?:Điều|Chương|Mục|Phần|Nơi[ ]nhận)\b"
)


def _join_hyphen_wrap(m: re.Match[str]) -> str:
    s, pos = m.string, m.start()
    if pos == 0 or not s[pos - 1].isalnum():
        return m.group(0)
    # the paragraph the line before is in, back to a blank line or a line that ends a sentence: no
    # line of it a dash item; and when a blank line parts it from the dash, an item's own text (a
    # paragraph of no item before a blank is a title or a table cell)
    start = pos
    for _ in range(_PARAGRAPH_LINES):
        line_start = s.rfind("\n", 0, start) + 1
        if s.startswith(_BULLETS, line_start):
            return m.group(0)
        above_end = line_start - 1
        if line_start == 0 or above_end == 0 or s[above_end - 1] in _SENTENCE_ENDS_AND_BLANK:
            start = line_start
            break
        start = above_end
    else:
        return m.group(0)
    if (m.group(0) == "\n\n" and not _OUTLINE_LABEL.match(s, start)) or is_upper(s[s.rfind("\n", 0, pos) + 1 : pos]):
        return m.group(0)
    # what comes after it: another dash item before the next label makes this one an item too
    end = m.end()
    for _ in range(_FOLLOWING_LINES):
        line_end = s.find("\n", end)
        if line_end < 0:
            return m.group(0)  # the text ends, unsure: a letter goes on to its Nơi nhận
        if end == m.end() and s[line_end - 1] == ":":
            return m.group(0)  # a lead-in of items of its own
        end = line_end + 1
        while s.startswith("\n", end):
            end += 1
        if s.startswith(_BULLETS, end):
            return m.group(0)
        if _OUTLINE_LABEL.match(s, end):
            return " "
    return m.group(0)


def join_capital_wraps(t: TrackedText) -> TrackedText:
    t = t.sub(_LABEL_AND_ONE_WORD, _join_after_one_word)
    if "\n- " in t.text or "\n– " in t.text:
        t = t.sub(_NEWLINE_BEFORE_HYPHEN, _join_hyphen_wrap)
    return t.sub(_NEWLINE_BEFORE_CAPITAL, _join_capital_wrap)


def compose_nfc(t: TrackedText) -> TrackedText:
    if unicodedata.is_normalized("NFC", t.text):
        return t
    return t.sub(_COMBINING, lambda m: unicodedata.normalize("NFC", m.group(0)))


_MAPPED = re.compile("[" + re.escape("".join(chr(c) for c in _CHAR_MAP)) + "]")


def map_characters(t: TrackedText) -> TrackedText:
    if "\r" in t.text:
        t = t.sub(_CRLF, "\n")
    if _MAPPED.search(t.text):
        t = t.translate(_CHAR_MAP)
    return t.sub(_INVISIBLE, "")


def _new_tone(m: re.Match[str]) -> str:
    if m.start() and m.string[m.start() - 1] in "qQ":
        return m.group(0)  # quý, quỹ: the mark stays on the vowel after qu
    return _OLD_TONES.get(m.group(0), m.group(0))


def fold_tone_marks(t: TrackedText) -> TrackedText:
    return t.sub(_OLD_TONE_RE, _new_tone)


def strip_markup(t: TrackedText) -> TrackedText:
    # Each pattern runs only when its marker character is there at all: most inputs are plain.
    if "<" in t.text:
        t = t.sub(_HTML_BREAK, "\n")
        t = t.sub(_HTML_TAG, "")
    if "*" in t.text:
        t = t.sub(_MD_STARS, _drop_emphasis)
    if "__" in t.text:
        t = t.sub(_MD_UNDERLINE, "")
    if "#" in t.text:
        t = t.sub(_MD_HEADING, "")
    if any(rule in t.text for rule in ("---", "***", "___", "===", "|")):
        t = t.sub(_RULE_LINE, "")
    if "|" in t.text:
        t = t.sub(_TABLE_PIPE, "\n")
    return t


def tidy_spaces(t: TrackedText) -> TrackedText:
    # Each pattern runs only when its spaces are there at all (a scan for a literal is many times
    # faster than a pattern tried at every space).
    if " \n" in t.text or t.text.endswith(" "):
        t = t.sub(_TRAILING_SPACE, "")
    if "\n " in t.text or t.text.startswith(" "):
        t = t.sub(_LEADING_SPACE, "")
    return t.sub(_INNER_SPACES, " ") if "  " in t.text else t


# A header cell wrapped by a web copy's layout table: "Tuyên Quang, ngày\n27 tháng 11 năm 2021",
# "Hà Nội, ngày 26\ntháng 11 năm 2025", "Số:\n84/2025/QĐ-UBND": a number cut from its word, or a
# date cut between its parts.
# The pattern matches the line break alone, and looks back for the word: a regex that starts at "\n"
# scans fastest.
_BROKEN_NUMBER = re.compile(
    r"\n(?=\d)(?:(?<=ngày\n)|(?<=tháng\n)|(?<=năm\n)|(?<=[sS]ố\n)|(?<=[sS]ố:\n)|(?<=[sS]ố :\n))"
    r"|\n(?=tháng|năm)(?:(?<=ngày \d\n)|(?<=ngày \d\d\n)|(?<=tháng \d\n)|(?<=tháng \d\d\n))"
)
# The place of the date line wrapped by a narrow cell: "Tây\nNinh, ngày 01 tháng 12 năm 2025", "Hà\nNội, ngày ...".
_BROKEN_PLACE = re.compile(r"^[^\W\d_]+(?: [^\W\d_]+)?\n(?=[^\W\d_]+(?: [^\W\d_]+)?,?[ ]ngày[ ]\d)", re.MULTILINE)


def _join_place(m: re.Match[str]) -> str:
    words = m.group(0).split()
    tail = m.string[m.end() :].split(",", 1)[0].split()
    if all(w[0].isupper() and not w.isupper() for w in words + tail):
        return m.group(0)[:-1] + " "
    return m.group(0)


# A number and symbol wrapped at its hyphen or slash: "Số: 3783/QĐ-\nUBND", "số 12/UBND-\nVP".
_BROKEN_KEY = re.compile(r"\d/[0-9A-Za-zĐđ&.\-/]*[-/]\n(?=[A-ZĐ]{2})")
# Date words glued to their numbers by OCR or a web copy: "tháng12", "tháng I0năm" after the digit
# fix, "12năm 2025". Found from the words by string search (a pattern tried at every digit costs
# ten times more), then a space put between word and digit.
_DATE_WORDS_BEFORE = ("ngày", "tháng", "năm")
_DATE_WORDS_AFTER = ("tháng", "năm")


def _glued_date_words(text: str) -> list[tuple[int, int, str]]:
    """Edits that put a space between a date word and the digit glued to it, on either side."""
    before: set[int] = set()
    after: set[int] = set()
    for word in _DATE_WORDS_BEFORE:
        i = text.find(word)
        while i >= 0:
            digit = i + len(word)
            if text[digit : digit + 1].isdecimal():
                before.add(digit)
            i = text.find(word, digit)
    for word in _DATE_WORDS_AFTER:
        i = text.find(word, 1)
        while i >= 0:
            follower = text[i + len(word) : i + len(word) + 1]
            if text[i - 1].isdecimal() and not (follower.isalnum() or follower == "_"):
                after.add(i - 1)
            i = text.find(word, i + len(word))
    return [(d, d + 1, (" " if d in before else "") + text[d] + (" " if d in after else ""))
            for d in sorted(before | after)]


_NEWLINE_DIGIT = re.compile(r"\n(?:\d|tháng|năm)")


# OCR residue at the edges of a line: specks read as "_", "|", "'", "¬", " ." or " -"; Vietnamese
# typesetting never puts these there (a space before ":" or ";" is common, so those stay). An opening
# "“" stays: it starts a quotation, whose labels are not the letter's own (extractors/clauses.py).
_EDGE_JUNK_START = re.compile(r"^(?:[_”\"'`~|¬^:.,]+[ ]*)+(?=\S)", re.MULTILINE)
_EDGE_JUNK_END = re.compile(r"[_“”\"'`~|¬^.,\-](?<= [_“”\"'`~|¬^.,\-])[_“”\"'`~|¬^.,\-]{0,2}$", re.MULTILINE)
_DASH_JUNK = re.compile(r"^[-_]{2,}[ ]*|^-(?=[_“”\"'`~|¬]+)[_“”\"'`~|¬]+[ ]*", re.MULTILINE)
_SPECK_LINE = re.compile(r"^[^\w\n(]{1,3}$", re.MULTILINE)
_PAGE_NUMBER = re.compile(r"^-?[ ]?\d{1,3}[ ]?-?$", re.MULTILINE)  # "2", "- 2 -" between pages
_NUMBER_LABEL_COMMA = re.compile(r"^(\d{1,2}),[ ]+(?=[A-ZĐÀ-Ỹ])", re.MULTILINE)
# "1 . Hàng hóa ...", "II . NHIỆM VỤ": a label's dot set off by a space (typed so, or read so by OCR)
_SPACED_LABEL_DOT = re.compile(r"^(\d{1,2}|[IVX]{1,5})[ ]+(?=[.)][ ]+[A-ZĐÀ-Ỹ])", re.MULTILINE)
_MISREAD_G_LABEL = re.compile(r"^ø(?=[.)][ ])", re.MULTILINE)  # Tesseract's ø for the point label g
_SPECK_BEFORE_NUMBER = re.compile(r"^-[ ]?(?=\d{1,2}\.[ ]+[A-ZĐÀ-Ỹ])", re.MULTILINE)
_DOUBLED_HYPHEN = re.compile(r"-(?<=[A-Za-zĐđ]-)[ ]+-(?=[A-Za-zĐđ])")  # from its literal: the fastest scan


# A list item's bullet alone on its line, its text on the next: "-\nTrường hợp chất lượng ..."
_LONE_BULLET = re.compile(r"^([-+•])\n(?=[^\W\d_])", re.MULTILINE)


def clean_ocr_residue(t: TrackedText) -> TrackedText:
    t = t.sub(_LONE_BULLET, r"\1 ")
    t = t.sub(_SPECK_LINE, "")
    t = t.sub(_PAGE_NUMBER, "")
    t = t.sub(_DASH_JUNK, "- ")
    t = t.sub(_EDGE_JUNK_START, "")
    for _ in range(2):  # "... trên . -": a speck or two after the last word
        cleaned = t.sub(_EDGE_JUNK_END, "")
        if cleaned is t:
            break
        t = cleaned.sub(_TRAILING_SPACE, "")
    t = t.sub(_NUMBER_LABEL_COMMA, r"\1. ")
    t = t.sub(_SPACED_LABEL_DOT, r"\1")
    t = t.sub(_SPECK_BEFORE_NUMBER, "")
    if "ø" in t.text:
        t = t.sub(_MISREAD_G_LABEL, "g")
    return t.sub(_DOUBLED_HYPHEN, "-") if "- " in t.text else t


def join_broken_paragraphs(t: TrackedText) -> TrackedText:
    if "ngày" in t.text:
        t = t.sub(_BROKEN_PLACE, _join_place)
    if "-\n" in t.text or "/\n" in t.text:
        t = t.sub(_BROKEN_KEY, lambda m: m.group(0)[:-1])
    t = t.replace(_glued_date_words(t.text))
    if _NEWLINE_DIGIT.search(t.text):
        t = t.sub(_BROKEN_NUMBER, " ")
    t = t.sub(_BROKEN_PARAGRAPH, _join_broken)
    return t.sub(_MANY_BLANKS, "\n\n") if "\n\n\n" in t.text else t


STEPS = (compose_nfc, map_characters, fold_tone_marks, strip_markup, tidy_spaces, clean_ocr_residue, join_broken_paragraphs,
         join_capital_wraps)


def normalize(source: str) -> TrackedText:
    t = TrackedText.of(source)
    for step in STEPS:
        t = step(t)
    return t


def fold(text: str) -> str:
    """The same character-level normalization for short strings (names, keys), no tracking."""
    return normalize(text).text

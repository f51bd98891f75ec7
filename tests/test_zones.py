"""The number and day zones of a header, read again alone (pipeline/zones.py), with the real Tesseract."""
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.tesseract import OcrText, OcrWord
from pipeline.zones import UNREAD, reread_zones

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed.ttf"


def page_and_words(number: str):
    """A page with 'Số: <number> /TB-UBND' typed, and a first reading that got the number wrong."""
    image = Image.new("RGB", (1200, 400), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 40)
    draw.text((100, 60), "Số:", font=font, fill="black")
    draw.text((190, 60), number, font=font, fill=(20, 30, 160))  # blue ink, as a clerk writes it
    draw.text((330, 60), "/TB-UBND", font=font, fill="black")
    words = [OcrWord("Số:", (100, 62, 170, 110), 95, 0, 3), OcrWord("4@`", (190, 62, 300, 110), 12, 4, 7),
             OcrWord("/TB-UBND", (330, 62, 560, 110), 93, 8, 16)]
    return image, OcrText("Số: 4@` /TB-UBND", words)


@pytest.mark.tesseract
def test_a_misread_number_is_read_again_alone():
    image, first = page_and_words("46")
    again, notes = reread_zones(first, image, 0.0, timeout=20)
    assert again.text == "Số:46 /TB-UBND"
    assert [again.text[w.start:w.end] for w in again.words] == ["Số:46", "/TB-UBND"]
    assert notes and "'4@`' -> '46'" in notes[0]


@pytest.mark.tesseract
def test_a_zone_with_no_digits_is_marked_unread():
    image, first = page_and_words("")
    again, _ = reread_zones(first, image, 0.0, timeout=20)
    assert again.text == f"Số:{UNREAD} /TB-UBND"


def test_a_clean_first_reading_is_kept_without_reading_again():
    image, _ = page_and_words("46")
    words = [OcrWord("Số:", (100, 62, 170, 110), 95, 0, 3), OcrWord("46", (190, 62, 300, 110), 93, 4, 6),
             OcrWord("/TB-UBND", (330, 62, 560, 110), 93, 7, 15)]
    first = OcrText("Số: 46 /TB-UBND", words)
    assert reread_zones(first, image, 0.0, timeout=20) == (first, [])


def date_page_and_words(month: str, glued: str):
    """'ngày 12 tháng <month>năm 2021' typed with the month glued to 'năm', as the first reading had it."""
    image = Image.new("RGB", (1400, 300), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 40)
    draw.text((100, 60), "ngày 12 tháng", font=font, fill="black")
    draw.text((420, 60), f"{month}năm 2021", font=font, fill="black")
    words = [OcrWord("ngày", (100, 62, 190, 110), 96, 0, 4), OcrWord("12", (205, 62, 250, 110), 96, 5, 7),
             OcrWord("tháng", (265, 62, 405, 110), 96, 8, 13), OcrWord(glued, (420, 62, 560, 110), 83, 14, 14 + len(glued)),
             OcrWord("2021", (575, 62, 660, 110), 95, 15 + len(glued), 19 + len(glued))]
    return image, OcrText(f"ngày 12 tháng {glued} 2021", words)


@pytest.mark.tesseract
def test_a_month_glued_to_nam_is_its_own_zone_and_a_sure_first_reading_is_kept():
    # "I0năm" read at 83: the zone is the "I0" before "năm", not the gap between two words
    image, first = date_page_and_words("10", "I0năm")
    again, notes = reread_zones(first, image, 0.0, timeout=20)
    assert "tháng10 năm" in again.text.replace("tháng 10", "tháng10") or "tháng10năm" in again.text
    assert UNREAD not in again.text
    assert notes and notes[0].startswith("month read again alone: 'I0'")


def test_a_reading_with_fewer_digits_than_glyphs_is_not_taken(monkeypatch):
    # a day glued to "ngày" and its first digit cut off: the digits-only reading says "9" with confidence
    image, first = date_page_and_words("10", "I0năm")
    words = list(first.words)
    words[1] = OcrWord("?Ä", words[1].box, 0, 5, 7)
    first = OcrText("ngày ?Ä tháng I0năm 2021", words)
    monkeypatch.setattr("pipeline.tesseract.read_digits", lambda image, timeout: ("9", 90.0))
    again, notes = reread_zones(first, image, 0.0, timeout=20)
    assert again.text.startswith(f"ngày{UNREAD} tháng")
    assert "'?Ä' -> '9' at confidence 90: not taken" in notes[0]


def test_a_mark_after_the_day_label_is_no_digit_and_is_dropped(monkeypatch):
    # "ngày:" as OCR read it: the colon is not part of the day's first reading, nor of the text written back
    image, first = date_page_and_words("10", "I0năm")
    words = list(first.words)
    words[0] = OcrWord("ngày:", words[0].box, 63, 0, 5)
    words[1] = OcrWord("19", words[1].box, 49, 6, 8)
    first = OcrText("ngày: 19 tháng I0năm 2021", [OcrWord(w.text, w.box, w.confidence, w.start + (1 if k > 1 else 0),
                                                           w.end + (1 if k > 1 else 0)) if k > 1 else w
                                                   for k, w in enumerate(words)])
    monkeypatch.setattr("pipeline.tesseract.read_digits", lambda image, timeout: ("19", 35.0))
    again, notes = reread_zones(first, image, 0.0, timeout=20)
    assert again.text.startswith("ngày19 tháng")  # taken: both readings agree
    assert notes[0].startswith("day read again alone: '19' -> '19'")

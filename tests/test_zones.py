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

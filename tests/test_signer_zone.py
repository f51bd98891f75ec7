"""The signer's name under a seal and a signature, read again alone (pipeline/signer_zone.py)."""
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from pipeline.signer_zone import reread_signer
from pipeline.tesseract import OcrText, OcrWord

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed-Bold.ttf"


def signature_page():
    """The right half of a letter's closing: title, printed name, and a red seal and a blue
    signature stamped over the space under the title and across the name (seal ink is
    translucent: the print shows through it, as on a real page)."""
    print_layer = Image.new("RGB", (2000, 900), "white")
    draw = ImageDraw.Draw(print_layer)
    font = ImageFont.truetype(FONT, 44)
    draw.text((100, 100), "Nơi nhận:", font=font, fill="black")
    draw.text((1250, 100), "KT. CHỦ TỊCH", font=font, fill="black")
    draw.text((1240, 160), "PHÓ CHỦ TỊCH", font=font, fill="black")
    draw.text((1230, 560), "Trần Văn Bình", font=font, fill="black")
    ink = Image.new("RGB", print_layer.size, "white")
    draw = ImageDraw.Draw(ink)
    draw.ellipse((1050, 220, 1450, 620), outline=(225, 40, 45), width=14)
    draw.text((1120, 380), "ỦY BAN NHÂN DÂN", font=font, fill=(225, 40, 45))
    draw.line((1300, 380, 1700, 330, 1350, 450, 1800, 400), fill=(25, 40, 190), width=8)
    return ImageChops.darker(print_layer, ink)


def first_reading(name_line: list[tuple[str, tuple[int, int, int, int]]]) -> OcrText:
    lines = [[("Nơi", (100, 100, 190, 150)), ("nhận:", (200, 100, 330, 150))],
             [("KT.", (1250, 100, 1330, 150)), ("CHỦ", (1345, 100, 1460, 150)), ("TỊCH", (1475, 100, 1600, 150))],
             [("PHÓ", (1240, 160, 1340, 210)), ("CHỦ", (1355, 160, 1470, 210)), ("TỊCH", (1485, 160, 1610, 210))],
             [("TÔ", (1300, 330, 1380, 380)), ("MHớo", (1400, 330, 1560, 380))], name_line]
    text, words = "", []
    for line in lines:
        if text:
            text += "\n"
        for k, (word, box) in enumerate(line):
            if k:
                text += " "
            words.append(OcrWord(word, box, 40.0, len(text), len(text) + len(word)))
            text += word
    return OcrText(text, words)


@pytest.mark.tesseract
def test_a_name_broken_by_the_seal_is_read_again_from_the_inkless_zone():
    first = first_reading([("Tr‹n", (1230, 560, 1340, 610)), ("Văn", (1355, 560, 1440, 610)), ("Bình", (1455, 560, 1560, 610))])
    again, notes = reread_signer(first, signature_page(), 0.0, timeout=20)
    assert again.text.endswith("PHÓ CHỦ TỊCH\nTrần Văn Bình")  # the seal's and signature's debris gone too
    assert [again.text[w.start:w.end] for w in again.words] == [w.text for w in again.words]
    assert again.text.startswith("Nơi nhận:\nKT. CHỦ TỊCH")
    assert notes and "-> 'Trần Văn Bình'" in notes[0]


def test_a_first_reading_with_the_name_is_kept_without_reading_again():
    first = first_reading([("Trần", (1230, 560, 1340, 610)), ("Văn", (1355, 560, 1440, 610)), ("Bình", (1455, 560, 1560, 610))])
    assert reread_signer(first, signature_page(), 0.0, timeout=20) == (first, [])


def test_a_page_with_no_signature_column_is_left_alone():
    words = [OcrWord("Điều", (100, 100, 200, 150), 90.0, 0, 4), OcrWord("1.", (210, 100, 250, 150), 90.0, 5, 7)]
    first = OcrText("Điều 1.", words)
    assert reread_signer(first, signature_page(), 0.0, timeout=20) == (first, [])

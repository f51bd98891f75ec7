"""Reading order from word boxes (pipeline/layout.py), on the geometry of real scans."""
from pipeline.layout import LaidWord, reading_order


def line(number: int, words: list[tuple[str, int, int]], top: int, height: int = 50) -> list[LaidWord]:
    """Words of one Tesseract line: (text, x0, x1) each, on one row."""
    return [LaidWord(text, (x0, top, x1, top + height), 95.0, (number, 1, 1)) for text, x0, x1 in words]


def texts(words: list[LaidWord], width: int = 2479) -> list[str]:
    return [" ".join(w.text for w in ws) for _, ws in reading_order(words, width)]


# a ministry's decision as Tesseract reads a scan (words changed, geometry kept): issuer and motto on one
# line with a seal speck between them, the typed day glued apart from its month ("ngày ]]" | "tháng 4 năm 2026")
DECISION = [
    *line(1, [("BỘ", 302, 377), ("GIÁO", 394, 535), ("DỤC", 552, 665), ("VÀ", 682, 758), ("ĐÀO", 775, 892),
              ("TẠO", 909, 1023), ("ˆ", 1073, 1103), ("CỘNG", 1131, 1290), ("HOÀ", 1307, 1427), ("XÃ", 1444, 1519),
              ("HỘI", 1536, 1638), ("CHỦ", 1655, 1772), ("NGHĨA", 1788, 1969), ("VIỆT", 1985, 2116),
              ("NAM", 2132, 2258)], 209),
    *line(2, [("Độc", 1369, 1450), ("lập", 1460, 1530), ("-", 1540, 1560), ("Tự", 1570, 1630), ("do", 1640, 1700),
              ("-", 1710, 1730), ("Hạnh", 1740, 1870), ("phúc", 1880, 2030)], 281),
    *line(3, [("Số:1843", 413, 640), ("/QĐ-BGDĐT", 660, 928)], 327),
    *line(4, [("Hà", 1310, 1380), ("Nội,", 1390, 1480), ("ngày", 1490, 1580), ("]]", 1590, 1601),
              ("tháng", 1684, 1830), ("4", 1840, 1870), ("năm", 1880, 1980), ("2026", 1990, 2087)], 407),
    *line(5, [("QUYÉT", 1128, 1300), ("ĐỊNH", 1310, 1472)], 545),
    *line(6, [("Về", 436, 500), ("việc", 510, 600), ("điều", 610, 700), ("chỉnh", 710, 850), ("kế", 860, 960),
              ("hoạch", 970, 1080), ("tổ", 1090, 1200), ("chức", 1210, 1320), ("kỳ", 1330, 1500),
              ("thi", 1510, 1620), ("học", 1630, 1750), ("sinh", 1760, 1860), ("giỏi", 1870, 1930),
              ("quốc", 1940, 2060), ("gia", 2070, 2164)], 621),
]


def test_the_header_is_read_column_by_column():
    assert texts(DECISION)[:6] == [
        "BỘ GIÁO DỤC VÀ ĐÀO TẠO", "Số:1843 /QĐ-BGDĐT",
        "ˆ CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",  # the speck goes by its place: right of the gutter
        "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày ]] tháng 4 năm 2026",
        "QUYÉT ĐỊNH"]


def test_a_page_without_a_header_keeps_tesseract_order():
    body = DECISION[-15:]  # one line across the page
    assert texts(body) == [" ".join(w.text for w in body)]


def test_the_closing_reads_the_recipients_then_the_signature():
    closing = [
        *line(1, [("KT.", 1549, 1644), ("BỘ", 1660, 1740), ("TRƯỞNG", 1750, 2020)], 2403),
        *line(2, [("Nơi", 300, 380), ("nhận:", 390, 520)], 2440),
        *line(3, [("-", 300, 320), ("Như", 330, 420), ("Điều", 430, 520), ("3;", 530, 580),
                  ("THỨ", 1600, 1700), ("TRƯỞNG", 1710, 1980)], 2490),
        *line(4, [("-", 300, 320), ("Lưu:", 330, 440), ("VT.", 450, 530)], 2540),
        *line(5, [("Trần", 1560, 1700), ("Văn", 1710, 1840), ("Hải", 1850, 2050)], 2900),
    ]
    assert texts(closing) == ["Nơi nhận:", "- Như Điều 3;", "- Lưu: VT.", "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG",
                              "Trần Văn Hải"]


def test_a_short_kinh_gui_line_ends_the_header():
    # a công văn: "Kính gửi:" alone under the V/v lines, its recipients listed below it
    cong_van = [
        *line(1, [("ỦY", 300, 360), ("BAN", 370, 460), ("NHÂN", 470, 600), ("DÂN", 610, 700),
                  ("CỘNG", 1100, 1250), ("HÒA", 1260, 1370), ("XÃ", 1380, 1450), ("HỘI", 1460, 1560),
                  ("CHỦ", 1570, 1680), ("NGHĨA", 1690, 1860), ("VIỆT", 1870, 1990), ("NAM", 2000, 2110)], 200),
        *line(2, [("Số:", 320, 400), ("8731/UBND", 410, 640), ("Cần", 1300, 1390), ("Giờ,", 1400, 1500),
                  ("ngày", 1510, 1610), ("29", 1620, 1670)], 280),
        *line(3, [("V/v", 300, 380), ("tiếp", 390, 480), ("tục", 490, 560), ("chấn", 570, 690)], 340),
        *line(4, [("Kính", 400, 500), ("gửi:", 510, 600)], 420),
        *line(5, [("-", 700, 720), ("Các", 730, 820), ("xã,", 830, 900), ("thị", 910, 980), ("trấn.", 990, 1110)], 480),
    ]
    assert texts(cong_van) == ["ỦY BAN NHÂN DÂN", "Số: 8731/UBND", "V/v tiếp tục chấn", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                               "Cần Giờ, ngày 29", "Kính gửi:", "- Các xã, thị trấn."]


# a công văn (the rendered scan of 3328/UBND-NC): a seal speck before "Kính gửi:", which still ends the header
CONG_VAN = [
    *line(1, [("CỘNG", 1161, 1330), ("HÒA", 1340, 1460), ("XÃ", 1470, 1540), ("HỘI", 1550, 1650), ("CHỦ", 1660, 1780),
              ("NGHĨA", 1790, 1960), ("VIỆT", 1970, 2090), ("NAM", 2100, 2193)], 235),
    *line(2, [("ỦY", 481, 560), ("BAN", 570, 680), ("NHÂN", 690, 830), ("DÂN", 840, 984)], 240),
    *line(3, [("Số:", 508, 600), ("3328/UBND-NC", 610, 957)], 396),
    *line(4, [("Tây", 1265, 1360), ("Ninh,", 1370, 1490), ("ngày", 1500, 1610), ("23", 1620, 1680),
              ("tháng", 1690, 1830), ("10", 1840, 1900), ("năm", 1910, 2010), ("2023", 2020, 2091)], 406),
    *line(5, [("V/v", 425, 500), ("chấn", 510, 620), ("chỉnh,", 630, 780)], 477),
    *line(6, [("hành", 454, 580), ("chính", 590, 720)], 605),
    *line(7, [("_", 584, 600), ("Kính", 610, 700), ("gửi:", 710, 802)], 725),
    *line(8, [("Thủ", 852, 950), ("trưởng", 960, 1150), ("các", 1160, 1250), ("sở,", 1260, 1350)], 795),
]


def test_a_speck_before_kinh_gui_does_not_pull_it_into_the_header():
    assert texts(CONG_VAN) == ["ỦY BAN NHÂN DÂN", "Số: 3328/UBND-NC", "V/v chấn chỉnh,", "hành chính",
                               "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                               "Tây Ninh, ngày 23 tháng 10 năm 2023", "_ Kính gửi:", "Thủ trưởng các sở,"]


# the closing of a directive (a scan's geometry, words changed): a Nơi nhận item runs far right of the column's
# other lines, into the gap before the signature block; the gutter is past its end
CLOSING = [
    *line(1, [("CHỦ", 1742, 1860), ("TỊCH", 1870, 2008)], 1287),
    *line(2, [("Nơi", 383, 460), ("nhận:", 470, 593)], 1297),
    *line(3, [("-", 411, 420), ("Ủy", 430, 480), ("ban", 490, 580), ("Quốc", 590, 700), ("gia", 710, 780),
              ("ứng", 790, 900), ("phó", 910, 1020), ("sự", 1030, 1100), ("cố", 1110, 1190), ("(b/c);", 1200, 1371)],
          1406),
    *line(4, [("-", 417, 426), ("Các", 436, 520), ("Sở;", 530, 855)], 1642),
    *line(5, [("Lê", 1605, 1790), ("Quốc", 1800, 1960), ("Bảo", 1970, 2142)], 1650),
]


def test_a_long_list_item_moves_the_closing_gutter_past_its_end():
    assert texts(CLOSING) == ["Nơi nhận:", "- Ủy ban Quốc gia ứng phó sự cố (b/c);", "- Các Sở;", "CHỦ TỊCH", "Lê Quốc Bảo"]

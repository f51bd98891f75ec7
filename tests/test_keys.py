"""extractors.keys: document numbers as printed -> one canonical key."""
import pytest

from extractors.keys import match_key, normalize_key, parse_key

# raw as printed, key, number, symbol, year, type_abbr, doc_type, issuer_abbr
PARSED = [
    ("8731 /UBND", "8731/UBND", "8731", "UBND", None, None, "cong_van", "UBND"),
    ("968/CD-TTg", "968/CĐ-TTg", "968", "CĐ-TTg", None, "CĐ", "cong_dien", "TTg"),
    ("968/cđ-ttg", "968/CĐ-TTg", "968", "CĐ-TTg", None, "CĐ", "cong_dien", "TTg"),
    ("26/ct-ttg", "26/CT-TTg", "26", "CT-TTg", None, "CT", "chi_thi", "TTg"),
    ("73/2023/ND-CP", "73/2023/NĐ-CP", "73", "NĐ-CP", 2023, "NĐ", "nghi_dinh", "CP"),
    ("73/2023/NĐ-CP", "73/2023/NĐ-CP", "73", "NĐ-CP", 2023, "NĐ", "nghi_dinh", "CP"),
    ("28/2022/QĐ-UBND", "28/2022/QĐ-UBND", "28", "QĐ-UBND", 2022, "QĐ", "quyet_dinh", "UBND"),
    ("1085/QD-TTg", "1085/QĐ-TTg", "1085", "QĐ-TTg", None, "QĐ", "quyet_dinh", "TTg"),
    ("07-CT/TU", "07-CT/TU", "07", "CT/TU", None, "CT", "chi_thi", "TU"),
    ("68-CTr/TU", "68-CTr/TU", "68", "CTr/TU", None, "CTr", "chuong_trinh", "TU"),
    ("45-NQ/TW", "45-NQ/TW", "45", "NQ/TW", None, "NQ", "nghi_quyet", "TW"),
    ("15-CV/TU", "15-CV/TU", "15", "CV/TU", None, "CV", "cong_van", "TU"),
    ("08-QĐi/TW", "08-QĐi/TW", "08", "QĐi/TW", None, "QĐi", "quy_dinh", "TW"),
    ("03 /CT-UBND", "03/CT-UBND", "03", "CT-UBND", None, "CT", "chi_thi", "UBND"),
    ("5611/UBND-VX", "5611/UBND-VX", "5611", "UBND-VX", None, None, "cong_van", "UBND"),
    ("5611/UBND-\nVX", "5611/UBND-VX", "5611", "UBND-VX", None, None, "cong_van", "UBND"),
    ("966/UBND- KSTTHC", "966/UBND-KSTTHC", "966", "UBND-KSTTHC", None, None, "cong_van", "UBND"),
    ("3852 /SYT-VP", "3852/SYT-VP", "3852", "SYT-VP", None, None, "cong_van", "SYT"),
    ("39/CTr-UBND", "39/CTr-UBND", "39", "CTr-UBND", None, "CTr", "chuong_trinh", "UBND"),
    ("39/ctr-ubnd", "39/CTr-UBND", "39", "CTr-UBND", None, "CTr", "chuong_trinh", "UBND"),
    ("365/TTr-SNV", "365/TTr-SNV", "365", "TTr-SNV", None, "TTr", "to_trinh", "SNV"),
    ("15/HD-SNV", "15/HD-SNV", "15", "HD-SNV", None, "HD", "huong_dan", "SNV"),
    ("15/HĐ-UBND", "15/HĐ-UBND", "15", "HĐ-UBND", None, "HĐ", "hop_dong", "UBND"),
    ("05/QyD-UBND", "05/QyĐ-UBND", "05", "QyĐ-UBND", None, "QyĐ", "quy_dinh", "UBND"),
    ("12/2023/NQ-HDND", "12/2023/NQ-HĐND", "12", "NQ-HĐND", 2023, "NQ", "nghi_quyet", "HĐND"),
    ("17/2008/QH12", "17/2008/QH12", "17", "QH12", 2008, None, None, "QH12"),
    ("15/2004/PL-UBTVQH11", "15/2004/PL-UBTVQH11", "15", "PL-UBTVQH11", 2004, "PL", "phap_lenh", "UBTVQH11"),
    ("02/2011/TTLT-VPCP-BNV", "02/2011/TTLT-VPCP-BNV", "02", "TTLT-VPCP-BNV", 2011, "TTLT", "thong_tu_lien_tich", "VPCP-BNV"),
    ("1270/BC-TCTTTg", "1270/BC-TCTTTg", "1270", "BC-TCTTTg", None, "BC", "bao_cao", "TCTTTg"),
    ("63/2010/NĐCP", "63/2010/NĐ-CP", "63", "NĐ-CP", 2010, "NĐ", "nghi_dinh", "CP"),  # lost hyphen
    ("3027/QĐUBND", "3027/QĐ-UBND", "3027", "QĐ-UBND", None, "QĐ", "quyet_dinh", "UBND"),
    ("12/UBND-cchc&pc", "12/UBND-CCHC&PC", "12", "UBND-CCHC&PC", None, None, "cong_van", "UBND"),
    # the odd numbers real letters print
    ("12.3/2024/NQ-CP", "12.3/2024/NQ-CP", "12.3", "NQ-CP", 2024, "NQ", "nghi_quyet", "CP"),  # dotted
    ("2024-017/SAV-CHQ", "2024-017/SAV-CHQ", "2024-017", "SAV-CHQ", None, None, "cong_van", "SAV"),
    ("30c/NQCP", "30c/NQ-CP", "30c", "NQ-CP", None, "NQ", "nghi_quyet", "CP"),  # a letter after it
    ("49/2024TT-BCT", "49/2024TT-BCT", "49", "TT-BCT", 2024, "TT", "thong_tu", "BCT"),  # year glued, kept so
    ("1234/SXD-QLN& TTBĐS", "1234/SXD-QLN&TTBĐS", "1234", "SXD-QLN&TTBĐS", None, None, "cong_van", "SXD"),
    ("7001/VPCP-V.I", "7001/VPCP-V.I", "7001", "VPCP-V.I", None, None, "cong_van", "VPCP"),
    ("12/QTr-KTr2", "12/QTR-KTR2", "12", "QTR-KTR2", None, None, "cong_van", "QTR"),
    ("02/CV-03", "02/CV-03", "02", "CV-03", None, None, "cong_van", "CV"),
]


@pytest.mark.parametrize("raw,key,number,symbol,year,type_abbr,doc_type,issuer", PARSED)
def test_parse_key(raw, key, number, symbol, year, type_abbr, doc_type, issuer):
    k = parse_key(raw)
    assert k is not None
    assert (k.key, k.number, k.symbol, k.year, k.type_abbr, k.doc_type, k.issuer_abbr) == (
        key, number, symbol, year, type_abbr, doc_type, issuer)


@pytest.mark.parametrize("raw,key", [
    ("8731/UBND.", "8731/UBND"),            # trailing punctuation of the Số: line
    ("3852/SYT-VP,", "3852/SYT-VP"),
    ("Số: 8731 /UBND", "8731/UBND"),
    ("  968 / CĐ - TTg ", "968/CĐ-TTg"),   # spaces around the separators
    ("968/CĐ–TTg", "968/CĐ-TTg"),           # en dash
    ("73 / 2023 / NĐ-CP", "73/2023/NĐ-CP"),
    ("68 - CTr / TU", "68-CTr/TU"),
])
def test_normalize_key_tolerates_layout(raw, key):
    assert normalize_key(raw) == key


@pytest.mark.parametrize("raw", [
    "", "15/05/2023", "14/1/23", "2021-2030", "2022 - 2025", "V/v", "0225.3846314",
    "07:47", "PCT.UBH", "96%", "sotp@haiphong.gov.vn", "UBND", "/UBND", "12/ngày",
])
def test_not_a_key(raw):
    assert parse_key(raw) is None


def test_match_key_is_the_scorer_comparison():
    assert match_key("968/CĐ-TTg") == match_key("968/cd-ttg")
    assert match_key("03/CT-UBND") == match_key("3/CT-UBND")
    assert match_key("8731 /UBND") == match_key("8731/UBND")

"""Generators of bad inputs: files an attacker or a careless user puts where congvan reads.

Each builder writes one file (or link) and returns its path; all are made here, byte by byte, in
well under a second, so the fault tests (tests/badinput/test_*.py) and benchmarks/badinput.py
can make them on any machine. Sizes that cost memory are parameters: the tests use small bombs
under small limits, the benchmark the sizes of issue 14.
"""
from __future__ import annotations

import zlib
from pathlib import Path

from PIL import Image

# A letter of the shape every Vietnamese office writes (Decree 30): header, body, closing.
HEADER = """\
ỦY BAN NHÂN DÂN
HUYỆN CẦN GIỜ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: {number}/UBND-VP
Cần Giờ, ngày 05 tháng 01 năm 2024
V/v triển khai kế hoạch phòng, chống thiên tai năm 2024
Kính gửi:
- Phòng Nông nghiệp và Phát triển nông thôn;
- Ủy ban nhân dân các xã, thị trấn.
"""
BODY = """\
Ủy ban nhân dân huyện đề nghị các đơn vị thực hiện các nội dung sau:
1. Phòng Nông nghiệp và Phát triển nông thôn chủ trì, phối hợp với các đơn vị liên quan
xây dựng kế hoạch phòng, chống thiên tai, hoàn thành trước ngày 31 tháng 01 năm 2024.
2. Ủy ban nhân dân các xã, thị trấn rà soát các khu vực có nguy cơ sạt lở, báo cáo kết quả
về Ủy ban nhân dân huyện trước ngày 15 tháng 02 năm 2024.
"""
CLOSING = """\
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn An
"""


def letter(number: int = 12) -> str:
    return HEADER.format(number=number) + BODY + CLOSING


def good_letter(path: Path, number: int = 12) -> Path:
    path.write_text(letter(number), encoding="utf-8")
    return path


# --- PDFs ---------------------------------------------------------------------------------------


def pdf(objects: dict[int, bytes], root: int = 1) -> bytes:
    """A PDF of these numbered objects (their bodies as written), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref, size = len(out), max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets.get(n, 0) for n in range(1, size))
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(data), extra, data)


def _one_page(contents: bytes, media_box: bytes = b"0 0 595 842") -> dict[int, bytes]:
    return {1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [%s] /Contents 4 0 R >>" % media_box,
            4: contents}


def pdf_reference_loop(path: Path) -> Path:
    """Page 1's /Contents is `4 0 R`, which is `5 0 R`, which is `4 0 R`: pdfminer resolves for ever."""
    objects = _one_page(b"5 0 R")
    objects[5] = b"4 0 R"
    path.write_bytes(pdf(objects))
    return path


def deflate_bomb(inflated: int, block: int = 1 << 20) -> bytes:
    """A zlib stream of `inflated` bytes of spaces (a valid, empty content stream) in about
    inflated/1000 bytes: the same deflate block repeated, byte-aligned by full flushes."""
    chunk = b" " * block
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = raw.compress(chunk) + raw.flush(zlib.Z_FULL_FLUSH)
    again = raw.compress(chunk) + raw.flush(zlib.Z_FULL_FLUSH)
    end = raw.flush()
    count = max(1, inflated // block)
    checksum = 1
    for _ in range(count):
        checksum = zlib.adler32(chunk, checksum)
    return b"\x78\xda" + first + again * (count - 1) + end + checksum.to_bytes(4, "big")


def pdf_stream_bomb(path: Path, inflated: int = 1536 << 20) -> Path:
    """One page whose content stream inflates to `inflated` bytes (1.5 GiB: a 1.5 MB file)."""
    path.write_bytes(pdf(_one_page(_stream(deflate_bomb(inflated), b" /Filter /FlateDecode"))))
    return path


def pdf_huge_media_box(path: Path, side: bytes = b"1" + b"0" * 30) -> Path:
    """A page 1e30 points wide and high (`side` as written: PDF numbers have no exponent, so
    b"1e30" is a name-like token to pdfminer and a number to PDFium)."""
    path.write_bytes(pdf(_one_page(_stream(b"BT ET"), media_box=b"0 0 %s %s" % (side, side))))
    return path


def pdf_many_pages(path: Path, pages: int = 5000) -> Path:
    """`pages` empty pages sharing one content stream (about 60 bytes a page)."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
               2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
               3: _stream(b"BT ET")}
    for i in range(pages):
        objects[4 + i] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"
    path.write_bytes(pdf(objects))
    return path


# --- images ---------------------------------------------------------------------------------------


def tiff_lab(path: Path, size: tuple[int, int] = (600, 800)) -> Path:
    """A CIELAB TIFF (photometric 8): Pillow reads it in mode LAB, which few of its filters take."""
    Image.new("LAB", size, (200, 128, 128)).save(path, "TIFF")
    return path


def png_with_dpi(path: Path, source: Path, dpi: int = 5000) -> Path:
    """A page image (e.g. a real scan) re-saved with an implausible dpi tag."""
    with Image.open(source) as image:
        image.save(path, "PNG", dpi=(dpi, dpi))
    return path


# --- texts ------------------------------------------------------------------------------------------


def text_one_line(path: Path) -> Path:
    """A letter's number line alone."""
    path.write_text("Số: 12/UBND-VP\n", encoding="utf-8")
    return path


def text_header_without_body(path: Path) -> Path:
    path.write_text(HEADER.format(number=12), encoding="utf-8")
    return path


def text_number_lines(path: Path, count: int = 100_000) -> Path:
    """`count` × "Số: 1/": the start of a letter's number, over and over, on one line."""
    path.write_text("Số: 1/" * count, encoding="utf-8")
    return path


def long_body(size: int) -> str:
    """About `size` characters of a letter's body on ONE line: sentences with dates, bodies,
    references and deadlines, and no line break (a web page pasted as one paragraph)."""
    sentence = ("Phòng Nội vụ chủ trì, phối hợp với Sở Tài chính rà soát theo Công văn số 5611/UBND-VX "
                "ngày 11 tháng 11 năm 2023, báo cáo trước ngày 31/01/2024 và định kỳ hằng tháng. ")
    return sentence * max(1, size // len(sentence))


def text_long_letter(path: Path, size: int = 1 << 20) -> Path:
    """A letter whose body is one line of `size` characters (1 MB: 34–59 s before issue 14)."""
    path.write_text(HEADER.format(number=12) + long_body(size) + "\n" + CLOSING, encoding="utf-8")
    return path


def text_huge(path: Path, size: int = 50 << 20) -> Path:
    """`size` bytes of letters' text, one letter's body repeated (50 MB: 2.5–3.7 GB before issue 14)."""
    unit = BODY.encode("utf-8")
    with path.open("wb") as file:
        file.write(HEADER.format(number=12).encode("utf-8"))
        written = 0
        while written < size:
            file.write(unit * 1000)
            written += len(unit) * 1000
        file.write(CLOSING.encode("utf-8"))
    return path


def sparse_file(path: Path, size: int = 2 << 30) -> Path:
    """A file of `size` bytes that takes no disk space (a hole): too large to read."""
    with path.open("wb") as file:
        file.truncate(size)
    return path


# --- names and links ---------------------------------------------------------------------------------


def vietnamese_long_name(length: int = 188) -> str:
    """A file name of `length` characters, most of them two or three bytes in UTF-8 (188: 248 bytes)."""
    words = "công văn số 12 ủy ban nhân dân huyện cần giờ về việc triển khai kế hoạch phòng chống thiên tai "
    stem = (words * 4)[: length - 4].rstrip()
    return stem + "x" * (length - 4 - len(stem)) + ".txt"


def symlink_loop(folder: Path, name: str = "loop.txt") -> Path:
    """`name` -> `name.2` -> `name`: opening either fails with ELOOP."""
    first, second = folder / name, folder / f"{name}.2"
    first.symlink_to(second.name)
    second.symlink_to(first.name)
    return first

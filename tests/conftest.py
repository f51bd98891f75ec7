"""Shared fixtures: a small real-looking letter, and writers for the kinds of file congvan reads."""
from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

# Prefect (tests/test_flows.py): a home of this session's own, so no database or task cache is
# shared with another session; no telemetry on a closed network.
_PREFECT_HOME = tempfile.mkdtemp(prefix="congvan-prefect-")
atexit.register(shutil.rmtree, _PREFECT_HOME, ignore_errors=True)
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ["PREFECT_LOCAL_STORAGE_PATH"] = os.path.join(_PREFECT_HOME, "storage")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for the whole session (it takes about 13 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    # None: the start-up limit of flows/prefect_env.py, the one the main job uses
    import flows  # noqa: F401 - sets congvan's Prefect settings

    with prefect_test_harness(server_startup_timeout=None):
        yield


@pytest.fixture
def fork_workers(monkeypatch):
    """Worker processes forked from this one (pipeline/workers.py), so that what a test changes in
    congvan's functions here (monkeypatch) is what the workers run."""
    import pipeline.workers

    monkeypatch.setattr(pipeline.workers, "START_METHOD", "fork")


LETTER = """\
ỦY BAN NHÂN DÂN
HUYỆN CẦN GIỜ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/UBND-VP
Cần Giờ, ngày 05 tháng 01 năm 2024
V/v triển khai kế hoạch phòng, chống thiên tai năm 2024
Kính gửi:
- Phòng Nông nghiệp và Phát triển nông thôn;
- Ủy ban nhân dân các xã, thị trấn.
Thực hiện Công văn số 5611/UBND-VX ngày 11 tháng 11 năm 2023 của Ủy ban nhân dân Thành phố,
Ủy ban nhân dân huyện đề nghị các đơn vị thực hiện các nội dung sau:
1. Phòng Nông nghiệp và Phát triển nông thôn chủ trì, phối hợp với các đơn vị liên quan
xây dựng kế hoạch phòng, chống thiên tai, hoàn thành trước ngày 31 tháng 01 năm 2024.
2. Ủy ban nhân dân các xã, thị trấn:
a) Rà soát các khu vực có nguy cơ sạt lở, báo cáo kết quả về Ủy ban nhân dân huyện.
b) Tổ chức trực ban nghiêm túc trong mùa mưa bão.
Nơi nhận:
- Như trên;
- Chủ tịch UBND huyện;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn An
"""

NOT_A_LETTER = """\
Danh sách mua sắm tuần này
Gạo, nước mắm, rau muống, cà chua.
Nhớ gọi điện cho mẹ vào tối thứ Bảy.
"""

# The RC4 padding string of the PDF standard security handler (PDF 32000-1, 7.6.3.3).
_PDF_PASSWORD_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


@pytest.fixture
def letter_text() -> str:
    return LETTER


@pytest.fixture
def not_a_letter_text() -> str:
    return NOT_A_LETTER


@pytest.fixture
def write_pdf() -> Callable[..., Path]:
    """write_pdf(path, pages, user_password=None): a PDF whose text layer holds `pages`.

    Each page is a list of lines; an empty list makes a page with only a grey box (a 'scan').
    The font is a non-embedded CID font with a ToUnicode map, enough for text extraction of
    any Unicode text without shipping a font file.
    """
    def write(path: Path, pages: list[list[str]], user_password: str | None = None) -> Path:
        path.write_bytes(build_pdf(pages, user_password))
        return path
    return write


@pytest.fixture
def encode_cp1258() -> Callable[[str], bytes]:
    return encode_cp1258_text


def encode_cp1258_text(text: str) -> bytes:
    """Text as Windows-1258 stores it: base letters precomposed (â, ơ, ư ...), tone marks combining."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = bytearray()
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out += (base + "".join(c for c in decomposed if c in tones)).encode("cp1258")
    return bytes(out)


def build_pdf(pages: list[list[str]], user_password: str | None = None) -> bytes:
    chars = sorted({char for page in pages for line in page for char in line})
    cids = {char: i for i, char in enumerate(chars, start=1)}
    first_page = 7
    page_ids = [first_page + 2 * i for i in range(len(pages))]
    objects: dict[int, bytes | tuple[str, bytes]] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join(f"{i} 0 R" for i in page_ids).encode(), len(pages)),
        3: b"<< /Type /Font /Subtype /Type0 /BaseFont /TestSans /Encoding /Identity-H"
           b" /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        4: b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestSans /FontDescriptor 6 0 R /DW 500"
           b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        5: ("stream", _to_unicode_cmap(cids)),
        6: b"<< /Type /FontDescriptor /FontName /TestSans /Flags 32 /FontBBox [0 -200 1000 900]"
           b" /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>",
    }
    for page_id, lines in zip(page_ids, pages):
        if lines:
            shown = "\n".join("<{}> Tj T*".format("".join(f"{cids[c]:04X}" for c in line)) for line in lines)
            content = f"BT /F1 10 Tf 14 TL 40 800 Td\n{shown}\nET"
        else:
            content = "0.5 g 40 40 500 700 re f"
        objects[page_id] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
                            b" /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (page_id + 1))
        objects[page_id + 1] = ("stream", content.encode())

    file_id = hashlib.md5(repr(pages).encode()).digest()
    key = None
    encrypt_ref = b""
    if user_password is not None:
        # Standard security handler, revision 2 (40-bit RC4): the simplest that every reader knows.
        padded = (user_password.encode("latin-1") + _PDF_PASSWORD_PAD)[:32]
        owner = _rc4(hashlib.md5(b"owner-password").digest()[:5], padded)
        permissions = (-44).to_bytes(4, "little", signed=True)
        key = hashlib.md5(padded + owner + permissions + file_id).digest()[:5]
        encrypt_id = max(objects) + 1
        objects[encrypt_id] = (b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -44 >>"
                               % (owner.hex().encode(), _rc4(key, _PDF_PASSWORD_PAD).hex().encode()))
        encrypt_ref = b" /Encrypt %d 0 R" % encrypt_id

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        body = objects[number]
        out += b"%d 0 obj\n" % number
        if isinstance(body, tuple):
            data = body[1]
            if key is not None:
                data = _rc4(hashlib.md5(key + number.to_bytes(3, "little") + b"\0\0").digest()[:10], data)
            out += b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)
        else:
            out += body
        out += b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R /ID [<%s> <%s>]%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        size, file_id.hex().encode(), file_id.hex().encode(), encrypt_ref, xref)
    return bytes(out)


def _to_unicode_cmap(cids: dict[str, int]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    entries = list(cids.items())
    for start in range(0, len(entries), 100):  # a bfchar block holds at most 100 entries
        chunk = entries[start:start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{cid:04X}> <{char.encode('utf-16-be').hex().upper()}>" for char, cid in chunk]
        lines.append("endbfchar")
    lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    return "\n".join(lines).encode()


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


@pytest.fixture(scope="session")
def review_scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output JSON of a two-page scanned PDF (pages 1 and 2 of the degraded 8731 scan, images
    only), read by the real Tesseract; the PDF stays beside it for the review site's page images."""
    from PIL import Image

    from pipeline.extract import extract_file
    from pipeline.output import render_json

    folder = tmp_path_factory.mktemp("review-scan")
    scans = Path(__file__).resolve().parents[1] / "data" / "samples" / "scans" / "cong-van-8731-ubnd-can-gio" / "degraded"
    pages = [Image.open(scans / f"page-{n}.jpg").convert("L") for n in (1, 2)]
    pdf = folder / "cong-van-8731-quet.pdf"
    pages[0].save(pdf, "PDF", resolution=300, save_all=True, append_images=pages[1:])
    out = folder / "cong-van-8731-quet.json"
    out.write_bytes(render_json(extract_file(pdf, name=pdf.as_posix())))
    return out

"""Photo files made on the spot: camera JPEGs with EXIF and GPS, other formats, bad files."""

import io
import struct
import zlib

import pillow_heif
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

ORIENTATION, MAKE, MODEL, EXIF_IFD, GPS_IFD, DATETIME_ORIGINAL = (
    0x0112, 0x010F, 0x0110, 0x8769, 0x8825, 0x9003,
)  # fmt: skip
CAMERA_MODEL = "Canon EOS R6"


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def camera_jpeg(size=(1200, 800), orientation: int = 1, colour="#6f9a4f") -> bytes:
    """A JPEG as a phone writes it: orientation, camera, capture time and GPS position."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE], exif[MODEL] = "Canon", CAMERA_MODEL
    exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = "2024:10:01 08:30:00"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (28.0, 18.0, 36.0), 3: "E", 4: (109.0, 44.0, 24.0)})
    return encode(image, "JPEG", quality=90, exif=exif)


def halves_jpeg(size=(1200, 800), orientation: int = 1, fmt: str = "JPEG") -> bytes:
    """Left half red, right half blue (as stored), with an EXIF orientation."""
    pillow_heif.register_heif_opener()
    image = Image.new("RGB", size, "blue")
    ImageDraw.Draw(image).rectangle([0, 0, size[0] // 2, size[1]], fill="red")
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    return encode(image, fmt, quality=95, exif=exif.tobytes())


def noisy_jpeg(size=(800, 600)) -> bytes:
    """A JPEG with plenty of picture data (noise compresses badly)."""
    return encode(Image.effect_noise(size, 60).convert("RGB"), "JPEG", quality=90)


def heic(size=(800, 600), colour="orange") -> bytes:
    pillow_heif.register_heif_opener()
    return encode(Image.new("RGB", size, colour), "HEIF")


def animated_gif() -> bytes:
    """Two frames, red then blue: renditions show the first."""
    frames = [Image.new("RGB", (600, 400), colour) for colour in ("red", "blue")]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)


def transparent_png(size=(600, 400)) -> bytes:
    return encode(Image.new("RGBA", size, (0, 0, 0, 0)), "PNG")


def cmyk_jpeg(size=(600, 400)) -> bytes:
    """Print-ready red: no cyan or black, full magenta and yellow."""
    return encode(Image.new("CMYK", size, (0, 255, 255, 0)), "JPEG", quality=95)


def png_header(width: int, height: int) -> bytes:
    """A PNG claiming huge dimensions while carrying almost no data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def blank_png(width: int, height: int) -> bytes:
    """A valid black PNG of any size, a few hundred KB at most, built without the pixels
    ever being held in memory (a decompression bomb when large)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    packer, row = zlib.compressobj(9), b"\x00" * (1 + 3 * width)
    pixels = [packer.compress(row) for _ in range(height)]
    pixels.append(packer.flush())
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", b"".join(pixels))
        + png_chunk(b"IEND", b"")
    )


def truncated_png() -> bytes:
    """A real PNG cut off in the middle of its pixel data."""
    data = encode(Image.effect_noise((400, 300), 50).convert("RGB"), "PNG")
    return data[: len(data) // 2]


def polyglot_jpeg() -> bytes:
    """A real JPEG whose comment segment is a web page (an HTML/JPEG polyglot)."""
    page = b"<html><body><script>alert(document.cookie)</script></body></html>"
    comment = b"\xff\xfe" + struct.pack(">H", len(page) + 2) + page
    jpeg = camera_jpeg((400, 300))
    return jpeg[:2] + comment + jpeg[2:]


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)
HTML_PAGE = b"<!doctype html><html><body><img src=x onerror=alert(1)></body></html>"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def bad_files() -> dict[str, tuple[bytes, str, str]]:
    """Each bad file: (bytes, file name, the message that refuses it)."""
    jpeg = noisy_jpeg()
    return {
        "truncated JPEG": (jpeg[: len(jpeg) // 2], "cut.jpg", "图片不完整或已损坏"),
        "HTML/JPEG polyglot": (polyglot_jpeg(), "poly.jpg", "图片中夹带了网页代码"),
        "SVG with script named .jpg": (SVG_WITH_SCRIPT, "logo.jpg", "这是网页或 SVG 代码"),
        "HTML page named .jpg": (HTML_PAGE, "page.jpg", "这是网页或 SVG 代码"),
        "huge-dimension PNG header": (png_header(100_000, 100_000), "big.png", "图片像素过多"),
        "zero-byte file": (b"", "empty.jpg", "文件是空的"),
        "truncated PNG": (truncated_png(), "cut.png", "图片不完整或已损坏"),
        "truncated PNG header": (truncated_png()[:100], "cut.png", "图片不完整或已损坏"),
        "100-megapixel PNG": (blank_png(10_000, 10_000), "bomb.png", "这种格式上限为 40 百万像素"),
        "PDF with a photo's extension": (PDF, "scan.jpg", "无法识别为照片"),
    }

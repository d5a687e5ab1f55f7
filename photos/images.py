"""The photo pipeline (Pillow): check an upload, then draw its public copies.

Nothing here touches the database or storage: ``check_upload`` turns bytes into facts or a
refusal, ``render`` turns an original into renditions (bytes). The library's side lives
in ``photos.photos``.

Speed and memory: a JPEG is decoded once, with DCT scaling (``draft``) straight to the
smallest size that still covers the largest rendition; every smaller copy is resized from
the one above it, and each copy is encoded once per format.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import re
import subprocess
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageDraw, ImageFont, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "HEIF")
COVER_RATIO = (3, 2)
COVER_WIDTH = 480
JPEG_QUALITY = 82
WEBP_QUALITY = 78
# Bump when the drawing or the naming changes, so `render_photos` redraws every photo.
PIPELINE_VERSION = "2"
# Public copies are named by a hash keyed with the site's secret (see Rendition.name).
# Named for where this module first lived; a new salt would rename every stored rendition.
NAME_SALT = "photos.images.Rendition.name"
# The mark's width as a share of the photo's width.
MARK_SHARE = 0.2
FONT_CANDIDATES = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),  # index 2: Simplified Chinese
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
]
# Markup that has no business inside a photo (a polyglot file smuggling a web page).
HIDDEN_MARKUP = re.compile(
    rb"(?i)<(?:script|html|body|iframe|object|embed|svg[\s>/]|!doctype|\?php)|javascript:"
)
ORIENTATION, DATETIME_ORIGINAL, MAKE, MODEL, EXIF_IFD = 0x0112, 0x9003, 0x010F, 0x0110, 0x8769
SRGB = ImageCms.createProfile("sRGB")

MESSAGES = {
    "empty": _("文件是空的。"),
    "too_large": _("文件太大（%(size)s MB），上限为 %(limit)s MB。"),
    "markup": _("这是网页或 SVG 代码，不是照片；请上传 JPEG、PNG、WebP、HEIC 或 GIF 图片。"),
    "unsupported": _("无法识别为照片：请上传 JPEG、PNG、WebP、HEIC 或 GIF 图片。"),
    "hidden_markup": _("图片中夹带了网页代码，已拒绝；请用看图软件另存后再上传。"),
    "too_many_pixels": _("图片像素过多（%(pixels)s 百万像素），上限为 %(limit)s 百万像素。"),
    "too_many_pixels_to_decode": _(
        "%(format)s 图片像素过多（%(pixels)s 百万像素），这种格式上限为 %(limit)s 百万像素；"
        "请缩小尺寸或另存为 JPEG 后再上传。"
    ),
    "corrupt": _("图片不完整或已损坏，请重新导出后再上传。"),
}


def refusal(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


@dataclass(frozen=True)
class Probe:
    """What an accepted upload is: its bytes and the facts read from them."""

    data: bytes
    sha256: str
    format: str
    width: int  # as displayed, after the EXIF orientation
    height: int
    taken_at: datetime | None
    camera: str

    @property
    def extension(self) -> str:
        return {"JPEG": "jpg", "HEIF": "heic"}.get(self.format, self.format.lower())


@dataclass(frozen=True)
class Rendition:
    """One public copy, ready to store."""

    kind: str  # "full" or "cover"
    width: int
    height: int
    format: str  # "webp" or "jpeg"
    marked: bool
    data: bytes

    def name(self) -> str:
        """A path named by content under the site's secret: the same bytes always get the
        same name, yet nobody holding the photo can work the name out (the copies of a
        photo no published article shows yet must not be found by guessing)."""
        digest = salted_hmac(NAME_SALT, self.data, algorithm="sha256").hexdigest()
        mark = ".marked" if self.marked else ""
        suffix = "jpg" if self.format == "jpeg" else self.format
        return f"photos/{digest[:2]}/{digest[:20]}-{self.width}{mark}.{suffix}"


# --- Checking an upload -----------------------------------------------------------------


def check_size(size: int) -> None:
    """Refuse a file over the size limit, before anything reads it."""
    if not size:
        raise refusal("empty")
    limit_mb = settings.NEWSROOM_PHOTO_MAX_MB
    if size > limit_mb * 1024 * 1024:
        raise refusal("too_large", size=f"{size / 1024 / 1024:.1f}", limit=limit_mb)


def check_pixels(image: Image.Image) -> None:
    """Refuse by the dimensions the header states, before a pixel is decoded.

    Only a JPEG can be decoded at a fraction of its size (``Image.draft``); every other
    format is drawn from all its pixels at once, so it has a lower limit of its own: a
    12 KB PNG can state 100 megapixels and need 300 MB to draw.
    """
    width, height = image.size
    pixels = width * height
    limit_mpx = settings.NEWSROOM_PHOTO_MAX_MEGAPIXELS
    if pixels > limit_mpx * 1_000_000:
        raise refusal("too_many_pixels", pixels=f"{pixels / 1e6:.0f}", limit=limit_mpx)
    full_limit = settings.NEWSROOM_PHOTO_MAX_FULL_DECODE_MEGAPIXELS
    if image.format != "JPEG" and pixels > full_limit * 1_000_000:
        raise refusal(
            "too_many_pixels_to_decode",
            format=image.format,
            pixels=f"{pixels / 1e6:.0f}",
            limit=full_limit,
        )


def check_upload(data: bytes) -> Probe:
    """Return the facts of an acceptable photo, or raise ValidationError saying why not."""
    check_size(len(data))
    image = open_image(data)
    check_pixels(image)
    width, height = image.size
    if HIDDEN_MARKUP.search(metadata_region(data, image.format)):
        raise refusal("hidden_markup")
    exif = read_exif(image)
    decode_fully(image, data)
    if exif.get(ORIENTATION) in (5, 6, 7, 8):
        width, height = height, width
    return Probe(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        format=image.format,
        width=width,
        height=height,
        taken_at=capture_time(exif),
        camera=camera_name(exif),
    )


def read_exif(image: Image.Image) -> Image.Exif:
    """The photo's EXIF, without decoding its pixels.

    Pillow's ``getexif()`` on a PNG decodes the whole image to look for EXIF stored after
    the pixels; EXIF stored before them (as cameras and editors write it) is read here.
    """
    try:
        if image.format != "PNG":
            return image.getexif()
        exif = Image.Exif()
        if raw := image.info.get("exif"):
            exif.load(raw)
        return exif
    except (OSError, SyntaxError, ValueError, EOFError):
        raise refusal("corrupt") from None


@functools.cache
def read_heif() -> None:
    """Teach Pillow HEIF (iPhone photos) when a photo is first opened: pillow_heif and its
    codecs take about 7 MB, which workers that never see a photo need not carry."""
    import pillow_heif

    pillow_heif.register_heif_opener()


def open_image(data: bytes) -> Image.Image:
    """Open by content with the accepted decoders only; the file name plays no part."""
    read_heif()
    with warnings.catch_warnings():
        # Our own pixel limit applies (check_upload); Pillow's hard stop stays as a backstop.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            return Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        except Image.DecompressionBombError:
            limit = settings.NEWSROOM_PHOTO_MAX_MEGAPIXELS
            raise refusal("too_many_pixels", pixels="> 179", limit=limit) from None
        except UnidentifiedImageError:
            head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
            raise refusal("markup" if head == b"<" else "unsupported") from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise refusal("corrupt") from None


def decode_fully(image: Image.Image, data: bytes) -> None:
    """Read every byte of picture data, so a truncated or corrupt file is caught now."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            if image.format == "JPEG":
                # Decoding at 1/8 scale still walks the whole entropy-coded stream.
                image.draft("RGB", (image.width // 8 or 1, image.height // 8 or 1))
                image.load()
            elif image.format == "PNG":
                # Checks every chunk's CRC without holding the pixels; needs a fresh file.
                Image.open(io.BytesIO(data), formats=["PNG"]).verify()
            else:
                image.load()
    except (OSError, SyntaxError, ValueError, EOFError):
        raise refusal("corrupt") from None


def metadata_region(data: bytes, image_format: str) -> bytes:
    """Return the parts of a file that hold metadata rather than pixels.

    Compressed pixel data is noise in which short byte patterns turn up by chance, so
    only headers and anything trailing the image are searched for markup.
    """
    if image_format != "JPEG":
        return data[:65536] + data[-65536:]
    position = 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: pixel data follows
            break
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    end = data.rfind(b"\xff\xd9")
    return data[:position] + (data[end + 2 :] if end != -1 else b"")


def capture_time(exif: Image.Exif) -> datetime | None:
    raw = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL)
    try:
        moment = datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    # Cameras record local time without a zone; the desk's photos are taken at home.
    return timezone.make_aware(moment)


def camera_name(exif: Image.Exif) -> str:
    make, model = (str(exif.get(tag, "")).strip("\x00 ") for tag in (MAKE, MODEL))
    name = model if model.lower().startswith(make.lower()) else f"{make} {model}"
    return name.strip()[:100]


# --- Drawing the public copies ----------------------------------------------------------


def plan_widths(width: int, widths: list[int]) -> list[int]:
    """Widths to draw: each configured width below the photo's own, and the photo's own
    width when it is narrower than the largest configured one (never upscale)."""
    planned = [w for w in sorted(widths) if w < width]
    if width <= max(widths):
        planned.append(width)
    return planned


def render(
    data: bytes, *, watermark: bool, focal: tuple[float, float] = (0.5, 0.5)
) -> list[Rendition]:
    """Draw every public copy of an original: each width in WebP and JPEG, plus a cover."""
    image = decode_for(data, max(settings.NEWSROOM_PHOTO_WIDTHS))
    widths = plan_widths(image.width, settings.NEWSROOM_PHOTO_WIDTHS)
    renditions: list[Rendition] = []
    drawn: list[Image.Image] = []
    current = image
    for width in reversed(widths):  # largest first; each smaller copy from the one above
        current = resize_to_width(current, width)
        drawn.append(current)
        marked = watermark and width >= settings.NEWSROOM_WATERMARK_MIN_WIDTH
        renditions += encode("full", apply_watermark(current) if marked else current, marked)
    renditions += encode("cover", cover_crop(drawn, focal), marked=False)
    return renditions


def decode_for(data: bytes, largest: int) -> Image.Image:
    """Decode at the smallest size that covers the largest width, in sRGB, upright."""
    read_heif()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        orientation = image.getexif().get(ORIENTATION, 1)
        turned = orientation in (5, 6, 7, 8)
        width = image.height if turned else image.width
        if image.format == "JPEG" and width > largest:
            scale = largest / width
            image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))
        image.seek(0)  # GIF: the first frame
        icc = image.info.get("icc_profile")
        flat = flatten(image)
    # Shrink before turning and converting colours: both cost per pixel.
    if (flat.height if turned else flat.width) > largest:
        scale = largest / (flat.height if turned else flat.width)
        size = (max(1, round(flat.width * scale)), max(1, round(flat.height * scale)))
        # Every Pillow filter antialiases when shrinking; Hamming is the cheapest good one.
        flat = flat.resize(size, Image.Resampling.HAMMING)
    if method := TRANSPOSE.get(orientation):
        flat = flat.transpose(method)
    return to_srgb(flat, icc)


TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def flatten(image: Image.Image) -> Image.Image:
    """Return an RGB (or CMYK, converted later with its profile) image; alpha over white."""
    if image.mode in ("RGB", "CMYK"):
        return image
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, "white")
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def resize_to_width(image: Image.Image, width: int) -> Image.Image:
    if image.width == width:
        return image
    if image.width == 2 * width and image.height % 2 == 0:
        return image.reduce(2)  # an exact halving: a 2×2 average is as good and far faster
    height = max(1, round(image.height * width / image.width))
    # Pillow antialiases at any ratio; Hamming is sharp enough for photos, and quick.
    return image.resize((width, height), Image.Resampling.HAMMING)


def to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Convert to sRGB through the embedded profile (or plainly, for CMYK without one)."""
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if not ImageCms.getProfileDescription(profile).strip().startswith("sRGB"):
                image = ImageCms.profileToProfile(image, profile, SRGB, outputMode="RGB")
        except ImageCms.PyCMSError:
            pass  # a broken profile: keep the pixels as they are
    image = image.convert("RGB") if image.mode != "RGB" else image
    image.info = {}  # nothing of the original's metadata travels on
    return image


def cover_crop(drawn: list[Image.Image], focal: tuple[float, float]) -> Image.Image:
    """Crop the cover from the smallest copy that still gives a full-width cover."""
    for image in reversed(drawn):  # smallest first
        box = focal_box(image.size, COVER_RATIO, focal)
        if box[2] - box[0] >= COVER_WIDTH or image is drawn[0]:
            cover = image.crop(box)
            return resize_to_width(cover, min(COVER_WIDTH, cover.width))
    raise AssertionError("unreachable: the largest copy always answers")


def focal_box(
    size: tuple[int, int], ratio: tuple[int, int], focal: tuple[float, float]
) -> tuple[int, int, int, int]:
    """Return the largest box of the given ratio that is centred on the focal point as
    far as the photo's edges allow."""
    width, height = size
    crop_w = min(width, round(height * ratio[0] / ratio[1]))
    crop_h = min(height, round(crop_w * ratio[1] / ratio[0]))
    left = min(max(round(focal[0] * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(focal[1] * height - crop_h / 2), 0), height - crop_h)
    return left, top, left + crop_w, top + crop_h


def encode(kind: str, image: Image.Image, marked: bool) -> list[Rendition]:
    """Encode once per format; no EXIF, GPS, XMP or ICC data is written."""
    copies = []
    for fmt, options in (
        # WebP method 2 encodes in a third of the default's time for ~2% more bytes.
        ("webp", {"quality": WEBP_QUALITY, "method": 2}),
        ("jpeg", {"quality": JPEG_QUALITY}),
    ):
        buffer = io.BytesIO()
        image.save(buffer, fmt.upper(), **options)
        copies.append(Rendition(kind, image.width, image.height, fmt, marked, buffer.getvalue()))
    return copies


# --- The watermark ----------------------------------------------------------------------


def apply_watermark(image: Image.Image) -> Image.Image:
    """Return a copy with the station's mark in the configured corner."""
    source = mark_source()
    mark_w = max(1, round(image.width * MARK_SHARE))
    mark = source.resize((mark_w, max(1, round(source.height * mark_w / source.width))))
    margin = round(image.width * settings.NEWSROOM_WATERMARK_MARGIN)
    vertical, horizontal = settings.NEWSROOM_WATERMARK_POSITION.split("-")
    x = margin if horizontal == "left" else image.width - mark.width - margin
    y = margin if vertical == "top" else image.height - mark.height - margin
    marked = image.copy()
    marked.paste(mark, (x, y), mark)
    return marked


def mark_source() -> Image.Image:
    """The mark at its drawing size, with the configured opacity in its alpha channel."""
    return _mark_source(*mark_settings())


def mark_settings() -> tuple:
    return (
        settings.NEWSROOM_WATERMARK_LOGO,
        settings.NEWSROOM_WATERMARK_TEXT,
        settings.NEWSROOM_WATERMARK_FONT,
        settings.NEWSROOM_WATERMARK_OPACITY,
    )


@functools.cache
def _mark_source(logo: str, text: str, font: str, opacity: float) -> Image.Image:
    if logo:
        with Image.open(logo) as file:
            mark = file.convert("RGBA")
    else:
        mark = draw_text_mark(text, load_font(font, 96))
    alpha = mark.getchannel("A").point(lambda a: round(a * opacity))
    mark.putalpha(alpha)
    return mark


def draw_text_mark(text: str, font: ImageFont.FreeTypeFont) -> Image.Image:
    """White text with a dark outline, legible on sky and on shadow alike."""
    stroke = 4
    left, top, right, bottom = font.getbbox(text, stroke_width=stroke)
    mark = Image.new("RGBA", (right - left, bottom - top), (0, 0, 0, 0))
    ImageDraw.Draw(mark).text(
        (-left, -top), text, font=font, fill=(255, 255, 255, 235),
        stroke_width=stroke, stroke_fill=(0, 0, 0, 140),
    )  # fmt: skip
    return mark


def load_font(configured: str, size: int) -> ImageFont.FreeTypeFont:
    """The configured font ("path" or "path#index"), else the first CJK font installed."""
    if configured:
        path, _sep, index = configured.partition("#")
        candidates = [(path, int(index or 0))]
    else:
        candidates = [*FONT_CANDIDATES, *fontconfig_chinese_font()]
    for path, index in candidates:
        if Path(path).exists():
            return ImageFont.truetype(path, size, index=index)
    raise ImproperlyConfigured(
        "No CJK font for the watermark text: install fonts-noto-cjk, or set "
        "NEWSROOM_WATERMARK_FONT (or NEWSROOM_WATERMARK_LOGO)."
    )


def fontconfig_chinese_font() -> list[tuple[str, int]]:
    """The first installed font that covers Simplified Chinese, as fontconfig lists them."""
    try:
        found = subprocess.run(
            ["fc-list", "--format=%{file}|%{index}|%{family}\n", ":lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    fonts = [line.split("|", 2) for line in found.splitlines() if line.count("|") == 2]
    # Faces for Simplified Chinese first: a CJK collection's first face is often Japanese.
    fonts.sort(key=lambda font: ("SC" not in font[2] and "CN" not in font[2], font[0], font[1]))
    return [(path, int(index or 0)) for path, index, _family in fonts[:1]]


def recipe(sha256: str, *, watermark: bool, focal: tuple[float, float]) -> str:
    """A fingerprint of everything that decides an original's renditions."""
    parts = [
        PIPELINE_VERSION,
        sha256,
        ",".join(map(str, settings.NEWSROOM_PHOTO_WIDTHS)),
        f"{focal[0]:.4f},{focal[1]:.4f}",
    ]
    if watermark:
        logo, text, font, opacity = mark_settings()
        logo_bytes = Path(logo).read_bytes() if logo else b""
        parts += [
            hashlib.sha256(logo_bytes).hexdigest() if logo else text,
            font,
            settings.NEWSROOM_WATERMARK_POSITION,
            str(settings.NEWSROOM_WATERMARK_MARGIN),
            str(opacity),
            str(settings.NEWSROOM_WATERMARK_MIN_WIDTH),
        ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()

"""The photo pipeline, judged by the files it writes: what is refused, what readers get."""

import hashlib
import io
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from PIL import Image as PILImage
from PIL import ImageChops

from articles.models import Image
from articles.storage import originals_storage
from desk import checks
from photos import images, photos
from photos.tasks import render_photo
from tests import photo_files
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client):
    client.force_login(UserFactory(username="chief", is_superuser=True))
    return client


def add(data: bytes, name: str = "photo.jpg", **fields) -> Image:
    return photos.add_photo(photo_files.upload(data, name), **fields)


def copy_file(image: Image, kind: str = "full", fmt: str = "jpeg", width: int | None = None):
    """Open one public copy as written to the media storage."""
    copies = image.copies(kind, fmt)
    chosen = copies[-1] if width is None else next(c for c in copies if c["width"] == width)
    with default_storage.open(chosen["name"], "rb") as file:
        data = file.read()
    return PILImage.open(io.BytesIO(data)), data


def is_red(pixel: tuple) -> bool:
    return pixel[0] > 200 and pixel[1] < 60 and pixel[2] < 60


def is_blue(pixel: tuple) -> bool:
    return pixel[2] > 200 and pixel[0] < 60 and pixel[1] < 60


def stored_files(settings) -> list[Path]:
    roots = [Path(settings.MEDIA_ROOT), Path(originals_storage.location)]
    return [path for root in roots if root.exists() for path in root.rglob("*") if path.is_file()]


# --- Refusals: clear messages, nothing stored -------------------------------------------


@pytest.mark.parametrize("case", photo_files.bad_files().keys())
def test_bad_file_is_refused_with_its_message_and_nothing_is_stored(desk, settings, case):
    data, name, message = photo_files.bad_files()[case]

    response = desk.post(
        reverse("admin:articles_image_add"),
        {"file": photo_files.upload(data, name), "caption": "说明", "alt_text": "画面"},
    )

    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_file_over_the_size_limit_is_refused(desk, settings):
    settings.NEWSROOM_PHOTO_MAX_MB = 1
    too_big = photo_files.camera_jpeg() + b"\0" * (1024 * 1024)

    response = desk.post(
        reverse("admin:articles_image_add"), {"file": photo_files.upload(too_big)}
    )

    assert "上限为 1 MB" in response.content.decode()
    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_image_over_the_pixel_limit_is_refused(desk, settings):
    settings.NEWSROOM_PHOTO_MAX_MEGAPIXELS = 1
    two_megapixels = photo_files.camera_jpeg(size=(2000, 1000))

    response = desk.post(
        reverse("admin:articles_image_add"), {"file": photo_files.upload(two_megapixels)}
    )

    assert "图片像素过多（2 百万像素），上限为 1 百万像素" in response.content.decode()
    assert stored_files(settings) == []


def test_type_comes_from_the_content_not_the_name():
    png_named_jpeg = photo_files.encode(PILImage.new("RGB", (600, 400), "teal"), "PNG")

    image = add(png_named_jpeg, "holiday.jpg")

    assert image.format == "PNG"
    assert image.file.name.endswith(".png")
    assert image.is_ready


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (photo_files.camera_jpeg(), "JPEG"),
        (photo_files.transparent_png(), "PNG"),
        (photo_files.encode(PILImage.new("RGB", (600, 400), "navy"), "WEBP"), "WEBP"),
        (photo_files.heic(), "HEIF"),
        (photo_files.animated_gif(), "GIF"),
    ],
    ids=["jpeg", "png", "webp", "heic", "gif"],
)
def test_every_accepted_format_gets_webp_and_jpeg_copies(data, fmt):
    image = add(data)

    assert image.format == fmt
    webp, _ = copy_file(image, fmt="webp")
    jpeg, _ = copy_file(image)
    assert (webp.format, jpeg.format) == ("WEBP", "JPEG")
    assert jpeg.mode == "RGB"


def test_gif_copies_show_its_first_frame():
    image = add(photo_files.animated_gif())

    jpeg, _ = copy_file(image)

    assert is_red(jpeg.getpixel((10, 10)))


def test_transparency_is_laid_on_white():
    image = add(photo_files.transparent_png())

    jpeg, _ = copy_file(image)

    assert min(jpeg.getpixel((100, 100))) > 245


def test_cmyk_photo_is_converted_to_srgb_colours():
    image = add(photo_files.cmyk_jpeg())

    jpeg, _ = copy_file(image)

    assert jpeg.mode == "RGB"
    assert is_red(jpeg.getpixel((50, 50)))


# --- What public copies carry, and what they do not --------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "HEIF"])
def test_exif_orientation_is_applied_to_every_copy(fmt):
    # Stored landscape, left half red; orientation 6 turns it a quarter clockwise.
    image = add(photo_files.halves_jpeg(size=(1200, 800), orientation=6, fmt=fmt))

    assert (image.width, image.height) == (800, 1200)
    for copy in image.copies() + image.copies(fmt="webp"):
        assert copy["height"] > copy["width"]
    upright, _ = copy_file(image)
    assert upright.size == (800, 1200)
    top, bottom = upright.getpixel((400, 100)), upright.getpixel((400, 1100))
    assert is_red(top), "the red half is on top"
    assert is_blue(bottom), "the blue half is below"


def test_location_and_device_metadata_are_stripped_from_every_public_file():
    image = add(photo_files.camera_jpeg(size=(2000, 1333)))

    assert len(image.renditions) == 8  # three widths and a cover, WebP and JPEG each
    for copy in image.renditions:
        with default_storage.open(copy["name"], "rb") as file:
            data = file.read()
        public = PILImage.open(io.BytesIO(data))
        assert not public.getexif(), copy["name"]
        assert not {"exif", "icc_profile", "xmp"} & set(public.info), copy["name"]
        assert photo_files.CAMERA_MODEL.encode() not in data
        assert b"GPS" not in data


def test_capture_time_and_camera_are_kept_as_fields():
    image = add(photo_files.camera_jpeg())

    assert image.camera == photo_files.CAMERA_MODEL
    assert f"{image.taken_at:%Y-%m-%d %H:%M}" == "2024-10-01 08:30"


def test_original_is_kept_unchanged_in_private_storage(settings):
    data = photo_files.camera_jpeg()

    image = add(data)

    private_path = Path(originals_storage.path(image.file.name))
    assert private_path.read_bytes() == data
    assert not private_path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert hashlib.sha256(data).hexdigest() in image.file.name
    assert all(path.suffix in {".jpg", ".webp"} for path in Path(settings.MEDIA_ROOT).rglob("*.*"))


# --- Widths, names, watermark ------------------------------------------------------------


def test_copies_come_in_the_configured_widths_never_wider_than_the_photo():
    wide = add(photo_files.camera_jpeg(size=(2400, 1600)))
    narrow = add(photo_files.camera_jpeg(size=(1200, 800), colour="#884422"))

    assert [c["width"] for c in wide.copies()] == [480, 960, 1600]
    assert [c["width"] for c in narrow.copies()] == [480, 960, 1200]
    assert [c["width"] for c in narrow.copies(fmt="webp")] == [480, 960, 1200]
    assert [(c["width"], c["height"]) for c in wide.copies("cover")] == [(480, 320)]


def test_copies_are_named_by_their_content_under_the_site_secret(settings):
    first = add(photo_files.camera_jpeg())
    again = add(photo_files.camera_jpeg(), caption="同一张照片再次上传")

    for copy in first.renditions:
        with default_storage.open(copy["name"], "rb") as file:
            data = file.read()
        keyed = images.Rendition("full", 1, 1, "jpeg", False, data).name()
        assert Path(copy["name"]).name.startswith(Path(keyed).name.split("-")[0])
        # Whoever holds the photo cannot work the name out from its bytes alone.
        assert not Path(copy["name"]).name.startswith(hashlib.sha256(data).hexdigest()[:20])
    assert [c["name"] for c in again.renditions] == [c["name"] for c in first.renditions]
    settings.SECRET_KEY = "another-station-secret"
    other = images.Rendition("full", 1, 1, "jpeg", False, data).name()
    assert Path(other).name.split("-")[0] != Path(keyed).name.split("-")[0]


def corner(picture: PILImage.Image, where: str, share: float = 0.3) -> PILImage.Image:
    width, height = picture.size
    w, h = round(width * share), round(height * share)
    left = 0 if where.endswith("left") else width - w
    top = 0 if where.startswith("top") else height - h
    return picture.crop((left, top, left + w, top + h))


def spread(region: PILImage.Image) -> float:
    """How far the brightest pixel stands above the darkest (0 for a flat colour)."""
    low, high = region.convert("L").getextrema()
    return high - low


def test_watermark_marks_large_copies_only_and_never_the_original():
    data = photo_files.camera_jpeg(size=(2000, 1333), colour="#777777")

    image = add(data)

    marked = {c["width"] for c in image.copies() if c["marked"]}
    assert marked == {960, 1600}
    for width in (960, 1600):
        picture, _ = copy_file(image, width=width)
        assert spread(corner(picture, "bottom-right")) > 100, width
        assert spread(corner(picture, "top-left")) < 20, width
        assert ".marked." in next(c["name"] for c in image.copies() if c["width"] == width)
    small, _ = copy_file(image, width=480)
    assert spread(corner(small, "bottom-right")) < 20
    assert Path(originals_storage.path(image.file.name)).read_bytes() == data


def test_partner_photos_can_opt_out_of_the_watermark():
    image = add(photo_files.camera_jpeg(size=(2000, 1333), colour="#777777"), watermark=False)

    picture, _ = copy_file(image)

    assert not any(c["marked"] for c in image.renditions)
    assert spread(corner(picture, "bottom-right")) < 20


def test_watermark_goes_to_the_configured_corner(settings):
    settings.NEWSROOM_WATERMARK_POSITION = "top-left"

    image = add(photo_files.camera_jpeg(size=(2000, 1333), colour="#777777"))

    picture, _ = copy_file(image)
    assert spread(corner(picture, "top-left")) > 100
    assert spread(corner(picture, "bottom-right")) < 20


def test_watermark_can_be_a_png_logo(settings, tmp_path):
    logo = tmp_path / "logo.png"
    PILImage.new("RGBA", (200, 80), (255, 0, 0, 255)).save(logo)
    settings.NEWSROOM_WATERMARK_LOGO = str(logo)
    settings.NEWSROOM_WATERMARK_OPACITY = 1.0

    image = add(photo_files.camera_jpeg(size=(2000, 1333), colour="#777777"))

    picture, _ = copy_file(image)
    # A fifth of the width wide, 2.5% in from the corner: its middle is here.
    width, height = picture.size
    middle = (width * (1 - 0.025 - 0.1), height - width * 0.025 - width * 0.2 * 80 / 200 / 2)
    assert is_red(picture.getpixel(tuple(map(round, middle))))


# --- Focal point -------------------------------------------------------------------------


def subject_on_the_left() -> bytes:
    """A wide 3:1 photo, blue, with a red subject at its far left."""
    picture = PILImage.new("RGB", (1500, 500), "blue")
    picture.paste("red", (0, 150, 150, 350))
    return photo_files.encode(picture, "JPEG", quality=95)


def has_red(picture: PILImage.Image) -> bool:
    red = ImageChops.subtract(picture.getchannel("R"), picture.getchannel("B"))
    return red.getextrema()[1] > 150


def test_cover_crop_keeps_the_focal_point():
    image = add(subject_on_the_left())

    image.focal_x, image.focal_y = 0.05, 0.5
    image.save()
    render_photo.enqueue(image.pk)
    image.refresh_from_db()
    kept, _ = copy_file(image, "cover")

    image.focal_x = 0.95
    image.save()
    render_photo.enqueue(image.pk)
    image.refresh_from_db()
    lost, _ = copy_file(image, "cover")

    assert kept.size == lost.size == (480, 320)
    assert has_red(kept)
    assert not has_red(lost)


@pytest.mark.parametrize(
    ("focal", "box"),
    [
        ((0.5, 0.5), (375, 0, 1125, 500)),
        ((0.0, 0.5), (0, 0, 750, 500)),
        ((1, 0), (750, 0, 1500, 500)),
    ],
)
def test_focal_box_is_centred_on_the_point_as_far_as_the_edges_allow(focal, box):
    assert images.focal_box((1500, 500), (3, 2), focal) == box


# --- Background drawing ------------------------------------------------------------------


def test_drawing_twice_changes_nothing():
    image = add(photo_files.camera_jpeg())
    before = {c["name"]: default_storage.get_modified_time(c["name"]) for c in image.renditions}

    result = render_photo.enqueue(image.pk)

    image.refresh_from_db()
    assert result.return_value is False
    assert {c["name"]: default_storage.get_modified_time(c["name"]) for c in image.renditions} == (
        before
    )


def test_a_photo_is_shown_nowhere_until_all_its_copies_exist(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}

    image = add(photo_files.camera_jpeg())

    assert not image.is_ready
    assert not Image.objects.ready().exists()
    assert list(Path(settings.MEDIA_ROOT).rglob("*.*")) == []
    render_photo.call(image.pk)
    image.refresh_from_db()
    assert image.is_ready
    assert len(image.renditions) == 8


def test_a_photo_whose_copies_cannot_be_drawn_says_why_and_a_later_drawing_clears_it(
    desk, monkeypatch, django_capture_on_commit_callbacks
):
    draw = images.render

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(images, "render", disk_full)
    with django_capture_on_commit_callbacks(execute=True):
        image = add(photo_files.camera_jpeg(), caption="沱江晨雾")

    image.refresh_from_db()
    assert not image.is_ready
    said = "生成公开图片时出现意外错误。请重新上传；再次失败请联系技术人员。"
    assert image.problem == said
    listed = desk.get(reverse("admin:articles_image_changelist")).text
    assert "处理失败" in listed
    assert "处理中" not in listed
    assert said in desk.get(reverse("admin:articles_image_change", args=[image.pk])).text

    monkeypatch.setattr(images, "render", draw)
    render_photo.call(image.pk)
    image.refresh_from_db()
    assert (image.is_ready, image.problem) == (True, "")


def test_changing_the_mark_redraws_through_the_command_with_a_progress_bar(
    settings, capsys, django_capture_on_commit_callbacks
):
    image = add(photo_files.camera_jpeg(size=(2000, 1333)))
    unmarked = add(photo_files.camera_jpeg(colour="#123456"), watermark=False)
    old = {c["name"] for c in image.renditions}

    settings.NEWSROOM_WATERMARK_TEXT = "湘西站"
    with django_capture_on_commit_callbacks(execute=True):  # old copies go once committed
        call_command("render_photos")

    output = capsys.readouterr().out
    image.refresh_from_db()
    unmarked.refresh_from_db()
    assert "[##############################] 2/2" in output
    assert "1 of 2 photos redrawn, 1 already up to date" in output
    new = {c["name"] for c in image.renditions}
    assert {c["name"] for c in image.renditions if not c["marked"]} <= old
    assert {c["name"] for c in image.renditions if c["marked"]}.isdisjoint(old)
    for gone in old - new:
        assert not default_storage.exists(gone)


def test_photos_from_before_the_pipeline_move_to_private_storage(client, capsys):
    data = photo_files.camera_jpeg()
    legacy_name = default_storage.save("photos/2024/05/old.jpg", io.BytesIO(data))
    legacy = Image.objects.create(file=legacy_name, caption="旧照片", alt_text="旧的画面")
    old_figure = f'<figure><img src="/media/{legacy_name}" alt=""><figcaption>旧照片</figcaption>'
    article = ArticleFactory(body=f"{old_figure}</figure>")

    call_command("render_photos")

    legacy.refresh_from_db()
    assert not default_storage.exists(legacy_name)
    assert Path(originals_storage.path(legacy.file.name)).read_bytes() == data
    assert legacy.is_ready
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<figure class="photo"><picture>' in page
    assert 'alt="旧的画面"' in page
    assert legacy_name not in page


@pytest.mark.parametrize(
    ("setting", "value", "error"),
    [
        ("NEWSROOM_WATERMARK_POSITION", "middle", "articles.E001"),
        ("NEWSROOM_WATERMARK_FONT", "/nonexistent/font.ttc", "articles.E002"),
        ("NEWSROOM_WATERMARK_LOGO", "/nonexistent/logo.png", "articles.E002"),
    ],
)
def test_system_check_catches_a_watermark_that_cannot_be_drawn(settings, setting, value, error):
    setattr(settings, setting, value)

    found = checks.watermark_can_be_drawn(None)

    assert [problem.id for problem in found] == [error]

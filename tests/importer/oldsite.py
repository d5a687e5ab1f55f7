"""The old site of the tests: the sample pages of tests/data/oldsite, the photos they show
(drawn here, each a camera JPEG with GPS), and a WARC file made of the same responses."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.photo_files import camera_jpeg

PAGES = Path(__file__).resolve().parent.parent / "data" / "oldsite"
HOST = "http://news.hongling-old.example"
# Every photo the pages show, but /uploads/2023/03/park-gone.jpg: that link is broken.
PHOTOS = {
    "uploads/2022/04/ponkan-hill.jpg": "#c98a1b",
    "uploads/2022/04/ponkan-boxes.jpg": "#b5651d",
    "uploads/2021/11/expo-1.jpg": "#2e6f40",
    "uploads/2021/11/expo-2.jpg": "#8b2e16",
    "uploads/2021/11/expo-3.jpg": "#e0a526",
    "uploads/2021/11/expo-4.jpg": "#5a3d8a",
    "uploads/2021/11/expo-5.jpg": "#1f5d8c",
    "uploads/2021/11/expo-6.jpg": "#9c4f7a",
    "uploads/2022/08/library.jpg": "#6d6d6d",
    "uploads/2022/09/aizhai-walk.jpg": "#3c7a89",
    "uploads/2023/03/park-fitness.jpg": "#4f9a4f",
    "uploads/2024/02/tea-pick.jpg": "#7fa33a",
    "uploads/2024/02/tea-roast.jpg": "#704214",
}
ARTICLES = {987, 1201, 1215, 1330, 1388, 1502, 1560, 1620, 1803}
NOT_ARTICLES = {"about.html", "channel/xiangxi/index.html"}


def build_site(root: Path) -> Path:
    """The old site as a folder of saved pages with its photos beside them."""
    shutil.copytree(PAGES, root)
    for name, colour in PHOTOS.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(camera_jpeg(size=(900, 600), colour=colour))
    return root


def build_warc(site: Path, path: Path) -> Path:
    """Every file of the site as a 200 response at its old address, gzipped per record."""
    with path.open("wb") as output:
        writer = WARCWriter(output, gzip=True)
        for file in sorted(p for p in site.rglob("*") if p.is_file()):
            name = file.relative_to(site).as_posix()
            if file.suffix == ".jpg":
                kind = "image/jpeg"
            elif name.endswith("1330.html"):
                kind = "text/html"  # the page says gb2312 in its <meta>
            else:
                kind = "text/html; charset=utf-8"
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            data = file.read_bytes()
            # With its length given, warcio digests the payload in place (no temporary file).
            record = writer.create_warc_record(
                f"{HOST}/{name}", "response", payload=io.BytesIO(data), length=len(data),
                http_headers=headers,
            )  # fmt: skip
            writer.write_record(record)
    return path

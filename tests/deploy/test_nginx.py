"""The shipped nginx configuration: valid as installed, its limits and pages match the app."""

import os
import re
import subprocess
import urllib.error
import urllib.request
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings

from tests.scaleout.servers import NGINX_EXAMPLE, Browser, EdgeCache, nginx_binary, require

DEBIAN_NGINX_CONF = Path("/etc/nginx/nginx.conf")
SHIPPED = NGINX_EXAMPLE.read_text(encoding="utf-8")


def body_limit_mb(location: str | None) -> int:
    """The client_max_body_size (in MB) of a location block, or of the server itself."""
    if location is None:
        block = SHIPPED.split("server {", 1)[1]
        found = re.search(r"^    client_max_body_size (\d+)m;", block, re.MULTILINE)
    else:
        block = SHIPPED.split(f"location {location} {{", 1)[1].split("\n    }\n", 1)[0]
        found = re.search(r"client_max_body_size (\d+)m;", block)
    return int(found[1])


def test_the_shipped_nginx_config_passes_nginx_t_as_installed_on_debian(tmp_path):
    require(nginx_binary() is not None, "nginx is missing: apt-get install nginx")
    require(DEBIAN_NGINX_CONF.exists(), "Debian's /etc/nginx/nginx.conf is missing")
    require(os.geteuid() == 0, "nginx -t of the installed layout needs root")
    # Debian's own nginx.conf, with the shipped file where conf.d's files are included.
    main = DEBIAN_NGINX_CONF.read_text(encoding="utf-8")
    assert "include /etc/nginx/conf.d/*.conf;" in main
    main = main.replace("include /etc/nginx/conf.d/*.conf;", f"include {NGINX_EXAMPLE};")
    main = re.sub(r"^pid .*;$", f"pid {tmp_path / 'nginx.pid'};", main, flags=re.MULTILINE)
    (tmp_path / "nginx.conf").write_text(main, encoding="utf-8")

    check = subprocess.run(
        [nginx_binary(), "-t", "-c", tmp_path / "nginx.conf"], capture_output=True, text=True
    )

    assert check.returncode == 0, check.stderr


def test_nginx_takes_the_largest_photo_and_video_the_app_accepts():
    form_overhead_mb = 1
    assert body_limit_mb(None) == settings.NEWSROOM_PHOTO_MAX_MB + form_overhead_mb
    assert body_limit_mb("= /admin/articles/image/upload/") >= 10 * settings.NEWSROOM_PHOTO_MAX_MB
    video = body_limit_mb("~ ^/admin/videos/video/(add|[0-9]+/change)/$")
    assert video >= settings.NEWSROOM_VIDEO_MAX_MB + form_overhead_mb


def test_the_nginx_error_pages_are_in_chinese():
    pages = NGINX_EXAMPLE.parent / "pages"

    assert "上传的文件太大" in (pages / "413.html").read_text(encoding="utf-8")
    assert "网站正在升级" in (pages / "503.html").read_text(encoding="utf-8")


# --- The shipped config running (no app server needed: nginx answers these itself) --------


@pytest.fixture
def edge(tmp_path):
    """nginx with the shipped config, its upstream a port where nothing listens."""
    require(nginx_binary() is not None, "nginx is missing: apt-get install nginx")
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "site.0123456789ab.css").write_text("body{}")
    (static / "css" / "site.css").write_text("body{}")
    (static / "robots.txt").write_text("")
    edge = EdgeCache(
        workdir=tmp_path / "nginx",
        upstreams=["127.0.0.1:9"],
        static_root=static,
        media_root=tmp_path / "media",
    ).start()
    yield edge
    edge.stop()


def answer_to(url: str, method: str = "GET", **headers: str) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_only_hashed_static_names_are_kept_for_ever(edge):
    hashed = Browser().get(f"{edge.origin}/static/css/site.0123456789ab.css")
    plain = Browser().get(f"{edge.origin}/static/css/site.css")

    assert hashed.status == HTTPStatus.OK
    assert "immutable" in hashed.headers["Cache-Control"]
    assert plain.status == HTTPStatus.OK
    assert plain.headers["Cache-Control"] == "public, max-age=3600"


def test_an_upload_over_the_limit_gets_the_chinese_413_page(edge):
    too_large = str((settings.NEWSROOM_PHOTO_MAX_MB + 2) * 1024 * 1024)

    status, _, body = answer_to(
        f"{edge.origin}/admin/articles/image/add/", "POST", **{"Content-Length": too_large}
    )

    assert status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert "上传的文件太大" in body


def test_the_maintenance_flag_turns_every_page_into_the_chinese_503(edge):
    (edge.workdir / "maintenance").touch()

    status, headers, body = answer_to(f"{edge.origin}/content/2026/11/01/1.html")
    posted, _, posted_body = answer_to(f"{edge.origin}/admin/login/", "POST")

    assert status == HTTPStatus.SERVICE_UNAVAILABLE
    assert headers["Retry-After"] == "300"
    assert "网站正在升级" in body
    assert posted == HTTPStatus.SERVICE_UNAVAILABLE
    assert "网站正在升级" in posted_body


def test_without_the_maintenance_flag_requests_reach_the_app(edge):
    status, _, body = answer_to(f"{edge.origin}/content/2026/11/01/1.html")

    assert status == HTTPStatus.BAD_GATEWAY  # nothing listens upstream in this test
    assert "网站正在升级" not in body

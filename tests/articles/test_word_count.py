"""字数: how the desk counts a body, kept on every version and printed on the 审稿单 and 稿签."""

import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from articles.models import Revision
from articles.text import word_count
from tests.factories import ArticleFactory, review_through_chain

IMG = '<img src="/m/a.jpg" alt="替代文字">'  # attributes are not text
DATA = Path(__file__).resolve().parents[1] / "data"
FILL = importlib.import_module("articles.migrations.0025_fill_revision_word_count")


@pytest.mark.parametrize(
    ("html", "count"),
    [
        ("<p>泸溪椪柑丰收了。</p>", 8),  # every character, punctuation included
        ("<p>泸溪 椪柑\u3000丰收&nbsp;了</p>", 7),  # spaces of every kind count nothing
        ("<p>Hello world</p>", 2),  # a run of letters is one word
        ("<p>COVID-19疫情</p>", 5),  # COVID, -, 19, 疫, 情
        ("<p>2024年产量12万吨</p>", 7),  # 2024, 年, 产, 量, 12, 万, 吨
        ("<p>ｉＰｈｏｎｅ</p>", 6),  # full-width letters are not ASCII: one each
        ("<p>abc</p><p>def</p>", 2),  # paragraphs keep their words apart
        ("<p><strong>Hel</strong>lo</p>", 1),  # inline tags do not
        ("<p>A&amp;B</p>", 3),
        (f'<figure data-photo="3">{IMG}<figcaption>图说</figcaption></figure>', 2),
        ("<script>var x = 1;</script><p>字</p>", 1),
        ("", 0),
        ("<p></p>", 0),
    ],
)
def test_word_count_rules(html, count):
    assert word_count(html) == count


@pytest.fixture
def story(staff, county_channel):
    return ArticleFactory(
        draft=True,
        created_by=staff.writer,
        channel=county_channel,
        title="泸溪椪柑丰收",
        body="<p>泸溪椪柑 丰收了。</p><p>Hello 世界</p>",  # 8 + 1 + 2
    )


def test_every_saved_version_keeps_its_word_count(client, staff, story):
    client.force_login(staff.writer)
    data = {
        "title": story.title,
        "channel": str(story.channel_id),
        "origin": "original",
        "body": "<p>Hello world 你好</p>",
        "edit_version": str(story.edit_version),
        "_continue": "1",
    }
    for prefix in ("credits", "picks", "links", "gallery_items"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}

    client.post(reverse("admin:articles_article_change", args=[story.pk]), data)

    revision = story.revisions.get()
    assert revision.word_count == 4
    versions = client.get(reverse("admin:articles_article_revisions", args=[story.pk]))
    assert "<td>4</td>" in versions.content.decode()


@pytest.mark.django_db
def test_existing_versions_are_counted_by_the_migration(story, staff):
    revision = Revision.objects.create(
        article=story, created_by=staff.writer, content={"body": "<p>旧版 abc 正文</p>"}
    )
    Revision.objects.create(article=story, content={"title": "没有正文"})

    FILL.count_words(apps, None)

    revision.refresh_from_db()
    assert revision.word_count == 5
    assert Revision.objects.get(content__title="没有正文").word_count == 0


def test_the_review_record_prints_the_word_count(client, staff, story):
    client.force_login(staff.editor)

    html = client.get(
        reverse("admin:articles_article_review_record", args=[story.pk])
    ).content.decode()

    assert "字数：11" in html


def test_the_slip_prints_the_word_count(client, staff, story):
    review_through_chain(story, [staff.editor, staff.managing, staff.chief])
    client.force_login(staff.editor)

    html = client.get(reverse("admin:articles_article_slip", args=[story.pk])).content.decode()

    assert '<th scope="row">字数</th><td>11</td>' in html


def test_the_server_counts_every_example_the_editor_counts_in_the_browser():
    """The live count under the editor (static/articles/admin/word-count.js) and the stored
    count follow one rule: both are checked against the same examples."""
    examples = json.loads((DATA / "word_counts.json").read_text(encoding="utf-8"))["examples"]
    assert len(examples) >= 10
    for example in examples:
        assert word_count(example["html"]) == example["count"], example["html"]

"""The demo station a newcomer sees after `make run`."""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest

from articles.models import Article, Channel, Image, Topic
from desk import workflow

pytestmark = pytest.mark.django_db

COUNTIES = ["吉首市", "泸溪县", "凤凰县", "花垣县", "保靖县", "古丈县", "永顺县", "龙山县"]


@pytest.fixture
def demo(capsys):
    call_command("load_demo")
    return capsys.readouterr().out


def test_demo_fills_every_channel_of_the_station_tree(demo):
    top = Channel.objects.filter(parent=None)
    counties = Channel.objects.get(name="县市区").children.values_list("name", flat=True)

    assert set(counties) == set(COUNTIES)
    assert {"重要新闻", "公示公告", "红图", "精彩视频", "综合专题"} <= set(
        top.values_list("name", flat=True)
    )
    for channel in Channel.objects.all():
        assert Article.objects.published().in_channel(channel).exists(), channel.name


def test_demo_has_forty_published_articles_with_people_photos_tags_and_picks(demo):
    published = Article.objects.published()

    assert published.count() >= 40
    assert Article.objects.exclude(pk__in=published).exists(), "drafts show what the public misses"
    assert published.filter(origin=Article.Origin.REPRINT).exists()
    assert published.placed("headline").count() == 1
    assert Topic.objects.current().count() == 2
    assert published.filter(suggestions__isnull=False).distinct().count() == published.count()
    assert published.filter(credits__isnull=True).count() == 0
    assert published.filter(editor__isnull=True).count() == 0
    assert published.filter(picks__isnull=False).distinct().count() >= 10
    assert Image.objects.exclude(caption="").exclude(alt_text="").count() >= 30


def test_demo_prints_the_admin_account_that_it_created(demo, client):
    assert "admin / newsroom-demo" in demo
    # The sign-in guard (django-axes) looks at the request each attempt comes with.
    assert client.login(request=HttpRequest(), username="admin", password="newsroom-demo")
    assert get_user_model().objects.get(username="admin").is_superuser


def test_loading_the_demo_again_changes_nothing(demo, capsys):
    urls = {a.pk: a.get_absolute_url() for a in Article.objects.published()}
    counts = (Article.objects.count(), Image.objects.count(), Channel.objects.count())

    call_command("load_demo")

    assert "already exists" in capsys.readouterr().out
    assert {a.pk: a.get_absolute_url() for a in Article.objects.published()} == urls
    assert (Article.objects.count(), Image.objects.count(), Channel.objects.count()) == counts


def test_every_demo_article_page_renders_with_its_photos(demo, client):
    for article in Article.objects.published():
        response = client.get(article.get_absolute_url())

        assert response.status_code == HTTPStatus.OK, article.title
        photos_shown = article.body.count("<figure") + article.gallery_items.count()
        assert response.content.decode().count("<figcaption>") == photos_shown


def test_the_demo_desk_publishes_in_every_channel_without_the_superuser(demo):
    people = {user.username: user for user in get_user_model().objects.filter(is_superuser=False)}
    writer, chief = people["xiangminghui"], people["pengli"]

    for channel in Channel.objects.all():
        article = Article.objects.create(
            channel=channel, title=f"{channel.name}测试稿", created_by=writer
        )
        article.submit(by=writer)
        while article.status == Article.Status.IN_REVIEW:
            reviewers = [u for u in people.values() if workflow.allowed("approve", article, u)]
            assert reviewers, f"{channel.name}: nobody can give {article.state_label()}"
            article.approve(by=reviewers[0])
        article.publish(by=chief)
        assert Article.objects.published().filter(pk=article.pk).exists(), channel.name

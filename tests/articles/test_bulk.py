"""manage.py generate_articles: realistic bulk data for benchmarks."""

from http import HTTPStatus

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Suggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    call_command("load_demo", verbosity=0)
    before = Article.objects.count()
    call_command("generate_articles", count=300, batch=120, verbosity=0)
    return Article.objects.order_by("-id")[:300], before


def test_generated_articles_are_published_with_tags_people_and_suggestions(generated):
    articles, before = generated

    assert Article.objects.count() == before + 300
    for article in articles:
        assert article.status == "published"
        assert article.section_id == (article.channel.parent_id or article.channel_id)
        assert 2 <= article.tags.count() <= 4
        assert article.credits.count() >= 1
        assert len(article.body) > 200
    suggestion = Suggestion.objects.filter(from_article__in=articles).first()
    assert suggestion.to_article.section_id == suggestion.from_article.section_id


def test_generated_articles_are_readable_pages(client, generated):
    articles, _ = generated

    for article in articles[:5]:
        assert client.get(article.get_absolute_url()).status_code == HTTPStatus.OK


def test_generation_needs_the_demo_channels_first():
    with pytest.raises(CommandError, match="load_demo"):
        call_command("generate_articles", count=10, verbosity=0)

"""The desk's forms refuse what has no place in text or links, with a message saying why,
and store nothing."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from articles.models import Channel, RelatedLink
from tests.factories import ArticleFactory, UserFactory
from tests.trust.payloads import HOSTILE_URLS


@pytest.fixture
def request_by_desk(db):
    request = RequestFactory().post("/admin/")
    request.user = UserFactory(username="desk", is_superuser=True)
    return request


def link_form(request, article, url: str):
    inline = next(i for i in admin.site._registry[type(article)].get_inline_instances(request)
                  if i.model is RelatedLink)  # fmt: skip
    return inline.get_formset(request, article).form(
        data={"title": "相关链接", "url": url, "article": article.pk, "position": 0}
    )


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_link_must_lead_to_a_web_page(url, request_by_desk):
    article = ArticleFactory()
    form = link_form(request_by_desk, article, url)

    assert not form.is_valid()
    assert form.errors["url"] == ["请填写以 http:// 或 https:// 开头的网页地址。"]
    assert not RelatedLink.objects.exists()


def test_a_web_address_is_accepted(request_by_desk):
    form = link_form(request_by_desk, ArticleFactory(), "https://www.example.cn/plan?id=1")

    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("name", "code"), [("吉首\x01新闻", "0001"), ("\u202e闻新首吉", "202E"), ("吉首\x7f", "007F")]
)
def test_typed_text_refuses_control_and_direction_override_characters(name, code, request_by_desk):
    form_class = admin.site._registry[Channel].get_form(request_by_desk)
    form = form_class(data={"name": name, "slug": "jishou", "kind": "news", "position": 0})

    assert not form.is_valid()
    assert f"含有不可见的控制字符（U+{code}）" in form.errors["name"][0]
    assert not Channel.objects.filter(slug="jishou").exists()

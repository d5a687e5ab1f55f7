"""Factories for test data: realistic defaults, overridable per test."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.figures import editor_img
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Channel,
    Editor,
    Image,
    RelatedLink,
    RelatedPick,
)
from articles.models.people import Role
from photos import photos
from search import related

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(*args: int) -> datetime:
    """A moment in Beijing time: beijing(2022, 4, 27, 9, 30)."""
    return datetime(*args, tzinfo=BEIJING)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery")
    is_staff = True


ROLES = ["通讯员/记者", "编辑", "主编", "总编辑"]


def member(role: str, username: str = "", **fields):
    """A desk member in one of the role groups made by the roles migration."""
    username = username or f"member{get_user_model().objects.count()}"
    user = UserFactory(username=username, **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


def review_through_chain(article: Article, reviewers: list) -> None:
    """Submit the article and approve it at every level, one reviewer per level."""
    article.submit(by=article.created_by)
    for reviewer in reviewers:
        article.approve(by=reviewer, note="同意")


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"栏目{n}")
    slug = factory.Sequence(lambda n: f"channel-{n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"作者{n}")
    role = Role.CORRESPONDENT
    outlet = "红岭时刻"


class EditorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Editor

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"编辑{n}")


class ImageFactory(factory.django.DjangoModelFactory):
    """A library photo added as an upload is: checked, kept privately, copies drawn."""

    class Meta:
        model = Image

    file = factory.django.ImageField(width=640, height=480, color="green", format="JPEG")
    caption = "沅水两岸的椪柑进入采摘期"
    credit = "向建国"
    alt_text = "果农在橘园里采摘椪柑"

    @classmethod
    def _create(cls, model_class, *args, file, **fields) -> Image:
        return photos.add_photo(file, **fields)


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article unless told otherwise (status=Article.Status.DRAFT)."""

    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"湘西新闻第{n}篇")
    summary = "一句话摘要。"
    body = "<p>正文第一段。</p>"
    channel = factory.SubFactory(ChannelFactory)
    created_by = factory.SubFactory(UserFactory)
    status = Article.Status.PUBLISHED
    first_published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, first_published_at=None)


def go_live(desk, at=None, **fields) -> Article:
    """An article written, taken through the whole chain and published, as the desk does
    (``desk``: its channel, writer, editor, managing and chief editors, and ``committed``)."""
    article = ArticleFactory(draft=True, created_by=desk.writer, channel=desk.channel, **fields)
    review_through_chain(article, [desk.editor, desk.managing, desk.chief])
    with desk.committed():
        return article.publish(by=desk.chief, at=at)


def library_figure(image: Image, caption: str = "") -> str:
    """A library photo as the body editor stores it: which photo, and this use's caption."""
    preview = editor_img(image)
    return f'<figure data-photo="{image.pk}">{preview}<figcaption>{caption}</figcaption></figure>'


def credit(article: Article, author: Author, position: int, role: str = "") -> ArticleAuthor:
    return ArticleAuthor.objects.create(
        article=article, author=author, position=position, role=role
    )


def full_article(channel: Channel, **overrides) -> Article:
    """A published article carrying every element of the article page."""
    photo = ImageFactory()
    body = (
        "<p>泸溪县浦市镇的椪柑迎来丰收。</p>"
        f"{library_figure(photo, photo.caption_with_credit())}"
        "<p>今年全镇椪柑预计产量超过两万吨。</p>"
    )
    fields = {
        "channel": channel,
        "kicker": "产业兴旺",
        "title": "泸溪椪柑丰收季 果农笑开颜",
        "subtitle": "全县种植面积达十二万亩",
        "summary": "泸溪县椪柑进入采摘期。",
        "body": body,
        "dateline": "湘西泸溪",
        "source": "红岭网",
        "editor": EditorFactory(display_name="沈佳"),
        "cover_image": photo,
        "first_published_at": beijing(2022, 4, 27, 9, 30),
    } | overrides
    article = ArticleFactory(**fields)
    article.tags.set(["柑橘产业", "乡村振兴"])
    credit(article, AuthorFactory(name="杨丽芳"), 0)
    credit(article, AuthorFactory(name="张远"), 1)
    picked = ArticleFactory(channel=channel, title="编辑挑选的相关稿件")
    RelatedPick.objects.create(from_article=article, to_article=picked, position=0)
    RelatedLink.objects.create(
        article=article, title="湘西州柑橘产业发展规划", url="https://www.example.com/plan"
    )
    related.refresh(article)
    return article

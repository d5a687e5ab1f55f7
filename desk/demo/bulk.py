"""Realistic bulk data: years of a desk's output, for benchmarks and scale tests.

Text is recombined from the demo articles' own paragraphs, with generated headlines, so
that lengths, characters and word frequencies look like the real thing. Rows are written
with bulk inserts in batches; nothing here goes through the review chain.
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape
from psycopg import sql
from taggit.models import Tag

from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Channel,
    Image,
    Suggestion,
    TaggedArticle,
)
from articles.models.people import Role
from articles.transitions import Status
from desk.demo.loader import DATA

PLACES = [
    "吉首",
    "泸溪",
    "凤凰",
    "花垣",
    "保靖",
    "古丈",
    "永顺",
    "龙山",
    "矮寨",
    "浦市",
    "茶峒",
    "芙蓉镇",
    "里耶",
    "吕洞山",
    "默戎",
    "山江",
    "塔卧",
    "乾州",
]
SUBJECTS = [
    "椪柑产业",
    "黄金茶",
    "猕猴桃",
    "乡村旅游",
    "民宿集群",
    "农村公路",
    "寄宿制学校",
    "村卫生室",
    "防汛演练",
    "非遗工坊",
    "冷链物流",
    "电商直播",
    "老旧小区改造",
    "供水工程",
    "法治宣传",
    "营商环境",
    "苗绣技艺",
    "土家织锦",
    "古城保护",
    "就业帮扶",
]
ACTIONS = [
    "迎来丰收",
    "提质增效",
    "加快推进",
    "全面启动",
    "取得新进展",
    "惠及群众",
    "开辟新路径",
    "焕发新活力",
    "交出亮眼答卷",
    "持续升温",
    "通过验收",
    "扩面提速",
]
OUTLETS = ["红岭时刻", "红岭时刻", "红岭时刻", ""]
ROLES = [Role.REPORTER, Role.CORRESPONDENT, Role.CORRESPONDENT, Role.SPECIAL_REPORTER, Role.INTERN]
SURNAMES = "向田彭龙石杨张吴王刘李陈黄麻滕宋符覃瞿梁"
GIVEN = "明丽芳远雪梅华军燕晓雨佳立春秋敏涛婷峰霞建国伟静磊娟"


@dataclass
class Pools:
    """Everything an article is drawn from."""

    paragraphs: list[str]
    channels: list[Channel]
    authors: list[int]
    tags: list[int]
    images: list[int]


def demo_paragraphs() -> list[str]:
    with (DATA / "articles.toml").open("rb") as file:
        entries = tomllib.load(file)["article"]
    return [p.strip() for e in entries for p in e["body"].split("\n\n") if len(p.strip()) > 30]


def prepare(rng: random.Random, authors: int = 200, tags: int = 300) -> Pools:
    """Make sure there are people and tags to credit, and collect the pools."""
    channels = list(Channel.objects.all())
    if not channels:
        raise ValueError("No channels yet: run `manage.py load_demo` first.")
    have_authors = Author.objects.count()
    Author.objects.bulk_create(
        Author(
            name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice([1, 2]))),
            role=rng.choice(ROLES),
            outlet=rng.choice(OUTLETS),
        )
        for _ in range(max(0, authors - have_authors))
    )
    names = {f"{rng.choice(PLACES)}{rng.choice(SUBJECTS)}" for _ in range(tags * 2)}
    existing = set(Tag.objects.values_list("name", flat=True))
    Tag.objects.bulk_create(
        Tag(name=name, slug=name)
        for name in sorted(names - existing)[: max(0, tags - len(existing))]
    )
    return Pools(
        paragraphs=demo_paragraphs(),
        channels=channels,
        authors=list(Author.objects.values_list("pk", flat=True)),
        tags=list(Tag.objects.values_list("pk", flat=True)),
        images=list(Image.objects.values_list("pk", flat=True)),
    )


def headline(rng: random.Random) -> str:
    return f"{rng.choice(PLACES)}{rng.choice(SUBJECTS)}{rng.choice(ACTIONS)}"


def make_article(rng: random.Random, pools: Pools, moment: datetime) -> dict:
    """One published article as column values."""
    channel = rng.choice(pools.channels)
    paragraphs = rng.sample(pools.paragraphs, rng.randint(4, 8))
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return {
        "title": headline(rng),
        "kicker": headline(rng) if rng.random() < 0.1 else "",
        "subtitle": "",
        "summary": paragraphs[0][:80],
        "body": body,
        "body_html": body,  # no library photos in generated bodies: nothing to draw in
        "channel_id": channel.pk,
        "section_id": channel.parent_id or channel.pk,
        "byline_override": "",
        "dateline": f"湘西{rng.choice(PLACES)}",
        "origin": "original",
        "source": "红岭网",
        "original_outlet": "",
        "original_author": "",
        "original_title": "",
        "original_url": "",
        "cover_image_id": rng.choice(pools.images)
        if pools.images and rng.random() < 0.6
        else None,
        "status": Status.PUBLISHED,
        "review_level": 0,
        "review_round": 0,
        "return_note": "",
        "withdrawal_reason": "",
        "hold_reason": "",
        "kill_reason": "",
        "first_published_at": moment,
        "created_at": moment,
        "updated_at": moment,
    }


def insert(model, rows: list[dict]) -> None:
    """Insert plain rows: COPY on PostgreSQL (far faster), bulk_create elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(model(**row) for row in rows)
        return
    given = [model._meta.get_field(name) for name in rows[0]]
    # COPY knows nothing of the model's defaults: send them for the fields not given.
    defaults = [
        field
        for field in model._meta.concrete_fields
        if field not in given and not field.primary_key and field.has_default()
    ]
    fill = [field.get_default() for field in defaults]
    columns = [field.column for field in given + defaults]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([*row.values(), *fill])


def new_ids(model, count: int) -> list[int]:
    """Reserve primary keys for rows about to be inserted (PostgreSQL's sequence)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def moments(count: int, years: float, rng: random.Random) -> Iterator[datetime]:
    """``count`` publication times spread over the last ``years``, oldest first."""
    now = timezone.now()
    span = timedelta(days=365 * years).total_seconds()
    for offset in sorted((rng.random() * span for _ in range(count)), reverse=True):
        yield now - timedelta(seconds=offset)


def write_batch(rng: random.Random, pools: Pools, when: list[datetime]) -> list[int]:
    """Insert one batch of articles with their tags, credits and suggestions; return ids."""
    rows = [make_article(rng, pools, moment) for moment in when]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            ids = new_ids(Article, len(rows))
            insert(Article, [{"id": pk, **row} for pk, row in zip(ids, rows, strict=True)])
        else:
            ids = [a.pk for a in Article.objects.bulk_create(Article(**row) for row in rows)]
        insert(TaggedArticle, [
            {"content_object_id": pk, "tag_id": tag}
            for pk in ids for tag in rng.sample(pools.tags, rng.randint(2, 4))
        ])  # fmt: skip
        insert(ArticleAuthor, [
            {"article_id": pk, "author_id": author, "role": "", "position": n}
            for pk in ids
            for n, author in enumerate(rng.sample(pools.authors, rng.randint(1, 2)))
        ])  # fmt: skip
        earlier: dict[int, list[int]] = {}  # per section, the batch's articles so far
        suggestions = []
        for pk, row in zip(ids, rows, strict=True):
            seen = earlier.setdefault(row["section_id"], [])
            suggestions += [
                {"from_article_id": pk, "to_article_id": other, "position": n, "score": 0.0}
                for n, other in enumerate(reversed(seen[-6:]))
            ]
            seen.append(pk)
        insert(Suggestion, suggestions)
    return ids
